"""Turning a ``Document`` into the reading view's ``QTextDocument``, a slice at a time.

A book has ten thousand paragraphs: inserting them in one go blocks the GUI for most of a
second, so the first screenful goes in at once and the rest in small slices from a zero
timer. ``built_until`` says how far the canonical text has been inserted; highlights wait
for their paragraph to exist.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextListFormat,
)

from reader.documents.model import Block, Document
from reader.documents.offsets import PositionMap, utf16_length
from reader.ui import reading_style

# Block properties the reading view reads back: the page a block starts on, and on the
# first block of each new page of a PDF, that page's number (the view paints a marker).
PAGE_PROPERTY = QTextFormat.Property.UserProperty + 1
PAGE_START_PROPERTY = QTextFormat.Property.UserProperty + 2
PAGE_GAP_EM = 2.2  # room above a new page's first block for the marker

FIRST_SLICE_CHARS = 15_000  # a few screens: the first screen shows at once
SLICE_CHARS = 20_000  # about 10 ms of insertion and layout on these machines


def header_text(document: Document) -> str:
    """The line above the title: where the article comes from, who wrote it, when."""
    meta = document.metadata
    parts = [meta.site_name, meta.source_url or Path(meta.path).name]
    if meta.author and meta.author not in document.text[:1000]:  # no repeat of a byline
        parts.append(f"By {meta.author}")
    parts.append(meta.date)
    if meta.page_count:
        parts.append(f"{meta.page_count} page{'s' if meta.page_count != 1 else ''}")
    return "  ·  ".join(p for p in parts if p)


class DocumentBuilder(QObject):
    progressed = Signal(int)  # canonical offset up to which the text is in the QTextDocument
    finished = Signal()

    def __init__(self, qdoc: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qdoc = qdoc
        self.document: Document | None = None
        self.map: PositionMap | None = None
        self.built_until = 0
        self._next_block = 0
        self._font = QFont()
        self._current_list = None
        self._last_page: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._build_slice)

    @property
    def complete(self) -> bool:
        return self.document is not None and self._next_block >= len(self.document.blocks)

    def start(self, document: Document, font: QFont) -> PositionMap:
        self._timer.stop()
        self.document = document
        self._font = QFont(font)
        self._next_block = 0
        self._current_list = None
        self._last_page = None
        self.built_until = 0
        qdoc = self.qdoc
        qdoc.setUndoRedoEnabled(False)
        qdoc.clear()
        qdoc.setDefaultFont(font)
        qdoc.setDocumentMargin(24)
        header = header_text(document)
        cursor = QTextCursor(qdoc)
        cursor.setBlockFormat(self._header_block_format())
        cursor.insertText(header, self._header_char_format())
        self.map = PositionMap(document, base=utf16_length(header) + 1)
        self._build_slice(FIRST_SLICE_CHARS)
        return self.map

    def stop(self) -> None:
        self._timer.stop()

    def build_until(self, offset: int) -> None:
        """Insert the text up to ``offset`` now: a jump to a search match cannot wait."""
        while self.document is not None and not self.complete and self.built_until <= offset:
            self._build_slice()

    def set_font(self, font: QFont) -> None:
        """Zoom or a new reading font: the default font plus every scaled heading."""
        self._font = QFont(font)
        self.qdoc.setDefaultFont(font)
        if self.document is None:
            return
        cursor = QTextCursor(self.qdoc)
        cursor.beginEditBlock()
        header = self.qdoc.findBlockByNumber(0)
        self._format_whole_block(cursor, header.blockNumber(), self._header_char_format())
        for index, block in enumerate(self.document.blocks[: self._next_block]):
            if block.kind in ("title", "heading"):
                self._format_whole_block(cursor, index + 1, self._heading_char_format(block))
        cursor.endEditBlock()

    def _format_whole_block(self, cursor: QTextCursor, number: int, fmt: QTextCharFormat) -> None:
        block = self.qdoc.findBlockByNumber(number)
        cursor.setPosition(block.position())
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def _build_slice(self, budget: int = SLICE_CHARS) -> None:
        document = self.document
        if document is None:
            return
        cursor = QTextCursor(self.qdoc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        inserted = 0
        blocks = document.blocks
        while self._next_block < len(blocks) and inserted < budget:
            block = blocks[self._next_block]
            self._insert_block(cursor, document, block)
            inserted += block.end - block.start
            self._next_block += 1
        cursor.endEditBlock()
        if self._next_block < len(blocks):
            self.built_until = blocks[self._next_block].start
            self.progressed.emit(self.built_until)
            self._timer.start()
        else:
            self.built_until = len(document.text)
            self.progressed.emit(self.built_until)
            self.finished.emit()

    def _insert_block(self, cursor: QTextCursor, document: Document, block: Block) -> None:
        cursor.insertBlock(self._block_format(block), QTextCharFormat())
        base = self._heading_char_format(block) if block.kind in ("title", "heading") else None
        position = block.start
        for style in block.styles:
            if style.start > position:
                cursor.insertText(document.text[position : style.start], base or QTextCharFormat())
            cursor.insertText(
                document.text[style.start : style.end], self._inline_format(style, base)
            )
            position = max(position, style.end)
        if position < block.end:
            cursor.insertText(document.text[position : block.end], base or QTextCharFormat())
        if block.kind == "list_item":
            if (
                self._current_list is not None
                and self._current_list.format().indent() == block.level + 1
            ):
                self._current_list.add(cursor.block())
            else:
                list_format = QTextListFormat()
                list_format.setIndent(block.level + 1)
                list_format.setStyle(QTextListFormat.Style.ListDisc)
                self._current_list = cursor.createList(list_format)
        else:
            self._current_list = None

    def _block_format(self, block: Block) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        em = self._font.pointSizeF() * 1.33
        fmt.setLineHeight(reading_style.LINE_HEIGHT_PERCENT, 1)  # 1 = ProportionalHeight
        fmt.setBottomMargin(em * reading_style.PARAGRAPH_SPACING_EM)
        if block.kind == "title":
            fmt.setBottomMargin(em * 0.9)
            fmt.setLineHeight(115, 1)
        elif block.kind == "heading":
            fmt.setTopMargin(em * 1.2)
            fmt.setBottomMargin(em * 0.4)
            fmt.setLineHeight(115, 1)
            fmt.setProperty(QTextFormat.Property.BlockNonBreakableLines, True)
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
        elif block.kind == "quote":
            fmt.setLeftMargin(em * 1.5)
            fmt.setRightMargin(em * 1.5)
        if block.page is not None:
            fmt.setProperty(PAGE_PROPERTY, block.page)
            if self._last_page is not None and block.page > self._last_page:
                fmt.setTopMargin(max(fmt.topMargin(), em * PAGE_GAP_EM))
                fmt.setProperty(PAGE_START_PROPERTY, block.page)
            self._last_page = block.page
        return fmt

    def _heading_char_format(self, block: Block) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        scale = reading_style.heading_scale(block.kind, block.level)
        fmt.setFontPointSize(self._font.pointSizeF() * scale)
        return fmt

    def _inline_format(self, style, base: QTextCharFormat | None) -> QTextCharFormat:
        fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
        if style.style == "bold":
            fmt.setFontWeight(QFont.Weight.Bold)
        elif style.style == "italic":
            fmt.setFontItalic(True)
        elif style.style == "code":
            fmt.setFontFamilies(["DejaVu Sans Mono", "monospace"])
        elif style.style == "link":
            fmt.setForeground(QColor("#1f5fa8"))
            fmt.setAnchor(True)
            fmt.setAnchorHref(style.target)
            fmt.setToolTip(style.target)
        return fmt

    def _header_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._font.pointSizeF())
        return fmt

    def _header_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(["DejaVu Sans", "Sans Serif"])
        fmt.setFontPointSize(self._font.pointSizeF() * reading_style.HEADER_SCALE)
        fmt.setForeground(QColor("#6b6b6b"))
        return fmt
