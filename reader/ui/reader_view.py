"""The reading view: the article laid out for reading, its highlights and tooltips.

It observes the ``ReadingSession``: a new article is laid out when the session opens one,
highlights follow the session's names, note marks its notes. Where the view stands in the
text, and keeping it there while the text changes, is the ``ScrollKeeper``'s.
"""

from __future__ import annotations

import html
import logging
from bisect import bisect_left

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QPainter,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.documents.model import Document
from reader.documents.offsets import PositionMap
from reader.entities.appearance import NOTE_COLOUR
from reader.entities.spans import Mention
from reader.tasks.session import PREVIEW_CHARS, ReadingSession
from reader.ui import reading_style
from reader.ui.document_builder import PAGE_START_PROPERTY, DocumentBuilder
from reader.ui.highlight_style import FIND_MATCH_COLOUR, SELECTED_MENTION_COLOUR
from reader.ui.highlighter import HighlightPainter
from reader.ui.note_marks import NoteMarks
from reader.ui.view_position import ScrollKeeper, screen_guess

log = logging.getLogger(__name__)

Span = tuple[int, int]
SCROLL_SETTLE_MS = 100  # a scroll that rests this long says where the reader is
MARKS_MARGIN_CHARS = 20_000  # marks are made for the screen and this much text either side
MAX_MARKS = 2_000


class ReaderView(QTextBrowser):
    # canonical offsets of the first and last character on screen, once a scroll settles
    visibleRangeChanged = Signal(int, int)
    zoomRequested = Signal(int)  # Ctrl+wheel: +1 or -1
    libraryLookupRequested = Signal(object)  # Mention: which library articles mention it?
    noteRequested = Signal()  # "Add Note…" on the selection
    entityNoteRequested = Signal(object)  # Mention: a note on the name it refers to
    citationRequested = Signal()  # "Copy as Citation" on the selection
    # The context menu is about to open: menu, the visible Mention under the pointer or None,
    # the selected span or None (the corrections add their items).
    menuAboutToShow = Signal(object, object, object)

    def __init__(self, session: ReadingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#fdfcf9"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#1d1d1b"))
        self.setPalette(palette)
        self.setMouseTracking(True)
        self.builder = DocumentBuilder(self.document(), self)
        self.notes = NoteMarks()
        self.keeper = ScrollKeeper(self)
        self.highlights = HighlightPainter(session, self)
        self.highlights.changed.connect(self.viewport().update)
        self.document_model: Document | None = None
        self.position_map: PositionMap | None = None
        self._font = reading_style.reading_font("", 13)
        self._mention_spans: list[Span] = []
        self._find_spans: list[Span] = []
        self._current: Span | None = None
        self._marked: Span = (0, -1)  # the text the marks were made for
        self._paint_failed = False
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(SCROLL_SETTLE_MS)
        self._scroll_timer.timeout.connect(self._scroll_settled)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        session.documentChanged.connect(self.show_document)
        session.notesChanged.connect(self._notes_changed)

    # -- content -------------------------------------------------------------------------

    def show_document(self, document: Document) -> None:
        self.clear_marks()
        self.notes.clear()
        self.keeper.cancel()
        self.document_model = document
        self.highlights.reset()
        self.position_map = self.builder.start(document, self._font)
        # The caret at the start: a view shown after this (the welcome page gives way to
        # it) scrolls to its caret, which the builder's insertions left at the end.
        self.setTextCursor(QTextCursor(self.document()))
        self.verticalScrollBar().setValue(0)

    def _notes_changed(self) -> None:
        """The session's notes: their passages marked, their texts in the tooltips."""
        notes = self.session.notes
        spans = [
            (n.start, n.end, n.id)
            for n in notes
            if n.kind == "passage"
            and not n.orphaned
            and n.start is not None
            and n.end is not None
            and n.id is not None
        ]
        previews = {n.id: n.body[:PREVIEW_CHARS] for n in notes if n.id is not None}
        self.notes.set_spans(spans, previews)
        self.viewport().update()

    def clear_document(self) -> None:
        self.notes.clear()
        self.builder.stop()
        self.highlights.reset()
        self.document_model = None
        self.position_map = None
        self.clear_marks()
        self.document().clear()

    def set_reading_font(self, font: QFont) -> None:
        """Zoom or another font: every line changes height, the passage on screen stays."""
        self._font = QFont(font)
        with self.keeper.keep():
            self._update_measure()
            self.builder.set_font(font)

    def reading_font(self) -> QFont:
        return QFont(self._font)

    # -- geometry: a comfortable measure, centred ------------------------------------------

    def resizeEvent(self, event) -> None:
        # A narrower window can re-wrap every line: the passage on screen stays.
        with self.keeper.keep():
            super().resizeEvent(event)
            self._update_measure()

    def _update_measure(self) -> None:
        em = self._font.pointSizeF() * self.logicalDpiY() / 72.0
        available = self.width() - self.verticalScrollBar().sizeHint().width()
        # The comfortable measure, or less when panels on both sides leave less room: a
        # line wider than the view would need sideways scrolling on every line.
        margins = 2 * int(self.document().documentMargin()) + 4
        measure = max(min(int(em * reading_style.MEASURE_EM), available - margins), 160)
        if self.lineWrapColumnOrWidth() != measure:
            self.setLineWrapColumnOrWidth(measure)
        side = max((available - measure - 48) // 2, 0)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    # -- positions -------------------------------------------------------------------------

    def cursor_for_span(self, start: int, end: int) -> QTextCursor:
        assert self.position_map is not None
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.position_map.to_qt(start))
        cursor.setPosition(self.position_map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def offset_at(self, point: QPoint) -> int | None:
        """Canonical offset of the character under a viewport point, if any."""
        if self.position_map is None:
            return None
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        position = cursor.position()
        # cursorForPosition gives the nearest caret position; step back when the point lies
        # left of the caret so hovering the last letter of a name still finds the name.
        if point.x() < rect.x() and position > self.position_map.base:
            position -= 1
        if position < self.position_map.base:
            return None
        return self.position_map.from_qt(position)

    def selected_span(self) -> tuple[int, int] | None:
        """The selected passage as canonical offsets, trimmed of surrounding spaces."""
        cursor = self.textCursor()
        document = self.document_model
        if not cursor.hasSelection() or self.position_map is None or document is None:
            return None
        if cursor.selectionStart() < self.position_map.base:
            return None
        start = self.position_map.from_qt(cursor.selectionStart())
        end = self.position_map.from_qt(cursor.selectionEnd())
        text = document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def visible_range(self) -> Span:
        """Canonical offsets of the text on screen (where a waiting jump will show)."""
        jump = self.keeper.pending
        if jump is not None:
            return screen_guess(jump.start)
        if self.position_map is None:
            return (0, 0)
        viewport = self.viewport().rect()
        top = self._offset_of_point(QPoint(0, 0))
        bottom = self._offset_of_point(viewport.bottomRight())
        if bottom < top:
            bottom = min(self.builder.built_until, screen_guess(top)[1])
        return top, bottom

    def _offset_of_point(self, point: QPoint) -> int:
        """The canonical offset of the caret position nearest ``point`` (no hover rules)."""
        assert self.position_map is not None
        return self.position_map.from_qt(self.cursorForPosition(point).position())

    def _scrolled(self, _value: int) -> None:
        if self.keeper.correcting:
            return  # the text changed above; the reader did not move
        self.keeper.cancel()  # the reader scrolled: a jump still waiting is forgotten
        self._scroll_timer.start()
        if self._find_spans or self._mention_spans:
            start, end = self.visible_range()
            if start < self._marked[0] or end > self._marked[1]:
                self._refresh_marks()

    def _scroll_settled(self) -> None:
        self.visibleRangeChanged.emit(*self.visible_range())

    # -- moving: the start and end of the text, a span -------------------------------------

    def go_to_start(self) -> None:
        self.keeper.cancel()
        self.verticalScrollBar().setValue(0)

    def go_to_end(self) -> None:
        if self.document_model is not None:
            end = len(self.document_model.text)
            self.keeper.scroll_to(end, end, "end")

    def scroll_to_offset(self, offset: int) -> None:
        """Show the line holding canonical ``offset`` at the top (a reading position)."""
        if self.document_model is not None:
            offset = min(max(offset, 0), len(self.document_model.text))
            self.keeper.scroll_to(offset, offset, "top")

    def mention_at_point(self, point: QPoint) -> Mention | None:
        offset = self.offset_at(point)
        return self.session.mention_at(offset) if offset is not None else None

    # -- tooltips --------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            offset = self.offset_at(event.pos())
            mention = self.session.mention_at(offset) if offset is not None else None
            if mention is not None and mention.kind not in self.highlights.visible:
                mention = None
            parts = [self.tooltip_for(mention)] if mention is not None else []
            parts += self.note_tooltips(offset) if offset is not None else []
            if not parts:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), "<hr>".join(parts), self.viewport())
            return True
        return super().viewportEvent(event)

    def tooltip_for(self, mention: Mention) -> str:
        entity = self.session.entity_of(mention)
        count = entity.count if entity else 1
        lines = [
            f"<b>{html.escape(mention.canonical)}</b>",
            f"{mention.kind.singular} <span style='color:#666'>"
            f"({html.escape(mention.label)})</span>",
            f"{count} mention{'s' if count != 1 else ''} in this document",
        ]
        others = entity.other_forms if entity else []
        if others:
            lines.append("also: " + html.escape(", ".join(others[:6])))
        noted = self.session.noted_entities()
        for note in noted.get((mention.kind.value, mention.canonical), [])[:3]:
            lines.append(f"<span style='color:{NOTE_COLOUR}'>✎</span> {html.escape(note)}")
        return "<br>".join(lines)

    def note_tooltips(self, offset: int) -> list[str]:
        """The notes on the passage under the pointer, as tooltip paragraphs."""
        tips = []
        for note_id in self.notes.notes_at(offset)[:3]:
            preview = self.notes.previews.get(note_id, "")
            tips.append(
                f"<span style='color:{NOTE_COLOUR}'>✎ <b>Note</b></span><br>"
                + (html.escape(preview) if preview else "<i>(no text yet)</i>")
            )
        return tips

    # -- marks: the selected entity's mentions and find matches ----------------------------

    def mark_mentions(self, spans: list[Span]) -> None:
        self._mention_spans = spans
        self._find_spans = []
        self._current = None
        self._refresh_marks()

    def mark_find_matches(self, spans: list[Span]) -> None:
        self._find_spans = spans
        self._mention_spans = []
        self._current = None
        self._refresh_marks()

    def clear_marks(self) -> None:
        self._mention_spans, self._find_spans, self._current = [], [], None
        self.setExtraSelections([])

    def reveal(self, span: Span) -> None:
        """Scroll to ``span`` and mark it, building the text up to it first if need be."""
        self.builder.build_until(span[1])
        self.mark_find_matches([span])
        self.go_to_span(span)

    def reveal_quietly(self, span: Span) -> None:
        """Scroll ``span`` into view without selecting or marking it (a note's passage)."""
        self.builder.build_until(span[1])
        self.keeper.bring_into_view(*span)

    def go_to_span(self, span: Span) -> None:
        """Mark ``span`` as the current one and centre it, unless it is well in view."""
        self._current = span
        if span[1] <= self.builder.built_until:
            # Selected, as before (Copy, Add Note work on it); Qt's own scrolling to the
            # caret is undone: the keeper decides whether the span needs bringing into view.
            bar = self.verticalScrollBar()
            value = bar.value()
            self.setTextCursor(self.cursor_for_span(*span))
            if bar.value() != value:
                bar.setValue(value)
        self.keeper.bring_into_view(*span)
        self._refresh_marks()

    def _refresh_marks(self) -> None:
        """Marks for the spans on and near the screen: a name with thousands of mentions, or
        a search for one letter, would otherwise cost seconds of ``ExtraSelection``s."""
        if self.position_map is None:
            return
        top, bottom = self.visible_range()
        start = max(top - MARKS_MARGIN_CHARS, 0)
        end = min(bottom + MARKS_MARGIN_CHARS, self.builder.built_until)
        self._marked = (start, end)
        selections = []
        for spans, colour in (
            (self._mention_spans, SELECTED_MENTION_COLOUR),
            (self._find_spans, FIND_MATCH_COLOUR),
        ):
            first = bisect_left(spans, (start, -1))
            for span in spans[first : first + MAX_MARKS]:
                if span[0] > end:
                    break
                if span[1] > self.builder.built_until:
                    continue
                selection = QTextEdit.ExtraSelection()
                selection.cursor = self.cursor_for_span(*span)
                fmt = QTextCharFormat()
                fmt.setBackground(QColor(colour))
                if span == self._current:
                    fmt.setBackground(QColor("#ff9f1c"))
                    fmt.setFontWeight(QFont.Weight.Bold)
                selection.format = fmt
                selections.append(selection)
        self.setExtraSelections(selections)

    # -- context menu: the standard one, plus the name under the pointer -------------------

    def contextMenuEvent(self, event) -> None:
        # Qt delivers it from the viewport, so the position is in viewport coordinates.
        menu = self.createStandardContextMenu(event.pos())
        if self.textCursor().hasSelection() and self.position_map is not None:
            menu.addSeparator()
            menu.addAction("Add Note…", self.noteRequested.emit).setShortcut("Ctrl+M")
            menu.addAction("Copy as Citation", self.citationRequested.emit).setShortcut(
                "Ctrl+Shift+C"
            )
        mention = self.mention_at_point(event.pos())
        if mention is not None and mention.kind not in self.highlights.visible:
            mention = None
        if mention is not None:
            menu.addSeparator()
            action = menu.addAction(f"Find “{mention.canonical}” in the Library")
            action.triggered.connect(lambda: self.libraryLookupRequested.emit(mention))
            note = menu.addAction(f"Add Note on “{mention.canonical}”…")
            note.triggered.connect(lambda: self.entityNoteRequested.emit(mention))
        self.menuAboutToShow.emit(menu, mention, self.selected_span())
        menu.popup(event.globalPos())
        menu.aboutToHide.connect(menu.deleteLater)

    # -- page markers: where each page of a PDF begins -------------------------------------

    def paintEvent(self, event) -> None:
        clip = QRectF(event.rect())
        # The names' tints under the text, their underlines over it (as Qt draws them).
        self._paint_highlights(clip, underlines=False)
        super().paintEvent(event)
        self._paint_highlights(clip, underlines=True)
        if self.document_model is not None and self.document_model.metadata.page_count:
            self._paint_page_markers()
        if self.position_map is not None and self.notes.spans:
            painter = QPainter(self.viewport())
            self.notes.paint(painter, self, self.position_map, self.builder.built_until)
            painter.end()

    def _paint_highlights(self, clip: QRectF, underlines: bool) -> None:
        if self.position_map is None:
            return
        painter = QPainter(self.viewport())
        try:
            self.highlights.paint(painter, self, clip, underlines)
        except Exception:
            # An exception escaping a paint event takes PySide 6.11 down with it (a crash in
            # its error reporting): the text without highlights is better than no window.
            if not self._paint_failed:
                log.exception("Painting the highlights failed")
            self._paint_failed = True
        finally:
            painter.end()

    def _paint_page_markers(self) -> None:
        """A hairline and "page N" in the gap above each page's first block.

        Painted, not inserted as text: a marker in the text would shift every offset that
        highlights, notes and search rely on.
        """
        viewport = self.viewport()
        layout = self.document().documentLayout()
        dx = -self.horizontalScrollBar().value()
        dy = -self.verticalScrollBar().value()
        block = self.cursorForPosition(QPoint(0, 0)).block()
        painter: QPainter | None = None
        label_font = QFont(self.font())
        label_font.setPointSizeF(max(self._font.pointSizeF() * 0.62, 7.0))
        while block.isValid():
            rect = layout.blockBoundingRect(block).translated(dx, dy)
            if rect.top() > viewport.height():
                break
            page = block.blockFormat().property(PAGE_START_PROPERTY)
            if page is not None and block.previous().isValid():
                if painter is None:
                    painter = QPainter(viewport)
                    painter.setFont(label_font)
                # Midway between the previous block's last line and this block's first: the
                # bounding rectangles leave the margins out.
                above = layout.blockBoundingRect(block.previous()).translated(dx, dy)
                middle = (above.bottom() + rect.top()) / 2
                self._paint_page_marker(painter, rect, middle, int(page))
            block = block.next()
        if painter is not None:
            painter.end()

    def _paint_page_marker(self, painter: QPainter, rect, middle: float, page: int) -> None:
        y = round(middle)
        label = f"page {page}"
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(label) + 12
        left, right = round(rect.left()), round(rect.right())
        pen = QPen(QColor("#c9c4b8"))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(left, y, right - width, y)
        painter.setPen(QColor("#8c877c"))
        painter.drawText(
            right - width + 8,
            y - metrics.height() // 2,
            width,
            metrics.height(),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            label,
        )

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoomRequested.emit(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)
