"""Typography of the reading view: fonts, sizes and spacing in one place."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

# Fonts made for long reading, in order of preference; DejaVu Serif is everywhere on Linux.
SERIF_FAMILIES = (
    "Charter",
    "Georgia",
    "Source Serif 4",
    "Noto Serif",
    "Liberation Serif",
    "DejaVu Serif",
    "Times New Roman",
)
MEASURE_EM = 36  # line length in em: about 70 characters, the classic comfortable measure
MIN_FONT_SIZE = 7
MAX_FONT_SIZE = 40
LINE_HEIGHT_PERCENT = 145
PARAGRAPH_SPACING_EM = 0.7
HEADING_SCALE = {"title": 1.75, 1: 1.45, 2: 1.25, 3: 1.1}
HEADER_SCALE = 0.8


def reading_family(preferred: str = "") -> str:
    families = set(QFontDatabase.families())
    if preferred and preferred in families:
        return preferred
    for family in SERIF_FAMILIES:
        if family in families:
            return family
    return QFont().family()


def reading_font(family: str, size: int) -> QFont:
    font = QFont(reading_family(family))
    font.setPointSizeF(max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size)))
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def heading_scale(kind: str, level: int) -> float:
    if kind == "title":
        return HEADING_SCALE["title"]
    return HEADING_SCALE.get(min(max(level, 1), 3), 1.1)
