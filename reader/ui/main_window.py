"""The main window: menus, the reading view, the legend, the entity panel, the status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader import settings as settings_module
from reader.documents.loader import FORMATS, file_dialog_filter, load_document
from reader.documents.model import Document
from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.models import installed_models
from reader.entities.spans import Entity, Mention, group_entities
from reader.errors import ReaderError
from reader.settings import Settings
from reader.store import Store
from reader.tasks.analysis import AnalysisJob
from reader.tasks.loading import DocumentLoader
from reader.ui import reading_style
from reader.ui.dialogs import AboutDialog, PreferencesDialog
from reader.ui.dropped import can_accept, read_mime
from reader.ui.entity_panel import EntityPanel
from reader.ui.find_bar import FindBar
from reader.ui.legend import Legend
from reader.ui.library_controller import LibraryController
from reader.ui.menus import build_menus
from reader.ui.notes_controller import NotesController
from reader.ui.notice_bar import NoticeBar
from reader.ui.reader_view import ReaderView
from reader.ui.stepping import Stepper
from reader.ui.welcome import WelcomeView

log = logging.getLogger(__name__)

BACKGROUND_LOAD_BYTES = 512 * 1024  # above this a file is read and parsed off the GUI thread
# Formats parsed by native libraries (pdfium, libxml2) or heavy extraction always load in the
# helper process: a damaged file can then at worst stop that process, never the window.
BACKGROUND_SUFFIXES = frozenset(
    s for f in FORMATS if f.key not in ("text", "markdown") for s in f.suffixes
)
PANEL_REFRESH_MS = 700  # how often the panel catches up while a long text is analysed


class MainWindow(QMainWindow):
    documentShown = Signal(object)  # Document
    analysisDone = Signal(float)  # seconds

    def __init__(self, settings: Settings, worker, store: Store | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.worker = worker
        self.document: Document | None = None
        self.document_id: int | None = None  # its library entry, when there is a library
        self.revision = 0
        self.model_description = "loading…"
        self.model_failed = False
        self.setWindowTitle("reader")
        self.setAcceptDrops(True)
        self.loader = DocumentLoader(self)
        self.loader.loaded.connect(self._document_loaded)
        self.loader.failed.connect(self._document_failed)
        self.library = LibraryController(self, store, worker, settings.model)
        self.notes = NotesController(self)
        self.import_summary = None  # the last summary box, kept for tests and screenshots
        self._build_widgets()
        self._build_actions()
        self._connect_worker()
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(PANEL_REFRESH_MS)
        self._panel_timer.timeout.connect(self.refresh_entities)
        self.view.highlights.set_style(self._colours(), self.settings.visible)
        self.apply_reading_font()
        self.restore_layout()
        self.stack.setCurrentWidget(self.welcome)

    # -- construction ----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.view = ReaderView(self)
        self.view.zoomRequested.connect(self.zoom_by)
        self.view.libraryLookupRequested.connect(
            lambda mention: self.library.show_mentions(mention.canonical, mention.kind)
        )
        self.view.noteRequested.connect(lambda: self.notes.add_passage_note())
        self.view.entityNoteRequested.connect(self._note_on_mention)
        self.view.citationRequested.connect(lambda: self.notes.copy_citation())
        self.view.visibleOffsetChanged.connect(self._visible_offset_changed)
        self.legend = Legend(self._colours(), self.settings.visible, self)
        self.legend.visibilityChanged.connect(self.set_visible_kinds)
        self.notice = NoticeBar(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.find_bar.stepRequested.connect(lambda step: self.stepper.step(step, "find"))
        self.find_bar.closed.connect(self.view.setFocus)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.legend)
        layout.addWidget(self.find_bar)
        self.welcome = WelcomeView(self)
        self.welcome.openRequested.connect(self.choose_file)
        self.welcome.importRequested.connect(self.choose_import_folder)
        self.welcome.sampleRequested.connect(lambda: self.open_path(paths.sample_article()))
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
        self.find_bar.matchesChanged.connect(self.stepper.find_matches_changed)
        self.panel.entitySelected.connect(self.stepper.entity_selected)
        self.panel.stepRequested.connect(lambda step: self.stepper.step(step, "entity"))
        self.panel.libraryLookupRequested.connect(
            lambda entity: self.library.show_mentions(entity.canonical, entity.kind)
        )
        self.dock = QDockWidget("Entities", self)
        self.dock.setObjectName("entities-dock")
        self.dock.setWidget(self.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.panel.noteRequested.connect(self.notes.add_entity_note)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes-dock")
        self.notes_dock.setWidget(self.notes.panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.notes_dock)
        self.tabifyDockWidget(self.dock, self.notes_dock)
        self.dock.raise_()
        self.library_dock = QDockWidget("Library", self)
        self.library_dock.setObjectName("library-dock")
        self.library_tabs = QTabWidget(self.library_dock)
        self.library_tabs.setDocumentMode(True)
        self.library_tabs.addTab(self.library.panel, "Articles")
        self.library_tabs.addTab(self.notes.browser, "Notes")
        self.library_dock.setWidget(self.library_tabs)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.model_label = QLabel("Entity model: loading…", self)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.model_label)

    def _build_actions(self) -> None:
        self.kind_actions: dict[Kind, QAction] = build_menus(self)
        self._rebuild_recent_menu()

    def _connect_worker(self) -> None:
        self.worker.modelReady.connect(self._model_ready)
        self.worker.modelFailed.connect(self._model_failed)
        self.worker.progress.connect(self._analysis_progress)
        self.worker.finished.connect(self._analysis_finished)
        self.worker.failed.connect(self._analysis_failed)

    # -- opening documents -------------------------------------------------------------------

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
        self.library_dock.show()
        self.library_dock.raise_()
        self.library.panel.search.setFocus()
        self.library.panel.search.selectAll()

    def open_path(self, path: str | Path) -> bool:
        """Open a file; on failure the current document stays and a notice says why.

        Big files load on a worker thread (the answer arrives through ``_document_loaded``);
        small ones load at once, so their errors can be reported straight away.
        """
        try:
            size = Path(path).stat().st_size if Path(path).is_file() else 0
        except OSError:
            size = 0
        if size > BACKGROUND_LOAD_BYTES or Path(path).suffix.lower() in BACKGROUND_SUFFIXES:
            self.loader.load(path)
            self.statusBar().showMessage(f"Opening {Path(path).name}…")
            return True
        try:
            document = load_document(path)
        except ReaderError as exc:
            self.show_notice(exc.message)
            return False
        except Exception as exc:  # a loader bug must not take the window down
            log.exception("Opening %s failed", path)
            self.show_notice(
                f"{Path(path).name} could not be opened ({type(exc).__name__}). "
                f"Details are in the log file {paths.log_file()}."
            )
            return False
        self._document_opened(document)
        return True

    @Slot(int, object)
    def _document_loaded(self, request: int, document: Document) -> None:
        if request == self.loader.latest:
            self._document_opened(document)

    @Slot(int, str)
    def _document_failed(self, request: int, message: str) -> None:
        if request == self.loader.latest:
            self.show_notice(message)

    def _document_opened(self, document: Document) -> None:
        # Indexing a new book for search takes a third of a second: the text is shown first
        # and kept in the library just after, once the first screen is painted.
        self.show_document(document, self.library.known_id(document))
        self.settings.add_recent(document.metadata.path)
        self.settings.last_document = document.metadata.path
        self._rebuild_recent_menu()
        QTimer.singleShot(0, lambda: self._keep_in_library(document))

    def _keep_in_library(self, document: Document) -> None:
        document_id = self.library.register(document)
        if document is self.document and document_id != self.document_id:
            self.document_id = document_id
            self.notes.reload(keep=self.notes.panel.current_note_id())

    def show_library_document(
        self, document: Document, document_id: int, span: tuple[int, int] | None = None
    ) -> None:
        """An article from the library, scrolled to ``span`` (a search match) if given."""
        self.show_document(document, document_id)
        if document.metadata.path:
            self.settings.add_recent(document.metadata.path)
            self._rebuild_recent_menu()
        if span is not None and 0 <= span[0] < span[1] <= len(document.text):
            self.view.reveal(span)

    def show_document(self, document: Document, document_id: int | None = None) -> None:
        log.info(
            "Showing %s (%s, %d characters)",
            document.metadata.path or "dropped text",
            document.metadata.format,
            len(document.text),
        )
        self.notes.flush()
        self.stack.setCurrentWidget(self.view)
        self.notice.hide()
        self.document = document
        self.document_id = document_id
        self.revision += 1
        self.stepper.clear()
        self.view.show_document(document)
        self.find_bar.set_text(document.text)
        self.panel.set_entities([], self.settings.visible, self._colours())
        self.legend.set_counts([])
        title = document.metadata.title or Path(document.metadata.path).name
        self.setWindowTitle(f"{title} — reader")
        cached = self.library.cached_mentions(document)
        if cached is not None:
            self._show_cached_analysis(cached)
        elif self.model_failed:
            self.statusBar().showMessage("Showing the text without highlights (no entity model).")
        else:
            self.worker.submit(AnalysisJob(self.revision, document.text, self.view.top_offset()))
            self.progress.setValue(0)
            self.progress.show()
            self.statusBar().showMessage("Finding people, places and organizations…")
        self.notes.reload()
        if document.metadata.notice:
            self.notice.show_message(document.metadata.notice, "info")
            self.statusBar().showMessage(document.metadata.notice, 15_000)
        self.documentShown.emit(document)

    def _note_on_mention(self, mention: Mention) -> None:
        entity = self.view.highlights.entity_of(mention)
        if entity is not None:
            self.notes.add_entity_note(entity)

    def _show_cached_analysis(self, mentions: list[Mention]) -> None:
        """Highlights from the library's cache: no spaCy run for an article analysed before."""
        self.worker.cancel()
        self.progress.hide()
        entities = group_entities(mentions)
        self.view.highlights.add(mentions)
        self.view.highlights.set_entities(entities)
        self.refresh_entities()
        self.notes.reload(keep=self.notes.panel.current_note_id())
        shown = sum(1 for e in entities if e.kind in self.settings.visible)
        self.statusBar().showMessage(f"{shown} names (from the library, analysed before).", 8000)
        self.analysisDone.emit(0.0)

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

    # -- analysis results ------------------------------------------------------------------

    @Slot(object)
    def _model_ready(self, info) -> None:
        self.model_failed = False
        self.model_description = f"{info.name} {info.version} ({', '.join(info.components)})"
        self.model_label.setText(f"Entity model: {info.name} {info.version}")
        self.library.model_ready(info.name, info.version)

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self.model_failed = True
        self.model_description = "not loaded"
        self.model_label.setText("Entity model: not loaded")
        self.progress.hide()
        self.show_notice(message + " The text is shown without highlights.")

    @Slot(int, object, object, int, int)
    def _analysis_progress(
        self,
        revision: int,
        mentions: list[Mention],
        entities: list[Entity] | None,
        done: int,
        total: int,
    ) -> None:
        if revision != self.revision:
            return
        self.view.highlights.add(mentions)
        if entities is not None:
            self.view.highlights.set_entities(entities)
        self.progress.setValue(int(100 * done / total) if total else 100)
        self.statusBar().showMessage(
            f"Finding people, places and organizations… {100 * done // max(total, 1)}%"
        )
        if entities is not None and not self._panel_timer.isActive():
            self._panel_timer.start()

    @Slot(int, object, object, object, float)
    def _analysis_finished(
        self,
        revision: int,
        changed: list[Mention],
        removed: list[tuple[int, int]],
        entities: list[Entity],
        seconds: float,
    ) -> None:
        if revision != self.revision:
            return
        self.view.highlights.update(changed, removed)
        self.view.highlights.set_entities(entities)
        self._panel_timer.stop()
        self.refresh_entities()
        self.notes.reload(keep=self.notes.panel.current_note_id())
        self.progress.hide()
        if self.document is not None:
            self.library.remember_analysis(
                self.document, [m for entity in entities for m in entity.mentions]
            )
        visible = self.settings.visible
        shown = sum(1 for e in entities if e.kind in visible)
        self.statusBar().showMessage(f"{shown} names found in {seconds:.1f} s.", 8000)
        self.analysisDone.emit(seconds)

    @Slot(int, str)
    def _analysis_failed(self, revision: int, message: str) -> None:
        if revision != self.revision:
            return
        self.progress.hide()
        if not self.model_failed:
            self.show_notice(message)

    def refresh_entities(self) -> None:
        entities: list[Entity] = self.view.highlights.entities()
        self.legend.set_counts(entities)
        self.panel.set_entities(entities, self.settings.visible, self._colours())

    # -- legend, stepping, find --------------------------------------------------------------

    def _colours(self) -> dict[Kind, str]:
        return {kind: self.settings.colour(kind) for kind in KIND_ORDER}

    def set_visible_kinds(self, kinds: set[Kind]) -> None:
        self.settings.visible_kinds = [k.value for k in KIND_ORDER if k in kinds]
        self.legend.set_visible(kinds)
        for kind, action in self.kind_actions.items():
            action.setChecked(kind in kinds)
        self.view.highlights.set_style(self._colours(), kinds)
        self.refresh_entities()

    def _kind_action_toggled(self) -> None:
        self.set_visible_kinds({k for k, a in self.kind_actions.items() if a.isChecked()})

    def step(self, direction: int, source: str = "") -> None:
        """F3 / Shift+F3: the next or previous mention of the selected entity, or find match."""
        self.stepper.step(direction, source)

    def _visible_offset_changed(self, offset: int) -> None:
        if self.document is not None:
            self.worker.prioritise(self.revision, offset)

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
        self.apply_reading_font()
        self.refresh_entities()
        if self.settings.model != old_model:
            self.model_label.setText("Entity model: loading…")
            self.model_failed = False
            self.library.model_changed(self.settings.model)
            self.worker.set_model(self.settings.model)
            if self.document is not None:
                self.show_document(self.document, self.document_id)
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
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode()
        self.settings.window_state = bytes(self.saveState().toBase64()).decode()
        try:
            settings_module.save(self.settings)
        except OSError as exc:
            log.warning("Could not save settings: %s", exc)

    def changeEvent(self, event) -> None:
        # Back from another window (perhaps a terminal running `reader import`): catch up.
        if event.type() == event.Type.ActivationChange and self.isActiveWindow():
            self.library.refresh_soon()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.notes.flush()
        self.view.builder.stop()
        self.loader.shutdown()
        self.library.shutdown_import()
        self.save_settings()
        event.accept()
