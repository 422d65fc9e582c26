"""Opening an article: read it, show it, find its names, keep it in the library.

The walk of one opened file: ``open_path`` reads it (a big file or a PDF in the helper
process, ``tasks.loading``) and hands the ``Document`` to ``show``, which opens it in the
session, so the reading view lays out the first screen at once. Then, off the GUI thread,
the library is asked whether it knows the text and has its names for this model (the
cache policy, ``services.analysis_cache``); if not, the analysis feed asks the engines for
them, the screen first. Just after, the article is kept in the library. When the analysis
ends, its names go into the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from reader import paths
from reader.documents.loader import FORMATS, load_document
from reader.documents.model import Document
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.services import analysis_cache
from reader.services.analysis_cache import AnalysisCache
from reader.services.library import Kept, keep_in_library, known_id
from reader.settings import Settings
from reader.store import Store
from reader.tasks.analysis_feed import AnalysisFeed
from reader.tasks.loading import DocumentLoader
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.session import ReadingSession
from reader.ui.reader_view import ReaderView

log = logging.getLogger(__name__)

BACKGROUND_LOAD_BYTES = 512 * 1024  # above this a file is read and parsed off the GUI thread
# Formats parsed by native libraries (pdfium, libxml2) or heavy extraction always load in the
# helper process: a damaged file can then at worst stop that process, never the window.
BACKGROUND_SUFFIXES = frozenset(
    s for f in FORMATS if f.key not in ("text", "markdown") for s in f.suffixes
)

Looked = tuple[int | None, list[Mention] | None]  # the library id of the text, its names
# Keeping an article in the library (indexing a book for search takes a third of a second)
# runs on the operations thread, where it would compete with the first screen's highlights
# for the interpreter lock: it waits until they have had their chance. A note written
# before then keeps the article at once (``NotesController``).
KEEP_SOON_MS = 250
KEEP_LATER_CHARS = 200_000
KEEP_LATER_MS = 1500


class DocumentController(QObject):
    recentChanged = Signal()  # File › Open Recent has a new first entry

    def __init__(
        self,
        session: ReadingSession,
        feed: AnalysisFeed,
        runner: OperationsRunner,
        cache: AnalysisCache,
        messages: MessageBridge,
        settings: Settings,
        view: ReaderView,
        parent: QWidget,
        model_failed: Callable[[], bool] = lambda: False,
    ) -> None:
        """``model_failed``: whether no engine can run (the status bar knows); articles are
        then shown without names."""
        super().__init__(parent)
        self.session = session
        self.feed = feed
        self.runner = runner
        self.cache = cache
        self.messages = messages
        self.settings = settings
        self.view = view
        self.model_failed = model_failed
        self.loader = DocumentLoader(self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        session.analysisFinished.connect(self._analysis_finished)
        view.visibleRangeChanged.connect(feed.prioritise)

    # -- from a file --------------------------------------------------------------------------

    def open_path(self, path: str | Path) -> bool:
        """Open a file; on failure the current document stays and a notice says why.

        Big files load in the helper process (the answer arrives through ``_loaded``);
        small ones load at once, so their errors can be reported straight away.
        """
        try:
            size = Path(path).stat().st_size if Path(path).is_file() else 0
        except OSError:
            size = 0
        if size > BACKGROUND_LOAD_BYTES or Path(path).suffix.lower() in BACKGROUND_SUFFIXES:
            self.loader.load(path)
            self.messages.show_status(f"Opening {Path(path).name}…", 0)
            return True
        try:
            document = load_document(path)
        except ReaderError as exc:
            self.messages.error(exc.message)
            return False
        except Exception as exc:  # a loader bug must not take the window down
            log.exception("Opening %s failed", path)
            self.messages.error(
                f"{Path(path).name} could not be opened ({type(exc).__name__}). "
                f"Details are in the log file {paths.log_file()}."
            )
            return False
        self._opened(document)
        return True

    @Slot(int, object)
    def _loaded(self, request: int, document: Document) -> None:
        if request == self.loader.latest:
            self._opened(document)

    @Slot(int, str)
    def _load_failed(self, request: int, message: str) -> None:
        if request == self.loader.latest:
            self.messages.error(message)

    def _opened(self, document: Document) -> None:
        # Indexing a new book for search takes a third of a second: the text is shown first
        # and kept in the library just after, once the first screen is painted.
        self.show(document)
        self._remember_recent(document)
        delay = KEEP_LATER_MS if len(document.text) > KEEP_LATER_CHARS else KEEP_SOON_MS
        QTimer.singleShot(delay, lambda: self._keep(document))

    def _keep(self, document: Document) -> None:
        if not self.runner.writable:
            return
        self.runner.query(
            lambda store: keep_in_library(store, document),
            lambda kept: self._kept(document, kept),
            failed=lambda message: self.messages.error(
                f"{message} The article is open, but it was not added to the library."
            ),
            what="keep the article in the library",
        )

    def _kept(self, document: Document, kept: Kept) -> None:
        if kept.changed:
            self.runner.report(Changes.DOCUMENTS)
        if kept.message:
            self.messages.show_status(kept.message)
        if document is self.session.document:
            self.session.set_document_id(kept.document_id)

    def _remember_recent(self, document: Document) -> None:
        if document.metadata.path:
            self.settings.add_recent(document.metadata.path)
            self.settings.last_document = document.metadata.path
            self.recentChanged.emit()

    # -- showing ------------------------------------------------------------------------------

    def show_from_library(
        self, document: Document, document_id: int | None, span: tuple[int, int] | None = None
    ) -> None:
        """An article from the library (or dropped content), scrolled to ``span`` if given."""
        self.show(document, document_id)
        if document.metadata.path:
            self.settings.add_recent(document.metadata.path)
            self.recentChanged.emit()
        if span is not None and 0 <= span[0] < span[1] <= len(document.text):
            self.view.reveal(span)

    def show(self, document: Document, document_id: int | None = None) -> None:
        log.info(
            "Showing %s (%s, %d characters)",
            document.metadata.path or "dropped text",
            document.metadata.format,
            len(document.text),
        )
        self.session.open(document, document_id)
        self.find_names()

    def find_names(self) -> None:
        """The library's names for the open text if it has them, else the engines'."""
        document, revision, key = self.session.document, self.session.revision, self.cache.key
        if document is None:
            return
        if not self.runner.available or key is None:
            self._analyse()
            return
        text_hash = self.session.text_hash

        def look(store: Store) -> Looked:
            return known_id(store, document), analysis_cache.lookup(store, text_hash, key)

        self.runner.query(
            look,
            lambda found: self._looked_up(revision, found),
            failed=lambda _message: self._looked_up(revision, (None, None)),
            what="look the article up in the library",
        )

    def _looked_up(self, revision: int, found: Looked) -> None:
        if revision != self.session.revision:
            return  # another article was opened meanwhile
        document_id, cached = found
        if document_id is not None and self.session.document_id is None:
            self.session.set_document_id(document_id)
        if cached is None:
            self._analyse()
            return
        self.feed.use_cached(cached)

    def _analyse(self) -> None:
        if self.model_failed():
            self.messages.show_status("Showing the text without highlights (no entity model).")
            return
        self.feed.start(*self.view.visible_range())

    def _analysis_finished(self, _seconds: float, cached: bool) -> None:
        """A new analysis goes into the cache, so reopening shows it at once."""
        document, key = self.session.document, self.cache.key
        if cached or document is None or key is None or not self.runner.writable:
            return
        mentions = self.session.raw_mentions()  # the cache keeps the model's names
        text_hash = self.session.text_hash  # computed once, when the article opened
        self.runner.query(
            lambda store: analysis_cache.remember(store, text_hash, key, mentions),
            changes=Changes.ANALYSES,
            what="keep the names found",
        )

    def model_changed(self) -> None:
        """Preferences chose another model: the open article is analysed again with it."""
        if self.session.document is not None:
            self.show(self.session.document, self.session.document_id)

    def shutdown(self) -> None:
        self.loader.shutdown()
