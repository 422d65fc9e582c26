"""The find bar (Ctrl+F): case-insensitive search in the article's text, as you type.

Typing never waits for the search. An article searches at once; a book is searched in
slices of a few milliseconds from a zero timer, so each key shows in the field before the
search for it has gone far, and a newer key stops the older search. Matches are capped
(``MAX_MATCHES``): one letter in War and Peace matches a hundred thousand times, and
nobody steps through those. The count says "searching…" until the search is done.

The search starts where the reader is (``origin``) and wraps round to the start: with the
cap, a search from the top of a book for "m" would find its first 10,000 matches in the
opening chapters and the view would jump there on the first letter typed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from itertools import chain

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

Span = tuple[int, int]

AT_ONCE_CHARS = 200_000  # an article this long is searched in one go (a few milliseconds)
WINDOW_CHARS = 100_000  # text searched per step of a sliced search
OVERLAP_CHARS = 1_000  # a match may run past a window's end by this much
SLICE_SECONDS = 0.008
MAX_MATCHES = 10_000


def pattern_for(query: str) -> re.Pattern[str] | None:
    """Case-insensitive, whitespace in the query matching any run of it; None when blank."""
    words = query.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def find_all(text: str, query: str, limit: int = MAX_MATCHES, origin: int = 0) -> list[Span]:
    """Every case-insensitive occurrence of ``query``, in text order: the first ``limit``
    from ``origin`` on, wrapping round to the start of the text."""
    pattern = pattern_for(query)
    if pattern is None:
        return []
    matches: list[Span] = []
    for _ in wrapped_search(text, pattern, matches, limit, origin):
        pass
    return sorted(matches)


def wrapped_search(
    text: str, pattern: re.Pattern[str], matches: list[Span], limit: int, origin: int
) -> Iterator[None]:
    """From ``origin`` to the end, then from the start up to ``origin`` (a match that runs
    across ``origin`` is found by the second part)."""
    origin = min(max(origin, 0), len(text))
    return chain(
        search_steps(text, pattern, matches, limit, origin, len(text)),
        search_steps(text, pattern, matches, limit, 0, origin),
    )


def search_steps(
    text: str, pattern: re.Pattern[str], matches: list[Span], limit: int, start: int, stop: int
) -> Iterator[None]:
    """Append the matches that begin in ``start``..``stop`` to ``matches``, one window of
    text at a time, yielding after each window."""
    position = start
    while position < stop and len(matches) < limit:
        boundary = min(position + WINDOW_CHARS, stop)
        end = min(len(text), boundary + OVERLAP_CHARS)
        last_end = position
        for match in pattern.finditer(text, position, end):
            if match.start() >= boundary or len(matches) >= limit:
                break
            matches.append(match.span())
            last_end = match.end()
        position = max(boundary, last_end)
        yield None


class FindBar(QWidget):
    matchesChanged = Signal(list)  # list[Span], once the search for the typed text is done
    stepRequested = Signal(int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.search)
        self.edit.returnPressed.connect(lambda: self.stepRequested.emit(1))
        self.count_label = QLabel(self)
        # A count that grows must not make the field jump: room for the longest one.
        self.count_label.setFixedWidth(
            self.fontMetrics().horizontalAdvance(f"{MAX_MATCHES:,} of {MAX_MATCHES:,}+") + 8
        )
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+Enter)")
        previous.clicked.connect(lambda: self.stepRequested.emit(-1))
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip("Next match (Enter)")
        following.clicked.connect(lambda: self.stepRequested.emit(1))
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Escape)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.count_label)
        layout.addWidget(close)
        self.text = ""
        self.matches: list[Span] = []
        self.capped = False  # more matches than MAX_MATCHES
        self._steps: Iterator[None] | None = None
        # Where the reader is (a text offset), set by the window: the search starts there.
        self.origin: Callable[[], int] = lambda: 0
        self._found: list[Span] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._search_slice)

    @property
    def searching(self) -> bool:
        return self._steps is not None

    def set_text(self, text: str) -> None:
        self.text = text
        if self.isVisible():
            self.search(self.edit.text())

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.search(self.edit.text())

    def close_bar(self) -> None:
        self._stop()
        self.hide()
        self.matches = []
        self.matchesChanged.emit([])
        self.closed.emit()

    def search(self, query: str) -> None:
        self._stop()
        pattern = pattern_for(query)
        if pattern is None:
            self._finish([])
            return
        self._found = []
        self._steps = wrapped_search(
            self.text, pattern, self._found, MAX_MATCHES + 1, self.origin()
        )
        if len(self.text) <= AT_ONCE_CHARS:
            self._search_slice(budget=None)
        else:
            self.count_label.setText("searching…")
            self._timer.start()

    def _search_slice(self, budget: float | None = SLICE_SECONDS) -> None:
        steps = self._steps
        if steps is None:
            return
        deadline = time.perf_counter() + budget if budget is not None else None
        for _ in steps:
            if deadline is not None and time.perf_counter() > deadline:
                self._timer.start()
                return
        self._steps = None
        self._finish(self._found)

    def _finish(self, found: list[Span]) -> None:
        self.capped = len(found) > MAX_MATCHES
        self.matches = sorted(found[:MAX_MATCHES])  # the farthest from the reader left out
        if not self.edit.text().strip():
            self.count_label.setText("")
        elif self.matches:
            self.count_label.setText(f"{len(self.matches):,}{'+' if self.capped else ''} matches")
        else:
            self.count_label.setText("No matches")
        self.matchesChanged.emit(self.matches)

    def _stop(self) -> None:
        self._timer.stop()
        self._steps = None

    def show_position(self, current: int) -> None:
        if self.matches:
            more = "+" if self.capped else ""
            self.count_label.setText(f"{current:,} of {len(self.matches):,}{more}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.stepRequested.emit(-1)
            return
        super().keyPressEvent(event)
