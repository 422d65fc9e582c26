"""Greyscale underlines, drawn by hand because a font's own underline is too thin for paper.

A character format's underline is as thick as the font says (about 0.4 pt): on paper a
dotted line then looks like a dashed one, and a black-and-white copy can no longer tell a
place from an organization. In greyscale the entity formats therefore carry only their kind
(``ENTITY_KIND``), and this module draws a thick solid, dashed, dotted or dash-dot line
under every run that has one, wherever it is printed: text, legend or index.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock, QTextLine

from reader.entities.kinds import Kind
from reader.printing import styles
from reader.printing.pagination import Frame

WIDTH_PT = {Kind.PERSON: 0.9, Kind.PLACE: 0.9, Kind.ORGANIZATION: 1.25, Kind.OTHER: 0.9}
DASHES = {
    Kind.PERSON: None,
    Kind.PLACE: [3.2, 1.8],
    Kind.ORGANIZATION: [0.05, 2.1],  # round dots
    Kind.OTHER: [3.0, 1.6, 0.05, 1.6],
}
COLOURS = {Kind.PERSON: "#000000", Kind.PLACE: "#000000", Kind.ORGANIZATION: "#000000"}
OTHER_COLOUR = "#555555"
BELOW_BASELINE_EM = 0.17
_KINDS = {index: kind for index, kind in enumerate(Kind)}


def cursor_x(line: QTextLine, position: int) -> float:
    """The x of ``position`` in ``line`` (PySide returns it with the cursor position)."""
    found = cast(tuple[float, int], line.cursorToX(position))
    return float(found[0])


def pen_for(kind: Kind) -> QPen:
    pen = QPen(QColor(COLOURS.get(kind, OTHER_COLOUR)))
    pen.setWidthF(WIDTH_PT[kind] * styles.POINT)
    dashes = DASHES[kind]
    if dashes is None:
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    else:
        pen.setCapStyle(Qt.PenCapStyle.RoundCap if kind != Kind.PLACE else Qt.PenCapStyle.FlatCap)
        pen.setDashPattern(dashes)
    return pen


def draw_underlines(painter: QPainter, frame: Frame, origin: QPointF) -> None:
    """Underline the entity runs of the lines in ``frame``; ``origin`` maps it to the page."""
    flow, lines = frame.flow, frame.flow.lines
    index = frame.first_line
    current: tuple[int, int] | None = None
    runs: list[tuple[int, int, Kind]] = []
    block = QTextBlock()
    while index < len(lines) and lines[index].top < frame.bottom:
        line = lines[index]
        index += 1
        key = (line.section, line.block_number)
        if key != current:
            current = key
            block = flow.sections[line.section].findBlockByNumber(line.block_number)
            runs = _entity_runs(block)
        if not runs:
            continue
        layout = block.layout()
        text_line = layout.lineAt(line.number)
        start = text_line.textStart()
        end = start + text_line.textLength()
        y = line.top - frame.top + text_line.ascent()
        y += BELOW_BASELINE_EM * text_line.ascent() / 0.76  # ascent is about 0.76 em
        x0 = layout.position().x()
        for run_start, run_end, kind in runs:
            left, right = max(run_start, start), min(run_end, end)
            if left >= right:
                continue
            x1 = cursor_x(text_line, left) + x0
            x2 = cursor_x(text_line, right) + x0
            painter.setPen(pen_for(kind))
            painter.drawLine(
                QLineF(origin.x() + x1, origin.y() + y, origin.x() + x2, origin.y() + y)
            )


def _entity_runs(block: QTextBlock) -> list[tuple[int, int, Kind]]:
    """``(start, end, kind)`` of the block's entity runs, relative to the block."""
    runs: list[tuple[int, int, Kind]] = []
    base = block.position()
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        code = fragment.charFormat().intProperty(styles.ENTITY_KIND)
        if code:
            start = fragment.position() - base
            end = start + fragment.length()
            kind = _KINDS[code - 1]
            if runs and runs[-1][1] == start and runs[-1][2] == kind:
                runs[-1] = (runs[-1][0], end, kind)
            else:
                runs.append((start, end, kind))
        iterator += 1
    return runs
