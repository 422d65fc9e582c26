"""How each kind of entity looks: a tint plus an underline style of its own.

The tints come from the Okabe-Ito palette (safe for the common colour-vision deficiencies);
the underline styles differ per kind so that kinds stay apart in greyscale and print.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat

from reader.entities.appearance import UNDERLINE_COLOURS
from reader.entities.kinds import Kind
from reader.printing.styles import UNDERLINE_STYLES

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
