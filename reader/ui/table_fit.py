"""Table columns that take the room a panel has, so titles and notes are not cut short.

A header either stretches its last column (which in the library is a count and in the notes
list a date: room given to what needs none) or leaves a blank strip at the right while
titles end in "…". ``ColumnFiller`` gives the spare width to the columns that hold prose,
in proportion to their weights, and never makes them narrower than their base width; when
the panel is narrower than the columns, the table scrolls as before.

``panel_table`` is the side panels' list (names, corrections): compact rows picked whole.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget


def panel_table(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    """A side panel's table of ``model``: no grid or row numbers, one line per row at a
    fixed height (a long list lays out no row to measure it), one whole row selected."""
    table = QTableView(parent)
    table.setModel(model)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(parent.fontMetrics().height() + 6)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    return table


class ColumnFiller(QObject):
    def __init__(
        self, view: QTableView, weights: Mapping[int, int], base: Mapping[int, int]
    ) -> None:
        """``weights``: column -> share of the spare width; ``base``: column -> its width
        when there is no room to spare."""
        super().__init__(view)
        self.view = view
        self.weights = dict(weights)
        self.base = dict(base)
        self._fitting = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in self.base.items():
            header.resizeSection(column, width)
        header.sectionResized.connect(self._section_resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        # Another column grew with its contents: the fill columns make way. A fill column
        # dragged by hand keeps its width until the panel itself is resized.
        if not self._fitting and column not in self.weights:
            self.fit()

    def widths(self) -> dict[int, int]:
        """What each fill column should be now."""
        header = self.view.horizontalHeader()
        fixed = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column not in self.weights and not header.isSectionHidden(column)
        )
        spare = self.view.viewport().width() - fixed - sum(self.base.values())
        total = sum(self.weights.values()) or 1
        widths = {}
        for column, weight in self.weights.items():
            extra = max(spare, 0) * weight // total
            widths[column] = self.base.get(column, 0) + extra
        return widths

    def fit(self) -> None:
        header = self.view.horizontalHeader()
        self._fitting = True
        try:
            for column, width in self.widths().items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False
