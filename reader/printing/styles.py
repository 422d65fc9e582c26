"""How a printed copy looks: fonts, sizes, and the marks for entities and notes.

Paper is not a screen: the tints are the reading view's (Okabe-Ito, see ``settings``), but
every kind also has its own underline style so that a black-and-white copy still tells a
person from a place; in greyscale the tints go and the underlines turn black or dark grey.
The underline colours repeat ``reader.ui.highlight_style``'s, since printing may not
import the widget layer.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextFormat

from reader.entities.appearance import NOTE_COLOUR, UNDERLINE_COLOURS
from reader.entities.kinds import Kind
from reader.printing import typography
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

NOTE_SCALE = 0.8  # footnotes, endnotes, the index and the header block
SMALL_SCALE = 0.72  # running head and footer

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


def body_font(options: PrintOptions) -> QFont:
    """The reading view's serif (``typography``), a little smaller if it runs wide."""
    family = typography.serif_family()
    font = QFont(family)
    size = options.font_size * (0.95 if family in typography.WIDE_FAMILIES else 1.0)
    font.setPointSizeF(size)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def sans_family() -> str:
    return typography.sans_family()


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
