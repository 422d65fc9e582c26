"""Keeping the reading view's highlights in step with the session's names and the legend.

Mentions arrive chunk by chunk, get replaced by the final consistent set, and change
visibility when the legend is toggled. Rather than tracking each of those cases, the
applier remembers what each span currently looks like in the text and *reconciles*
queued spans to what they should look like (the session's mention, in the legend's
style), in time-boxed slices on a zero timer, so a book's forty thousand highlights never
block the GUI. The names themselves live in the ``ReadingSession``; this is only paint.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from reader.documents.offsets import PositionMap
from reader.entities.kinds import Kind
from reader.tasks.session import ReadingSession
from reader.ui.highlight_style import highlight_format, plain_format

SpanKey = tuple[int, int]
SLICE_SECONDS = 0.012
_STALE = "stale"


class HighlightApplier(QObject):
    settled = Signal()  # every queued highlight is in the text

    def __init__(
        self, qdoc: QTextDocument, session: ReadingSession, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.qdoc = qdoc
        self.session = session
        self.map: PositionMap | None = None
        self.visible: set[Kind] = set()
        self.colours: dict[Kind, str] = {}
        self._applied: dict[SpanKey, Kind | str] = {}
        self._queue: deque[SpanKey] = deque()
        self._waiting: list[SpanKey] = []  # their paragraphs are not in the view yet
        self._built_until = 0
        self._slice_items = 256
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._apply_slice)
        session.mentionsChanged.connect(self._mentions_changed)

    # -- state ---------------------------------------------------------------------------

    def reset(self, position_map: PositionMap | None) -> None:
        self._timer.stop()
        self.map = position_map
        self._applied.clear()
        self._queue.clear()
        self._waiting.clear()
        self._built_until = 0
        # Names the session already holds (a cached analysis that answered first).
        for key in self.session.mention_keys():
            self._enqueue(key)

    def set_style(self, colours: dict[Kind, str], visible: set[Kind]) -> None:
        changed_colours = {k for k in Kind if colours.get(k) != self.colours.get(k)}
        toggled = visible ^ self.visible
        self.colours = dict(colours)
        self.visible = set(visible)
        touched = changed_colours | toggled
        if not touched:
            return
        for mention in self.session.sorted_mentions():
            if mention.kind in touched:
                key = (mention.start, mention.end)
                if mention.kind in changed_colours and key in self._applied:
                    self._applied[key] = _STALE
                self._enqueue(key)
        self._schedule()

    def _mentions_changed(self, keys: list[SpanKey], scattered: bool) -> None:
        """Spans whose mention appeared, changed or went: reconcile them."""
        if scattered:
            # These lie scattered over the whole text, so each costs more relayout than the
            # neighbouring spans of a progress chunk: start the slices small again.
            self._slice_items = min(self._slice_items, 16)
        for key in keys:
            self._enqueue(key)
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

    def apply_within(self, start: int, end: int) -> int:
        """Apply now, in one edit block, what is queued for ``[start, end)`` (the screen): a
        correction of a book's name shows where the researcher looks at once, and the rest
        follows in slices. Returns how many spans were applied."""
        if self.map is None or not self._queue:
            return 0
        now = [k for k in self._queue if k[0] < end and start < k[1]]
        if not now:
            return 0
        chosen = set(now)
        self._queue = deque(k for k in self._queue if k not in chosen)
        self._queue.extendleft(reversed(now))
        self._apply_slice(budget=None, limit=len(now))
        return len(now)

    def flush(self) -> None:
        """Apply everything queued now (tests, printing): may take a while on a book."""
        self._timer.stop()
        while self._queue:
            self._apply_slice(budget=None)

    # -- applying --------------------------------------------------------------------------

    def _enqueue(self, key: SpanKey) -> None:
        if key[1] <= self._built_until:
            self._queue.append(key)
        else:
            self._waiting.append(key)

    def _schedule(self) -> None:
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def _desired(self, key: SpanKey) -> Kind | None:
        mention = self.session.mention(key)
        if mention is None or mention.kind not in self.visible:
            return None
        return mention.kind

    def _apply_slice(self, budget: float | None = SLICE_SECONDS, limit: int | None = None) -> None:
        if self.map is None:
            self._queue.clear()
            return
        started = time.perf_counter()
        deadline = started + budget if budget is not None else None
        if limit is None:
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
        if budget is not None and limit == self._slice_items:
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
