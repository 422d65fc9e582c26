"""The reading view's entity highlights: a tint and an underline per kind, painted.

They are painted under the text of the lines on screen, from the session's names, rather
than set as character formats in the view's ``QTextDocument``. Formats cost layout: Qt lays
out again every paragraph between the first and last character a change touches and then
moves every line after them, which on War and Peace measured 16 ms for one name near the
start of the book (50 ms on a busy machine), 0.4 s for sixteen names scattered over it, and
over a second of frozen window for the final reconciliation. And a marked name is shaped
apart from its neighbours, so its line could re-wrap and slide the passage on screen.
Painting touches no layout: names show as soon as the session has them, the legend
toggles at once, and a book's final set is one repaint of one screen.

Paper is not painted here: printing builds its own document with character formats
(``printing.blocks``), so highlights still print. ``format_at`` says what is painted at an
offset, as the character format the highlight stands for.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QObject, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextLine,
)

from reader.entities.appearance import UNDERLINE_COLOURS
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.printing.decorations import cursor_x
from reader.tasks.session import ReadingSession
from reader.ui.highlight_style import UNDERLINE_PEN_STYLES, highlight_format

if TYPE_CHECKING:
    from reader.ui.reader_view import ReaderView

SpanKey = tuple[int, int]


class HighlightPainter(QObject):
    changed = Signal()  # what is painted on screen may have changed: repaint

    def __init__(self, session: ReadingSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.visible: set[Kind] = set()
        self.colours: dict[Kind, str] = {}
        self._screen: tuple[int, int] = (0, -1)  # canonical range of the last paint
        session.mentionsChanged.connect(self._mentions_changed)

    def reset(self) -> None:
        """Another article: every change counts as on screen until the first paint."""
        self._screen = (0, sys.maxsize)

    def set_style(self, colours: dict[Kind, str], visible: set[Kind]) -> None:
        self.colours = dict(colours)
        self.visible = set(visible)
        self.changed.emit()

    def format_at(self, offset: int) -> QTextCharFormat:
        """The highlight painted at canonical ``offset``, as a character format (empty when
        nothing is painted there): what the reader sees, for tests and the curious."""
        mention = self.session.mention_at(offset)
        if mention is None or mention.kind not in self.visible:
            return QTextCharFormat()
        return highlight_format(mention.kind, self.colour(mention.kind))

    def colour(self, kind: Kind) -> str:
        return self.colours.get(kind, "#dddddd")

    def _mentions_changed(self, keys: list[SpanKey], scattered: bool) -> None:
        start, end = self._screen
        if scattered or any(start <= key[0] <= end for key in keys):
            self.changed.emit()

    # -- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, view: ReaderView, clip: QRectF, underlines: bool) -> None:
        """The tints (``underlines`` False, before the text is drawn) or the underlines
        (after it) of the visible names in the lines that meet ``clip`` (viewport pixels)."""
        position_map = view.position_map
        if position_map is None or not self.visible:
            return
        document = view.document()
        layout_engine = document.documentLayout()
        dx = -view.horizontalScrollBar().value()
        dy = -view.verticalScrollBar().value()
        built = view.builder.built_until
        block = view.cursorForPosition(QPoint(0, int(clip.top()))).block()
        if block.previous().isValid():
            block = block.previous()  # a gap between paragraphs finds the one below it
        first_offset: int | None = None
        last_offset = 0
        metrics = QFontMetricsF(view.reading_font())
        while block.isValid():
            box = layout_engine.blockBoundingRect(block).translated(dx, dy)
            if box.top() > clip.bottom():
                break
            position = block.position()
            if box.bottom() < clip.top() or position < position_map.base:
                block = block.next()
                continue
            start = position_map.from_qt(position)
            end = position_map.from_qt(position + block.length() - 1)
            if first_offset is None:
                first_offset = start
            last_offset = end
            if start >= built:
                break
            for mention in self.session.mentions_between(start, end):
                if mention.kind not in self.visible or mention.end > built:
                    continue
                local_start = position_map.to_qt(mention.start) - position
                local_end = position_map.to_qt(mention.end) - position
                for line, x1, x2 in _line_pieces(block, local_start, local_end):
                    left = box.left() + x1
                    top = box.top() + line.y()
                    if underlines:
                        self._underline(painter, mention, line, left, top, x2 - x1, metrics)
                    else:
                        rect = QRectF(left, top, x2 - x1, line.height())
                        painter.fillRect(rect, QColor(self.colour(mention.kind)))
            block = block.next()
        if first_offset is not None:
            self._screen = (first_offset, last_offset)

    def _underline(
        self,
        painter: QPainter,
        mention: Mention,
        line: QTextLine,
        left: float,
        top: float,
        width: float,
        metrics: QFontMetricsF,
    ) -> None:
        """Where and how Qt draws a format's underline: below the baseline by the font's
        underline position, as thick as its line width, in the kind's pen style."""
        scale = line.ascent() / metrics.ascent() if metrics.ascent() else 1.0
        thickness = max(metrics.lineWidth() * scale, 1.0)
        y = top + line.ascent() + metrics.underlinePos() * scale + thickness / 2
        pen = QPen(QColor(UNDERLINE_COLOURS[mention.kind]))
        pen.setWidthF(thickness)
        pen.setStyle(UNDERLINE_PEN_STYLES[mention.kind])
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QLineF(left, y, left + width, y))


def _line_pieces(block: QTextBlock, start: int, end: int) -> list[tuple[QTextLine, float, float]]:
    """The lines ``start``..``end`` (block positions) covers, with its x extent on each; a
    name broken over two lines leaves out the space where the line breaks."""
    layout = block.layout()
    if end <= start or layout.lineCount() == 0:
        return []
    first = layout.lineForTextPosition(start)
    last = layout.lineForTextPosition(end - 1)
    if not first.isValid() or not last.isValid():
        return []
    # The block's text, not the layout's: a document's layouts keep none (their text() is
    # empty), and the space at a line break would be tinted. Fetched only for a broken name.
    text = block.text() if first.lineNumber() != last.lineNumber() else ""
    pieces = []
    for number in range(first.lineNumber(), last.lineNumber() + 1):
        line = layout.lineAt(number)
        line_start = line.textStart()
        line_end = line_start + line.textLength()
        left, right = max(start, line_start), min(end, line_end)
        while right > left and right == line_end and _space(text, right - 1):
            right -= 1
            line_end -= 1
        if left < right:
            pieces.append((line, cursor_x(line, left), cursor_x(line, right)))
    return pieces


def _space(text: str, index: int) -> bool:
    # Qt counts UTF-16 units: past an emoji the index may run off the Python string.
    return index < len(text) and text[index].isspace()
