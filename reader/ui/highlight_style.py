"""How each kind of entity looks: a tint plus an underline style of its own.

The tints come from the Okabe-Ito palette (safe for the common colour-vision deficiencies);
the underline styles differ per kind so that kinds stay apart in greyscale and print.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat

from reader.entities.kinds import Kind

UNDERLINE_STYLES = {
    Kind.PERSON: QTextCharFormat.UnderlineStyle.SingleUnderline,
    Kind.PLACE: QTextCharFormat.UnderlineStyle.DashUnderline,
    Kind.ORGANIZATION: QTextCharFormat.UnderlineStyle.DotLine,
    Kind.OTHER: QTextCharFormat.UnderlineStyle.DashDotLine,
}
UNDERLINE_COLOURS = {
    Kind.PERSON: "#0072b2",
    Kind.PLACE: "#d55e00",
    Kind.ORGANIZATION: "#a4407c",
    Kind.OTHER: "#5f5f5f",
}
UNDERLINE_NAMES = {
    Kind.PERSON: "solid underline",
    Kind.PLACE: "dashed underline",
    Kind.ORGANIZATION: "dotted underline",
    Kind.OTHER: "dash-dot underline",
}
SELECTED_MENTION_COLOUR = "#ffd84d"
FIND_MATCH_COLOUR = "#b8f0b0"


def highlight_format(kind: Kind, colour: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(colour))
    fmt.setUnderlineStyle(UNDERLINE_STYLES[kind])
    fmt.setUnderlineColor(QColor(UNDERLINE_COLOURS[kind]))
    return fmt


def plain_format() -> QTextCharFormat:
    """Undoes a highlight while keeping bold, italics and links of the text itself."""
    fmt = QTextCharFormat()
    fmt.setBackground(QBrush(Qt.GlobalColor.transparent))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
    return fmt
