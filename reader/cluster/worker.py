"""What a cluster's workers run: read files, find their names, send back plain data.

The functions here are the window's own work, called from another machine: files are
parsed by ``reader.documents.plain_loading`` (as the window's import processes do, with
the same limits and messages for hostile files) and analysed by
``EntityEngine.analyse_text`` (as ``reader import --analyse`` does). Dask only calls them;
this module does not import it, so it can be tested without a cluster.

Each worker process loads the spaCy model once, on the first task that needs it or when
the client checks the model before sending work, and keeps it: loading costs seconds,
analysing a short article a few milliseconds. A lock guards the engine, which is not
thread-safe, for workers started with more than one thread (``--nthreads 1`` is better:
threads give spaCy no speed-up).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import TYPE_CHECKING, NamedTuple

from reader.documents.model import PlainDocument
from reader.documents.plain_loading import load_plain, read_plain
from reader.entities.consistency import MentionTuple, mention_tuples
from reader.errors import ReaderError

if TYPE_CHECKING:
    from reader.entities.engine import EntityEngine

log = logging.getLogger(__name__)

Source = tuple[int, str, bytes | None]
"""A file to import: its number in the journal, its path, and its bytes when sent."""


class FileOutcome(NamedTuple):
    key: int  # the file's number in the journal
    path: str
    document: PlainDocument | None  # None when the file could not be read
    error: str  # why not, as the user will read it
    mentions: list[MentionTuple] | None  # None when not analysed
    analysis_error: str


class BatchOutcome(NamedTuple):
    worker: str  # host:pid of the worker process
    model_key: str  # the analysis cache key of the model the worker used; "" if none
    model_loads: int  # how often this worker process has loaded a model: 1 when all is well
    files: list[FileOutcome]


class TextOutcome(NamedTuple):
    document_id: int
    mentions: list[MentionTuple] | None
    error: str


class ModelCheck(NamedTuple):
    worker: str
    model_key: str  # "" when the model could not be loaded
    label: str  # "en_core_web_sm 3.8.0"
    error: str


_lock = threading.Lock()
_engines: dict[str, EntityEngine] = {}
_loads = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def engine_for(model: str) -> EntityEngine:
    """This process's engine for ``model``, loaded on first use and kept."""
    global _loads
    with _lock:
        engine = _engines.get(model)
        if engine is None:
            from reader.entities.engine import EntityEngine

            engine = _engines[model] = EntityEngine(model)
            _loads += 1
        return engine


def model_key(engine: EntityEngine) -> str:
    from reader.entities.models import analysis_key

    return analysis_key(engine.info.name, engine.info.version)


def check_model(model: str) -> ModelCheck:
    """Load ``model`` here (once) and say which key its analyses will be saved under."""
    try:
        engine = engine_for(model)
    except ReaderError as exc:
        return ModelCheck(worker_name(), "", "", exc.message)
    except Exception as exc:  # the client shows a sentence, not the worker's traceback
        log.exception("Loading the model %s failed", model)
        return ModelCheck(worker_name(), "", "", f"the model could not be loaded ({exc})")
    info = engine.info
    return ModelCheck(worker_name(), model_key(engine), f"{info.name} {info.version}", "")


def can_read(path: str) -> bool:
    """Whether this worker sees the file at ``path`` (when paths are shared, not sent)."""
    return os.access(path, os.R_OK)


def process_files(sources: list[Source], model: str | None) -> BatchOutcome:
    """Parse each file and, when ``model`` is given, find its names: the task a worker runs.

    Nothing here raises for one bad file: a file that cannot be read comes back with the
    loader's message, a text the engine fails on comes back unanalysed with a reason.
    """
    engine: EntityEngine | None = None
    model_error = ""
    if model is not None:
        try:
            engine = engine_for(model)
        except ReaderError as exc:
            model_error = f"the worker {worker_name()} could not load the model: {exc.message}"
    files = [_one_file(key, path, data, engine, model_error) for key, path, data in sources]
    key = model_key(engine) if engine is not None else ""
    return BatchOutcome(worker_name(), key, _loads, files)


def _one_file(
    key: int, path: str, data: bytes | None, engine: EntityEngine | None, model_error: str
) -> FileOutcome:
    plain = load_plain(path) if data is None else read_plain(data, path)
    if isinstance(plain, str):
        return FileOutcome(key, path, None, plain, None, "")
    if engine is None:
        return FileOutcome(key, path, plain, "", None, model_error)
    mentions, error = _analyse(engine, plain[0], path)
    return FileOutcome(key, path, plain, "", mentions, error)


def analyse_texts(
    items: list[tuple[int, str]], model: str
) -> tuple[BatchOutcome, list[TextOutcome]]:
    """Find the names in texts already in the library (sent with their document ids)."""
    try:
        engine = engine_for(model)
    except ReaderError as exc:
        error = f"the worker {worker_name()} could not load the model: {exc.message}"
        outcomes = [TextOutcome(document_id, None, error) for document_id, _ in items]
        return BatchOutcome(worker_name(), "", _loads, []), outcomes
    outcomes = []
    for document_id, text in items:
        mentions, error = _analyse(engine, text, f"document {document_id}")
        outcomes.append(TextOutcome(document_id, mentions, error))
    return BatchOutcome(worker_name(), model_key(engine), _loads, []), outcomes


def _analyse(engine: EntityEngine, text: str, what: str) -> tuple[list[MentionTuple] | None, str]:
    try:
        with _lock:
            mentions = engine.analyse_text(text)
    except Exception as exc:
        log.exception("Analysing %s failed", what)
        return None, f"the names could not be found ({type(exc).__name__}: {exc})"
    return mention_tuples(mentions), ""
