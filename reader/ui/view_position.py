"""Where the reading view stands in the text: keeping it there, and moving it on request.

The passage on screen moves only when the reader moves it. Qt keeps the scroll bar's pixel
value when a paragraph above the screen is laid out again, so anything that changes the
height of the text above would slide the passage: a highlight can re-wrap a line (text is
shaped per format run, so a name's letters measure a hair differently once it is marked),
zoom changes every line, a narrower window re-wraps everything. Every change to the text
goes through ``keep()``: it notes the first line on screen and its pixel offset before,
and puts that line back at that offset after.

Jumps (the reading position kept from last time, Ctrl+Home and Ctrl+End, the next mention)
go to text that the builder may not have inserted yet: they wait for it, and the builder
hurries there.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QPoint

if TYPE_CHECKING:
    from reader.ui.reader_view import ReaderView

Where = Literal["top", "centre", "end"]
Anchor = tuple[int, float]  # Qt position of the first character of the top line, its offset
COMFORT = 6  # a span closer than a sixth of the height to an edge is brought to the centre
SCREEN_CHARS = 3_000  # about one screenful: the guess for a screen not laid out yet


@dataclass(frozen=True)
class Jump:
    start: int  # canonical offsets of what to show
    end: int
    where: Where


class ScrollKeeper(QObject):
    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.pending: Jump | None = None  # a jump waiting for its text to be built
        self.correcting = False  # the value changes because of a relayout, not the reader
        self._depth = 0
        self._anchor: Anchor | None = None
        view.builder.progressed.connect(self._built)

    # -- keeping the passage where it is ------------------------------------------------------

    @contextmanager
    def keep(self) -> Iterator[None]:
        """Put the first line on screen back where it was once the text has changed."""
        if self._depth == 0:
            self._anchor = self.capture()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0 and self._anchor is not None:
                anchor, self._anchor = self._anchor, None
                self.restore(anchor)

    def capture(self) -> Anchor | None:
        view = self.view
        bar = view.verticalScrollBar()
        if view.position_map is None or bar.value() == 0:
            return None  # at the very top the top stays the top
        cursor = view.cursorForPosition(QPoint(0, 0))
        block = cursor.block()
        line = block.layout().lineForTextPosition(cursor.position() - block.position())
        start = block.position() + (line.textStart() if line.isValid() else 0)
        return start, self._line_top(start) - bar.value()

    def restore(self, anchor: Anchor) -> None:
        position, offset = anchor
        if position >= self.view.document().characterCount():
            return
        top = self._line_top(position)
        self._lay_out_below(position)
        self._set_value(round(top - offset))

    def _lay_out_below(self, position: int) -> None:
        """Lay out the text from ``position`` to a screen below it.

        After zoom or a re-wrap Qt lays a book out lazily, and reports a document only as
        tall as the part laid out so far: the scroll range would cut the passage off.
        """
        view = self.view
        document = view.document()
        layout_engine = document.documentLayout()
        block = document.findBlock(position)
        below = layout_engine.blockBoundingRect(block).top() + 2 * view.viewport().height()
        while block.isValid() and layout_engine.blockBoundingRect(block).bottom() < below:
            block = block.next()

    # -- moving on request ----------------------------------------------------------------------

    def scroll_to(self, start: int, end: int | None = None, where: Where = "top") -> None:
        """Show canonical ``start``..``end`` at the top, in the centre, or the end of the text."""
        view = self.view
        end = start if end is None else end
        builder = view.builder
        if not builder.complete and end > builder.built_until:
            self.pending = Jump(start, end, where)
            builder.hurry_until(end)
            return
        self.pending = None
        self._go(Jump(start, end, where))

    def bring_into_view(self, start: int, end: int) -> None:
        """Centre ``start``..``end`` unless it is already well inside the screen."""
        view = self.view
        if view.position_map is None or end > view.builder.built_until:
            self.scroll_to(start, end, "centre")
            return
        top, bottom = self._span_extent(start, end)
        value = view.verticalScrollBar().value()
        height = view.viewport().height()
        margin = height / COMFORT
        if top >= value + margin and bottom <= value + height - margin:
            return
        self.scroll_to(start, end, "centre")

    def cancel(self) -> None:
        """The reader scrolled, or another article opened: a waiting jump is forgotten."""
        self.pending = None

    def _built(self, offset: int) -> None:
        jump = self.pending
        if jump is not None and (offset >= jump.end or self.view.builder.complete):
            self.pending = None
            self._go(jump)

    def _go(self, jump: Jump) -> None:
        view = self.view
        if view.position_map is None:
            return
        height = view.viewport().height()
        bar = view.verticalScrollBar()
        if jump.where == "end":
            last = view.document().lastBlock()
            bottom = view.document().documentLayout().blockBoundingRect(last).bottom()
            margin = view.document().documentMargin()
            self._set_value(max(round(bottom + margin - height), bar.maximum()), reader=True)
        elif jump.where == "top":
            position = view.position_map.to_qt(jump.start)
            top = self._line_top(position)
            self._lay_out_below(position)
            # Up to the next pixel: the line's top edge itself must be on screen, or the
            # first line Qt finds at the top would be the one above it.
            self._set_value(math.ceil(top), reader=True)
        else:
            top, bottom = self._span_extent(jump.start, jump.end)
            self._set_value(round((top + bottom) / 2 - height / 2), reader=True)

    # -- geometry -----------------------------------------------------------------------------

    def _line_top(self, position: int) -> float:
        """Document y of the top of the line holding Qt ``position`` (lays it out if need be)."""
        document = self.view.document()
        block = document.findBlock(position)
        top = document.documentLayout().blockBoundingRect(block).top()
        line = block.layout().lineForTextPosition(position - block.position())
        return top + (line.y() if line.isValid() else 0.0)

    def _span_extent(self, start: int, end: int) -> tuple[float, float]:
        position_map = self.view.position_map
        assert position_map is not None
        first, last = position_map.to_qt(start), position_map.to_qt(end)
        document = self.view.document()
        block = document.findBlock(last)
        line = block.layout().lineForTextPosition(last - block.position())
        height = line.height() if line.isValid() else 0.0
        return self._line_top(first), self._line_top(last) + height

    def _set_value(self, value: int, reader: bool = False) -> None:
        """Scroll to ``value``; ``reader``: a jump the reader asked for (analysis follows)."""
        bar = self.view.verticalScrollBar()
        value = max(value, 0)
        if value > bar.maximum():
            # The layout may be catching up (after zoom Qt lays a book out lazily, and the
            # range only grows as it goes): the range is widened to reach the passage.
            bar.setMaximum(value)
        if bar.value() == value:
            return
        self.correcting = not reader
        try:
            bar.setValue(value)
        finally:
            self.correcting = False


def screen_guess(start: int) -> tuple[int, int]:
    """The range a screen starting at ``start`` will roughly cover."""
    return start, start + SCREEN_CHARS
