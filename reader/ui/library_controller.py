"""The window's side of the library: the store, the panel, the cache and background analysis.

Every article the researcher opens or imports is kept in the library. Its entity analysis is
cached by text hash and model, so reopening shows highlights without running spaCy; articles
that were imported but never opened are analysed in the background, two at a time, whenever
the open document leaves the engine idle. All store calls happen here, on the GUI thread.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from reader.documents.loader import supported_phrase
from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.models import analysis_key, expected_analysis_key
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.store import Store
from reader.ui.library_panel import LibraryPanel, ResultRow, marked_html

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

BACKGROUND_IN_FLIGHT = 2  # documents queued in the worker at once: it stays busy, never flooded
REFRESH_DELAY_MS = 250  # a burst of background results refreshes the list once
SEARCH_LIMIT = 200


class LibraryController(QObject):
    libraryChanged = Signal()
    backgroundIdle = Signal()  # nothing left to analyse in the background

    def __init__(self, window: MainWindow, store: Store | None, worker, model: str) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.worker = worker
        self._requested_model = model
        self._key: str | None = None
        self._key_known = False
        self.panel = LibraryPanel(window)
        self.panel.openRequested.connect(self.open_document)
        self.panel.searchRequested.connect(self.search)
        self.panel.removeRequested.connect(self.confirm_remove)
        self.importer = None  # a BulkImporter, made on the first import
        self.import_summary: QMessageBox | None = None  # the last import's summary
        self._import_dialog = None
        self._pending: deque[int] = deque()
        self._in_flight: dict[int, str] = {}  # document id -> text hash being analysed
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        worker.backgroundFinished.connect(self._background_finished)
        worker.backgroundFailed.connect(self._background_failed)
        if store is None:
            self.panel.setEnabled(False)
            self.panel.count_label.setText("The library could not be opened (see the notice).")
        else:
            self.refresh()

    @property
    def available(self) -> bool:
        return self.store is not None and not self.store.read_only

    # -- the analysis cache ------------------------------------------------------------------

    @property
    def key(self) -> str | None:
        """The cache key of the model in use; found from package metadata until it loads."""
        if not self._key_known:
            self._key = expected_analysis_key(self._requested_model)
            self._key_known = True
        return self._key

    def model_ready(self, name: str, version: str) -> None:
        """The engine reports the model it really loaded: that decides the cache key."""
        actual = analysis_key(name, version)
        if actual != self.key:
            log.info("Analysis cache key is %s (expected %s)", actual, self._key)
            self._key, self._key_known = actual, True
            self.worker.clear_background()
            self._pending.clear()
            self._in_flight.clear()
        self.start_background()

    def model_changed(self, model: str) -> None:
        self._requested_model = model
        self._key_known = False
        self.worker.clear_background()
        self._pending.clear()
        self._in_flight.clear()

    def cached_mentions(self, document: Document) -> list[Mention] | None:
        if self.store is None or self.key is None:
            return None
        try:
            return self.store.load_analysis(document.text_hash, self.key)
        except ReaderError as exc:
            log.warning("Cache read failed: %s", exc.message)
            return None

    def remember_analysis(self, document: Document, mentions: list[Mention]) -> None:
        if not self.available or self.key is None:
            return
        try:
            self.store.save_analysis(document.text_hash, self.key, mentions)  # type: ignore[union-attr]
        except ReaderError as exc:
            log.warning("Cache write failed: %s", exc.message)
            return
        self._refresh_timer.start()

    # -- documents ---------------------------------------------------------------------------

    def known_id(self, document: Document) -> int | None:
        """The library id of this very text, if it is already kept (a quick lookup)."""
        if self.store is None:
            return None
        try:
            return self.store.find_by_text_hash(document.text_hash)
        except ReaderError:
            return None

    def register(self, document: Document) -> int | None:
        """Keep an opened article in the library; its id, or None without a library."""
        if not self.available:
            return None
        try:
            result = self.store.import_document(document)  # type: ignore[union-attr]
        except ReaderError as exc:
            self.window.show_notice(
                f"{exc.message} The article is open, but it was not added to the library."
            )
            return None
        if result.status != "present":
            self.refresh()
            self.libraryChanged.emit()
        if result.status == "updated":
            self.window.statusBar().showMessage(
                "The file changed since it was imported: the library now has its new text.", 8000
            )
        return result.document_id

    @Slot(int, object)
    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> None:
        if self.store is None:
            return
        try:
            document = self.store.get_document(document_id)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            self.refresh()
            return
        self.window.show_library_document(document, document_id, span)

    def refresh_soon(self) -> None:
        """A burst of changes (notes written, analyses finished) refreshes the list once."""
        self._refresh_timer.start()

    def refresh(self) -> None:
        if self.store is None:
            return
        try:
            entries = self.store.list_documents()
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self.panel.set_entries(entries)

    # -- importing ---------------------------------------------------------------------------

    def import_paths(self, paths_to_import: list[Path]) -> None:
        """Import files and folders in the background, with a progress dialog and a summary."""
        from reader.tasks.importing import BulkImporter
        from reader.ui.dropped import collect_files
        from reader.ui.import_dialogs import ImportProgressDialog

        if not self.available:
            self.window.show_notice("The library is not available, so nothing can be imported.")
            return
        files = collect_files(
            [p for p in paths_to_import if not p.is_dir()],
            [p for p in paths_to_import if p.is_dir()],
        )
        if not files:
            self.window.show_notice(
                f"There are no articles to import there; reader imports {supported_phrase()} "
                "files.",
                "info",
            )
            return
        if self.importer is None:
            self.importer = BulkImporter(self.store, self)
            self.importer.finished.connect(self._import_finished)
        if not self.importer.running:  # a running import takes the new files on board
            self._import_dialog = ImportProgressDialog(self.importer, len(files), self.window)
        self.importer.start(files, notice=files.notice)

    def _import_finished(self, summary) -> None:
        from reader.ui.import_dialogs import show_import_summary

        if self._import_dialog is not None:
            self._import_dialog.close()
            self._import_dialog = None
        self.refresh()
        self.libraryChanged.emit()
        self._show_panel()
        self.start_background(list(summary.changed_ids))
        self.import_summary = show_import_summary(self.window, summary)

    def add_content(self, document: Document) -> None:
        """Text or a page dragged from a browser: a new library article, opened at once."""
        document_id = self.register(document)
        if document_id is None:
            self.window.show_document(document)  # without a library it is still readable
            return
        self._show_panel()
        self.open_document(document_id)

    def shutdown_import(self) -> None:
        if self.importer is not None:
            self.importer.shutdown()

    # -- search ------------------------------------------------------------------------------

    @Slot(str)
    def search(self, query: str) -> None:
        if self.store is None:
            return
        from reader.store import parse_entity_query

        entity = parse_entity_query(query)
        try:
            if entity is not None:
                self.show_mentions(entity[1], entity[0])
                return
            hits = self.store.search(query, limit=SEARCH_LIMIT)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
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
        self._show_panel()

    def show_mentions(self, name: str, kind: Kind | None = None) -> None:
        """Which documents mention ``name``: the answer to "where else is this person?"."""
        if self.store is None:
            return
        try:
            hits = self.store.mentions(name, kind)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
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
        self._show_panel()

    def _show_panel(self) -> None:
        dock = self.window.library_dock
        dock.show()
        dock.raise_()
        self.window.library_tabs.setCurrentWidget(self.panel)

    # -- removing ----------------------------------------------------------------------------

    @Slot(list)
    def confirm_remove(self, ids: list[int]) -> QMessageBox | None:
        """Ask first, saying how many notes go with the articles; never blocks the loop."""
        if not self.available or not ids:
            return None
        try:
            notes = sum(self.store.count_notes(i) for i in ids)  # type: ignore[union-attr]
            titles = [e.title for i in ids if (e := self.store.get_entry(i)) is not None]  # type: ignore[union-attr]
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return None
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
            self.window,
        )
        box.setInformativeText(detail)
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _: self._removal_answered(box, remove, ids))
        box.open()
        return box

    def _removal_answered(self, box: QMessageBox, remove, ids: list[int]) -> None:
        box.deleteLater()
        if box.clickedButton() is not remove:
            return
        try:
            for document_id in ids:
                self.store.remove_document(document_id)  # type: ignore[union-attr]
        except ReaderError as exc:
            self.window.show_notice(exc.message)
        self.panel.clear_results()
        self.refresh()
        self.libraryChanged.emit()
        removed = len(ids)
        self.window.statusBar().showMessage(
            f"Removed {removed} article{'s' if removed != 1 else ''} from the library.", 6000
        )

    # -- background analysis -------------------------------------------------------------

    def start_background(self, ids: list[int] | None = None) -> None:
        """Analyse library documents that have no cached result for the current model."""
        if not self.available or self.key is None:
            return
        try:
            needing = ids if ids is not None else self.store.documents_needing_analysis(self.key)  # type: ignore[union-attr]
        except ReaderError as exc:
            log.warning("Could not list documents to analyse: %s", exc.message)
            return
        known = set(self._pending) | set(self._in_flight)
        self._pending.extend(i for i in needing if i not in known)
        self._feed()

    def _feed(self) -> None:
        while self._pending and len(self._in_flight) < BACKGROUND_IN_FLIGHT:
            document_id = self._pending.popleft()
            if document_id == self.window.document_id:
                continue  # the open document is analysed in the foreground
            try:
                document = self.store.get_document(document_id)  # type: ignore[union-attr]
            except ReaderError:
                continue  # removed meanwhile
            self._in_flight[document_id] = document.text_hash
            self.worker.submit_background(document_id, document.text)
        if not self._pending and not self._in_flight:
            self.backgroundIdle.emit()

    @Slot(int, object)
    def _background_finished(self, document_id: int, tuples: list) -> None:
        text_hash = self._in_flight.pop(document_id, None)
        if text_hash is not None and self.key is not None and self.available:
            mentions = [
                Mention(start, end, Kind(kind), label, text, canonical)
                for start, end, kind, label, text, canonical in tuples
            ]
            try:
                self.store.save_analysis(text_hash, self.key, mentions)  # type: ignore[union-attr]
            except ReaderError as exc:
                log.warning("Could not cache a background analysis: %s", exc.message)
            self._refresh_timer.start()
        self._feed()

    @Slot(int, str)
    def _background_failed(self, document_id: int, message: str) -> None:
        log.warning("Background analysis of document %s failed: %s", document_id, message)
        self._in_flight.pop(document_id, None)
        self._feed()

    def close(self) -> None:
        """On quit, after the workers stopped: the last write is committed, then closed."""
        if self.store is not None:
            self.store.close()

    @property
    def background_pending(self) -> int:
        return len(self._pending) + len(self._in_flight)
