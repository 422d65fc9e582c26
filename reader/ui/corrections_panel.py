"""The Corrections panel: every rule about names, with what it changes, a filter and undo.

Rules are listed in the order they apply (a later one wins), each with the mentions it
changes in the open article and across the library; undone rules stay listed, greyed, so
an undo can itself be undone (Redo). Keyboard: the filter field, then the table; Delete or
Ctrl+Z undoes the selected rule, Ctrl+Shift+Z or Ctrl+Y redoes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.store.corrections import StoredRule
from reader.ui.table_fit import panel_table

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("#", "Correction", "Here", "Library")
ID_COLUMN, RULE_COLUMN, HERE_COLUMN, LIBRARY_COLUMN = range(4)


class CorrectionsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[StoredRule] = []
        self._rows: list[StoredRule] = []
        self._filter = ""
        self.document: str | None = None  # the open article's text hash
        self.here: dict[int, int] = {}  # rule id -> mentions changed in the open article

    def set_rules(self, rules: list[StoredRule]) -> None:
        self._all = list(rules)
        self._rebuild()

    def set_here(self, document: str | None, counts: dict[int, int]) -> None:
        self.document, self.here = document, dict(counts)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, RULE_COLUMN), self.index(len(self._rows) - 1, HERE_COLUMN)
            )

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._rows = [s for s in self._all if self._filter in s.rule.describe().casefold()]
        self.endResetModel()

    def stored(self, index: Index) -> StoredRule | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()]

    def row_of(self, rule_id: int) -> int | None:
        return next((n for n, s in enumerate(self._rows) if s.id == rule_id), None)

    @property
    def rules(self) -> list[StoredRule]:
        return list(self._all)

    # -- the model interface -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return (
                "The order rules apply in: a later rule wins",
                "What the rule says, for the whole library unless it names an article",
                "Mentions it changes in the open article",
                "Mentions it changes in the library's analysed articles",
            )[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        stored = self.stored(index)
        if stored is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(stored, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            state = f"undone {stored.undone[:16].replace('T', ' ')}" if stored.undone else ""
            made = f"added {stored.created[:16].replace('T', ' ')} (UTC)"
            return f"{stored.rule.describe()}\n{made}" + (f", {state}" if state else "")
        if role == Qt.ItemDataRole.ForegroundRole and not stored.active:
            return QColor("#8a8a8a")
        if role == Qt.ItemDataRole.FontRole and not stored.active:
            font = QFont()
            font.setStrikeOut(column == RULE_COLUMN)
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ID_COLUMN,
            HERE_COLUMN,
            LIBRARY_COLUMN,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, stored: StoredRule, column: int) -> str:
        rule = stored.rule
        if column == ID_COLUMN:
            return str(stored.id)
        if column == RULE_COLUMN:
            if rule.document is None:
                return rule.describe()
            where = "this article" if rule.document == self.document else "another article"
            return rule.describe().replace(" in one article", f" in {where}")
        if not stored.active:
            return "undone" if column == LIBRARY_COLUMN else ""
        if column == HERE_COLUMN:
            return f"{self.here.get(stored.id, 0):,}"
        return f"{stored.changes:,}"


def _button(text: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class CorrectionsPanel(QWidget):
    undoRequested = Signal(int)  # rule id
    redoRequested = Signal(int)
    exportRequested = Signal()
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CorrectionsModel(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setMinimumWidth(60)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter corrections…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.table = panel_table(self.model, self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RULE_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in (ID_COLUMN, HERE_COLUMN, LIBRARY_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.undo_button = _button("Undo", "Undo the selected correction (Delete, Ctrl+Z)", self)
        self.undo_button.clicked.connect(self.undo_selected)
        self.redo_button = _button(
            "Redo", "Put the selected undone correction back (Ctrl+Shift+Z)", self
        )
        self.redo_button.clicked.connect(self.redo_selected)
        # Export and Import share one button: the dock is narrow, and shares its width with
        # the entity and notes panels.
        self.share_button = _button("Share", "Export or import a file of corrections", self)
        self.share_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        share = QMenu(self.share_button)
        self.export_action = share.addAction("Export Corrections…", self.exportRequested.emit)
        self.import_action = share.addAction("Import Corrections…", self.importRequested.emit)
        self.share_button.setMenu(share)
        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.undo_selected),
            (QKeySequence.StandardKey.Undo, self.undo_selected),
            (QKeySequence.StandardKey.Redo, self.redo_selected),
            (QKeySequence("Ctrl+Shift+Z"), self.redo_selected),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.share_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.filter_edit, self.table)
        self.set_rules([])

    def set_rules(self, rules: list[StoredRule], *, writable: bool = True) -> None:
        selected = self.selected()
        self.model.set_rules(rules)
        if selected is not None:
            self.select(selected.id)
        active = sum(1 for r in rules if r.active)
        if not rules:
            self.heading.setText(
                "No corrections yet. Right-click a name to say it is not a name, of another "
                "kind or the same as another; select words to mark a missed name."
            )
        else:
            undone = len(rules) - active
            text = f"{active} correction{'s' if active != 1 else ''} in force"
            self.heading.setText(text + (f", {undone} undone" if undone else ""))
        self.import_action.setEnabled(writable)
        self._writable = writable
        self._update_buttons()

    def set_here(self, document: str | None, counts: dict[int, int]) -> None:
        self.model.set_here(document, counts)

    def selected(self) -> StoredRule | None:
        return self.model.stored(self.table.currentIndex())

    def select(self, rule_id: int) -> bool:
        row = self.model.row_of(rule_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, RULE_COLUMN))
        return True

    def undo_selected(self) -> None:
        stored = self.selected()
        if stored is not None and stored.active:
            self.undoRequested.emit(stored.id)

    def redo_selected(self) -> None:
        stored = self.selected()
        if stored is not None and not stored.active:
            self.redoRequested.emit(stored.id)

    def _filter_changed(self, text: str) -> None:
        selected = self.selected()
        self.model.set_filter(text)
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        stored = self.selected()
        writable = getattr(self, "_writable", True)
        self.undo_button.setEnabled(writable and stored is not None and stored.active)
        self.redo_button.setEnabled(writable and stored is not None and not stored.active)
