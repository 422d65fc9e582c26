"""Turning a ``Document`` into the reading view's ``QTextDocument``, a slice at a time.

A book has ten thousand paragraphs: inserting them in one go blocks the GUI for most of a
second, so the first screenful goes in at once and the rest in small slices from a zero
timer. ``built_until`` says how far the canonical text has been inserted; highlights wait
for their paragraph to exist. A jump further into the text (the reading position kept
from last time, Ctrl+End) makes the builder hurry: several slices per timer tick, within
``HURRY_SECONDS``, until it gets there. The blocks themselves are written by
``printing.blocks.BlockWriter``, the same writer the printed copy uses, with the screen's
spacing, links shown as links and PDF page starts marked.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from reader.documents.list_labels import is_numbered
from reader.documents.model import Document
from reader.documents.offsets import PositionMap, utf16_length
from reader.printing import typography
from reader.printing.blocks import PAGE_PROPERTY, PAGE_START_PROPERTY, BlockWriter
from reader.printing.front_matter import readable_date
from reader.ui import reading_style

__all__ = ["PAGE_PROPERTY", "PAGE_START_PROPERTY", "DocumentBuilder", "header_text"]

FIRST_SLICE_CHARS = 15_000  # a few screens: the first screen shows at once
SLICE_CHARS = 20_000  # about 10 ms of insertion and layout on these machines
HURRY_SECONDS = 0.025  # per timer tick while a jump waits for its text: half a frame budget
HEADER_GREY = "#6b6b6b"


def em_of(font: QFont) -> float:
    """One em of ``font`` in the view's pixels (points at 96 dpi)."""
    return font.pointSizeF() * 1.33


def header_text(document: Document) -> str:
    """The line above the title: where the article comes from, who wrote it, when."""
    meta = document.metadata
    parts = [meta.site_name, meta.source_url or Path(meta.path).name]
    if meta.author and meta.author not in document.text[:1000]:  # no repeat of a byline
        parts.append(f"By {meta.author}")
    parts.append(readable_date(meta.date))  # as on paper: "6 January 2020"
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
        self._writer: BlockWriter | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._hurry_to = 0

    @property
    def complete(self) -> bool:
        return self.document is not None and self._next_block >= len(self.document.blocks)

    def start(self, document: Document, font: QFont) -> PositionMap:
        self._timer.stop()
        self.document = document
        self._font = QFont(font)
        self._next_block = 0
        self._hurry_to = 0
        self._writer = BlockWriter(
            document.text,
            font,
            typography.SCREEN,
            em=em_of(font),
            links=True,
            page_marks=True,
        )
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

    def hurry_until(self, offset: int) -> None:
        """Insert the text up to ``offset`` soon, a few slices per tick (a jump waits)."""
        self._hurry_to = max(self._hurry_to, offset)
        if self.document is not None and not self.complete and not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        deadline = time.perf_counter() + HURRY_SECONDS
        self._build_slice()
        while (
            self._hurry_to > self.built_until
            and not self.complete
            and time.perf_counter() < deadline
        ):
            self._build_slice()

    def build_until(self, offset: int) -> None:
        """Insert the text up to ``offset`` now: a jump to a search match cannot wait."""
        while self.document is not None and not self.complete and self.built_until <= offset:
            self._build_slice()

    def set_font(self, font: QFont) -> None:
        """Zoom or a new reading font: the default font plus every scaled heading."""
        self._font = QFont(font)
        self.qdoc.setDefaultFont(font)
        if self.document is None or self._writer is None:
            return
        self._writer.set_font(font, em_of(font))
        cursor = QTextCursor(self.qdoc)
        cursor.beginEditBlock()
        header = self.qdoc.findBlockByNumber(0)
        self._format_whole_block(cursor, header.blockNumber(), self._header_char_format())
        text = self.document.text
        for index, block in enumerate(self.document.blocks[: self._next_block]):
            if block.kind in ("title", "heading"):
                self._format_whole_block(cursor, index + 1, self._writer.heading_format(block))
            elif block.kind == "list_item" and is_numbered(text, block):
                self._hang(cursor, index + 1, self._writer.hang(block))
        cursor.endEditBlock()

    def _hang(self, cursor: QTextCursor, number: int, width: float) -> None:
        """A numbered item's hanging indent, at the new size."""
        cursor.setPosition(self.qdoc.findBlockByNumber(number).position())
        fmt = cursor.blockFormat()
        fmt.setLeftMargin(width)
        fmt.setTextIndent(-width)
        cursor.setBlockFormat(fmt)

    def _format_whole_block(self, cursor: QTextCursor, number: int, fmt: QTextCharFormat) -> None:
        block = self.qdoc.findBlockByNumber(number)
        cursor.setPosition(block.position())
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def _build_slice(self, budget: int = SLICE_CHARS) -> None:
        document, writer = self.document, self._writer
        if document is None or writer is None:
            return
        cursor = QTextCursor(self.qdoc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        inserted = 0
        blocks = document.blocks
        while self._next_block < len(blocks) and inserted < budget:
            block = blocks[self._next_block]
            writer.write(cursor, block)
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

    def _header_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._font.pointSizeF())
        return fmt

    def _header_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies([typography.sans_family()])
        fmt.setFontPointSize(self._font.pointSizeF() * reading_style.HEADER_SCALE)
        fmt.setForeground(QColor(HEADER_GREY))
        return fmt
