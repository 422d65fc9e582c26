"""The find bar (Ctrl+F): case-insensitive search in the article's text."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

Span = tuple[int, int]


def find_all(text: str, query: str) -> list[Span]:
    """Every case-insensitive occurrence of ``query``; whitespace in it matches any run."""
    words = query.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(word) for word in words)
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


class FindBar(QWidget):
    matchesChanged = Signal(list)  # list[Span]
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
        self.count_label.setMinimumWidth(90)
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
        self.hide()
        self.matches = []
        self.matchesChanged.emit([])
        self.closed.emit()

    def search(self, query: str) -> None:
        self.matches = find_all(self.text, query)
        if not query.strip():
            self.count_label.setText("")
        elif self.matches:
            self.count_label.setText(f"{len(self.matches)} matches")
        else:
            self.count_label.setText("No matches")
        self.matchesChanged.emit(self.matches)

    def show_position(self, current: int) -> None:
        if self.matches:
            self.count_label.setText(f"{current} of {len(self.matches)}")

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
