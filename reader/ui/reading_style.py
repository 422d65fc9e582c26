"""The reading view's measure and sizes; its fonts and heading scale are paper's too.

The families and the heading scale live in ``printing.typography``, shared with the
printed copy; what is particular to a screen is here: the line length, the zoom range,
and the size of the line above the title.
"""

from __future__ import annotations

from PySide6.QtGui import QFont

from reader.printing import typography

MEASURE_EM = 36  # line length in em: about 70 characters, the classic comfortable measure
MIN_FONT_SIZE = 7
MAX_FONT_SIZE = 40
HEADER_SCALE = 0.8


def reading_family(preferred: str = "") -> str:
    return typography.serif_family(preferred)


def reading_font(family: str, size: int) -> QFont:
    font = QFont(reading_family(family))
    font.setPointSizeF(max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size)))
    font.setStyleHint(QFont.StyleHint.Serif)
    return font
