"""Footnotes and endnotes: each note as the small document printed under its page or at the end.

A footnote is its own ``QTextDocument`` because the paginator must know its height before
deciding what fits on a page; a note so long that it would crowd out the text (more than
``MAX_FOOTNOTE_SHARE`` of the page) is cut short at the foot of the page and printed in full
with the endnotes, as printed books do with long notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import (
    QColor,
    QFont,
    QPaintDevice,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from reader.notes.model import Note
from reader.printing import styles
from reader.printing.content import KEEP_WITH_NEXT, NumberedNote, new_document
from reader.printing.options import PrintOptions

MAX_FOOTNOTE_SHARE = 0.4
SHORT_NOTE_CHARS = 300
QUOTE_CHARS = 90


def note_font(options: PrintOptions, scale: float = styles.NOTE_SCALE) -> QFont:
    font = styles.body_font(options)
    font.setPointSizeF(font.pointSizeF() * scale)
    return font


def section_document(
    options: PrintOptions, device: QPaintDevice, width: float, heading: str, gap_em: float
) -> tuple[QTextDocument, QTextCursor, QFont]:
    """A new document for an end section (notes, index), opened with its bold heading."""
    font = note_font(options, 0.9)
    qdoc = new_document(device, width, font)
    cursor = QTextCursor(qdoc)
    title = QTextBlockFormat()
    title.setBottomMargin(font.pointSizeF() * styles.PX * gap_em)
    title.setProperty(KEEP_WITH_NEXT, True)
    cursor.setBlockFormat(title)
    heading_format = QTextCharFormat()
    heading_format.setFontWeight(QFont.Weight.Bold)
    heading_format.setFontPointSize(font.pointSizeF() * 1.5)
    cursor.insertText(heading, heading_format)
    return qdoc, cursor, font


def _number_format(options: PrintOptions) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setForeground(styles.note_colour(options))
    return fmt


def _tags_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(styles.META_GREY))
    fmt.setFontItalic(True)
    return fmt


def _body_text(note: Note) -> str:
    return "\u2028".join(line.rstrip() for line in note.body.strip().splitlines())


def footnote_document(
    numbered: NumberedNote,
    options: PrintOptions,
    device: QPaintDevice,
    width: float,
    text: str | None = None,
) -> QTextDocument:
    """ "1  The note's text.  Tags: …" with a hanging number."""
    font = note_font(options)
    qdoc = new_document(device, width, font)
    em = font.pointSizeF() * styles.PX
    em_x = font.pointSizeF() * styles.POINT
    fmt = QTextBlockFormat()
    fmt.setLineHeight(122, 1)
    fmt.setLeftMargin(em_x * 1.6)
    fmt.setTextIndent(-em_x * 1.6)
    fmt.setBottomMargin(em * 0.25)
    cursor = QTextCursor(qdoc)
    cursor.setBlockFormat(fmt)
    cursor.insertText(f"{numbered.number}\t", _number_format(options))
    cursor.insertText(text if text is not None else _body_text(numbered.note), QTextCharFormat())
    if numbered.note.tags:
        cursor.insertText("  Tags: " + "; ".join(numbered.note.tags), _tags_format())
    option = qdoc.defaultTextOption()
    option.setTabStopDistance(em * 1.6)
    qdoc.setDefaultTextOption(option)
    qdoc.size()
    return qdoc


def footnotes(
    numbered: Sequence[NumberedNote],
    options: PrintOptions,
    device: QPaintDevice,
    width: float,
    page_height: float,
) -> tuple[dict[int, QTextDocument], list[NumberedNote]]:
    """Each note's footnote, and the notes too long for one that go to the end in full."""
    documents: dict[int, QTextDocument] = {}
    continued: list[NumberedNote] = []
    for item in numbered:
        qdoc = footnote_document(item, options, device, width)
        if qdoc.size().height() > page_height * MAX_FOOTNOTE_SHARE:
            body = " ".join(item.note.body.split())[:SHORT_NOTE_CHARS].rstrip()
            text = f"{body}… (continued in the notes at the end)"
            qdoc = footnote_document(item, options, device, width, text)
            continued.append(item)
        documents[item.number] = qdoc
    return documents, continued


def endnotes_document(
    numbered: Sequence[NumberedNote],
    options: PrintOptions,
    device: QPaintDevice,
    width: float,
    page_of: Callable[[int], int | None],
    heading: str = "Notes",
) -> QTextDocument:
    """The notes at the end: number, page of the marker, the quoted passage, the note."""
    qdoc, cursor, font = section_document(options, device, width, heading, gap_em=0.8)
    em = font.pointSizeF() * styles.PX
    em_x = font.pointSizeF() * styles.POINT
    quote_format = QTextCharFormat()
    quote_format.setFontItalic(True)
    page_format = QTextCharFormat()
    page_format.setForeground(QColor(styles.META_GREY))
    for item in numbered:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(125, 1)
        fmt.setLeftMargin(em_x * 2)
        fmt.setTextIndent(-em_x * 2)
        fmt.setBottomMargin(em * 0.55)
        cursor.insertBlock(fmt, QTextCharFormat())
        cursor.insertText(f"{item.number}\t", _number_format(options))
        page = page_of(item.number)
        if page is not None:
            cursor.insertText(f"page {page}: ", page_format)
        quote = " ".join(item.note.quote.split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
        cursor.insertText(f"“{quote}”\u2028", quote_format)
        cursor.insertText(_body_text(item.note), QTextCharFormat())
        if item.note.tags:
            cursor.insertText("  Tags: " + "; ".join(item.note.tags), _tags_format())
    option = qdoc.defaultTextOption()
    option.setTabStopDistance(em * 2)
    qdoc.setDefaultTextOption(option)
    qdoc.size()
    return qdoc
