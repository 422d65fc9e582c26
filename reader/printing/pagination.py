"""Pages cut by hand from laid-out text, so that footnotes land under their own lines.

``QTextDocument`` paginates by itself but knows nothing of footnotes, keeps no heading with
its paragraph and widows freely. So the text is laid out once as an endless strip (a
``Flow`` of one or more sections, in "virtual" coordinates), and pages are cut from it
between lines: a page takes lines while they and the footnotes of the numbers in them fit;
then the cut moves up so that no page ends with a heading (or a label such as "Source:"),
starts with the last line of a paragraph, or ends with the first line of one, and so that a
short last paragraph does not stand alone on a page of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QTextDocument, QTextFormat

from reader.printing.content import KEEP_WITH_NEXT, Anchor

CONTINUED_PROPERTY = QTextFormat.Property.UserProperty + 13
"""Block property: the heading to repeat above this block when a column or page starts
with it ("Places (continued)"); a group's own heading block has none."""

SHORT_TAIL_LINES = 2
"""A flow ending in this few lines of whole paragraphs (a sign-off, an address) does not
leave them alone at the top of a page: ``TAIL_COMPANY`` lines of the text before go too."""
TAIL_COMPANY = 2


@dataclass(slots=True)
class Line:
    top: float  # virtual coordinates: the sections stacked one after another
    bottom: float
    block: int  # serial number of the block in the flow
    first: bool  # first line of its block
    last: bool
    keep: bool  # its block must not end a page (a heading)
    notes: tuple[int, ...]  # numbers of the notes whose marker is on this line
    section: int
    block_number: int  # in its section's QTextDocument
    number: int  # of the line in its block
    continued: str = ""  # the heading to repeat above it at the top of a column or page


class Flow:
    """Sections stacked into one strip of lines, with a lookup from positions to lines."""

    def __init__(
        self, sections: Sequence[QTextDocument], markers: Mapping[int, Anchor] | None = None
    ) -> None:
        self.sections = list(sections)
        self.offsets: list[float] = []
        self.lines: list[Line] = []
        self._starts: list[list[int]] = []
        self._base: list[int] = []
        marks: dict[int, list[tuple[int, int]]] = {}
        for number, anchor in (markers or {}).items():
            marks.setdefault(anchor.section, []).append((anchor.position, number))
        y, serial = 0.0, 0
        for index, qdoc in enumerate(self.sections):
            self.offsets.append(y)
            self._base.append(len(self.lines))
            serial = self._collect(index, qdoc, y, serial, sorted(marks.get(index, [])))
            y += qdoc.size().height()
        self.height = y

    def _collect(
        self, section: int, qdoc: QTextDocument, y: float, serial: int, marks: list
    ) -> int:
        starts: list[int] = []
        cursor = 0
        block = qdoc.begin()
        while block.isValid():
            layout = block.layout()
            count = layout.lineCount()
            keep = block.blockFormat().boolProperty(KEEP_WITH_NEXT)
            continued = block.blockFormat().stringProperty(CONTINUED_PROPERTY)
            base = block.position()
            origin = y + layout.position().y()
            for number in range(count):
                line = layout.lineAt(number)
                start = base + line.textStart()
                limit = start + line.textLength() if number < count - 1 else base + block.length()
                notes = []
                while cursor < len(marks) and marks[cursor][0] < limit:
                    notes.append(marks[cursor][1])
                    cursor += 1
                top = origin + line.y()
                starts.append(start)
                self.lines.append(
                    Line(
                        top,
                        top + line.height(),
                        serial,
                        number == 0,
                        number == count - 1,
                        keep,
                        tuple(notes),
                        section,
                        block.blockNumber(),
                        number,
                        continued,
                    )
                )
            serial += 1
            block = block.next()
        self._starts.append(starts)
        return serial

    def line_index(self, anchor: Anchor) -> int:
        """The line holding a position (the first line for a position before any)."""
        starts = self._starts[anchor.section]
        found = max(bisect_right(starts, anchor.position) - 1, 0)
        return min(self._base[anchor.section] + found, len(self.lines) - 1)

    def section_span(self, top: float, bottom: float) -> list[tuple[int, float, float]]:
        """``(section, top, bottom)`` in each section's own coordinates for a virtual span."""
        spans = []
        for index, qdoc in enumerate(self.sections):
            offset = self.offsets[index]
            end = offset + qdoc.size().height()
            if end <= top or offset >= bottom:
                continue
            spans.append((index, max(top, offset) - offset, min(bottom, end) - offset))
        return spans


@dataclass(slots=True)
class Frame:
    """A run of lines from ``flow`` placed at ``(x, y)`` of the page's text area."""

    flow: Flow
    x: float
    y: float
    top: float
    bottom: float
    first_line: int
    heading: QTextDocument | None = None  # a repeated heading, drawn above the lines
    heading_y: float = 0.0


@dataclass
class Page:
    role: str  # "body", "notes" or "index": the running head says which
    frames: list[Frame] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)  # footnotes printed on this page
    used: float = 0.0  # height of the text area taken, footnotes not counted


class Paginator:
    """Cuts flows into pages of ``width`` by ``height`` device units."""

    def __init__(
        self,
        width: float,
        height: float,
        note_heights: Mapping[int, float] | None = None,
        note_gap: float = 0.0,
    ) -> None:
        self.width = width
        self.height = height
        self.note_heights = dict(note_heights or {})
        self.note_gap = note_gap
        self.pages: list[Page] = []
        self._line_pages: dict[int, tuple[list[int], list[int]]] = {}
        self._continued: Callable[[str], QTextDocument] | None = None
        self._headings: dict[str, QTextDocument] = {}

    def notes_height(self, numbers: Sequence[int]) -> float:
        heights = [self.note_heights[n] for n in numbers if n in self.note_heights]
        return self.note_gap + sum(heights) if heights else 0.0

    def add(
        self,
        flow: Flow,
        *,
        role: str,
        new_page: bool = True,
        columns: int = 1,
        gutter: float = 0.0,
        gap: float = 0.0,
        continued: Callable[[str], QTextDocument] | None = None,
    ) -> None:
        """Place ``flow`` on new pages, or below what the last page holds; ``continued``
        makes the heading repeated where a column or page starts inside a group."""
        self._continued, self._headings = continued, {}
        lines = flow.lines
        firsts: list[int] = []
        numbers: list[int] = []
        self._line_pages[id(flow)] = (firsts, numbers)
        if not lines:
            return
        if new_page or not self.pages:
            self.pages.append(Page(role))
        page = self.pages[-1]
        width = (self.width - gutter * (columns - 1)) / columns
        region = page.used + gap if page.used else 0.0
        column, start = 0, 0
        room = self.height - region
        while start < len(lines):
            if column == 0 and columns > 1:
                room = self._balanced(lines, start, self.height - region, columns)
            empty = not page.frames and not page.notes
            heading = self._heading(lines, start)
            above = heading.size().height() if heading is not None else 0.0
            end, notes = self._fill(
                lines, start, room - above, page.notes, empty, tail=columns == 1
            )
            if end > start:
                x = column * (width + gutter)
                top, bottom = lines[start].top, lines[end - 1].bottom
                frame = Frame(flow, x, region + above, top, bottom, start, heading, region)
                page.frames.append(frame)
                page.notes.extend(notes)
                page.used = max(page.used, region + above + bottom - top)
                firsts.append(start)
                numbers.append(len(self.pages) - 1)
                start = end
            if start < len(lines):
                column += 1
                if column >= columns:
                    page = Page(role)
                    self.pages.append(page)
                    column, region = 0, 0.0
                    room = self.height

    def _balanced(self, lines: list[Line], start: int, room: float, columns: int) -> float:
        """The column height that shares the rest of a flow evenly, if it fits on this page.

        An index ending half-way down its last page looks right in two columns of equal
        length, not in a full left column beside an empty right one.
        """

        def fits(height: float) -> bool:
            at = start
            for _ in range(columns):
                heading = self._heading(lines, at)
                above = heading.size().height() if heading is not None else 0.0
                end, _notes = self._fill(lines, at, height - above, [], True)
                at = end
                if at >= len(lines):
                    return True
            return False

        if not fits(room):
            return room
        low, high = (lines[-1].bottom - lines[start].top) / columns, room
        for _ in range(12):  # to within a fraction of a line on any page
            middle = (low + high) / 2
            low, high = (low, middle) if fits(middle) else (middle, high)
        return high

    def _heading(self, lines: list[Line], start: int) -> QTextDocument | None:
        """The heading to repeat above a column or page that starts at ``lines[start]``."""
        text = lines[start].continued if start > 0 else ""
        if not text or self._continued is None:
            return None
        if text not in self._headings:
            self._headings[text] = self._continued(text)
        return self._headings[text]

    def _footnotes(self, line: Line) -> list[int]:
        """The notes printed at the foot of the page that holds ``line`` (none as endnotes:
        a page with only endnote numbers must not get an empty footnote rule)."""
        return [number for number in line.notes if number in self.note_heights]

    def _fill(
        self,
        lines: list[Line],
        start: int,
        room: float,
        taken: list[int],
        empty: bool,
        *,
        tail: bool = False,
    ) -> tuple[int, list[int]]:
        """How many lines from ``start`` fit in ``room``, with their footnotes; ``tail``
        keeps a short last paragraph from going alone onto the next page."""
        top = lines[start].top
        notes: list[int] = []
        end = start
        while end < len(lines):
            line = lines[end]
            more = notes + self._footnotes(line)
            if line.bottom - top + self.notes_height(taken + more) > room:
                if end == start and empty:  # taller than a page: place it all the same
                    end, notes = end + 1, more
                break
            notes, end = more, end + 1
        if start < end < len(lines):
            end = self._keep(lines, start, end, tail)
            notes = [number for line in lines[start:end] for number in self._footnotes(line)]
        return end, notes

    @staticmethod
    def _keep(lines: list[Line], start: int, cut: int, tail: bool = False) -> int:
        """Move the cut up for a short tail, widows, orphans and headings, never emptying
        the page."""
        best = cut
        if tail and len(lines) - cut <= SHORT_TAIL_LINES and lines[cut].first:
            cut = max(cut - TAIL_COMPANY, start + 1)  # the flow's last words need company
        line = lines[cut]
        if line.last and not line.first and cut - 1 > start and lines[cut - 1].block == line.block:
            cut -= 1  # a paragraph's last line alone at the top of the next page
        before = lines[cut - 1]
        if before.first and not before.last and cut - 1 > start:
            cut -= 1  # a paragraph's first line alone at the foot of this page
        while cut - 1 > start and lines[cut - 1].keep:
            block, first = lines[cut - 1].block, cut - 1
            while first > start and lines[first - 1].block == block:
                first -= 1
            if first <= start:
                break
            cut = first  # a heading goes over with its paragraph
        return cut if cut > start else best

    def page_of(self, flow: Flow, line: int) -> int | None:
        """The 1-based page holding ``line`` of ``flow``."""
        firsts, numbers = self._line_pages.get(id(flow), ([], []))
        index = bisect_right(firsts, line) - 1
        return numbers[index] + 1 if index >= 0 else None
