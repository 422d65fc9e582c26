"""The entity panel: names grouped by kind, with counts, sorting, filtering and stepping."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.spans import Entity
from reader.ui.legend import mentions_phrase, names_phrase
from reader.ui.table_fit import panel_table

Index = QModelIndex | QPersistentModelIndex
NAME_COLUMN, COUNT_COLUMN = 0, 1


class EntityTableModel(QAbstractTableModel):
    """A flat table: a header row per kind, then its entities.

    Flat on purpose: a QTreeView walks every row of an expanded tree on each reset, which for
    a book's thousands of names means tens of thousands of calls into Python; a table asks
    only for the rows on screen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entities: list[Entity] = []
        self._visible: set[Kind] = set(KIND_ORDER)
        self._filter = ""
        self._sort = (COUNT_COLUMN, Qt.SortOrder.DescendingOrder)
        self._rows: list[Kind | Entity] = []  # a Kind is a group header
        self._totals: dict[Kind, int] = {}  # mentions of a group's names
        self._names: dict[Kind, int] = {}  # names in a group
        self.colours: dict[Kind, str] = {}
        # (kind, canonical) -> the texts of the notes on that entity, shown with its name
        self.noted: dict[tuple[str, str], list[str]] = {}

    def set_entities(self, entities: list[Entity], visible: set[Kind]) -> None:
        self._entities = entities
        self._visible = set(visible)
        self._rebuild()

    def set_noted(self, noted: dict[tuple[str, str], list[str]]) -> None:
        """Entities with notes show a ✎ and the notes in their tooltip."""
        self.noted = noted
        if self._rows:
            self.dataChanged.emit(self.index(0, NAME_COLUMN), self.index(len(self._rows) - 1, 0))

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rebuild()

    def _matches(self, entity: Entity) -> bool:
        if not self._filter:
            return True
        if self._filter in entity.canonical.casefold():
            return True
        return any(self._filter in form.casefold() for form in entity.other_forms)

    def _sort_key(self) -> tuple[Any, bool]:
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        if column == COUNT_COLUMN:
            return (lambda e: (-e.count if descending else e.count, e.canonical.casefold())), False
        return (lambda e: e.canonical.casefold()), descending

    def _rebuild(self) -> None:
        key, reverse = self._sort_key()
        groups: dict[Kind, list[Entity]] = {kind: [] for kind in KIND_ORDER}
        for entity in self._entities:
            if entity.kind in self._visible and self._matches(entity):
                groups[entity.kind].append(entity)
        self.beginResetModel()
        self._rows = []
        self._totals = {}
        self._names = {}
        for kind, members in groups.items():
            if members:
                self._rows.append(kind)
                self._rows.extend(sorted(members, key=key, reverse=reverse))
                self._totals[kind] = sum(e.count for e in members)
                self._names[kind] = len(members)
        self.endResetModel()

    # -- lookups ---------------------------------------------------------------------------

    def entity(self, index: Index) -> Entity | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        return row if isinstance(row, Entity) else None

    def is_header(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and isinstance(self._rows[row], Kind)

    def index_of(self, key: tuple[Kind, str]) -> QModelIndex:
        for row, item in enumerate(self._rows):
            if isinstance(item, Entity) and item.key == key:
                return self.index(row, NAME_COLUMN)
        return QModelIndex()

    def names(self, kind: Kind) -> list[str]:
        return [r.canonical for r in self._rows if isinstance(r, Entity) and r.kind == kind]

    # -- the model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Name", "Mentions")[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.is_header(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if isinstance(item, Kind):
            if role == Qt.ItemDataRole.DisplayRole:
                # The group's row counts its names beside its name and its mentions under
                # "Mentions", so neither number is taken for the other.
                if index.column() == NAME_COLUMN:
                    return f"{item.display_name} · {names_phrase(self._names.get(item, 0))}"
                return str(self._totals.get(item, 0))
            if role == Qt.ItemDataRole.ToolTipRole:
                names, mentions = self._names.get(item, 0), self._totals.get(item, 0)
                return (
                    f"{item.display_name}: {names_phrase(names)}, {mentions_phrase(mentions)} "
                    "in this document"
                )
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(self.colours.get(item, "#eeeeee"))
        elif role == Qt.ItemDataRole.DisplayRole:
            if index.column() != NAME_COLUMN:
                return str(item.count)
            noted = (item.kind.value, item.canonical) in self.noted
            return f"{item.canonical}  ✎" if noted else item.canonical
        elif role == Qt.ItemDataRole.ToolTipRole:
            also = item.other_forms
            text = f"{item.canonical}: {item.count} mention{'s' if item.count != 1 else ''}"
            text += f"\nalso: {', '.join(also[:8])}" if also else ""
            notes = self.noted.get((item.kind.value, item.canonical), [])
            return text + "".join(f"\n✎ {note}" for note in notes[:3])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class EntityPanel(QWidget):
    entitySelected = Signal(object)  # Entity or None
    stepRequested = Signal(int)  # +1 next mention, -1 previous
    libraryLookupRequested = Signal(object)  # Entity: which library articles mention it?
    noteRequested = Signal(object)  # Entity: write a note on it
    menuAboutToShow = Signal(object, object)  # QMenu, Entity: the corrections add their items

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityTableModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter names…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.table = panel_table(self.model, self)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COUNT_COLUMN, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COUNT_COLUMN, self.fontMetrics().horizontalAdvance("Mentions") + 28)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._look_up)
        self.previous_button = QPushButton("◀ Previous", self)
        self.previous_button.setToolTip("Previous mention (Shift+F3)")
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.setToolTip("Next mention (F3)")
        self.previous_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.next_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.position_label = QLabel(self)
        self.position_label.setStyleSheet("color: #666;")
        # "1234 of 5678" must not widen the dock (and re-wrap the text beside it).
        self.position_label.setMinimumWidth(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.position_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._selected: tuple[Kind, str] | None = None
        self._set_stepping_enabled(False)

    def set_entities(self, entities: list[Entity], visible: set[Kind], colours: dict[Kind, str]):
        self.model.colours = colours
        self.table.selectionModel().blockSignals(True)
        self.model.set_entities(entities, visible)
        self._restore_selection()
        self.table.selectionModel().blockSignals(False)

    def selected_entity(self) -> Entity | None:
        return self.model.entity(self.table.currentIndex())

    def set_position(self, current: int, total: int) -> None:
        self.position_label.setText(f"{current} of {total}" if total else "")

    def _filter_changed(self, text: str) -> None:
        self.table.selectionModel().blockSignals(True)
        self.model.set_filter(text)
        self._restore_selection()
        self.table.selectionModel().blockSignals(False)

    def _restore_selection(self) -> None:
        if self._selected is None:
            return
        index = self.model.index_of(self._selected)
        if index.isValid():
            self.table.setCurrentIndex(index)
        else:
            self._selected = None
            self._set_stepping_enabled(False)
            self.entitySelected.emit(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entity = self.model.entity(current)
        self._selected = entity.key if entity else None
        self._set_stepping_enabled(entity is not None)
        self.entitySelected.emit(entity)

    def _context_menu(self, point) -> None:
        entity = self.model.entity(self.table.indexAt(point))
        if entity is None:
            return
        menu = QMenu(self)
        menu.addAction("Next Mention", lambda: self.stepRequested.emit(1))
        menu.addAction(
            f"Find “{entity.canonical}” in the Library",
            lambda: self.libraryLookupRequested.emit(entity),
        )
        menu.addAction(
            f"Add Note on “{entity.canonical}”…", lambda: self.noteRequested.emit(entity)
        )
        self.menuAboutToShow.emit(menu, entity)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _look_up(self, index: QModelIndex) -> None:
        entity = self.model.entity(index)
        if entity is not None:
            self.libraryLookupRequested.emit(entity)

    def _set_stepping_enabled(self, enabled: bool) -> None:
        self.previous_button.setEnabled(enabled)
        self.next_button.setEnabled(enabled)
        if not enabled:
            self.position_label.setText("")
