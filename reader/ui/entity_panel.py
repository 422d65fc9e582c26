"""The entity panel: names grouped by kind, with counts, sorting, filtering and stepping."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.spans import Entity

Index = QModelIndex | QPersistentModelIndex
NAME_COLUMN, COUNT_COLUMN = 0, 1


class EntityTreeModel(QAbstractItemModel):
    """Kinds at the top level, their entities below; ids: 0 for a kind, kind row + 1 below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entities: list[Entity] = []
        self._visible: set[Kind] = set(KIND_ORDER)
        self._filter = ""
        self._sort = (COUNT_COLUMN, Qt.SortOrder.DescendingOrder)
        self._groups: list[tuple[Kind, list[Entity]]] = []
        self.colours: dict[Kind, str] = {}

    def set_entities(self, entities: list[Entity], visible: set[Kind]) -> None:
        self._entities = entities
        self._visible = set(visible)
        self._regroup()

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._regroup()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._regroup()

    def _matches(self, entity: Entity) -> bool:
        if not self._filter:
            return True
        if self._filter in entity.canonical.casefold():
            return True
        return any(self._filter in form.casefold() for form in entity.other_forms)

    def _regroup(self) -> None:
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        if column == COUNT_COLUMN:

            def key(e: Entity) -> Any:
                return (-e.count if descending else e.count, e.canonical.casefold())

            reverse = False
        else:

            def key(e: Entity) -> Any:
                return e.canonical.casefold()

            reverse = descending
        self.beginResetModel()
        self._groups = []
        for kind in KIND_ORDER:
            if kind not in self._visible:
                continue
            members = [e for e in self._entities if e.kind == kind and self._matches(e)]
            if members:
                self._groups.append((kind, sorted(members, key=key, reverse=reverse)))
        self.endResetModel()

    # -- lookups ---------------------------------------------------------------------------

    def entity(self, index: Index) -> Entity | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def index_of(self, key: tuple[Kind, str]) -> QModelIndex:
        for group_row, (kind, members) in enumerate(self._groups):
            if kind != key[0]:
                continue
            for row, entity in enumerate(members):
                if entity.canonical == key[1]:
                    return self.createIndex(row, 0, group_row + 1)
        return QModelIndex()

    def group_index(self, row: int) -> QModelIndex:
        return self.createIndex(row, 0, 0)

    # -- the model interface -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not parent.isValid():
            if 0 <= row < len(self._groups):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        members = self._groups[parent.row()][1]
        if 0 <= row < len(members):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Name", "Mentions")[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            kind, members = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == NAME_COLUMN:
                    return kind.display_name
                return str(sum(e.count for e in members))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return QColor(self.colours.get(kind, "#ddd"))
            return None
        entity = self._groups[index.internalId() - 1][1][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entity.canonical if index.column() == NAME_COLUMN else str(entity.count)
        if role == Qt.ItemDataRole.ToolTipRole:
            also = entity.other_forms
            text = f"{entity.canonical}: {entity.count} mention{'s' if entity.count != 1 else ''}"
            return text + (f"\nalso: {', '.join(also[:8])}" if also else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class EntityPanel(QWidget):
    entitySelected = Signal(object)  # Entity or None
    stepRequested = Signal(int)  # +1 next mention, -1 previous

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityTreeModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter names…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COUNT_COLUMN, Qt.SortOrder.DescendingOrder)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(
            COUNT_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.setAlternatingRowColors(True)
        self.previous_button = QPushButton("◀ Previous", self)
        self.previous_button.setToolTip("Previous mention (Shift+F3)")
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.setToolTip("Next mention (F3)")
        self.previous_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.next_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.position_label = QLabel(self)
        self.position_label.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.position_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._selected: tuple[Kind, str] | None = None
        self._set_stepping_enabled(False)

    def set_entities(self, entities: list[Entity], visible: set[Kind], colours: dict[Kind, str]):
        self.model.colours = colours
        self.tree.selectionModel().blockSignals(True)
        self.model.set_entities(entities, visible)
        self.tree.expandAll()
        self._restore_selection()
        self.tree.selectionModel().blockSignals(False)

    def selected_entity(self) -> Entity | None:
        return self.model.entity(self.tree.currentIndex())

    def set_position(self, current: int, total: int) -> None:
        self.position_label.setText(f"{current} of {total}" if total else "")

    def _filter_changed(self, text: str) -> None:
        self.tree.selectionModel().blockSignals(True)
        self.model.set_filter(text)
        self.tree.expandAll()
        self._restore_selection()
        self.tree.selectionModel().blockSignals(False)

    def _restore_selection(self) -> None:
        if self._selected is None:
            return
        index = self.model.index_of(self._selected)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        else:
            self._selected = None
            self._set_stepping_enabled(False)
            self.entitySelected.emit(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entity = self.model.entity(current)
        self._selected = entity.key if entity else None
        self._set_stepping_enabled(entity is not None)
        self.entitySelected.emit(entity)

    def _set_stepping_enabled(self, enabled: bool) -> None:
        self.previous_button.setEnabled(enabled)
        self.next_button.setEnabled(enabled)
        if not enabled:
            self.position_label.setText("")
