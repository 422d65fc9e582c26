"""Importing many files into the library without freezing the window.

Parsing is the slow part (a PDF or a book takes a good fraction of a second, 100,000 files
take hours), so it runs in helper processes, as in ``loading.py``: threads would hold the
interpreter lock and stall every paint. Writing a parsed document to SQLite (and indexing
a book for search, a third of a second) goes through the operations runner, off the GUI
thread; each write is its own transaction, so stopping half-way never leaves half an
article behind, and a run ends only once its last write is answered.

Only a few files are in the pool at once: 100,000 futures would hold 100,000 results in
memory and make cancelling slow. A helper process that dies (a crash in a PDF library, the
system killing it for memory) takes down every file in flight with it, so those files are
tried again one at a time: only the file that kills a process on its own is reported.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal, Slot

from reader.documents.model import Document, PlainDocument
from reader.errors import StoreError
from reader.lifeline import bind_to_parent
from reader.store import ImportResult, Store
from reader.tasks.loading import load_for_import
from reader.tasks.operations import Changes, OperationsRunner

log = logging.getLogger(__name__)

MAX_WORKERS = 2  # the machines this runs on have two cores, one of them for the window
MAX_IN_FLIGHT = 8  # futures submitted and not yet written: enough to keep both workers busy

MAX_RETIRED_POOLS = 4  # stopped pools kept so that ``shutdown`` can wait for their processes

Parse = Callable[[str], PlainDocument | str]


class ImportedFile(NamedTuple):
    """A file whose article is now in the library."""

    path: Path
    document_id: int
    title: str


class FailedFile(NamedTuple):
    """A file that could not be imported, with a sentence saying why."""

    path: Path
    reason: str


@dataclass(slots=True)
class ImportSummary:
    """What one import run did, for the summary box and for queueing analysis."""

    total: int = 0  # files the run was asked to import
    imported: list[ImportedFile] = field(default_factory=list)  # new articles
    present: list[ImportedFile] = field(default_factory=list)  # the same text was there
    updated: list[ImportedFile] = field(default_factory=list)  # a known file had changed
    failed: list[FailedFile] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""  # why the run stopped early (the library could not be written)
    notice: str = ""  # said alongside, e.g. that the drop held too many files

    @property
    def done(self) -> int:
        return len(self.imported) + len(self.present) + len(self.updated) + len(self.failed)

    @property
    def document_ids(self) -> list[int]:
        """Every library entry this run touched, each once, in the order they were seen."""
        seen = dict.fromkeys(f.document_id for f in self.imported + self.updated + self.present)
        return list(seen)

    @property
    def changed_ids(self) -> list[int]:
        """Entries whose text is new to the library: these need entity analysis."""
        return list(dict.fromkeys(f.document_id for f in self.imported + self.updated))


class _Writes:
    """The writes of one run, shared with the runner's thread.

    A failed write stops the ones queued behind it (the disk is full: every later write
    would fail the same way), and so does stopping the run. Each write records what it
    did here as well, so a run that stops reports at once, exactly what is in the library,
    without waiting for the answers to travel back through the event loop.
    """

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.stopped = False
        self.failed = False
        self.active = 0  # writes under way on the runner's thread
        self.done: dict[int, tuple[Path, ImportResult | str]] = {}  # by write number
        self.counted: set[int] = set()  # in the summary already

    def begin(self) -> bool:
        with self.lock:
            if self.stopped or self.failed:
                return False
            self.active += 1
            return True

    def end(self, number: int, path: Path, outcome: ImportResult | str | None) -> None:
        with self.lock:
            self.active -= 1
            if outcome is not None:
                self.done[number] = (path, outcome)
            self.lock.notify_all()

    def stop(self, timeout: float = 10.0) -> list[tuple[Path, ImportResult | str]]:
        """No more writes; wait for the one under way; what was written and not counted."""
        with self.lock:
            self.stopped = True
            self.lock.wait_for(lambda: self.active == 0, timeout)
            return [v for k, v in sorted(self.done.items()) if k not in self.counted]


class BulkImporter(QObject):
    """Parses files in helper processes and writes each article to the library as it arrives.

    ``start`` returns at once; ``progress`` and then exactly one ``finished`` follow, on the
    GUI thread. Starting again while a run is going adds the files to that run.
    """

    progress = Signal(int, int, str)  # done, total, name of the file just handled
    finished = Signal(object)  # ImportSummary

    # Emitted from the executor's threads; queued to ``_future_done`` on the GUI thread.
    _futureDone = Signal(object)
    _finishSoon = Signal(int)  # run number

    def __init__(
        self,
        runner: OperationsRunner,
        parent: QObject | None = None,
        *,
        parse: Parse = load_for_import,
    ) -> None:
        """``parse`` runs in the helper process, so it must be a module-level function."""
        super().__init__(parent)
        self.runner = runner
        self._parse = parse
        self._writes = _Writes()
        self._writing = 0  # writes asked of the runner and not yet answered
        self._numbered = 0
        self._executor: ProcessPoolExecutor | None = None
        self._retired: list[ProcessPoolExecutor] = []
        self._run = 0
        self._running = False
        self._summary = ImportSummary()
        self._queue: deque[Path] = deque()
        self._suspects: deque[Path] = deque()  # in flight when a helper process died
        self._solo: set[Path] = set()  # suspects being retried on their own
        self._in_flight: dict[Future[PlainDocument | str], Path] = {}
        self._futureDone.connect(self._future_done, Qt.ConnectionType.QueuedConnection)
        self._finishSoon.connect(self._finish_if_done, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True from ``start`` until ``finished`` is emitted."""
        return self._running

    def start(self, paths: list[Path], notice: str = "") -> None:
        """Import ``paths``; ``notice`` is passed on to the summary (see ``CollectedFiles``)."""
        if not self._running:
            self._writes = _Writes()
            self._writing = 0
            self._run += 1
            self._running = True
            self._summary = ImportSummary()
            if len(paths) > 1:
                self._back_up()
        self._summary.total += len(paths)
        if notice:
            self._summary.notice = " ".join(filter(None, [self._summary.notice, notice]))
        self._queue.extend(Path(p) for p in paths)
        self.progress.emit(self._summary.done, self._summary.total, "")
        self._fill()
        # Even an empty run finishes through the event loop, as every other run does.
        self._finishSoon.emit(self._run)

    def _back_up(self) -> None:
        """A backup copy before a bulk import, on the runner's thread ahead of the run's
        writes (it runs operations in order). The import goes on without one only when the
        copy cannot be made; the summary says so."""
        summary = self._summary

        def no_backup(message: str) -> None:
            log.warning("No backup before the import: %s", message)
            summary.notice = " ".join(filter(None, [summary.notice, message]))

        self.runner.query(
            lambda store: store.back_up("import"),
            failed=no_backup,
            what="back up the library before the import",
        )

    def cancel(self) -> None:
        """Stop after the articles already written; those stay in the library."""
        if self._running:
            self._summary.cancelled = True
            self._stop()

    def shutdown(self) -> None:
        """Cancel any run and wait for the helper processes to exit (on quit, in tests).

        A file being parsed at that moment is finished first: a process cannot be stopped
        half-way safely, and a single file takes seconds at most.
        """
        self.cancel()
        for executor in self._retired:
            executor.shutdown(wait=True, cancel_futures=True)
        self._retired.clear()

    # -- the run ----------------------------------------------------------------------

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=MAX_WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=bind_to_parent,
            )
        return self._executor

    def _retire_pool(self) -> None:
        """Stop the pool without waiting: a process may still be finishing a big file."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._retired.append(self._executor)
            del self._retired[:-MAX_RETIRED_POOLS]  # older ones have long exited
            self._executor = None

    def _fill(self) -> None:
        """Submit files until ``MAX_IN_FLIGHT`` are out; suspects go alone."""
        while self._running:
            if self._suspects:
                if self._in_flight:
                    return  # wait for the broken pool's other files to come back
                path = self._suspects.popleft()
                self._solo.add(path)
            elif self._queue and len(self._in_flight) < MAX_IN_FLIGHT and not self._solo:
                path = self._queue.popleft()
            else:
                return
            try:
                future = self._pool().submit(self._parse, str(path))
            except BrokenProcessPool:
                # The pool died and has not told us yet: try this file again on a new one.
                (self._suspects if path in self._solo else self._queue).appendleft(path)
                self._solo.discard(path)
                self._retire_pool()
                if self._in_flight:
                    return
                continue
            self._in_flight[future] = path
            future.add_done_callback(self._relay)

    def _relay(self, future: Future[PlainDocument | str]) -> None:
        """Runs on the executor's thread (or on the canceller's): hand over to the GUI thread."""
        # RuntimeError: the importer was deleted with its window, and nobody is waiting.
        with contextlib.suppress(RuntimeError):
            self._futureDone.emit(future)

    @Slot(object)
    def _future_done(self, future: Future[PlainDocument | str]) -> None:
        path = self._in_flight.pop(future, None)
        if path is None or not self._running:
            return  # from a run that was cancelled or stopped
        solo = path in self._solo
        self._solo.discard(path)
        result = self._result(future, path, solo)
        if result is None:  # to be tried again on its own
            self._fill()
            return
        if isinstance(result, str):
            self._fail(path, result)
            self._fill()
            self.progress.emit(self._summary.done, self._summary.total, path.name)
            self._finish_if_done(self._run)
        else:
            self._write(path, Document.from_plain(result))
            self._fill()

    def _result(
        self, future: Future[PlainDocument | str], path: Path, solo: bool
    ) -> PlainDocument | str | None:
        """The parsed document, a message for the user, or None to try the file again."""
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):
            # A helper process died; only a dying pool's shutdown cancels futures mid-run.
            self._retire_pool()
            if solo:
                log.error("Import: the helper process stopped while reading %s", path)
                return (
                    f"“{path.name}” could not be read: the reading process stopped while "
                    "reading it, so the file may be damaged; try opening it on its own."
                )
            self._suspects.append(path)
            return None
        except Exception as exc:
            log.exception("Import: reading %s failed", path)
            return _unexpected(path, exc)

    def _write(self, path: Path, document: Document) -> None:
        """Keep one parsed article, off the GUI thread; counted once the write is answered."""
        run, writes = self._run, self._writes
        self._numbered += 1
        number = self._numbered
        self._writing += 1

        def write(store: Store) -> ImportResult | str | None:
            if not writes.begin():
                return None  # the run stopped: skipped, as if never parsed
            outcome: ImportResult | str | None = None
            try:
                outcome = store.import_document(document)
            except StoreError:
                writes.failed = True
                raise
            except Exception as exc:  # a bug in one document must not end the run
                log.exception("Import: writing %s failed", path)
                outcome = _unexpected(path, exc)
            finally:
                writes.end(number, path, outcome)
            return outcome

        self.runner.query(
            write,
            lambda outcome: self._written(run, number, path, outcome),
            failed=lambda message: self._write_failed(run, path, message),
            changes=Changes.DOCUMENTS,
            what="import the article",
        )

    def _written(
        self, run: int, number: int, path: Path, outcome: ImportResult | str | None
    ) -> None:
        if run != self._run:
            return  # counted when its run stopped
        self._writing -= 1
        if outcome is not None:
            self._writes.counted.add(number)
            self._count(path, outcome)
            self.progress.emit(self._summary.done, self._summary.total, path.name)
        self._finish_if_done(run)

    def _count(self, path: Path, outcome: ImportResult | str) -> None:
        if isinstance(outcome, str):
            self._fail(path, outcome)
            return
        entry = ImportedFile(path, outcome.document_id, outcome.title)
        {
            "imported": self._summary.imported,
            "present": self._summary.present,
            "updated": self._summary.updated,
        }[outcome.status].append(entry)

    def _write_failed(self, run: int, path: Path, message: str) -> None:
        if run != self._run:
            return
        self._writing -= 1
        log.error("Import stopped: could not write %s: %s", path, message)
        self._summary.error = message
        self._stop()

    def _fail(self, path: Path, reason: str) -> None:
        log.warning("Import: %s: %s", path, reason)
        self._summary.failed.append(FailedFile(path, reason))

    @Slot(int)
    def _finish_if_done(self, run: int) -> None:
        if (
            run == self._run
            and self._running
            and not (self._queue or self._suspects or self._in_flight or self._writing)
        ):
            self._stop()

    def _stop(self) -> None:
        """End the run now: drop what is queued, stop the pool, report once. Writes under way
        finish first (milliseconds) and are counted, so the summary is what the library has."""
        self._running = False
        self._queue.clear()
        self._suspects.clear()
        self._solo.clear()
        self._in_flight.clear()
        self._retire_pool()
        for path, outcome in self._writes.stop():
            self._count(path, outcome)
        self._run += 1  # answers still on their way belong to a finished run
        self.finished.emit(self._summary)


def _unexpected(path: Path, exc: BaseException) -> str:
    return (
        f"“{path.name}” could not be imported because of an unexpected error "
        f"({type(exc).__name__}); details are in the log file."
    )
