"""One way from a ``Document``'s blocks to a ``QTextDocument``: the reading view and paper.

Each block becomes one text block in the same families, heading scale and inline styles
(``typography``). What differs is passed in: the spacing of the medium, whether links are
shown as links (not on paper), whether PDF page starts are marked (the reading view
paints a hairline there), and for paper, the runs of names and the note markers, which
come in through ``overlay`` (a format laid over a run) and ``marker`` (called at an offset
before the text there is inserted, where note numbers go).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextList,
    QTextListFormat,
)

from reader.documents.list_labels import is_numbered, item_label
from reader.documents.model import Block, InlineStyle
from reader.printing import typography
from reader.printing.typography import Spacing

# Block properties. PAGE: the page of a PDF a block starts on; PAGE_START: on the first
# block of each new page, that page's number (the reading view paints a marker there).
PAGE_PROPERTY = QTextFormat.Property.UserProperty + 1
PAGE_START_PROPERTY = QTextFormat.Property.UserProperty + 2
PAGE_GAP_EM = 2.2  # room above a new page's first block for the marker
KEEP_WITH_NEXT = QTextFormat.Property.UserProperty + 11
"""Block property: never the last block on a page (headings, labels, the notes' headings)."""
LABEL_CHARS = 60
"""A paragraph this short that ends with a colon ("Original url:", "Sources:") labels what
follows it, and goes over a page break with it."""

Overlay = Callable[[int], tuple[Hashable, QTextCharFormat] | None]
Marker = Callable[[int, QTextCursor], None]


class BlockWriter:
    """Writes blocks of ``text`` at a cursor, keeping lists and pages between blocks."""

    def __init__(
        self,
        text: str,
        font: QFont,
        spacing: Spacing,
        *,
        em: float,
        em_x: float | None = None,
        links: bool = False,
        page_marks: bool = False,
    ) -> None:
        """``em`` scales vertical lengths and ``em_x`` horizontal ones (they differ on a
        printer, where Qt takes some lengths as pixels at 96 dpi and others as device
        units); ``links`` shows hyperlinks; ``page_marks`` records where PDF pages start."""
        self.text = text
        self.spacing = spacing
        self.links = links
        self.page_marks = page_marks
        self.font = QFont(font)
        self.em = em
        self.em_x = em if em_x is None else em_x
        self._formats: dict[tuple[Hashable, ...], QTextCharFormat] = {}
        self._lists: dict[int, QTextList] = {}  # the open list at each indent
        self._last_page: int | None = None

    def set_font(self, font: QFont, em: float) -> None:
        """Zoom or a new reading font: later blocks and heading formats follow."""
        self.font = QFont(font)
        self.em = self.em_x = em
        self._formats.clear()

    def restart(self) -> None:
        """A new text document: no open list, no page seen."""
        self._lists = {}
        self._last_page = None

    # -- formats --------------------------------------------------------------------------

    def block_format(self, block: Block | None) -> QTextBlockFormat:
        spacing, em = self.spacing, self.em
        fmt = QTextBlockFormat()
        fmt.setLineHeight(spacing.line_height, 1)  # 1: ProportionalHeight
        fmt.setBottomMargin(em * spacing.paragraph)
        if block is None:
            return fmt
        if block.kind in ("title", "heading"):
            title = block.kind == "title"
            fmt.setLineHeight(spacing.heading_line_height, 1)
            fmt.setTopMargin(em * (spacing.title_top if title else spacing.heading_top))
            fmt.setBottomMargin(em * (spacing.title_bottom if title else spacing.heading_bottom))
            fmt.setProperty(KEEP_WITH_NEXT, True)  # paper's paginator keeps it with the text
        elif block.kind == "quote":
            fmt.setLeftMargin(self.em_x * spacing.quote_indent)
            fmt.setRightMargin(self.em_x * spacing.quote_indent)
        elif block.kind == "paragraph" and self._is_label(block):
            fmt.setProperty(KEEP_WITH_NEXT, True)
        if self.page_marks and block.page is not None:
            fmt.setProperty(PAGE_PROPERTY, block.page)
            if self._last_page is not None and block.page > self._last_page:
                fmt.setTopMargin(max(fmt.topMargin(), em * PAGE_GAP_EM))
                fmt.setProperty(PAGE_START_PROPERTY, block.page)
            self._last_page = block.page
        return fmt

    def _is_label(self, block: Block) -> bool:
        if block.end - block.start > LABEL_CHARS:
            return False
        return self.text[block.start : block.end].rstrip().endswith(":")

    def heading_format(self, block: Block) -> QTextCharFormat:
        """Bold, and bigger by the heading scale."""
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        scale = typography.heading_scale(block.kind, block.level)
        fmt.setFontPointSize(self.font.pointSizeF() * scale)
        return fmt

    def char_format(
        self,
        block: Block,
        on: tuple[InlineStyle, ...],
        overlay: tuple[Hashable, QTextCharFormat] | None = None,
    ) -> QTextCharFormat:
        names = tuple(sorted({s.style for s in on}))
        target = next((s.target for s in on if s.style == "link"), "") if self.links else ""
        key = (block.kind, block.level, names, target, overlay[0] if overlay else None)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        fmt = QTextCharFormat(overlay[1]) if overlay is not None else QTextCharFormat()
        if block.kind in ("title", "heading"):
            fmt.merge(self.heading_format(block))
        if "bold" in names:
            fmt.setFontWeight(QFont.Weight.Bold)
        if "italic" in names:
            fmt.setFontItalic(True)
        if "code" in names:
            fmt.setFontFamilies(list(typography.MONO_FAMILIES))
        if target:
            fmt.setForeground(QColor(typography.LINK_COLOUR))
            fmt.setAnchor(True)
            fmt.setAnchorHref(target)
            fmt.setToolTip(target)
        self._formats[key] = fmt
        return fmt

    # -- writing --------------------------------------------------------------------------

    def write(
        self,
        cursor: QTextCursor,
        block: Block,
        *,
        new_block: bool = True,
        points: Iterable[int] = (),
        overlay: Overlay | None = None,
        marker: Marker | None = None,
    ) -> None:
        """Insert ``block`` at ``cursor``: in a new text block, or in the current (empty)
        one. The text is cut at its inline styles and at ``points``; ``marker`` is called
        at each cut (and at the end) before the text there, ``overlay`` for each run."""
        if new_block:
            cursor.insertBlock(self.block_format(block), QTextCharFormat())
        else:
            cursor.setBlockFormat(self.block_format(block))
        start, end = block.start, block.end
        cuts = {start, end}
        for style in block.styles:
            cuts.add(min(max(style.start, start), end))
            cuts.add(min(max(style.end, start), end))
        cuts.update(p for p in points if start <= p <= end)
        ordered = sorted(cuts)
        text = self.text
        for a, b in zip(ordered, [*ordered[1:], None], strict=True):
            if marker is not None:
                marker(a, cursor)
            if b is None:
                break
            on = tuple(s for s in block.styles if s.start <= a < s.end)
            layer = overlay(a) if overlay is not None else None
            cursor.insertText(text[a:b], self.char_format(block, on, layer))
        self._list_item(cursor, block)

    def hang(self, block: Block) -> float:
        """How far a numbered item's later lines are set in: the width of its number and a
        space, so that they start under its text, not under its number."""
        label = item_label(self.text, block) + " "
        metrics = QFontMetricsF(self.font)
        ems = metrics.horizontalAdvance(label) / (self.font.pointSizeF() * metrics.fontDpi() / 72)
        return ems * self.em_x

    def _hang(self, cursor: QTextCursor, block: Block) -> None:
        fmt = cursor.blockFormat()
        width = self.hang(block)
        fmt.setLeftMargin(width)
        fmt.setTextIndent(-width)
        cursor.setBlockFormat(fmt)

    def _list_item(self, cursor: QTextCursor, block: Block) -> None:
        """A list item joins the open list at its depth (after a nested list too).

        An item that carries its number in the text ("1. Ropes") is indented like a list
        item but gets no disc: "• 1. Ropes" would show two markers."""
        if block.kind != "list_item":
            self._lists = {}
            return
        indent = max(block.level, 1)  # list levels count from 1
        numbered = is_numbered(self.text, block)
        if numbered:
            self._hang(cursor, block)
        self._lists = {depth: lst for depth, lst in self._lists.items() if depth <= indent}
        style = (
            QTextListFormat.Style.ListStyleUndefined if numbered else QTextListFormat.Style.ListDisc
        )
        if indent in self._lists and self._lists[indent].format().style() == style:
            self._lists[indent].add(cursor.block())
            return
        list_format = QTextListFormat()
        list_format.setIndent(indent)
        list_format.setStyle(style)
        self._lists[indent] = cursor.createList(list_format)
