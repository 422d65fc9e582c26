"""The library panel: every imported article, a filter, and search across them all.

Typing filters the list by title, author and source at once; Enter searches the texts (and
notes) with the full-text index, or, for ``person:Lavrov``-style queries, lists the
documents that mention that entity. Results show a snippet with the match in bold; Enter
or a double click opens the document at the match. The panel knows nothing of the store:
the window answers its signals.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.entities.kinds import Kind
from reader.store import LibraryEntry, parse_entity_query
from reader.ui.rich_delegate import MUTED, RichTextDelegate, span
from reader.ui.table_fit import ColumnFiller

Index = QModelIndex | QPersistentModelIndex
Span = tuple[int, int]

COLUMNS = ("Title", "Author", "Date", "Source", "Added", "People", "Places", "Orgs", "Notes")
_COUNT_KINDS = {5: Kind.PERSON, 6: Kind.PLACE, 7: Kind.ORGANIZATION}
NOTES_COLUMN = 8
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One search result as the panel shows it."""

    document_id: int
    title: str
    detail_html: str  # the snippet or context, with the match in <b>
    span: Span | None  # where to open the document


def marked_html(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    """``text`` escaped for rich text, with each ``(start, end)`` range in bold."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(marks):
        if start < position:
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(f"<b>{html.escape(text[start:end])}</b>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


class LibraryTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[LibraryEntry] = []

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.ToolTipRole and section in _COUNT_KINDS:
            return f"Distinct {_COUNT_KINDS[section].display_name.lower()} named"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == SORT_ROLE:
            if column in _COUNT_KINDS:
                return entry.entity_counts.get(_COUNT_KINDS[column], 0)
            if column == NOTES_COLUMN:
                return entry.note_count
            if column == 4:
                return entry.added.isoformat()
            return (self._display(entry, column) or "").casefold()
        if role == ID_ROLE:
            return entry.id
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [entry.title, entry.path or "(dropped or pasted content)"]
            lines.append(f"{entry.word_count:,} words")
            if not entry.analysed:
                lines.append("Names not found yet: it is analysed in the background.")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and (column in _COUNT_KINDS or column == 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in _COUNT_KINDS and not entry.analysed:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    @staticmethod
    def _display(entry: LibraryEntry, column: int) -> str:
        if column == 0:
            return entry.title
        if column == 1:
            return entry.author
        if column == 2:
            return entry.date
        if column == 3:
            return entry.source
        if column == 4:
            return entry.added.astimezone().strftime("%Y-%m-%d %H:%M")
        if column in _COUNT_KINDS:
            return str(entry.entity_counts.get(_COUNT_KINDS[column], 0)) if entry.analysed else "…"
        return str(entry.note_count) if entry.note_count else ""


class _FilterProxy(QSortFilterProxyModel):
    """Keeps rows whose title, author, date or source contains every typed word, or, while
    search results are shown, the articles the search found.

    The table above the results lists the same articles as the results below: a query
    such as ``person:Lavrov`` is not a title filter, and filtering titles by it would leave
    the table empty above a list of articles that do mention Lavrov.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._ids: frozenset[int] | None = None
        self.setSortRole(SORT_ROLE)

    @property
    def showing_found(self) -> bool:
        return self._ids is not None

    @property
    def filtering(self) -> bool:
        return self._ids is not None or bool(self._words)

    def set_words(self, text: str) -> None:
        """Typed text filters by words; an entity query (``place:Geneva``) does not."""
        words = [] if parse_entity_query(text.strip()) else text.casefold().split()
        self._refilter(words, None)

    def set_ids(self, ids: set[int] | None) -> None:
        """The articles found by a search, or None for the typed words again."""
        self._refilter(self._words, frozenset(ids) if ids is not None else None)

    def _refilter(self, words: list[str], ids: frozenset[int] | None) -> None:
        if words == self._words and ids == self._ids:
            return
        self.beginFilterChange()
        self._words, self._ids = words, ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        if self._ids is not None:
            return model.index(row, 0, parent).data(ID_ROLE) in self._ids
        if not self._words:
            return True
        haystack = " ".join(
            str(model.index(row, column, parent).data() or "") for column in range(4)
        ).casefold()
        return all(word in haystack for word in self._words)


class LibraryPanel(QWidget):
    openRequested = Signal(int, object)  # document id, span to show or None
    removeRequested = Signal(list)  # document ids
    searchRequested = Signal(str)  # Enter in the search field
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LibraryTableModel(self)
        self.proxy = _FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter; Enter searches texts and notes (person:Name)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            "Typing filters the list by title, author, date and source.\n"
            "Enter searches the full text of every article and note.\n"
            "person:Lavrov, place:Geneva or org:UN list the articles that mention that name."
        )
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self._search_entered)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #666;")
        self.count_label.setWordWrap(True)  # a long hint must not widen the dock

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Titles, authors and sources can be long (a list of names, a URL): resizable widths,
        # and the title takes whatever room the panel has beyond them; in a narrow panel the
        # counts follow, scrolled to if need be.
        em = self.fontMetrics().horizontalAdvance("M")
        for column, width in ((0, 17 * em), (1, 8 * em), (3, 8 * em)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setMinimumSectionSize(3 * em)
        self.title_filler = ColumnFiller(self.table, {0: 1}, {0: 17 * em})
        self.table.doubleClicked.connect(self._row_activated)
        self.table.activated.connect(self._row_activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.setWhatsThis("Library list: remove the selected articles")
        remove.activated.connect(self._remove_selected)

        self.results_label = QLabel(self)
        self.results_label.setWordWrap(True)
        close_results = QToolButton(self)
        close_results.setText("✕")
        close_results.setToolTip("Close the search results")
        close_results.setAutoRaise(True)
        close_results.clicked.connect(self.clear_results)
        self.close_results = close_results
        self.results = QListWidget(self)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.itemActivated.connect(self._result_activated)
        self.results.itemDoubleClicked.connect(self._result_activated)
        results_box = QWidget(self)
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_header = QHBoxLayout()
        results_header.addWidget(self.results_label, 1)
        results_header.addWidget(close_results)
        results_layout.addLayout(results_header)
        results_layout.addWidget(self.results, 1)
        self.results_box = results_box
        results_box.hide()

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(results_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

    # -- contents ------------------------------------------------------------------------

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        selected = set(self.selected_ids())
        self.model.set_entries(entries)
        self._update_count()
        if selected:
            self.select_ids(selected)

    def _update_count(self) -> None:
        """How many articles the table lists, and why not all of them."""
        total = self.model.rowCount()
        if not total:
            self.count_label.setText(
                "The library is empty: drop files or folders on the window, or use File › Import."
            )
            return
        articles = f"{total:,} article{'s' if total != 1 else ''}"
        shown = self.proxy.rowCount()
        entity = parse_entity_query(self.search.text().strip())
        if self.proxy.showing_found:
            found = f"{shown:,} article{'s' if shown != 1 else ''} found"
            self.count_label.setText(f"Showing the {found} of {total:,}; ✕ shows all again.")
        elif self.proxy.filtering:
            self.count_label.setText(f"{shown:,} of {articles} match the filter")
        elif entity is not None:
            self.count_label.setText(
                f"{articles}; press Enter to list those that mention “{entity[1]}”."
            )
        else:
            self.count_label.setText(f"{articles} in the library")

    def row_of(self, document_id: int) -> int:
        """The visible row of ``document_id``, or -1."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ID_ROLE) == document_id:
                return row
        return -1

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [int(index.data(ID_ROLE)) for index in rows]

    def select_ids(self, ids: set[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) in ids:
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    # -- search results --------------------------------------------------------------------

    def show_results(self, heading: str, rows: list[ResultRow]) -> None:
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(
                f"<b>{html.escape(row.title)}</b><br>{span(MUTED, row.detail_html)}"
            )
            item.setData(ID_ROLE, (row.document_id, row.span))
            self.results.addItem(item)
        self.results_label.setText(heading)
        self.results_box.show()
        self.proxy.set_ids({row.document_id for row in rows})
        self._update_count()
        if rows:
            self.results.setCurrentRow(0)

    def clear_results(self) -> None:
        self.results.clear()
        self.results_box.hide()
        self.proxy.set_words(self.search.text())
        self._update_count()

    # -- user actions ----------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        # Typing again filters by the words, leaving any results below as they are.
        self.proxy.set_words(text)
        self._update_count()

    def _search_entered(self) -> None:
        query = self.search.text().strip()
        if query:
            self.searchRequested.emit(query)
            self.results.setFocus()

    def _row_activated(self, index: QModelIndex) -> None:
        self.openRequested.emit(int(index.data(ID_ROLE)), None)

    def _result_activated(self, item: QListWidgetItem) -> None:
        document_id, span = item.data(ID_ROLE)
        self.openRequested.emit(int(document_id), span)

    def _remove_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.removeRequested.emit(ids)

    def _table_menu(self, point) -> None:
        ids = self.selected_ids()
        menu = QMenu(self)
        if len(ids) == 1:
            menu.addAction("Open", lambda: self.openRequested.emit(ids[0], None))
        if ids:
            label = "Remove from Library…" if len(ids) == 1 else f"Remove {len(ids)} from Library…"
            menu.addAction(label, lambda: self.removeRequested.emit(ids))
            menu.addSeparator()
        menu.addAction("Import Files or Folders…", self.importRequested.emit)
        menu.popup(self.table.viewport().mapToGlobal(point))
