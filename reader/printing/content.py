"""The annotated text as ``QTextDocument``s: highlights as character formats, note numbers.

The text is split into sections of about ``SECTION_CHARS`` characters at paragraph
boundaries: one ``QTextDocument`` stops laying out past about 8.4 million device units
(some 700 pages at 1/1200 inch), so a book must be several documents, which the paginator
treats as one flow. Building a section also records where the things printing needs later
ended up (Qt positions of mentions, note numbers and noted passages), so nothing has to be
searched for after layout.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import (
    QColor,
    QFont,
    QPaintDevice,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextListFormat,
)

from reader.documents.model import Block, Document, InlineStyle
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.options import PrintOptions

SECTION_CHARS = 120_000
KEEP_WITH_NEXT = QTextFormat.Property.UserProperty + 11
"""Block property: never the last block on a page (headings, and the notes' headings)."""

EntityKey = tuple[Kind, str]


@dataclass(slots=True)
class NumberedNote:
    """A passage note with the number printed in the text."""

    number: int
    note: Note


@dataclass(slots=True)
class Anchor:
    """A Qt position in one section of a flow."""

    section: int
    position: int


@dataclass
class Body:
    """The text's sections plus where mentions, note numbers and noted passages are."""

    sections: list[QTextDocument] = field(default_factory=list)
    markers: dict[int, Anchor] = field(default_factory=dict)  # note number -> its number
    passages: dict[int, tuple[Anchor, Anchor]] = field(default_factory=dict)
    mentions: dict[EntityKey, list[Anchor]] = field(default_factory=dict)


def new_document(device: QPaintDevice, width: float, font: QFont) -> QTextDocument:
    """An empty document laid out for ``device`` at ``width`` device units."""
    qdoc = QTextDocument()
    qdoc.setUndoRedoEnabled(False)
    qdoc.documentLayout().setPaintDevice(device)
    qdoc.setDefaultFont(font)
    qdoc.setDocumentMargin(0)
    qdoc.setTextWidth(width)
    return qdoc


def number_notes(notes: Sequence[Note]) -> list[NumberedNote]:
    """Placed passage notes numbered in the order their numbers appear in the text."""
    placed = sorted(
        (n for n in notes if n.is_placed),
        key=lambda n: (n.end or 0, n.start or 0, n.id or 0),
    )
    return [NumberedNote(number, note) for number, note in enumerate(placed, 1)]


class BodyBuilder:
    """Inserts the document block by block, one section at a time."""

    def __init__(
        self,
        document: Document,
        mentions: Sequence[Mention],
        numbered: Sequence[NumberedNote],
        options: PrintOptions,
        device: QPaintDevice,
        width: float,
    ) -> None:
        self.document = document
        self.options = options
        self.device = device
        self.width = width
        self.font = styles.body_font(options)
        self.em = self.font.pointSizeF() * styles.PX  # vertical lengths
        self.em_x = self.font.pointSizeF() * styles.POINT  # horizontal ones
        chosen = sorted((m for m in mentions if m.kind in options.kinds), key=lambda m: m.start)
        self._mentions = chosen
        self._mention_starts = [m.start for m in chosen]
        self._numbered = list(numbered)
        block_starts = [b.start for b in document.blocks]
        block_ends = [b.end for b in document.blocks]
        self._ends = sorted(
            (clamp_end(block_ends, document.blocks, n.note.end or 0), n.number)
            for n in self._numbered
        )
        self._end_offsets = [offset for offset, _ in self._ends]
        self._starts = sorted(
            (clamp_start(block_starts, document.blocks, n.note.start or 0), n.number)
            for n in self._numbered
        )
        self._start_offsets = [offset for offset, _ in self._starts]
        self._formats: dict[tuple[object, ...], QTextCharFormat] = {}
        self._list = None
        self.body = Body()

    # -- sections -------------------------------------------------------------------------

    def sections(self, front: Callable[[QTextCursor, BodyBuilder], None]) -> list[range]:
        """Block index ranges, one per section; ``front`` writes the front matter first."""
        self._front = front
        ranges: list[range] = []
        first, size = 0, 0
        blocks = self.document.blocks
        for index, block in enumerate(blocks):
            size += block.end - block.start
            if size >= SECTION_CHARS and index + 1 < len(blocks):
                ranges.append(range(first, index + 1))
                first, size = index + 1, 0
        ranges.append(range(first, len(blocks)))
        return ranges

    def build_section(self, blocks: range) -> QTextDocument:
        qdoc = new_document(self.device, self.width, self.font)
        qdoc.setIndentWidth(self.em * 1.5)  # a list level: scaled like a vertical length
        section = len(self.body.sections)
        self.body.sections.append(qdoc)
        cursor = QTextCursor(qdoc)
        cursor.beginEditBlock()
        fresh = True
        if section == 0:
            self._front(cursor, self)
            fresh = qdoc.isEmpty()
        self._list = None
        for index in blocks:
            block = self.document.blocks[index]
            if fresh:
                cursor.setBlockFormat(self.block_format(block))
                fresh = False
            else:
                cursor.insertBlock(self.block_format(block), QTextCharFormat())
            self._insert_block(cursor, section, block)
        cursor.endEditBlock()
        qdoc.size()  # lay the section out now, not lazily on a timer
        return qdoc

    # -- formats --------------------------------------------------------------------------

    def block_format(self, block: Block | None) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(styles.LINE_HEIGHT_PERCENT, 1)  # 1: ProportionalHeight
        fmt.setBottomMargin(self.em * styles.PARAGRAPH_SPACING_EM)
        if block is None:
            return fmt
        if block.kind in ("title", "heading"):
            fmt.setLineHeight(118, 1)
            fmt.setTopMargin(self.em * (0.2 if block.kind == "title" else 0.9))
            fmt.setBottomMargin(self.em * 0.35)
            fmt.setProperty(KEEP_WITH_NEXT, True)
        elif block.kind == "quote":
            fmt.setLeftMargin(self.em_x * 1.5)
            fmt.setRightMargin(self.em_x * 1.5)
        return fmt

    def _char_format(
        self, block: Block, styles_on: tuple[str, ...], kind: Kind | None
    ) -> QTextCharFormat:
        key = (block.kind, block.level, styles_on, kind)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        fmt = styles.entity_format(kind, self.options) if kind is not None else QTextCharFormat()
        if block.kind in ("title", "heading"):
            fmt.setFontWeight(QFont.Weight.Bold)
            scale = styles.heading_scale(block.kind, block.level)
            fmt.setFontPointSize(self.font.pointSizeF() * scale)
        if "bold" in styles_on:
            fmt.setFontWeight(QFont.Weight.Bold)
        if "italic" in styles_on:
            fmt.setFontItalic(True)
        if "code" in styles_on:
            fmt.setFontFamilies(["DejaVu Sans Mono", "Liberation Mono", "monospace"])
        self._formats[key] = fmt
        return fmt

    # -- one block --------------------------------------------------------------------------

    def _insert_block(self, cursor: QTextCursor, section: int, block: Block) -> None:
        text = self.document.text
        start, end = block.start, block.end
        lo = bisect_left(self._mention_starts, start)
        hi = bisect_left(self._mention_starts, end)
        mentions = [m for m in self._mentions[lo:hi] if m.end <= end]
        ends = self._ends[
            bisect_left(self._end_offsets, start) : bisect_right(self._end_offsets, end)
        ]
        starts = self._starts[
            bisect_left(self._start_offsets, start) : bisect_left(self._start_offsets, end)
        ]
        points = {start, end}
        points.update(min(max(s.start, start), end) for s in block.styles)
        points.update(min(max(s.end, start), end) for s in block.styles)
        for mention in mentions:
            points.update((mention.start, mention.end))
        points.update(offset for offset, _ in ends)
        points.update(offset for offset, _ in starts)
        ordered = sorted(points)
        mention_at = {m.start: m for m in mentions}
        ends_at: dict[int, list[int]] = {}
        for offset, number in ends:
            ends_at.setdefault(offset, []).append(number)
        starts_at: dict[int, list[int]] = {}
        for offset, number in starts:
            starts_at.setdefault(offset, []).append(number)
        current: Mention | None = None
        for a, b in zip(ordered, [*ordered[1:], None], strict=True):
            if a in ends_at:
                self._insert_markers(cursor, section, ends_at[a])
            for number in starts_at.get(a, ()):
                self._passage_start(number, Anchor(section, cursor.position()))
            if b is None:
                break
            if a in mention_at:
                current = mention_at[a]
                self.body.mentions.setdefault((current.kind, current.canonical), []).append(
                    Anchor(section, cursor.position())
                )
            kind = (
                current.kind if current is not None and current.start <= a < current.end else None
            )
            on = _styles_on(block.styles, a)
            cursor.insertText(text[a:b], self._char_format(block, on, kind))
        self._list_item(cursor, block)

    def _insert_markers(self, cursor: QTextCursor, section: int, numbers: list[int]) -> None:
        fmt = styles.marker_format(self.options)
        for index, number in enumerate(numbers):
            self._passage_end(number, Anchor(section, cursor.position()))
            if index:
                cursor.insertText(",", fmt)
            self.body.markers[number] = Anchor(section, cursor.position())
            cursor.insertText(str(number), fmt)

    def _passage_start(self, number: int, anchor: Anchor) -> None:
        old = self.body.passages.get(number)
        self.body.passages[number] = (anchor, old[1] if old else anchor)

    def _passage_end(self, number: int, anchor: Anchor) -> None:
        old = self.body.passages.get(number)
        self.body.passages[number] = (old[0] if old else anchor, anchor)

    def _list_item(self, cursor: QTextCursor, block: Block) -> None:
        if block.kind != "list_item":
            self._list = None
            return
        indent = max(block.level, 1)  # list levels count from 1
        if self._list is not None and self._list.format().indent() == indent:
            self._list.add(cursor.block())
            return
        list_format = QTextListFormat()
        list_format.setIndent(indent)
        list_format.setStyle(QTextListFormat.Style.ListDisc)
        self._list = cursor.createList(list_format)


def clamp_end(ends: list[int], blocks: list[Block], offset: int) -> int:
    """A passage that ends between two blocks ends at the end of the earlier one."""
    index = bisect_left(ends, offset)
    if index >= len(blocks):
        return ends[-1] if ends else 0
    block = blocks[index]
    return offset if offset >= block.start else (ends[index - 1] if index else block.start)


def clamp_start(starts: list[int], blocks: list[Block], offset: int) -> int:
    """A passage that starts between two blocks starts at the next one."""
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return starts[0] if starts else 0
    block = blocks[index]
    if offset <= block.end:
        return offset
    return starts[index + 1] if index + 1 < len(starts) else block.end


def _styles_on(block_styles: tuple[InlineStyle, ...], offset: int) -> tuple[str, ...]:
    if not block_styles:
        return ()
    return tuple(sorted({s.style for s in block_styles if s.start <= offset < s.end}))


def grey(options: PrintOptions, colour: str) -> QColor:
    """``colour``, or its luminance in greyscale mode."""
    qcolour = QColor(colour)
    if options.greyscale:
        level = round(0.299 * qcolour.red() + 0.587 * qcolour.green() + 0.114 * qcolour.blue())
        return QColor(level, level, level)
    return qcolour
