"""Type for every page the reader makes: one font table, one heading scale, two measures.

The reading view and the printed copy set the same text in the same families and scale
their headings alike; only the spacing differs with the medium (a screen wants more air
between paragraphs than paper, where every line costs a page sooner or later).
"""

from __future__ import annotations

from dataclasses import dataclass

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
SANS_FAMILIES = ("Source Sans 3", "Noto Sans", "Liberation Sans", "DejaVu Sans", "Arial")
MONO_FAMILIES = ("DejaVu Sans Mono", "Liberation Mono", "monospace")
WIDE_FAMILIES = frozenset({"DejaVu Serif", "DejaVu Sans"})  # set a little smaller on paper

HEADING_SCALE = {"title": 1.6, 1: 1.35, 2: 1.18, 3: 1.05}
LINK_COLOUR = "#1f5fa8"


def heading_scale(kind: str, level: int) -> float:
    """How much bigger than the body a title or a heading of ``level`` is set."""
    if kind == "title":
        return HEADING_SCALE["title"]
    return HEADING_SCALE.get(min(max(level, 1), 3), HEADING_SCALE[3])


def first_family(candidates: tuple[str, ...], preferred: str = "") -> str:
    """``preferred`` if installed, else the first installed of ``candidates``."""
    families = set(QFontDatabase.families())
    if preferred and preferred in families:
        return preferred
    return next((f for f in candidates if f in families), QFont().family())


def serif_family(preferred: str = "") -> str:
    return first_family(SERIF_FAMILIES, preferred)


def sans_family() -> str:
    return first_family(SANS_FAMILIES)


@dataclass(frozen=True, slots=True)
class Spacing:
    """Leading and the space around blocks, in percent of a line and in ems."""

    line_height: int  # percent of the font's line, for body text
    paragraph: float  # below a paragraph
    heading_line_height: int
    title_top: float
    title_bottom: float
    heading_top: float
    heading_bottom: float
    quote_indent: float  # a quotation's left and right margins


SCREEN = Spacing(145, 0.7, 115, 0.0, 0.9, 1.2, 0.4, 1.5)
PAPER = Spacing(138, 0.45, 118, 0.2, 0.35, 0.9, 0.35, 1.5)  # a 65-80 character measure
