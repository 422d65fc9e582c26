"""How noted passages look in the reading view: a green bar under the text and a margin tab.

Painted over the text rather than set as character formats: entity highlights already own
the background and the underline of every name, and a note often covers names. Green
(Okabe-Ito bluish green) is a hue no entity kind uses, and the bar sits below the entity
underlines so both stay visible.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLine

from reader.documents.offsets import PositionMap
from reader.entities.appearance import NOTE_COLOUR
from reader.printing.decorations import cursor_x

NOTE_TINT = "#e3f4ee"
BAR_WIDTH = 2.0
TAB_WIDTH = 5.0

Span = tuple[int, int]


class NoteMarks:
    """The noted spans of the open document and their painting; offsets are canonical."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int, int]] = []  # (start, end, note id), by start
        self._starts: list[int] = []
        self.current: int | None = None  # the note selected in the notes panel
        self.previews: dict[int, str] = {}  # note id -> the start of its text, for tooltips

    def set_spans(
        self, spans: list[tuple[int, int, int]], previews: dict[int, str] | None = None
    ) -> None:
        self._spans = sorted(spans)
        self.previews = previews or {}
        self._starts = [start for start, _, _ in self._spans]

    def clear(self) -> None:
        self.set_spans([])
        self.current = None

    @property
    def spans(self) -> list[tuple[int, int, int]]:
        return list(self._spans)

    def notes_at(self, offset: int) -> list[int]:
        """Ids of the notes whose passage contains ``offset``."""
        found = []
        for start, end, note_id in self._spans[: bisect_right(self._starts, offset)]:
            if start <= offset < end:
                found.append(note_id)
        return found

    def paint(self, painter: QPainter, view, position_map: PositionMap, built_until: int) -> None:
        """Marks for the spans between the view's top and bottom edges (and already built)."""
        if not self._spans:
            return
        viewport = view.viewport()
        top = view.offset_at(QPoint(0, 0)) or 0
        bottom = view.offset_at(QPoint(viewport.width() - 1, viewport.height() - 1))
        bottom = bottom if bottom is not None else self._spans[-1][1]
        dx = -view.horizontalScrollBar().value()
        dy = -view.verticalScrollBar().value()
        document = view.document()
        margin = document.documentMargin()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for start, end, note_id in self._spans:
            if end < top or start > bottom or end > built_until:
                continue
            rects = line_rects(document, position_map.to_qt(start), position_map.to_qt(end))
            if not rects:
                continue
            colour = QColor(NOTE_COLOUR)
            if note_id == self.current:
                # Multiply: the tint darkens the paper, the dark letters stay as they are.
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
                for rect in rects:
                    painter.fillRect(rect.translated(dx, dy), QColor(NOTE_TINT))
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            pen = QPen(colour, BAR_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            for rect in rects:
                y = rect.bottom() + dy + 1.5
                painter.drawLine(QPointF(rect.left() + dx, y), QPointF(rect.right() + dx, y))
            first, last = rects[0], rects[-1]
            tab = QRectF(
                margin / 2 - TAB_WIDTH / 2 + dx,
                first.top() + dy,
                TAB_WIDTH,
                last.bottom() - first.top(),
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(tab, 2, 2)


def line_rects(document, qt_start: int, qt_end: int) -> list[QRectF]:
    """One rectangle per laid-out line the range covers, in document coordinates."""
    rects: list[QRectF] = []
    block = document.findBlock(qt_start)
    layout_engine = document.documentLayout()
    while block.isValid() and block.position() <= qt_end:
        layout = block.layout()
        origin = layout_engine.blockBoundingRect(block).topLeft()
        for index in range(layout.lineCount()):
            line: QTextLine = layout.lineAt(index)
            line_start = block.position() + line.textStart()
            line_end = line_start + line.textLength()
            start, end = max(qt_start, line_start), min(qt_end, line_end)
            if start >= end:
                continue
            x1 = cursor_x(line, start - block.position())
            x2 = cursor_x(line, end - block.position())
            rects.append(QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height()))
        block = block.next()
    return rects
