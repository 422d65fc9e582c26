"""The one writer: worker results into the library, in batches, then into the journal.

Workers never touch the library: it is one SQLite file on the researcher's machine, and
SQLite wants one writer. Results are written here a batch at a time (one transaction for
up to ``BATCH_FILES`` files, or whatever arrived within ``BATCH_SECONDS``), and only then
marked done in the journal. Writing is idempotent by text hash: a batch that arrives twice,
or a file redone after a crash, is recognised as "already in the library".
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reader.cluster.journal import ImportJournal
from reader.cluster.worker import BatchOutcome, FileOutcome, TextOutcome
from reader.documents.model import Document
from reader.entities.consistency import mentions_from_tuples
from reader.entities.spans import Mention
from reader.errors import StoreError
from reader.store import Store

log = logging.getLogger(__name__)

BATCH_FILES = 64  # files per transaction: commits stop dominating well before this
BATCH_SECONDS = 1.0  # and never keep a result waiting longer than this


@dataclass(frozen=True, slots=True)
class Written:
    """One file's outcome once it is in the library, or why it is not."""

    path: str
    status: str  # "imported", "present", "updated" or "failed"
    document_id: int | None = None
    title: str = ""
    error: str = ""  # why the file could not be imported
    mentions: int | None = None  # names saved with it; None when it was not analysed
    analysis_error: str = ""  # why it was imported without its names


class LibraryWriter:
    """Collects worker results and writes them in batches; ``flush`` before stopping."""

    def __init__(
        self,
        store: Store,
        journal: ImportJournal,
        model_key: str | None,
        on_written: Callable[[list[Written]], None],
        *,
        batch_files: int = BATCH_FILES,
        batch_seconds: float = BATCH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``model_key``: the key analyses are saved under (None: no analysis)."""
        self.store = store
        self.journal = journal
        self.model_key = model_key
        self.on_written = on_written
        self.batch_files = batch_files
        self.batch_seconds = batch_seconds
        self.clock = clock
        self._pending: list[tuple[FileOutcome, str]] = []  # outcome, worker's model key
        self._since = 0.0
        self.workers: dict[str, dict[str, int]] = {}  # worker -> files done, model loads

    def add(self, batch: BatchOutcome) -> None:
        """Take a task's results; writes when the batch is full or has waited long enough."""
        seen = self.workers.setdefault(batch.worker, {"files": 0, "model_loads": 0})
        seen["files"] += len(batch.files)
        seen["model_loads"] = max(seen["model_loads"], batch.model_loads)
        if not self._pending:
            self._since = self.clock()
        self._pending.extend((outcome, batch.model_key) for outcome in batch.files)
        self.flush_if_due()

    def flush_if_due(self) -> None:
        if self._pending and (
            len(self._pending) >= self.batch_files
            or self.clock() - self._since >= self.batch_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write what is pending: library first, then the journal, then the report.

        Ctrl+C waits until all three are done: arriving between them it would leave files
        in the library that the journal or the report (a script reading the JSON lines)
        never heard of.
        """
        with interrupts_deferred():
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        items = [self._item(outcome, key) for outcome, key in pending]
        readable = [(doc, mentions) for doc, mentions, _ in items if doc is not None]
        # A StoreError (disk full, library locked) propagates: the run stops, and the
        # journal still lists these files as pending, so --resume redoes them.
        results = iter(self._write(readable))
        written: list[Written] = []
        for (outcome, _), (document, mentions, reason) in zip(pending, items, strict=True):
            if document is None:
                written.append(Written(outcome.path, "failed", error=outcome.error))
            else:
                result = next(results)
                written.append(_with_analysis(result, outcome.path, mentions, reason))
        self.journal.mark(
            (outcome.key, w.status, w.document_id, w.error)
            for (outcome, _), w in zip(pending, written, strict=True)
        )
        self.on_written(written)

    def _item(
        self, outcome: FileOutcome, worker_key: str
    ) -> tuple[Document | None, list[Mention] | None, str]:
        """The document, the mentions to save with it, and why there are none."""
        if outcome.document is None:
            return None, None, ""
        document = Document.from_plain(outcome.document)
        if self.model_key is None or outcome.mentions is None:
            return document, None, outcome.analysis_error
        if worker_key != self.model_key:
            return document, None, _other_model(worker_key, self.model_key)
        return document, mentions_from_tuples(outcome.mentions), ""

    def _write(self, readable: list[tuple[Document, list[Mention] | None]]) -> list[Written]:
        """One transaction for the batch; a document that breaks it is written alone."""
        key = self.model_key
        try:
            results = self.store.import_batch([(d, key, m) for d, m in readable])
        except StoreError:
            raise
        except Exception:
            log.exception("Writing a batch failed; writing its documents one by one")
            return [self._write_one(document, mentions) for document, mentions in readable]
        return [
            Written(d.metadata.path, r.status, r.document_id, r.title)
            for (d, _), r in zip(readable, results, strict=True)
        ]

    def _write_one(self, document: Document, mentions: list[Mention] | None) -> Written:
        path = document.metadata.path
        try:
            result = self.store.import_batch([(document, self.model_key, mentions)])[0]
        except StoreError:
            raise
        except Exception as exc:
            log.exception("Import: writing %s failed", path)
            return Written(path, "failed", error=_unexpected(path, exc))
        return Written(path, result.status, result.document_id, result.title)

    def write_analyses(
        self, batch: BatchOutcome, outcomes: list[TextOutcome], hashes: dict[int, str]
    ) -> list[tuple[int, int | None, str]]:
        """Save the names found in texts already in the library; ``(id, mentions, error)``."""
        seen = self.workers.setdefault(batch.worker, {"files": 0, "model_loads": 0})
        seen["model_loads"] = max(seen["model_loads"], batch.model_loads)
        saved: list[tuple[str, str, list[Mention]]] = []
        report: list[tuple[int, int | None, str]] = []
        for outcome in outcomes:
            if outcome.mentions is None:
                report.append((outcome.document_id, None, outcome.error))
            elif batch.model_key != self.model_key:
                report.append(
                    (outcome.document_id, None, _other_model(batch.model_key, str(self.model_key)))
                )
            else:
                mentions = mentions_from_tuples(outcome.mentions)
                saved.append((hashes[outcome.document_id], batch.model_key, mentions))
                report.append((outcome.document_id, len(mentions), ""))
        if saved:
            with interrupts_deferred():
                self.store.save_analyses(saved)
        return report


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl+C (SIGINT) back until the block is done, then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _with_analysis(
    result: Written, path: str, mentions: list[Mention] | None, reason: str
) -> Written:
    if result.status == "failed":
        return Written(path, "failed", error=result.error)
    return Written(
        path,
        result.status,
        result.document_id,
        result.title,
        mentions=len(mentions) if mentions is not None else None,
        analysis_error=reason,
    )


def _other_model(worker_key: str, library_key: str) -> str:
    return (
        f"a worker analysed it with {_model_words(worker_key)}, not {_model_words(library_key)} "
        "as this library expects; install the same model on every worker"
    )


def _model_words(key: str) -> str:
    """ "en_core_web_sm@3.8.0/rules-1" -> "en_core_web_sm 3.8.0 (rules 1)"."""
    name, _, rest = key.partition("@")
    version, _, rules = rest.partition("/rules-")
    return f"{name} {version} (rules {rules})" if rules else f"{name} {version}".strip()


def _unexpected(path: str, exc: BaseException) -> str:
    return (
        f"“{Path(path).name}” could not be saved because of an unexpected error "
        f"({type(exc).__name__}); details are in the log file."
    )
