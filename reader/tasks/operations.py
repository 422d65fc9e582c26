"""Store and file work off the GUI thread, with answers on it (Anki's ``CollectionOp``).

A search over a large library, writing an imported book to the index, listing a library of
thousands: each can take long enough to freeze the window. The window hands such work to
the ``OperationsRunner`` as a function of the store; it runs on the runner's own thread, on
a connection of its own (SQLite connections belong to one thread), one operation after
another in the order they were asked for. Success (``done``) and failure (``failed``)
always come back on the GUI thread; a failure with no ``failed`` becomes a notice, so the
window needs no ``except`` of its own. An operation that changed the library says what
(``Changes``), and the panels refresh from that event rather than being poked.

``now`` runs the same kind of function at once on the GUI thread's own connection, with
the same error policy: for the few writes the researcher is waiting on and that must be
on disk when the call returns (a note being typed, a note deleted).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from reader import paths
from reader.errors import ReaderError, StoreError
from reader.store import Store, open_store
from reader.tasks.messages import MessageBridge

log = logging.getLogger(__name__)

T = TypeVar("T")

NO_LIBRARY = (
    "The library is not available; see the message shown when reader started. Articles "
    "still open, but they are not kept in the library."
)
STOP_TIMEOUT = 10.0  # seconds: an operation under way finishes first (a write, a search)


class Changes(enum.Flag):
    """What an operation changed in the library, for the panels that show it."""

    NONE = 0
    DOCUMENTS = enum.auto()  # articles added, updated or removed
    NOTES = enum.auto()  # notes written, edited, deleted or imported
    ANALYSES = enum.auto()  # cached names (the library's counts of people, places…)
    CORRECTIONS = enum.auto()  # correction rules added, undone, redone or imported
    # another process may have changed anything
    EVERYTHING = DOCUMENTS | NOTES | ANALYSES | CORRECTIONS


@dataclass(eq=False)
class _Operation:
    work: Callable[..., Any]
    needs_store: bool
    done: Callable[[Any], None] | None
    failed: Callable[[str], None] | None
    changes: Changes
    what: str


class OperationsRunner(QObject):
    changed = Signal(object)  # Changes: an operation changed the library
    # Changes: the library changed elsewhere (another process), as ``announce`` says; also
    # emitted as ``changed``. Panels showing what is being edited here refresh only on it.
    changedElsewhere = Signal(object)
    # Changes: a ``now`` write is about to run, and has run, on the GUI thread's connection
    # (the store watcher looks at the library just before and after it).
    localWriteStarting = Signal(object)
    localWriteDone = Signal(object)
    idle = Signal()  # every operation asked for has been answered
    _answered = Signal(object, object, object)  # operation, result, error message or None

    def __init__(
        self,
        store: Store | None,
        messages: MessageBridge,
        parent: QObject | None = None,
        *,
        opener: Callable[[], Store] | None = None,
    ) -> None:
        """``store`` is the GUI thread's connection; the runner's own thread opens the same
        library again (``opener``, when given, opens it instead: tests wrap the store)."""
        super().__init__(parent)
        self.store = store
        self.messages = messages
        self._opener = opener
        self._path: Path | None = store.path if store is not None else None
        self._read_only = store.read_only if store is not None else True
        self._queue: queue.SimpleQueue[_Operation | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending = 0
        self.answered = 0  # operations answered so far (the store watcher compares counts)
        # what this window's operations on the runner's thread changed, since last asked
        self._own = Changes.NONE
        self._closed = False
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def available(self) -> bool:
        """There is a library (perhaps read-only)."""
        return self.store is not None

    @property
    def writable(self) -> bool:
        return self.store is not None and not self._read_only

    @property
    def pending(self) -> int:
        """Operations asked for and not yet answered."""
        return self._pending

    # -- asking ---------------------------------------------------------------------------

    def query(
        self,
        work: Callable[[Store], T],
        done: Callable[[T], None] | None = None,
        *,
        failed: Callable[[str], None] | None = None,
        changes: Changes = Changes.NONE,
        what: str = "use the library",
    ) -> None:
        """Run ``work(store)`` on the runner's thread; ``done(result)`` on the GUI thread.

        ``what`` completes "Could not …" in the sentence shown if an unexpected error
        (a bug) stops the work.
        """
        self._submit(_Operation(work, True, done, failed, changes, what))

    def file_work(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        failed: Callable[[str], None] | None = None,
        what: str = "write the file",
    ) -> None:
        """Run ``work()`` (files, no store) on the runner's thread, answered the same way."""
        self._submit(_Operation(work, False, done, failed, Changes.NONE, what))

    def now(
        self,
        work: Callable[[Store], T],
        *,
        failed: Callable[[str], None] | None = None,
        changes: Changes = Changes.NONE,
        what: str = "use the library",
    ) -> T | None:
        """Run ``work(store)`` here and now on the GUI thread's connection; its result, or
        None after a failure (reported as ``query`` reports it)."""
        operation = _Operation(work, True, None, failed, changes, what)
        try:
            if self.store is None:
                raise StoreError(NO_LIBRARY)
            self.localWriteStarting.emit(changes)
            try:
                result = work(self.store)
            finally:
                self.localWriteDone.emit(changes)
        except Exception as error:
            self._fail(operation, _sentence(error, what))
            return None
        if changes:
            self.changed.emit(changes)
        return result

    def report(self, changes: Changes) -> None:
        """Say that an operation of this window changed the library, when only its result
        tells (keeping an opened article may or may not add one)."""
        if not self._closed and changes:
            self._own |= changes
            self.changed.emit(changes)

    def take_own_changes(self) -> Changes:
        """What this window's operations on the runner's thread changed since the last call
        (the store watcher tells them from changes made elsewhere)."""
        own, self._own = self._own, Changes.NONE
        return own

    def announce(self, changes: Changes) -> None:
        """Say that the library changed elsewhere (another reader, a command in a shell)."""
        if not self._closed:
            self.changed.emit(changes)
            self.changedElsewhere.emit(changes)

    def _submit(self, operation: _Operation) -> None:
        if self._closed:
            log.debug("Operation after shutdown dropped: %s", operation.what)
            return
        self._pending += 1
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._serve, name="reader-operations", daemon=True
            )
            self._thread.start()
        self._queue.put(operation)

    # -- the runner's thread ------------------------------------------------------------------

    def _serve(self) -> None:
        store: Store | None = None
        try:
            while (operation := self._queue.get()) is not None:
                if self._closed and not operation.changes:
                    continue  # quitting: a read nobody will see; writes still finish
                result: Any = None
                error: str | None = None
                try:
                    if operation.needs_store:
                        if store is None:
                            store = self._open()
                        result = operation.work(store)
                    else:
                        result = operation.work()
                except Exception as exc:
                    error = _sentence(exc, operation.what)
                # RuntimeError: the runner was deleted with its window; nobody is waiting.
                with contextlib.suppress(RuntimeError):
                    self._answered.emit(operation, result, error)
        finally:
            if store is not None:
                store.close()

    def _open(self) -> Store:
        if self._path is None:
            raise StoreError(NO_LIBRARY)
        if self._opener is not None:
            return self._opener()
        # The window's own connection opened and checked the file already.
        return open_store(self._path, read_only=self._read_only, check=False)

    # -- answers, on the GUI thread -----------------------------------------------------------

    @Slot(object, object, object)
    def _deliver(self, operation: _Operation, result: Any, error: str | None) -> None:
        self._pending -= 1
        self.answered += 1
        if not self._closed:
            if error is not None:
                self._fail(operation, error)
            else:
                if operation.changes:
                    self._own |= operation.changes
                    self.changed.emit(operation.changes)
                if operation.done is not None:
                    operation.done(result)
        if self._pending == 0:
            self.idle.emit()

    def _fail(self, operation: _Operation, message: str) -> None:
        if operation.failed is not None:
            operation.failed(message)
        else:
            self.messages.error(message)

    # -- quitting -------------------------------------------------------------------------

    def shutdown(self, timeout: float = STOP_TIMEOUT) -> None:
        """Finish the writes asked for, skip the reads, close the runner's connection.

        Answers are no longer delivered: the window they were for is going.
        """
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("Library operations did not stop within %.0f s", timeout)


def _sentence(error: BaseException, what: str) -> str:
    """What the researcher reads: the store's own sentence, or one for a bug."""
    if isinstance(error, ReaderError):
        return error.message
    log.error("Could not %s", what, exc_info=error)
    return (
        f"Could not {what} ({type(error).__name__}); this is a bug in reader, and the "
        f"details are in the log file {paths.log_file()}."
    )
