"""How a printed copy looks: fonts, sizes, and the marks for entities and notes.

Paper is not a screen: the tints are the reading view's (Okabe-Ito, see ``settings``), but
every kind also has its own underline style so that a black-and-white copy still tells a
person from a place; in greyscale the tints go and the underlines turn black or dark grey.
The underline colours repeat ``reader.ui.highlight_style``'s, since printing may not
import the widget layer.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextFormat

from reader.entities.appearance import NOTE_COLOUR, UNDERLINE_COLOURS
from reader.entities.kinds import Kind
from reader.printing.options import PrintOptions

LAYOUT_DPI = 1200
"""Every printed page is laid out in units of 1/1200 inch: the PDF printer's own resolution
(so nothing is scaled when writing a PDF) and fine enough for unhinted glyph positions."""
POINT = LAYOUT_DPI / 72
MM = LAYOUT_DPI / 25.4
PX = 96 / 72
"""Qt scales some lengths of text formats to the layout device as if they were pixels at
96 dpi (top and bottom margins, tab stops) and takes others as device units (left and right
margins, text indents): one em is the point size times ``PX`` for the first kind and times
``POINT`` for the second."""

# Fonts made for long reading, in order of preference (DejaVu Serif is on every Linux).
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
WIDE_FAMILIES = frozenset({"DejaVu Serif", "DejaVu Sans"})  # set a little smaller

LINE_HEIGHT_PERCENT = 138  # leading for a 65-80 character measure
PARAGRAPH_SPACING_EM = 0.45
NOTE_SCALE = 0.8  # footnotes, endnotes, the index and the header block
SMALL_SCALE = 0.72  # running head and footer
HEADING_SCALE = {"title": 1.6, 1: 1.35, 2: 1.18, 3: 1.05}

NOTE_GREY = "#4d4d4d"
RULE_GREY = "#8c8c8c"
META_GREY = "#555555"

UNDERLINE_STYLES = {
    Kind.PERSON: QTextCharFormat.UnderlineStyle.SingleUnderline,
    Kind.PLACE: QTextCharFormat.UnderlineStyle.DashUnderline,
    Kind.ORGANIZATION: QTextCharFormat.UnderlineStyle.DotLine,
    Kind.OTHER: QTextCharFormat.UnderlineStyle.DashDotLine,
}
ENTITY_KIND = QTextFormat.Property.UserProperty + 12
"""Character property: the kind of the entity a run belongs to (``kind_code``), so that the
greyscale underlines can be drawn wherever a name is printed (see ``decorations``)."""


def kind_code(kind: Kind) -> int:
    """The value of ``ENTITY_KIND`` for ``kind``; 0 means "not a name"."""
    return list(Kind).index(kind) + 1


def _first_family(candidates: tuple[str, ...]) -> str:
    families = set(QFontDatabase.families())
    return next((f for f in candidates if f in families), QFont().family())


def body_font(options: PrintOptions) -> QFont:
    family = _first_family(SERIF_FAMILIES)
    font = QFont(family)
    size = options.font_size * (0.95 if family in WIDE_FAMILIES else 1.0)
    font.setPointSizeF(size)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def sans_family() -> str:
    return _first_family(SANS_FAMILIES)


def entity_format(kind: Kind, options: PrintOptions) -> QTextCharFormat:
    """The mark of one kind: a tint and a coloured underline, as on screen.

    In greyscale only the kind is recorded: ``decorations`` draws a thick black underline.
    """
    fmt = QTextCharFormat()
    fmt.setProperty(ENTITY_KIND, kind_code(kind))
    if not options.greyscale:
        fmt.setUnderlineStyle(UNDERLINE_STYLES[kind])
        fmt.setUnderlineColor(QColor(UNDERLINE_COLOURS[kind]))
        fmt.setBackground(QColor(options.tint(kind)))
    return fmt


def note_colour(options: PrintOptions) -> QColor:
    return QColor(NOTE_GREY if options.greyscale else NOTE_COLOUR)


def marker_format(options: PrintOptions) -> QTextCharFormat:
    """A note's number in the text: superscript, bold, in the notes' colour."""
    fmt = QTextCharFormat()
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
    fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setForeground(note_colour(options))
    return fmt


def heading_scale(kind: str, level: int) -> float:
    if kind == "title":
        return HEADING_SCALE["title"]
    return HEADING_SCALE.get(min(max(level, 1), 3), 1.05)
