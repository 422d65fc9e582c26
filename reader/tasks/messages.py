"""Messages for the researcher from anywhere below the widgets, as in qutebrowser.

Controllers and the operations runner do not know the window: they say what happened
through a ``MessageBridge``, and the window shows it (a notice above the text for what
needs reading, the status bar for the rest). Tests connect to the same signals.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QObject, Signal

Level = Literal["error", "info"]


class MessageBridge(QObject):
    notice = Signal(str, str)  # message, level ("error" or "info")
    status = Signal(str, int)  # message, milliseconds to show it

    def error(self, message: str) -> None:
        """Something failed: a notice, and the status bar for a while."""
        self.notice.emit(message, "error")

    def info(self, message: str) -> None:
        """Worth reading, not an error (an import summary line, a bad drop)."""
        self.notice.emit(message, "info")

    def show_status(self, message: str, milliseconds: int = 8000) -> None:
        """A passing remark: the status bar only."""
        self.status.emit(message, milliseconds)
