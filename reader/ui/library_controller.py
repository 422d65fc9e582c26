"""The window's side of the library: the panel, search, imports, removal, background analysis.

Every store call here runs through the operations runner, off the GUI thread: listing a
library of thousands, a full-text search, writing an imported book. The panel refreshes
from the runner's "what changed" events, whoever changed the library. Articles imported but
never opened are analysed in the background, two at a time, whenever the open article
leaves the engines idle; their names go into the cache (``services.analysis_cache``).
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from reader.documents.loader import supported_phrase
from reader.documents.model import Document
from reader.entities.consistency import mentions_from_tuples
from reader.entities.kinds import Kind
from reader.services import analysis_cache
from reader.services.analysis_cache import AnalysisCache
from reader.services.library import keep_in_library
from reader.store import LibraryEntry, MentionHit, SearchHit, Store, parse_entity_query
from reader.tasks.backend import AnalysisBackend
from reader.tasks.importing import BulkImporter, ImportSummary
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.session import ReadingSession
from reader.ui.library_panel import LibraryPanel, ResultRow, marked_html

log = logging.getLogger(__name__)

BACKGROUND_IN_FLIGHT = 2  # documents queued in the worker at once: it stays busy, never flooded
REFRESH_DELAY_MS = 250  # a burst of changes refreshes the list once
# The first listing (and the operations thread's own connection) waits until the window
# is up: the library panel is not shown at first, and starting never waits for it.
FIRST_REFRESH_MS = 400
SEARCH_LIMIT = 200
NO_LIBRARY = "The library is not available, so nothing can be imported."


class LibraryController(QObject):
    panelWanted = Signal()  # show the library panel (results, a finished import)
    # An article from the library to show: document, its id, the span to reveal or None.
    documentLoaded = Signal(object, object, object)
    backgroundIdle = Signal()  # nothing left to analyse in the background

    def __init__(
        self,
        session: ReadingSession,
        runner: OperationsRunner,
        cache: AnalysisCache,
        worker: AnalysisBackend,
        messages: MessageBridge,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.cache = cache
        self.worker = worker
        self.messages = messages
        self.parent_widget = parent
        self.panel = LibraryPanel(parent)
        self.panel.openRequested.connect(self.open_document)
        self.panel.searchRequested.connect(self.search)
        self.panel.removeRequested.connect(self.confirm_remove)
        self.importer: BulkImporter | None = None  # made on the first import
        self.import_summary: QMessageBox | None = None  # the last import's summary
        self._import_dialog: QWidget | None = None
        self._pending: deque[int] = deque()
        self._loading: set[int] = set()  # background documents being read from the store
        self._in_flight: dict[int, str] = {}  # document id -> text hash being analysed
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        worker.backgroundFinished.connect(self._background_finished)
        worker.backgroundFailed.connect(self._background_failed)
        runner.changed.connect(self._library_changed)
        if not runner.available:
            self.panel.setEnabled(False)
            self.panel.count_label.setText("The library could not be opened (see the notice).")
        else:
            self._refresh_timer.start(FIRST_REFRESH_MS)

    # -- the list -----------------------------------------------------------------------------

    def _library_changed(self, changes: Changes) -> None:
        self.refresh_soon()

    def refresh_soon(self) -> None:
        """A burst of changes (notes written, analyses finished) refreshes the list once."""
        if self.runner.available:
            self._refresh_timer.start()

    def refresh(self) -> None:
        self._refresh_timer.stop()
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)  # after the first, longer wait
        if self.runner.available:
            self.runner.query(
                lambda store: store.list_documents(), self._listed, what="list the library"
            )

    def _listed(self, entries: list[LibraryEntry]) -> None:
        self.panel.set_entries(entries)

    # -- opening ------------------------------------------------------------------------------

    @Slot(int, object)
    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> None:
        """An article picked in the library: read off the GUI thread, then shown."""
        if not self.runner.available:
            return

        def gone(message: str) -> None:
            self.messages.error(message)
            self.refresh()

        self.runner.query(
            lambda store: store.get_document(document_id),
            lambda document: self.documentLoaded.emit(document, document_id, span),
            failed=gone,
            what="open the article",
        )

    def add_content(self, document: Document) -> None:
        """Text or a page dragged from a browser: a new library article, opened at once."""
        if not self.runner.writable:
            self.documentLoaded.emit(document, None, None)  # without a library it is readable
            return

        def kept(result) -> None:
            self.panelWanted.emit()
            self.documentLoaded.emit(document, result.document_id, None)

        self.runner.query(
            lambda store: keep_in_library(store, document),
            kept,
            failed=lambda message: self._not_kept(document, message),
            changes=Changes.DOCUMENTS,
            what="add the article to the library",
        )

    def _not_kept(self, document: Document, message: str) -> None:
        self.messages.error(f"{message} The article is open, but it was not added to the library.")
        self.documentLoaded.emit(document, None, None)

    # -- importing ----------------------------------------------------------------------------

    def import_paths(self, paths_to_import: list[Path]) -> None:
        """Import files and folders in the background, with a progress dialog and a summary."""
        from reader.ui.dropped import collect_files
        from reader.ui.import_dialogs import ImportProgressDialog

        if not self.runner.writable:
            self.messages.error(NO_LIBRARY)
            return
        files = collect_files(
            [p for p in paths_to_import if not p.is_dir()],
            [p for p in paths_to_import if p.is_dir()],
        )
        if not files:
            self.messages.info(
                f"There are no articles to import there; reader imports {supported_phrase()} files."
            )
            return
        if self.importer is None:
            self.importer = BulkImporter(self.runner, self)
            self.importer.finished.connect(self._import_finished)
        if not self.importer.running:  # a running import takes the new files on board
            self._import_dialog = ImportProgressDialog(
                self.importer, len(files), self.parent_widget
            )
        self.importer.start(files, notice=files.notice)

    def _import_finished(self, summary: ImportSummary) -> None:
        if self._import_dialog is not None:
            self._import_dialog.close()
            self._import_dialog = None
        self.start_background(list(summary.changed_ids))
        # The summary opens over a list that already shows what was imported.
        self._refresh_timer.stop()
        self.runner.query(
            lambda store: store.list_documents(),
            lambda entries: self._show_summary(summary, entries),
            failed=lambda message: self._show_summary(summary, None, message),
            what="list the library",
        )

    def _show_summary(
        self, summary: ImportSummary, entries: list[LibraryEntry] | None, message: str = ""
    ) -> None:
        from reader.ui.import_dialogs import show_import_summary

        if entries is not None:
            self.panel.set_entries(entries)
        else:
            self.messages.error(message)
        self.panelWanted.emit()
        self.import_summary = show_import_summary(self.parent_widget, summary)

    def shutdown_import(self) -> None:
        if self.importer is not None:
            self.importer.shutdown()

    # -- search -------------------------------------------------------------------------------

    @Slot(str)
    def search(self, query: str) -> None:
        if not self.runner.available:
            return
        entity = parse_entity_query(query)
        if entity is not None:
            self.show_mentions(entity[1], entity[0])
            return
        self.runner.query(
            lambda store: store.search(query, limit=SEARCH_LIMIT),
            lambda hits: self._show_hits(query, hits),
            what="search the library",
        )

    def _show_hits(self, query: str, hits: list[SearchHit]) -> None:
        rows = [
            ResultRow(
                hit.document_id,
                hit.title + (" (note)" if hit.note_id is not None else ""),
                marked_html(hit.snippet, hit.marks),
                (hit.offset, hit.end) if hit.offset is not None and hit.end is not None else None,
            )
            for hit in hits
        ]
        count = len(rows)
        heading = (
            f"{count}{'+' if count == SEARCH_LIMIT else ''} article"
            f"{'s' if count != 1 else ''} match “{query}”"
            if rows
            else f"No article or note matches “{query}”."
        )
        self.panel.show_results(heading, rows)
        self.panelWanted.emit()

    def show_mentions(self, name: str, kind: Kind | None = None) -> None:
        """Which documents mention ``name``: the answer to "where else is this person?"."""
        if not self.runner.available:
            return
        self.runner.query(
            lambda store: store.mentions(name, kind),
            lambda hits: self._show_mentions(name, kind, hits),
            what="search the names in the library",
        )

    def _show_mentions(self, name: str, kind: Kind | None, hits: list[MentionHit]) -> None:
        rows = [
            ResultRow(
                hit.document_id,
                f"{hit.title} — {hit.count} mention{'s' if hit.count != 1 else ''}"
                + ("" if hit.exact else f" (as {hit.canonical})"),
                marked_html(hit.context, (hit.context_mark,)),
                (hit.first_start, hit.first_end),
            )
            for hit in hits
        ]
        what = f"the {kind.singular.lower()} “{name}”" if kind is not None else f"“{name}”"
        if len(rows) == 1:
            heading = f"1 article mentions {what}"
        elif rows:
            heading = f"{len(rows)} articles mention {what}"
        else:
            heading = f"No article in the library mentions {what} yet."
        self.panel.show_results(heading, rows)
        self.panelWanted.emit()

    # -- removing -----------------------------------------------------------------------------

    @Slot(list)
    def confirm_remove(self, ids: list[int]) -> QMessageBox | None:
        """Ask first, saying how many notes go with the articles; never blocks the loop."""
        if not self.runner.writable or not ids:
            return None

        def count(store: Store) -> tuple[int, list[str]]:
            notes = sum(store.count_notes(i) for i in ids)
            titles = [e.title for i in ids if (e := store.get_entry(i)) is not None]
            return notes, titles

        # Two small reads the question depends on: asked here, so the box opens at once.
        found = self.runner.now(count, what="count the notes of the articles")
        if found is None:
            return None
        notes, titles = found
        what = f"“{titles[0]}”" if len(ids) == 1 and titles else f"{len(ids)} articles"
        text = f"Remove {what} from the library?"
        if notes:
            detail = (
                f"Your {notes} note{'s' if notes != 1 else ''} on "
                f"{'it' if len(ids) == 1 else 'them'} will be deleted too."
            )
        else:
            detail = "There are no notes on it." if len(ids) == 1 else "There are no notes on them."
        detail += " The original files on disk are not touched."
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove from Library",
            text,
            QMessageBox.StandardButton.Cancel,
            self.parent_widget,
        )
        box.setInformativeText(detail)
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _: self._removal_answered(box, remove, ids))
        box.open()
        return box

    def _removal_answered(self, box: QMessageBox, remove: object, ids: list[int]) -> None:
        box.deleteLater()
        if box.clickedButton() is not remove:
            return

        def removed(_result: None) -> None:
            self.panel.clear_results()
            count = len(ids)
            self.messages.show_status(
                f"Removed {count} article{'s' if count != 1 else ''} from the library.", 6000
            )

        def remove_all(store: Store) -> None:
            for document_id in ids:
                store.remove_document(document_id)

        self.runner.query(
            remove_all, removed, changes=Changes.DOCUMENTS, what="remove the articles"
        )

    # -- background analysis ------------------------------------------------------------------

    def model_ready(self, name: str, version: str) -> None:
        """The engine reports the model it really loaded: that decides the cache key."""
        if self.cache.model_loaded(name, version):
            self._forget_background()
        self.start_background()

    def model_changed(self, model: str) -> None:
        self.cache.model_changed(model)
        self._forget_background()

    def _forget_background(self) -> None:
        self.worker.clear_background()
        self._pending.clear()
        self._in_flight.clear()

    def start_background(self, ids: list[int] | None = None) -> None:
        """Analyse library documents that have no cached result for the current model."""
        key = self.cache.key
        if not self.runner.writable or key is None:
            return
        if ids is not None:
            self._queue(ids)
            return
        self.runner.query(
            lambda store: analysis_cache.needing_analysis(store, key),
            self._queue,
            what="list the articles to analyse",
        )

    def _queue(self, ids: list[int]) -> None:
        known = set(self._pending) | set(self._in_flight) | self._loading
        self._pending.extend(i for i in ids if i not in known)
        self._feed()

    def _feed(self) -> None:
        while self._pending and len(self._in_flight) + len(self._loading) < BACKGROUND_IN_FLIGHT:
            document_id = self._pending.popleft()
            if document_id == self.session.document_id:
                continue  # the open document is analysed in the foreground
            self._loading.add(document_id)
            self._read_for_analysis(document_id)
        if not self._pending and not self._in_flight and not self._loading:
            self.backgroundIdle.emit()

    def _read_for_analysis(self, document_id: int) -> None:
        def read(store: Store) -> tuple[str, str]:
            # The hash too, off the GUI thread: a book's takes ten milliseconds.
            document = store.get_document(document_id)
            return document.text, document.text_hash

        self.runner.query(
            read,
            lambda found: self._submit(document_id, *found),
            failed=lambda _message: self._not_loaded(document_id),
            what="read an article to analyse",
        )

    def _submit(self, document_id: int, text: str, text_hash: str) -> None:
        self._loading.discard(document_id)
        self._in_flight[document_id] = text_hash
        self.worker.submit_background(document_id, text)

    def _not_loaded(self, document_id: int) -> None:
        self._loading.discard(document_id)  # removed meanwhile
        self._feed()

    @Slot(int, object)
    def _background_finished(self, document_id: int, tuples: list) -> None:
        text_hash = self._in_flight.pop(document_id, None)
        key = self.cache.key
        if text_hash is not None and key is not None and self.runner.writable:
            # The tuples become mentions on the runner's thread: a book has tens of thousands.
            self.runner.query(
                lambda store: analysis_cache.remember(
                    store, text_hash, key, mentions_from_tuples(tuples)
                ),
                changes=Changes.ANALYSES,
                what="keep the names found",
            )
        self._feed()

    @Slot(int, str)
    def _background_failed(self, document_id: int, message: str) -> None:
        log.warning("Background analysis of document %s failed: %s", document_id, message)
        self._in_flight.pop(document_id, None)
        self._feed()

    @property
    def background_pending(self) -> int:
        return len(self._pending) + len(self._in_flight) + len(self._loading)
