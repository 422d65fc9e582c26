"""Every note in the library, filtered by text, tag, article or name: the researcher's review.

A tab beside the article list. The filters ask the store again (notes are few, and the
full-text index answers text filters); a double click opens the article at the note.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.notes.model import Note
from reader.ui.table_fit import ColumnFiller

ALL_TAGS = "All tags"
SCOPES = ("All articles", "This article", "Notes on names")
COLUMNS = ("Article", "Passage or name", "Note", "Tags", "Changed")
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1


class NotesBrowser(QWidget):
    filtersChanged = Signal()
    noteOpened = Signal(object)  # Note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Filter notes by their words…")
        self.text.setClearButtonEnabled(True)
        self.text.textChanged.connect(lambda _text: self.filtersChanged.emit())
        self.tag = QComboBox(self)
        self.tag.addItem(ALL_TAGS)
        self.tag.currentIndexChanged.connect(lambda _index: self.filtersChanged.emit())
        self.scope = QComboBox(self)
        self.scope.addItems(SCOPES)
        self.scope.currentIndexChanged.connect(lambda _index: self.filtersChanged.emit())
        filters = QHBoxLayout()
        filters.addWidget(self.tag)
        filters.addWidget(self.scope)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("M")
        widths = dict(enumerate(w * em for w in (10, 12, 16)))
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        for column in (3, 4):  # tags and the date: as wide as what they hold
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Room beyond these widths goes to the article, the passage and most to the note.
        self.filler = ColumnFiller(self.table, {0: 1, 1: 1, 2: 2}, widths)
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.text)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    # -- what the filters ask for ------------------------------------------------------------

    def filter_text(self) -> str:
        return self.text.text().strip()

    def filter_tag(self) -> str | None:
        return None if self.tag.currentIndex() <= 0 else self.tag.currentText()

    def filter_scope(self) -> str:
        return ("all", "document", "entities")[self.scope.currentIndex()]

    def set_tags(self, tags: list[str]) -> None:
        current = self.tag.currentText()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(ALL_TAGS)
        self.tag.addItems(tags)
        index = self.tag.findText(current)
        self.tag.setCurrentIndex(max(index, 0))
        self.tag.blockSignals(False)

    # -- the list ------------------------------------------------------------------------------

    def set_notes(self, notes: list[Note], titles: dict[int, str]) -> None:
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(notes))
        for row, note in enumerate(notes):
            if note.kind == "entity":
                article, passage = "(any article)", f"{note.entity_canonical} ({note.entity_kind})"
            else:
                article = titles.get(note.document_id or -1, "")
                passage = "(whole article)" if note.kind == "document" else note.quote
            if note.orphaned:
                passage = "⚠ " + passage
            cells = (
                article,
                " ".join(passage.split()),
                " ".join(note.body.split()),
                ", ".join(note.tags),
                note.modified[:10],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(note.body if column == 2 else text)
                item.setData(NOTE_ROLE, note)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.count_label.setText(
            f"{len(notes):,} note{'s' if len(notes) != 1 else ''}" if notes else "No notes match."
        )

    def _activated(self, item: QTableWidgetItem) -> None:
        note = item.data(NOTE_ROLE)
        if note is not None:
            self.noteOpened.emit(note)
