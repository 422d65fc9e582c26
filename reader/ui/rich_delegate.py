"""Rich text in list rows, coloured by the palette so a selected row stays readable.

Search snippets and notes are drawn as rich text (a match in bold, a note's tags). Their
secondary parts are marked with a class, never a fixed colour: a grey chosen for a white
row is nearly invisible on the blue of a selected one. The delegate turns each class into a
colour from the view's palette, and on a selected row into the palette's highlighted text.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.entities.appearance import NOTE_COLOUR

Index = QModelIndex | QPersistentModelIndex

MUTED = "muted"  # secondary text: a snippet under its title, tags
ACCENT = "accent"  # "On the whole article", a name a note is on: the notes' colour
WARNING = "warning"  # a note whose passage is gone
WARNING_COLOUR = "#a33333"
MUTED_SHARE = 0.62  # how much of the text colour a muted part keeps against the background


def span(css_class: str, html: str) -> str:
    """``html`` in a span of ``css_class``, coloured by the delegate that draws it."""
    return f"<span class='{css_class}'>{html}</span>"


def mix(front: QColor, back: QColor, share: float) -> QColor:
    """``share`` of ``front`` over ``back``: a grey that follows light and dark palettes."""
    return QColor(
        round(front.red() * share + back.red() * (1 - share)),
        round(front.green() * share + back.green() * (1 - share)),
        round(front.blue() * share + back.blue() * (1 - share)),
    )


def text_colour(palette: QPalette, selected: bool) -> QColor:
    """The row's own text colour: highlighted text on a selected row."""
    if selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.Text)


def class_colours(palette: QPalette, selected: bool) -> dict[str, QColor]:
    """The colour of each class on a row, selected or not."""
    if selected:
        text = text_colour(palette, True)
        return {MUTED: text, ACCENT: text, WARNING: text}
    text = text_colour(palette, False)
    base = palette.color(QPalette.ColorRole.Base)
    return {
        MUTED: mix(text, base, MUTED_SHARE),
        ACCENT: QColor(NOTE_COLOUR),
        WARNING: QColor(WARNING_COLOUR),
    }


def style_sheet(palette: QPalette, selected: bool) -> str:
    """Each class's colour; a match in bold inside a muted snippet keeps the text colour."""
    rules = [
        f".{name} {{ color: {colour.name()}; }}"
        for name, colour in class_colours(palette, selected).items()
    ]
    rules.append(f".{MUTED} b {{ color: {text_colour(palette, selected).name()}; }}")
    return " ".join(rules)


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item's text as rich text, so a search snippet can show its match in bold."""

    def paint(self, painter, option: QStyleOptionViewItem, index: Index) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        selected = bool(options.state & QStyle.StateFlag.State_Selected)
        document = self._document(options.text, options, selected)
        options.text = ""
        style = options.widget.style() if options.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter)
        painter.save()
        painter.translate(options.rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_colour(options.palette, selected))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        document = self._document(options.text, options, False)
        return QSize(int(document.idealWidth()), int(document.size().height()))

    @staticmethod
    def _document(text: str, options: QStyleOptionViewItem, selected: bool) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(options.font)
        document.setDocumentMargin(4)
        document.setDefaultStyleSheet(style_sheet(options.palette, selected))
        document.setHtml(text)
        width = options.rect.width() if options.rect.width() > 0 else 320
        document.setTextWidth(width)
        return document
