"""The legend's counts and the entity panel, kept in step with the session's names.

While a long text is analysed the names are regrouped every second; refreshing the panel
each time would redraw thousands of rows for nothing, so it catches up at most every
``PANEL_REFRESH_MS``, and at once when the analysis ends.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from reader.entities.kinds import Kind
from reader.tasks.session import ReadingSession
from reader.ui.entity_panel import EntityPanel
from reader.ui.legend import Legend

PANEL_REFRESH_MS = 700  # how often the panel catches up while a long text is analysed


class EntitySync(QObject):
    def __init__(
        self,
        session: ReadingSession,
        panel: EntityPanel,
        legend: Legend,
        colours: dict[Kind, str],
        visible: set[Kind],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = panel
        self.legend = legend
        self.colours = dict(colours)
        self.visible = set(visible)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PANEL_REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        session.documentChanged.connect(self._document_changed)
        session.entitiesChanged.connect(self._entities_changed)
        session.analysisFinished.connect(self._analysis_finished)
        session.notesChanged.connect(self._notes_changed)

    def set_style(self, colours: dict[Kind, str], visible: set[Kind]) -> None:
        self.colours, self.visible = dict(colours), set(visible)
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        entities = self.session.entities()
        self.legend.set_counts(entities)
        self.panel.set_entities(entities, self.visible, self.colours)

    def _document_changed(self) -> None:
        self._timer.stop()
        self.panel.set_entities([], self.visible, self.colours)
        self.legend.set_counts([])

    def _entities_changed(self) -> None:
        if not self.session.analysing:
            self.refresh()  # a cached or corrected set: all at once
        elif not self._timer.isActive():
            self._timer.start()

    def _analysis_finished(self) -> None:
        self.refresh()

    def _notes_changed(self) -> None:
        self.panel.model.set_noted(self.session.noted_entities())
