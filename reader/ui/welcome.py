"""The first thing a researcher sees when no article is open: what the reader does, and how.

Three ways in (open a file, import a folder, the sample article), a reminder that files and
folders can be dropped anywhere on the window, and where the library is kept, because
"where did my notes go?" is the first question a careful researcher asks.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader.entities.appearance import UNDERLINE_COLOURS
from reader.entities.kinds import Kind

_KIND_WORDS = (
    (Kind.PERSON, "who"),
    (Kind.PLACE, "where"),
    (Kind.ORGANIZATION, "which organizations"),
)


class WelcomeView(QWidget):
    openRequested = Signal()
    importRequested = Signal()
    sampleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        # A plain QWidget subclass paints a style-sheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#welcome { background: #fdfcf9; }"
            "QLabel#title { font-size: 22pt; font-weight: 600; color: #1d1d1b; }"
            "QLabel#lead { font-size: 12pt; color: #333; }"
            "QLabel#small { color: #666; }"
            "QFrame#drop { border: 2px dashed #c9c4b8; border-radius: 10px; }"
        )
        words = ", ".join(
            f"<span style='color:{UNDERLINE_COLOURS[kind]}; font-weight:600'>{word}</span>"
            for kind, word in _KIND_WORDS
        )
        title = QLabel("Read articles, see who and where", self)
        title.setObjectName("title")
        title.setWordWrap(True)
        lead = QLabel(
            f"Open an article and reader shows {words} it is about: people, places and "
            "organizations highlighted, listed and kept consistent. Write notes beside the "
            "text, search every article you have collected, and print annotated copies. "
            "Everything stays on this computer.",
            self,
        )
        lead.setObjectName("lead")
        lead.setWordWrap(True)

        self.open_button = QPushButton("Open a File…", self)
        self.open_button.setDefault(True)
        self.open_button.setToolTip(
            "Text, Markdown, web pages, PDF, Word, OpenDocument, EPUB, RTF (Ctrl+O)"
        )
        self.open_button.clicked.connect(self.openRequested.emit)
        self.import_button = QPushButton("Import a Folder…", self)
        self.import_button.setToolTip("Add every article in a folder to the library (Ctrl+Shift+I)")
        self.import_button.clicked.connect(self.importRequested.emit)
        self.sample_button = QPushButton("Open the Sample Article", self)
        self.sample_button.clicked.connect(self.sampleRequested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        sample_row = QHBoxLayout()
        sample_row.addWidget(self.sample_button)
        sample_row.addStretch(1)

        drop = QFrame(self)
        drop.setObjectName("drop")
        drop_label = QLabel(
            "Drop files here — or whole folders, or text and pages dragged from a browser",
            drop,
        )
        drop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop_label.setWordWrap(True)
        drop_label.setObjectName("small")
        drop_layout = QVBoxLayout(drop)
        drop_layout.setContentsMargins(16, 28, 16, 28)
        drop_layout.addWidget(drop_label)

        self.where = QLabel(self)
        self.where.setObjectName("small")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_location()

        column = QVBoxLayout()
        column.setSpacing(16)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(lead)
        column.addLayout(buttons)
        column.addLayout(sample_row)
        column.addWidget(drop)
        column.addWidget(self.where)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(column)
        holder.setMaximumWidth(640)
        outer.addWidget(holder, 6)
        outer.addStretch(1)

    def refresh_location(self) -> None:
        self.where.setText(
            "Your library, notes and corrections are kept in "
            f"<code>{html.escape(str(paths.data_dir()))}</code>; Help › About shows every "
            "folder reader uses."
        )


class WelcomeChrome:
    """While the welcome page shows, what has no use there is hidden: the legend (it would
    count zero names) and the docks of an open article (an empty list of names, disabled
    buttons, "notes are kept with articles"). They come back as the researcher left them
    when an article opens; Ctrl+E and the View menu still show a dock at any time.
    """

    def __init__(self, legend: QWidget, docks: list[QDockWidget]) -> None:
        self.legend = legend
        self.docks = docks
        self.hidden: list[QDockWidget] = []  # docks hidden by the welcome page, not by hand
        self.showing = False

    def welcome(self) -> None:
        self.showing = True
        self.legend.hide()
        for dock in self.docks:
            if not dock.isHidden() and dock not in self.hidden:
                self.hidden.append(dock)
                dock.hide()

    def article(self) -> None:
        self.showing = False
        self.legend.show()
        for dock in self.hidden:
            dock.show()
        self.hidden = []

    @contextmanager
    def as_left(self) -> Iterator[None]:
        """The docks as the researcher set them, for saving the window's layout."""
        restored = [dock for dock in self.hidden if dock.isHidden()]
        for dock in restored:
            dock.setVisible(True)
        try:
            yield
        finally:
            for dock in restored:
                dock.setVisible(False)
