"""Loading big files away from the GUI.

Decoding and parsing a 3 MB book is 0.15 s of pure Python. On a thread of the GUI process
that still froze the window: every paint calls into Python (item models, paint events),
and each call waited for the interpreter lock held by the parsing thread. So big files are
parsed in a helper *process* and come back as built-in types. Requests are numbered: only
the answer to the newest one is wanted, so opening another file while a book loads simply
supersedes it.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.documents.budget import DEFAULT_SECONDS
from reader.documents.model import Document, PlainDocument
from reader.documents.plain_loading import load_plain
from reader.lifeline import bind_to_parent

log = logging.getLogger(__name__)

__all__ = ["DocumentLoader", "load_for_import", "load_plain"]  # load_plain: documents


def load_for_import(path: str) -> PlainDocument | str:
    """``load_plain`` with the import's time budget: one pathological file is skipped and
    reported instead of stalling a folder of thousands."""
    return load_plain(path, IMPORT_BUDGET_SECONDS)


IMPORT_BUDGET_SECONDS = DEFAULT_SECONDS


class DocumentLoader(QObject):
    loaded = Signal(int, object)  # request id, Document
    failed = Signal(int, str)  # request id, message for the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ProcessPoolExecutor | None = None
        self._latest = 0

    @property
    def latest(self) -> int:
        return self._latest

    def prepare(self) -> None:
        """Start the helper process ahead of need: starting it costs a third of a second."""
        self._pool().submit(int)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=bind_to_parent,
            )
        return self._executor

    def load(self, path: str | Path) -> int:
        self._latest += 1
        request = self._latest
        future = self._pool().submit(load_plain, str(path))
        # The callback runs on the executor's thread; the signals queue to the GUI thread.
        future.add_done_callback(lambda f: self._done(request, Path(path), f))
        return request

    def _done(self, request: int, path: Path, future: Future[PlainDocument | str]) -> None:
        if future.cancelled() or request != self._latest:
            return
        try:
            result = future.result()
        except BrokenProcessPool:
            self._executor = None
            result = f"{path.name} could not be opened: the loading process stopped."
        except Exception as exc:
            result = f"{path.name} could not be opened ({type(exc).__name__})."
        if isinstance(result, str):
            self.failed.emit(request, result)
        else:
            self.loaded.emit(request, Document.from_plain(result))

    def shutdown(self) -> None:
        """Let a load in progress finish, then stop the helper process."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
