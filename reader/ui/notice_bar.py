"""A non-blocking notice above the text: what went wrong and what to do, never a modal box."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

_STYLES = {
    "error": "background:#fde8e4; border-bottom:1px solid #e5a799; color:#5c1a0b;",
    "info": "background:#e8f1fb; border-bottom:1px solid #a9c6e8; color:#0d3358;",
}


class NoticeBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, level: str = "error", seconds: int = 0) -> None:
        self.label.setText(text)
        self.setStyleSheet(f"NoticeBar, QLabel {{{_STYLES[level]}}}")
        self.show()
        if seconds:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
