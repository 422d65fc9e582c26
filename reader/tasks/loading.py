"""Loading big files off the GUI thread.

Decoding and parsing a 3 MB book takes a few hundred milliseconds of pure Python; done on
the GUI thread that would freeze the window. Requests are numbered: only the answer to the
newest one is wanted, so opening another file while a book loads simply supersedes it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from reader.documents.loader import load_document
from reader.errors import ReaderError

log = logging.getLogger(__name__)


class DocumentLoader(QObject):
    loaded = Signal(int, object)  # request id, Document
    failed = Signal(int, str)  # request id, message for the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._latest = 0

    @property
    def latest(self) -> int:
        return self._latest

    def load(self, path: str | Path) -> int:
        self._latest += 1
        self._pool.start(_LoadTask(self, self._latest, Path(path)))
        return self._latest

    def wait(self, timeout_ms: int = 10_000) -> bool:
        return self._pool.waitForDone(timeout_ms)


class _LoadTask(QRunnable):
    def __init__(self, loader: DocumentLoader, request: int, path: Path) -> None:
        super().__init__()
        self.loader, self.request, self.path = loader, request, path

    def run(self) -> None:
        # Signals emitted here are queued to the loader's (the GUI) thread.
        try:
            document = load_document(self.path)
        except ReaderError as exc:
            self.loader.failed.emit(self.request, exc.message)
        except Exception as exc:
            log.exception("Loading %s failed", self.path)
            self.loader.failed.emit(
                self.request, f"{self.path.name} could not be opened ({type(exc).__name__})."
            )
        else:
            self.loader.loaded.emit(self.request, document)
