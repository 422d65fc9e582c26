"""Which analyses are reused and which are redone: the cache policy in one place.

Finding names is the slow part of opening an article (a book takes a minute), so every
analysis is kept in the library under the SHA-256 of the text and a key naming the model
and the consistency rules (``entities.models.analysis_key``). Reopening, printing and
``reader mentions`` use the cached names; a new model or new rules make a new key, and the
old analyses are simply not used. The window and the command line both decide here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from reader import paths
from reader.documents.model import Document
from reader.entities.models import analysis_key, expected_analysis_key
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.store import Store

if TYPE_CHECKING:
    from reader.entities.engine import EngineInfo

log = logging.getLogger(__name__)

FROM_LIBRARY = "names from the library"


class Engine(Protocol):
    """What the cache policy needs of a spaCy engine (``entities.engine.EntityEngine``)."""

    @property
    def info(self) -> EngineInfo: ...

    def analyse_text(self, text: str) -> list[Mention]: ...


class AnalysisCache:
    """The window's view of the cache: the key of the model in use, as it becomes known.

    Until the engine process has loaded its model, the key is the one the requested model
    will produce, found from package metadata; once loaded, the engine's own name and
    version decide. Store calls take the key as an argument, so they can run on the
    operations thread while the key is read on the GUI thread.
    """

    def __init__(self, model: str) -> None:
        self._requested = model
        self._key: str | None = None
        self._known = False

    @property
    def key(self) -> str | None:
        if not self._known:
            self._key = expected_analysis_key(self._requested)
            self._known = True
        return self._key

    def model_loaded(self, name: str, version: str) -> bool:
        """The engine reports the model it really loaded; True when the key changed."""
        actual = analysis_key(name, version)
        if actual == self.key:
            return False
        log.info("Analysis cache key is %s (expected %s)", actual, self._key)
        self._key, self._known = actual, True
        return True

    def model_changed(self, model: str) -> None:
        """Preferences chose another model: the key is found again."""
        self._requested = model
        self._known = False


def lookup(store: Store, text_hash: str, key: str) -> list[Mention] | None:
    """The cached names of a text, or None; a cache that cannot be read is no cache."""
    try:
        return store.load_analysis(text_hash, key)
    except ReaderError as exc:
        log.warning("Cache read failed: %s", exc.message)
        return None


def remember(store: Store, text_hash: str, key: str, mentions: list[Mention]) -> bool:
    """Keep an analysis; False when the library is read-only or the write failed.

    A cache write that fails costs only a later re-analysis: it is logged, not shown.
    """
    if store.read_only:
        return False
    try:
        store.save_analysis(text_hash, key, mentions)
    except ReaderError as exc:
        log.warning("Cache write failed: %s", exc.message)
        return False
    return True


def needing_analysis(store: Store, key: str) -> list[int]:
    """Library articles with no analysis under ``key``, for the background queue."""
    try:
        return store.documents_needing_analysis(key)
    except ReaderError as exc:
        log.warning("Could not list documents to analyse: %s", exc.message)
        return []


# -- the command line ----------------------------------------------------------------------


@dataclass(slots=True)
class Names:
    """The names of one article and where they came from (for the closing line)."""

    mentions: list[Mention]
    source: str


def cached_names(store: Store | None, document: Document, model: str) -> list[Mention] | None:
    """The library's names for this text under the key ``model`` will produce, or None."""
    if store is None:
        return None
    key = expected_analysis_key(model)
    return store.load_analysis(document.text_hash, key) if key is not None else None


def names_for(
    store: Store | None, document: Document, model: str, make_engine: Callable[[str], Engine]
) -> Names:
    """Cached names when the library has them for this model; else the model's, kept in
    the library's cache when it can be written, so the next print is instant."""
    cached = cached_names(store, document, model)
    if cached is not None:
        return Names(cached, FROM_LIBRARY)
    engine = make_engine(model)
    mentions = engine.analyse_text(document.text)
    name, version = engine.info.name, engine.info.version
    if store is not None and not store.read_only:
        store.save_analysis(document.text_hash, analysis_key(name, version), mentions)
    return Names(mentions, f"names found by {name} {version}")


@dataclass(slots=True)
class AnalysisReport:
    """What analysing the library did: for the line after an import and the JSON report."""

    model: str  # "en_core_web_sm 3.8.0"
    model_key: str
    analysed: int = 0
    mentions: int = 0
    failed: list[str] = field(default_factory=list)  # titles of documents that failed
    seconds: float = 0.0
    interrupted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "model_key": self.model_key,
            "analysed": self.analysed,
            "mentions": self.mentions,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
        }

    def line(self) -> str:
        noun = "article" if self.analysed == 1 else "articles"
        if not self.analysed and not self.failed and not self.interrupted:
            return f"Every article in the library is already analysed with {self.model}."
        text = f"Analysed {self.analysed} {noun} with {self.model} in {self.seconds:.1f} s"
        if self.interrupted:
            text = f"Interrupted after analysing {self.analysed} {noun} with {self.model}"
            text += "; their names stay in the library"
        if self.failed:
            text += f"; {len(self.failed)} could not be analysed (details in {paths.log_file()})"
        return text + "."


def analyse_pending(
    store: Store,
    model: str,
    make_engine: Callable[[str], Engine],
    progress: Callable[[int, int, str], None] = lambda done, total, title: None,
) -> AnalysisReport:
    """Analyse every document without a cached result for the current model key.

    The model (a second or two to load) is loaded only when something needs it. Each
    result is saved in its own transaction, so Ctrl+C loses at most the current document.
    """
    expected = expected_analysis_key(model)
    if expected is not None and not store.documents_needing_analysis(expected):
        name, _, rest = expected.partition("@")
        return AnalysisReport(f"{name} {rest.split('/')[0]}", expected)
    engine = make_engine(model)
    key = analysis_key(engine.info.name, engine.info.version)
    if expected is not None and key != expected:
        log.warning("Analysis key %s differs from the expected %s", key, expected)
    report = AnalysisReport(f"{engine.info.name} {engine.info.version}", key)
    pending = store.documents_needing_analysis(key)
    started = time.perf_counter()
    try:
        for number, document_id in enumerate(pending, 1):
            entry = store.get_entry(document_id)
            if entry is None:
                continue  # removed by a reader window meanwhile
            progress(number, len(pending), entry.title)
            if store.load_analysis(entry.text_hash, key) is not None:
                continue  # an identical text analysed a moment ago
            text, text_hash = store.get_text(document_id)  # the blocks are not needed here
            try:
                mentions = engine.analyse_text(text)
            except Exception:
                log.exception("Analysing document %s failed", document_id)
                report.failed.append(entry.title)
                continue
            del text  # a big text is not held while the next one is read
            store.save_analysis(text_hash, key, mentions)
            report.analysed += 1
            report.mentions += len(mentions)
    except KeyboardInterrupt:
        report.interrupted = True
    report.seconds = time.perf_counter() - started
    return report
