"""Keeping the reading view's highlights in step with the mentions and the legend.

Mentions arrive chunk by chunk, get replaced by the final consistent set, and change
visibility when the legend is toggled. Rather than tracking each of those cases, the
applier remembers what each span currently looks like in the text and *reconciles*
queued spans to what they should look like, in time-boxed slices on a zero timer, so a
book's forty thousand highlights never block the GUI.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from reader.documents.offsets import PositionMap
from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention, group_entities
from reader.ui.highlight_style import highlight_format, plain_format

SpanKey = tuple[int, int]
SLICE_SECONDS = 0.012
_STALE = "stale"


class HighlightApplier(QObject):
    settled = Signal()  # every queued highlight is in the text

    def __init__(self, qdoc: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qdoc = qdoc
        self.map: PositionMap | None = None
        self.mentions: dict[SpanKey, Mention] = {}
        self.visible: set[Kind] = set()
        self.colours: dict[Kind, str] = {}
        self._applied: dict[SpanKey, Kind | str] = {}
        self._queue: deque[SpanKey] = deque()
        self._waiting: list[SpanKey] = []  # their paragraphs are not in the view yet
        self._built_until = 0
        self._sorted: list[Mention] | None = None
        self._entities: list[Entity] | None = None
        self._entity_index: dict[tuple[Kind, str], Entity] | None = None
        self._slice_items = 256
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._apply_slice)

    # -- state ---------------------------------------------------------------------------

    def reset(self, position_map: PositionMap | None) -> None:
        self._timer.stop()
        self.map = position_map
        self.mentions.clear()
        self._applied.clear()
        self._queue.clear()
        self._waiting.clear()
        self._built_until = 0
        self._invalidate()

    def set_style(self, colours: dict[Kind, str], visible: set[Kind]) -> None:
        changed_colours = {k for k in Kind if colours.get(k) != self.colours.get(k)}
        toggled = visible ^ self.visible
        self.colours = dict(colours)
        self.visible = set(visible)
        touched = changed_colours | toggled
        if not touched:
            return
        for key, mention in self.mentions.items():
            if mention.kind in touched:
                if mention.kind in changed_colours and key in self._applied:
                    self._applied[key] = _STALE
                self._enqueue(key)
        self._schedule()

    def add(self, mentions: list[Mention]) -> None:
        """Mentions found so far (progressive results)."""
        for mention in mentions:
            key = (mention.start, mention.end)
            if self.mentions.get(key) != mention:
                self.mentions[key] = mention
                self._enqueue(key)
        self._sorted = None
        self._schedule()

    def set_entities(self, entities: list[Entity]) -> None:
        """The names grouped by the worker (grouping a book's mentions is not GUI work)."""
        self._entities = entities
        self._entity_index = None

    def update(self, changed: list[Mention], removed: list[SpanKey]) -> None:
        """Mentions that differ in the final set, and spans that are not in it any more."""
        # These lie scattered over the whole text, so each costs more relayout than the
        # neighbouring spans of a progress chunk: start the slices small again.
        self._slice_items = min(self._slice_items, 16)
        for key in removed:
            self.mentions.pop(key, None)
            self._enqueue(key)
        for mention in changed:
            key = (mention.start, mention.end)
            self.mentions[key] = mention
            self._enqueue(key)
        self._invalidate()
        self._schedule()

    def text_built_until(self, offset: int) -> None:
        """The builder has inserted the canonical text up to ``offset``."""
        self._built_until = offset
        if self._waiting:
            ready = [key for key in self._waiting if key[1] <= offset]
            self._waiting = [key for key in self._waiting if key[1] > offset]
            self._queue.extend(ready)
            self._schedule()

    @property
    def pending(self) -> int:
        return len(self._queue) + len(self._waiting)

    def flush(self) -> None:
        """Apply everything queued now (tests, printing): may take a while on a book."""
        self._timer.stop()
        while self._queue:
            self._apply_slice(budget=None)

    # -- queries ---------------------------------------------------------------------------

    def sorted_mentions(self) -> list[Mention]:
        if self._sorted is None:
            self._sorted = sorted(self.mentions.values(), key=lambda m: m.start)
        return self._sorted

    def entities(self) -> list[Entity]:
        if self._entities is None:
            self._entities = group_entities(self.sorted_mentions())
        return self._entities

    def mention_at(self, offset: int) -> Mention | None:
        mentions = self.sorted_mentions()
        index = bisect_right([m.start for m in mentions], offset) - 1 if mentions else -1
        if index >= 0 and mentions[index].start <= offset < mentions[index].end:
            return mentions[index]
        return None

    def entity_of(self, mention: Mention) -> Entity | None:
        if self._entity_index is None:
            self._entity_index = {entity.key: entity for entity in self.entities()}
        return self._entity_index.get((mention.kind, mention.canonical))

    # -- applying --------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._sorted = None
        self._entities = None
        self._entity_index = None

    def _enqueue(self, key: SpanKey) -> None:
        if key[1] <= self._built_until:
            self._queue.append(key)
        else:
            self._waiting.append(key)

    def _schedule(self) -> None:
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def _desired(self, key: SpanKey) -> Kind | None:
        mention = self.mentions.get(key)
        if mention is None or mention.kind not in self.visible:
            return None
        return mention.kind

    def _apply_slice(self, budget: float | None = SLICE_SECONDS) -> None:
        if self.map is None:
            self._queue.clear()
            return
        started = time.perf_counter()
        deadline = started + budget if budget is not None else None
        limit = self._slice_items if budget is not None else len(self._queue)
        cursor = QTextCursor(self.qdoc)
        cursor.beginEditBlock()
        formats = {k: highlight_format(k, self.colours.get(k, "#dddddd")) for k in Kind}
        plain = plain_format()
        count = 0
        while self._queue:
            key = self._queue.popleft()
            desired = self._desired(key)
            current = self._applied.get(key)
            if desired != current:
                cursor.setPosition(self.map.to_qt(key[0]))
                cursor.setPosition(self.map.to_qt(key[1]), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(formats[desired] if desired is not None else plain)
                if desired is None:
                    self._applied.pop(key, None)
                else:
                    self._applied[key] = desired
            count += 1
            if count >= limit or (
                deadline is not None and count % 32 == 0 and time.perf_counter() > deadline
            ):
                break
        cursor.endEditBlock()
        if budget is not None:
            # Most of the cost is the relayout in endEditBlock(), which grows with the number
            # of paragraphs touched; size the next slice by how long this one really took.
            elapsed = time.perf_counter() - started
            if elapsed > budget:
                self._slice_items = max(16, int(self._slice_items * budget / elapsed * 0.8))
            elif elapsed < budget / 2 and count >= limit:
                self._slice_items = min(2048, self._slice_items * 2)
        if self._queue:
            self._timer.start()
        elif not self._waiting:
            self.settled.emit()
