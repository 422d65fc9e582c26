"""F3 and Shift+F3: stepping through the selected name's mentions or the find matches.

One list of spans at a time, from whichever asked last (the entity panel or the find bar);
each step scrolls to the span, marks it, and tells its source "3 of 12".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from reader.entities.spans import Entity

Span = tuple[int, int]


class Stepper:
    def __init__(self, view, panel, find_bar, tell: Callable[[str], None]) -> None:
        """``tell`` shows a short hint (the window's status bar)."""
        self.view, self.panel, self.find_bar, self.tell = view, panel, find_bar, tell
        self.spans: list[Span] = []
        self.index = -1
        self.source = ""  # "entity" or "find"

    def entity_selected(self, entity: Entity | None) -> None:
        if entity is None:
            if self.source == "entity":
                self.clear()
            return
        self._start("entity", [(m.start, m.end) for m in entity.mentions])
        self.view.mark_mentions(self.spans)
        self.panel.set_position(0, len(self.spans))
        self.step(1, "entity")

    def find_matches_changed(self, spans: list[Span]) -> None:
        """The matches for what was just typed: the first one from where the reader is (the
        match shown for the text typed so far, else the top of the screen) is shown."""
        here = self.find_origin()
        self._start("find", spans)
        self.view.mark_find_matches(spans)
        if spans:
            self.index = bisect_left(spans, (here, -1)) - 1
            self.step(1, "find")

    def find_origin(self) -> int:
        """Where a search starts: the match shown for the text typed so far, else the top
        of the screen."""
        if self.source == "find" and 0 <= self.index < len(self.spans):
            return self.spans[self.index][0]
        return self.view.visible_range()[0]

    def clear(self) -> None:
        self._start("", [])
        self.view.clear_marks()

    def step(self, direction: int, source: str = "") -> None:
        """The next (+1) or previous (-1) span; ``source`` ignores a stale list's buttons."""
        if source and source != self.source:
            return
        if not self.spans:
            self.tell("Select a name in the Entities panel or search with Ctrl+F.")
            return
        self.index = (self.index + direction) % len(self.spans)
        self.view.go_to_span(self.spans[self.index])
        if self.source == "entity":
            self.panel.set_position(self.index + 1, len(self.spans))
        else:
            self.find_bar.show_position(self.index + 1)

    def _start(self, source: str, spans: list[Span]) -> None:
        self.source, self.spans, self.index = source, spans, -1
