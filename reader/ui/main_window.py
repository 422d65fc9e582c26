"""The main window: assembly of the reading view, the panels, the menus and the status bar.

It builds the widgets and the objects behind them and connects them; it keeps no state of
the open article (that is the ``ReadingSession``'s) and no use case (those are the
controllers': ``opening``, ``library_controller``, ``notes_controller``, and printing's
``print_dialogs``). Controllers never import the window: they reach the researcher through
the ``MessageBridge`` and ask for a panel with a signal.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader import settings as settings_module
from reader.documents.loader import file_dialog_filter
from reader.documents.model import Document
from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.models import installed_models
from reader.entities.spans import Mention
from reader.services.analysis_cache import AnalysisCache
from reader.settings import Settings
from reader.store import Store
from reader.tasks.analysis_feed import AnalysisFeed
from reader.tasks.backend import AnalysisBackend
from reader.tasks.loading import DocumentLoader
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.session import ReadingSession
from reader.tasks.store_watcher import StoreWatcher
from reader.ui import reading_style
from reader.ui.corrections_controller import CorrectionsController
from reader.ui.dialogs import AboutDialog, PreferencesDialog
from reader.ui.dropped import can_accept, read_mime
from reader.ui.entity_panel import EntityPanel
from reader.ui.entity_sync import EntitySync
from reader.ui.find_bar import FindBar
from reader.ui.help_pages import HelpPages
from reader.ui.legend import Legend
from reader.ui.library_controller import LibraryController
from reader.ui.menus import build_menus
from reader.ui.notes_controller import NotesController
from reader.ui.notice_bar import NoticeBar
from reader.ui.opening import DocumentController
from reader.ui.reader_view import ReaderView
from reader.ui.reading_position import ReadingPositions
from reader.ui.status import AnalysisStatus
from reader.ui.stepping import Stepper
from reader.ui.welcome import WelcomeChrome, WelcomeView

if TYPE_CHECKING:
    from reader.ui.print_dialogs import PrintActions

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    documentShown = Signal(object)  # Document
    analysisDone = Signal(float)  # seconds (0 when the library's cache answered)
    recent_menu: QMenu  # File › Open Recent, made by ``build_menus``
    corrections_action: QAction  # View › Corrections, made by ``build_menus``

    def __init__(
        self, settings: Settings, worker: AnalysisBackend, store: Store | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.worker = worker
        self.setWindowTitle("reader")
        self.setAcceptDrops(True)
        self.messages = MessageBridge(self)
        self.session = ReadingSession(self)
        self.runner = OperationsRunner(store, self.messages, self)
        self.cache = AnalysisCache(settings.model)
        self.feed = AnalysisFeed(self.session, worker, self)
        self._printing: PrintActions | None = None
        self._build_widgets()
        self.positions = ReadingPositions(self.session, self.view, settings, self)
        self.documents = DocumentController(
            self.session,
            self.feed,
            self.runner,
            self.cache,
            self.messages,
            settings,
            self.view,
            self,
            lambda: self.status.model_failed,  # the status bar is made below
        )
        self.library = LibraryController(
            self.session, self.runner, self.cache, worker, self.messages, self
        )
        self.notes = NotesController(self.session, self.runner, self.messages, self.view, self)
        self.corrections = CorrectionsController(
            self.session, self.runner, self.messages, self.view, self.panel, self
        )
        self.watcher = StoreWatcher(self.runner, self)
        self._build_docks()
        self.entity_sync = EntitySync(
            self.session, self.panel, self.legend, self._colours(), settings.visible, self
        )
        self.help = HelpPages(self)
        self.kind_actions: dict[Kind, QAction] = build_menus(self)
        self._rebuild_recent_menu()
        self._connect()
        self.view.highlights.set_style(self._colours(), self.settings.visible)
        self.apply_reading_font()
        self.restore_layout()
        self.chrome = WelcomeChrome(
            self.legend, [self.dock, self.notes_dock, self.corrections_dock]
        )
        self.stack.setCurrentWidget(self.welcome)
        self.chrome.welcome()
        if self.runner.available:
            # After the window is up: the rules, then a look at the library four times a
            # second for changes made elsewhere (a command in a shell).
            QTimer.singleShot(0, self.corrections.load)
            QTimer.singleShot(0, self.watcher.start)

    # -- what the window shows of the session ------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self.session.document

    @property
    def document_id(self) -> int | None:
        return self.session.document_id

    @property
    def model_failed(self) -> bool:
        return self.status.model_failed

    @property
    def model_description(self) -> str:
        return self.status.model_description

    @property
    def loader(self) -> DocumentLoader:
        return self.documents.loader

    @property
    def printing(self) -> PrintActions:
        """File › Print and the exports; made on first use (printing is not needed to start)."""
        if self._printing is None:
            from reader.ui.print_dialogs import PrintActions

            self._printing = PrintActions(self.session, self.settings, self.messages, self)
        return self._printing

    # -- construction ----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.view = ReaderView(self.session, self)
        self.legend = Legend(self._colours(), self.settings.visible, self)
        self.notice = NoticeBar(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.legend)
        layout.addWidget(self.find_bar)
        self.welcome = WelcomeView(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.welcome)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.panel = EntityPanel(self)
        self.stepper = Stepper(
            self.view,
            self.panel,
            self.find_bar,
            lambda hint: self.statusBar().showMessage(hint, 4000),
        )
        self.status = AnalysisStatus(
            self.session,
            self.worker,
            self.messages,
            self.statusBar(),
            lambda: self.settings.visible,
        )
        self.progress = self.status.progress
        self.model_label = self.status.model_label

    def _build_docks(self) -> None:
        self.dock = QDockWidget("Entities", self)
        self.dock.setObjectName("entities-dock")
        self.dock.setWidget(self.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes-dock")
        self.notes_dock.setWidget(self.notes.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.notes_dock)
        self.tabifyDockWidget(self.dock, self.notes_dock)
        self.dock.raise_()
        self.corrections_dock = QDockWidget("Corrections", self)
        self.corrections_dock.setObjectName("corrections-dock")
        self.corrections_dock.setWidget(self.corrections.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.corrections_dock)
        self.tabifyDockWidget(self.notes_dock, self.corrections_dock)
        self.dock.raise_()
        self.library_dock = QDockWidget("Library", self)
        self.library_dock.setObjectName("library-dock")
        self.library_tabs = QTabWidget(self.library_dock)
        self.library_tabs.setDocumentMode(True)
        self.library_tabs.addTab(self.library.panel, "Articles")
        self.library_tabs.addTab(self.notes.browser, "Notes")
        self.library_dock.setWidget(self.library_tabs)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)

    def _connect(self) -> None:
        """Who hears whom: the whole wiring of the window, in one place."""
        session, view, panel = self.session, self.view, self.panel
        self.messages.notice.connect(self.show_notice)
        self.messages.status.connect(self.statusBar().showMessage)
        # The worker's model, the open article's analysis.
        self.status.modelLoaded.connect(self.library.model_ready)
        self.status.analysisDone.connect(self.analysisDone)
        session.documentChanged.connect(self._document_changed)
        # Opening, from the library, a note, the welcome page.
        self.documents.recentChanged.connect(self._rebuild_recent_menu)
        self.library.documentLoaded.connect(self.documents.show_from_library)
        self.library.panelWanted.connect(self._show_library_panel)
        self.notes.documentRequested.connect(self.library.open_document)
        self.notes.mentionsRequested.connect(self.library.show_mentions)
        self.notes.notesWanted.connect(self._show_notes_panel)
        self.corrections.panelWanted.connect(self.show_corrections_panel)
        self.welcome.openRequested.connect(self.choose_file)
        self.welcome.importRequested.connect(self.choose_import_folder)
        self.welcome.sampleRequested.connect(lambda: self.open_path(paths.sample_article()))
        # The reading view and the entity panel.
        view.zoomRequested.connect(self.zoom_by)
        view.libraryLookupRequested.connect(self._look_up)
        view.noteRequested.connect(self.notes.add_passage_note)
        view.entityNoteRequested.connect(self._note_on_mention)
        view.citationRequested.connect(self.notes.copy_citation)
        panel.libraryLookupRequested.connect(self._look_up)
        panel.noteRequested.connect(self.notes.add_entity_note)
        panel.entitySelected.connect(self.stepper.entity_selected)
        panel.stepRequested.connect(lambda step: self.stepper.step(step, "entity"))
        self.legend.visibilityChanged.connect(self.set_visible_kinds)
        self.find_bar.stepRequested.connect(lambda step: self.stepper.step(step, "find"))
        self.find_bar.matchesChanged.connect(self.stepper.find_matches_changed)
        self.find_bar.origin = self.stepper.find_origin
        self.find_bar.closed.connect(view.setFocus)

    # -- opening documents -------------------------------------------------------------------

    def open_path(self, path: str | Path) -> bool:
        return self.documents.open_path(path)

    def choose_file(self) -> None:
        start = (
            str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files else ""
        )
        path, _ = QFileDialog.getOpenFileName(self, "Open article", start, file_dialog_filter())
        if path:
            self.open_path(path)

    def choose_import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import articles into the library", "", file_dialog_filter()
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import every article in a folder")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths_to_import: list[Path]) -> None:
        self.library.import_paths(paths_to_import)

    def receive_files(self, files: list[str]) -> None:
        """Files handed over by a second ``reader FILE``: this window opens them."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        if len(files) == 1 and Path(files[0]).is_file():
            self.open_path(files[0])
        elif files:
            self.import_paths([Path(f) for f in files])

    def focus_library_search(self) -> None:
        self._show_library_panel()
        self.library.panel.search.setFocus()
        self.library.panel.search.selectAll()

    def _show_library_panel(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()
        self.library_tabs.setCurrentWidget(self.library.panel)

    def _show_notes_panel(self) -> None:
        self.notes_dock.show()
        self.notes_dock.raise_()

    def show_corrections_panel(self) -> None:
        self.corrections_dock.show()
        self.corrections_dock.raise_()
        self.corrections.panel.table.setFocus()

    def toggle_corrections_panel(self) -> None:
        """View › Corrections (Ctrl+Shift+R): to the front, or away when already in front."""
        dock = self.corrections_dock
        in_front = dock.isVisible() and not dock.visibleRegion().isEmpty()
        if in_front and dock.isAncestorOf(self.focusWidget()):
            dock.hide()
        else:
            self.show_corrections_panel()

    def _look_up(self, name: Mention | object) -> None:
        """A name in the text or the panel: which library articles mention it?"""
        canonical, kind = getattr(name, "canonical", ""), getattr(name, "kind", None)
        self.library.show_mentions(canonical, kind)

    def _note_on_mention(self, mention: Mention) -> None:
        entity = self.session.entity_of(mention)
        if entity is not None:
            self.notes.add_entity_note(entity)

    @Slot(object)
    def _document_changed(self, document: Document) -> None:
        self.stack.setCurrentWidget(self.view)
        self.chrome.article()
        self.notice.hide()
        self.stepper.clear()
        self.find_bar.set_text(document.text)
        title = document.metadata.title or Path(document.metadata.path).name
        self.setWindowTitle(f"{title} — reader")
        if document.metadata.notice:
            self.notice.show_message(document.metadata.notice, "info")
            self.statusBar().showMessage(document.metadata.notice, 15_000)
        self.documentShown.emit(document)

    def show_notice(self, message: str, level: str = "error") -> None:
        self.notice.show_message(message, level)
        self.statusBar().showMessage(message, 10_000)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files))

    # -- drag and drop: one file opens; several files or folders import; content is added ------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        # A selection dragged out of our own view must not come back as a new article.
        if event.source() is None and can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not None:
            return
        items = read_mime(event.mimeData())
        if items is None:
            return
        event.acceptProposedAction()
        if items.single_file is not None:
            self.open_path(items.single_file)
        elif items.files or items.folders:
            self.import_paths([*items.files, *items.folders])
        elif items.content is not None:
            self.library.add_content(items.content)
        elif items.message:
            self.show_notice(items.message, "info")

    # -- legend, stepping, find --------------------------------------------------------------

    def _colours(self) -> dict[Kind, str]:
        return {kind: self.settings.colour(kind) for kind in KIND_ORDER}

    def set_visible_kinds(self, kinds: set[Kind]) -> None:
        self.settings.visible_kinds = [k.value for k in KIND_ORDER if k in kinds]
        self.legend.set_visible(kinds)
        for kind, action in self.kind_actions.items():
            action.setChecked(kind in kinds)
        self.view.highlights.set_style(self._colours(), kinds)
        self.entity_sync.set_style(self._colours(), kinds)

    def _kind_action_toggled(self) -> None:
        self.set_visible_kinds({k for k, a in self.kind_actions.items() if a.isChecked()})

    def step(self, direction: int, source: str = "") -> None:
        """F3 / Shift+F3: the next or previous mention of the selected entity, or find match."""
        self.stepper.step(direction, source)

    # -- zoom and fonts ----------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        size = self.settings.font_size + self.settings.zoom + steps
        if reading_style.MIN_FONT_SIZE <= size <= reading_style.MAX_FONT_SIZE:
            self.settings.zoom += steps
            self.apply_reading_font()

    def reset_zoom(self) -> None:
        self.settings.zoom = 0
        self.apply_reading_font()

    def apply_reading_font(self) -> None:
        size = self.settings.font_size + self.settings.zoom
        self.view.set_reading_font(reading_style.reading_font(self.settings.font_family, size))

    # -- dialogs -----------------------------------------------------------------------------

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, installed_models(), self)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        old_model = self.settings.model
        dialog.apply_to(self.settings)
        self.legend.set_colours(self._colours())
        self.view.highlights.set_style(self._colours(), self.settings.visible)
        self.entity_sync.set_style(self._colours(), self.settings.visible)
        self.apply_reading_font()
        if self.settings.model != old_model:
            self.status.model_loading()
            self.library.model_changed(self.settings.model)
            self.worker.set_model(self.settings.model)
            self.documents.model_changed()
        self.save_settings()

    def show_about(self) -> None:
        AboutDialog(self.model_description, self).exec()

    # -- persistence -------------------------------------------------------------------------

    def restore_layout(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))
        else:
            self.resize(1280, 820)
        if self.settings.window_state:
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode()))
        else:
            self.resizeDocks([self.dock, self.library_dock], [320, 440], Qt.Orientation.Horizontal)
            self.library_dock.hide()  # shown on first import or search; Ctrl+L toggles it

    def save_settings(self) -> None:
        self.settings.window_geometry = self.saveGeometry().toBase64().toStdString()
        with self.chrome.as_left():  # not the welcome page's hidden docks
            self.settings.window_state = self.saveState().toBase64().toStdString()
        try:
            settings_module.save(self.settings)
        except OSError as exc:
            log.warning("Could not save settings: %s", exc)

    def changeEvent(self, event: QEvent) -> None:
        # Back from another window (perhaps a terminal running `reader import`): catch up.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.runner.announce(Changes.EVERYTHING)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # What must not be lost goes first: the note being typed is written, the reading
        # position and the settings are saved. A few milliseconds.
        self.notes.flush()
        self.positions.remember()
        self.watcher.stop()  # the library's changes elsewhere no longer matter here
        self.view.builder.stop()
        self.save_settings()
        event.accept()
        # Then the window goes from the screen at once, and what can take a while happens
        # after: the library's queued writes finishing, the helper processes stopping.
        self.hide()
        QGuiApplication.sync()
        self.shutdown()

    def shutdown(self) -> None:
        """Finish the library's writes and stop the helper processes (the window is gone)."""
        self.documents.shutdown()
        self.library.shutdown_import()
        self.runner.shutdown()
