"""Where each article was left, kept across restarts: reopening it shows the same passage.

The position is the canonical offset of the first character on screen, kept in the settings
file under the hash of the article's text (so a moved or renamed file keeps it, and an
edited one starts at the top). Settings are written atomically and hold no user data:
nothing a researcher wrote is ever at risk for it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from reader.documents.model import Document
from reader.settings import Settings
from reader.tasks.session import ReadingSession
from reader.ui.reader_view import ReaderView


class ReadingPositions(QObject):
    def __init__(
        self,
        session: ReadingSession,
        view: ReaderView,
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.settings = settings
        # Before another article replaces this one (the session asks to save what is
        # typed), and whenever the reader's scrolling comes to rest.
        session.flushRequested.connect(self.remember)
        session.documentChanged.connect(self._document_changed)
        view.visibleRangeChanged.connect(lambda start, _end: self._remember_at(start))

    def remember(self) -> None:
        """Note where the open article is being read (on quit, before another opens)."""
        if self.session.document is not None and self.view.keeper.pending is None:
            self._remember_at(self.view.visible_range()[0])

    def _remember_at(self, offset: int) -> None:
        # The session's hash: computed once per article (a book's takes ten milliseconds).
        if self.session.document is not None:
            self.settings.remember_position(self.session.text_hash, offset)

    def _document_changed(self, document: Document) -> None:
        offset = self.settings.reading_position(self.session.text_hash)
        if 0 < offset < len(document.text):
            self.view.scroll_to_offset(offset)
