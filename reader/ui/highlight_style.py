"""How each kind of entity looks: a tint plus an underline style of its own.

The tints come from the Okabe-Ito palette (safe for the common colour-vision deficiencies);
the underline styles differ per kind so that kinds stay apart in greyscale and print.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat

from reader.entities.appearance import UNDERLINE_COLOURS
from reader.entities.kinds import Kind
from reader.printing.styles import UNDERLINE_STYLES

# The pen Qt draws each underline style with: the reading view paints the highlights itself.
UNDERLINE_PEN_STYLES: dict[Kind, Qt.PenStyle] = {
    kind: {
        QTextCharFormat.UnderlineStyle.SingleUnderline: Qt.PenStyle.SolidLine,
        QTextCharFormat.UnderlineStyle.DashUnderline: Qt.PenStyle.DashLine,
        QTextCharFormat.UnderlineStyle.DotLine: Qt.PenStyle.DotLine,
        QTextCharFormat.UnderlineStyle.DashDotLine: Qt.PenStyle.DashDotLine,
        QTextCharFormat.UnderlineStyle.DashDotDotLine: Qt.PenStyle.DashDotDotLine,
    }.get(style, Qt.PenStyle.SolidLine)
    for kind, style in UNDERLINE_STYLES.items()
}

SELECTED_MENTION_COLOUR = "#ffd84d"
FIND_MATCH_COLOUR = "#b8f0b0"


def highlight_format(kind: Kind, colour: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(colour))
    fmt.setUnderlineStyle(UNDERLINE_STYLES[kind])
    fmt.setUnderlineColor(QColor(UNDERLINE_COLOURS[kind]))
    return fmt
