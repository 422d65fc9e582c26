"""The annotated text as ``QTextDocument``s: highlights as character formats, note numbers.

The blocks are written by ``blocks.BlockWriter``, as in the reading view, with paper's
spacing, the names as character formats and the note numbers as markers. The text is split
into sections of about ``SECTION_CHARS`` characters at paragraph boundaries: one
``QTextDocument`` stops laying out past about 8.4 million device units (some 700 pages at
1/1200 inch), so a book must be several documents, which the paginator treats as one flow.
Building a section also records where the things printing needs later ended up (Qt
positions of mentions, note numbers and noted passages), so nothing has to be searched for
after layout.
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
)

from reader.documents.model import Block, Document
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import styles, typography
from reader.printing.blocks import KEEP_WITH_NEXT, BlockWriter
from reader.printing.options import PrintOptions

__all__ = ["KEEP_WITH_NEXT", "Anchor", "Body", "BodyBuilder", "NumberedNote", "new_document"]

SECTION_CHARS = 120_000

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
            (marker_offset(document.text, block_ends, document.blocks, n.note.end or 0), n.number)
            for n in self._numbered
        )
        self._end_offsets = [offset for offset, _ in self._ends]
        self._starts = sorted(
            (clamp_start(block_starts, document.blocks, n.note.start or 0), n.number)
            for n in self._numbered
        )
        self._start_offsets = [offset for offset, _ in self._starts]
        self._entity_formats = {kind: styles.entity_format(kind, options) for kind in Kind}
        self.writer = BlockWriter(
            document.text, self.font, typography.PAPER, em=self.em, em_x=self.em_x
        )
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
        self.writer.restart()
        for index in blocks:
            self._insert_block(cursor, section, self.document.blocks[index], new_block=not fresh)
            fresh = False
        cursor.endEditBlock()
        qdoc.size()  # lay the section out now, not lazily on a timer
        return qdoc

    # -- formats --------------------------------------------------------------------------

    def block_format(self, block: Block | None) -> QTextBlockFormat:
        return self.writer.block_format(block)

    # -- one block --------------------------------------------------------------------------

    def _insert_block(
        self, cursor: QTextCursor, section: int, block: Block, *, new_block: bool
    ) -> None:
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
        points = {offset for offset, _ in ends} | {offset for offset, _ in starts}
        for mention in mentions:
            points.update((mention.start, mention.end))
        mention_at = {m.start: m for m in mentions}
        ends_at: dict[int, list[int]] = {}
        for offset, number in ends:
            ends_at.setdefault(offset, []).append(number)
        starts_at: dict[int, list[int]] = {}
        for offset, number in starts:
            starts_at.setdefault(offset, []).append(number)
        current: list[Mention | None] = [None]

        def marker(offset: int, at: QTextCursor) -> None:
            # Note numbers go after the passage they end; then passages and names begin.
            if offset in ends_at:
                self._insert_markers(at, section, ends_at[offset])
            for number in starts_at.get(offset, ()):
                self._passage_start(number, Anchor(section, at.position()))
            if offset in mention_at and offset < end:
                mention = current[0] = mention_at[offset]
                self.body.mentions.setdefault((mention.kind, mention.canonical), []).append(
                    Anchor(section, at.position())
                )

        def overlay(offset: int) -> tuple[Kind, QTextCharFormat] | None:
            mention = current[0]
            if mention is not None and mention.start <= offset < mention.end:
                return mention.kind, self._entity_formats[mention.kind]
            return None

        self.writer.write(
            cursor, block, new_block=new_block, points=points, overlay=overlay, marker=marker
        )

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


def clamp_end(ends: list[int], blocks: list[Block], offset: int) -> int:
    """A passage that ends between two blocks ends at the end of the earlier one."""
    index = bisect_left(ends, offset)
    if index >= len(blocks):
        return ends[-1] if ends else 0
    block = blocks[index]
    return offset if offset >= block.start else (ends[index - 1] if index else block.start)


CLOSING = frozenset(".,;:!?…\"”»)]}'’")
APOSTROPHES = frozenset("'’")


def marker_offset(text: str, ends: list[int], blocks: list[Block], offset: int) -> int:
    """Where a note's number goes: after its passage and the closing punctuation and
    quotation marks that follow it (``fiasco"¹``, not ``fiasco¹"``), as printed books
    place them; never past the end of the passage's block, nor past an apostrophe that
    continues a word ("Lavrov's")."""
    offset = clamp_end(ends, blocks, offset)
    index = bisect_left(ends, offset)
    limit = ends[index] if index < len(ends) else len(text)
    while offset < limit and text[offset] in CLOSING:
        following = text[offset + 1] if offset + 1 < len(text) else ""
        if text[offset] in APOSTROPHES and following.isalnum():
            break
        offset += 1
    return offset


def clamp_start(starts: list[int], blocks: list[Block], offset: int) -> int:
    """A passage that starts between two blocks starts at the next one."""
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return starts[0] if starts else 0
    block = blocks[index]
    if offset <= block.end:
        return offset
    return starts[index + 1] if index + 1 < len(starts) else block.end


def grey(options: PrintOptions, colour: str) -> QColor:
    """``colour``, or its luminance in greyscale mode."""
    qcolour = QColor(colour)
    if options.greyscale:
        level = round(0.299 * qcolour.red() + 0.587 * qcolour.green() + 0.114 * qcolour.blue())
        return QColor(level, level, level)
    return qcolour
