"""The window's side of notes: writing, showing, deleting (with undo) and re-attaching them.

Notes are the researcher's own work: every change goes to the store at once (the store
commits with full sync), and nothing here deletes a note without leaving a way back: a
deleted note can be restored with Undo until the window closes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication

from reader.entities.spans import Entity
from reader.errors import ReaderError
from reader.notes.citation import citation
from reader.notes.model import Note
from reader.ui.notes_browser import NotesBrowser
from reader.ui.notes_panel import NotesPanel

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

PREVIEW_CHARS = 300


class NotesController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = NotesPanel(window)
        self.panel.noteActivated.connect(self.show_note)
        self.panel.noteEdited.connect(self.save)
        self.panel.deleteRequested.connect(self.delete)
        self.panel.undoRequested.connect(self.undo_delete)
        self.panel.documentNoteRequested.connect(self.add_document_note)
        self.panel.reattachRequested.connect(self.reattach)
        self.browser = NotesBrowser(window)
        self.browser.filtersChanged.connect(self.refresh_browser)
        self.browser.noteOpened.connect(self.open_note)
        self._deleted: list[Note] = []
        self.entity_notes: dict[tuple[str, str], list[Note]] = {}

    @property
    def store(self):
        library = self.window.library
        return library.store if library.available else None

    # -- loading ----------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        """Read the open article's notes (and every entity note) and show them."""
        store, document_id = self.store, self.window.document_id
        view = self.window.view
        if store is None or document_id is None:
            self.panel.set_notes([], enabled=False)
            view.notes.clear()
            view.entity_notes = {}
            view.viewport().update()
            return
        try:
            notes = store.list_notes(document_id)
            entity_notes = store.entity_notes()
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self.entity_notes = {}
        for note in entity_notes:
            if note.kind == "entity":
                key = (note.entity_kind, note.entity_canonical)
                self.entity_notes.setdefault(key, []).append(note)
        # Notes on the names this article mentions belong with its own notes.
        named = {(e.kind.value, e.canonical) for e in view.highlights.entities()}
        notes += [
            n
            for key, group in self.entity_notes.items()
            if key in named or any(n.id == keep for n in group)
            for n in group
        ]
        self.panel.set_notes(notes, keep=keep)
        spans = [
            (n.start, n.end, n.id)
            for n in notes
            if n.kind == "passage" and not n.orphaned and n.start is not None and n.end is not None
        ]
        previews = {n.id: n.body[:PREVIEW_CHARS] for n in notes if n.id is not None}
        view.notes.set_spans(spans, previews)
        view.entity_notes = {
            key: [n.body[:PREVIEW_CHARS] for n in value if n.body.strip()]
            for key, value in self.entity_notes.items()
        }
        self.window.panel.model.set_noted(view.entity_notes)
        view.viewport().update()
        self.refresh_browser()

    # -- the library-wide notes list --------------------------------------------------------

    def refresh_browser(self) -> None:
        store = self.store
        if store is None:
            self.browser.set_notes([], {})
            return
        scope = self.browser.filter_scope()
        tag, text = self.browser.filter_tag(), self.browser.filter_text() or None
        try:
            if scope == "document":
                notes = (
                    store.list_notes(self.window.document_id, tag=tag, text=text)
                    if self.window.document_id is not None
                    else []
                )
            else:
                notes = store.list_notes(None, tag=tag, text=text, include_entity_notes=True)
                if scope == "entities":
                    notes = [n for n in notes if n.kind == "entity"]
            self.browser.set_tags(store.all_tags())
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        titles = {entry.id: entry.title for entry in self.window.library.panel.model.entries}
        self.browser.set_notes(notes, titles)

    @Slot(object)
    def open_note(self, note: Note) -> None:
        """A note picked in the library-wide list: its article at its passage, or its name."""
        if note.kind == "entity":
            from reader.entities.kinds import Kind

            self.window.library.show_mentions(note.entity_canonical, Kind(note.entity_kind))
            return
        if note.document_id is None:
            return
        span = None
        if note.kind == "passage" and not note.orphaned and note.start is not None:
            span = (note.start, note.end)
        if note.document_id != self.window.document_id:
            self.window.library.open_document(note.document_id)
        self.window.notes_dock.show()
        self.window.notes_dock.raise_()
        self.panel.select_note(note.id)
        if span is not None:
            self.show_note(note.id)

    # -- writing ----------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected passage as canonical offsets, trimmed of surrounding spaces."""
        view = self.window.view
        cursor = view.textCursor()
        if not cursor.hasSelection() or view.position_map is None:
            return None
        base = view.position_map.base
        if cursor.selectionStart() < base:
            return None
        start = view.position_map.from_qt(cursor.selectionStart())
        end = view.position_map.from_qt(cursor.selectionEnd())
        text = self.window.document.text if self.window.document else ""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def add_passage_note(self) -> None:
        if not self._can_write():
            return
        span = self.selection()
        if span is None:
            self.window.show_notice(
                "Select the passage the note is about first, then press Ctrl+M.", "info"
            )
            return
        from reader.notes.anchoring import selector_for

        selector = selector_for(self.window.document.text, *span)
        self._add(
            Note(
                id=None,
                kind="passage",
                document_id=self.window.document_id,
                body="",
                tags=(),
                quote=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                start=selector.start,
                end=selector.end,
            )
        )

    def add_document_note(self) -> None:
        if self._can_write():
            self._add(
                Note(
                    id=None, kind="document", document_id=self.window.document_id, body="", tags=()
                )
            )

    def add_entity_note(self, entity: Entity) -> None:
        if not self._can_write():
            return
        self._add(
            Note(
                id=None,
                kind="entity",
                document_id=None,
                body="",
                tags=(),
                entity_kind=entity.kind.value,
                entity_canonical=entity.canonical,
            )
        )

    def _can_write(self) -> bool:
        if self.store is None or self.window.document_id is None:
            self.window.show_notice(
                "Notes are kept with articles in the library, which is not available; "
                "see the message shown when reader started.",
            )
            return False
        return True

    def _add(self, note: Note) -> None:
        try:
            saved = self.store.add_note(note)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self.window.notes_dock.show()
        self.window.notes_dock.raise_()
        self.reload(keep=saved.id)
        self.panel.focus_editor()
        self.window.library.refresh_soon()

    @Slot(int, str, object)
    def save(self, note_id: int, body: str, tags: tuple[str, ...]) -> None:
        note = self.panel.note(note_id)
        if note is None or self.store is None:
            return
        try:
            self.store.update_note(note)
        except ReaderError as exc:
            self.window.show_notice(exc.message + " Your text is still in the editor.")
            self.panel.set_saved_message("Not saved")
            return
        self.panel.set_saved_message("Saved")
        view = self.window.view
        view.notes.previews[note_id] = body[:PREVIEW_CHARS]
        if note.kind == "entity":
            self.reload(keep=note_id)

    def flush(self) -> None:
        """Quit or switching documents: whatever is typed is saved now."""
        self.panel.save_now()

    # -- deleting and undoing -------------------------------------------------------------

    @Slot(int)
    def delete(self, note_id: int) -> None:
        if self.store is None:
            return
        try:
            deleted = self.store.delete_note(note_id)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self._deleted.append(deleted)
        self.panel.set_undo_available(True)
        self.reload()
        self.window.library.refresh_soon()
        self.window.statusBar().showMessage(
            "Note deleted. Undo Delete (in the Notes panel) brings it back.", 8000
        )

    @Slot()
    def undo_delete(self) -> None:
        if not self._deleted or self.store is None:
            return
        note = self._deleted.pop()
        try:
            restored = self.store.restore_note(note)
        except ReaderError as exc:
            self._deleted.append(note)
            self.window.show_notice(exc.message)
            return
        self.panel.set_undo_available(bool(self._deleted))
        if restored.document_id == self.window.document_id or restored.kind == "entity":
            self.reload(keep=restored.id)
        self.window.library.refresh_soon()
        self.window.statusBar().showMessage("Note restored.", 5000)

    # -- placing ----------------------------------------------------------------------------

    @Slot(int)
    def show_note(self, note_id: int) -> None:
        note = self.panel.note(note_id)
        view = self.window.view
        view.notes.current = note_id
        if note is not None and note.kind == "passage" and not note.orphaned:
            view.reveal_quietly((note.start, note.end))
        view.viewport().update()

    @Slot(int)
    def reattach(self, note_id: int) -> None:
        span = self.selection()
        if span is None:
            self.window.show_notice(
                "Select the passage this note belongs to in the text, then click "
                "Attach to Selection.",
                "info",
            )
            return
        try:
            self.store.reattach_note(note_id, self.window.document.text, *span)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self.reload(keep=note_id)

    # -- export and import ----------------------------------------------------------------

    def choose_export(self) -> None:
        """Every note in the library to Markdown, CSV or W3C Web Annotation JSON-LD."""
        from PySide6.QtWidgets import QFileDialog

        from reader.store.notes_exchange import (
            export_notes,
            write_atomically,
            write_error_message,
        )

        store = self.store
        if store is None:
            self.window.show_notice("There is no library, so there are no notes to export.")
            return
        self.flush()
        filters = {
            "Markdown (*.md)": ".md",
            "CSV spreadsheet (*.csv)": ".csv",
            "Web Annotation JSON-LD (*.jsonld)": ".jsonld",
        }
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Export notes", "notes.md", ";;".join(filters)
        )
        if not path:
            return
        suffix = filters.get(chosen, ".md")
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            text, count = export_notes(store, suffix.lstrip("."))
            write_atomically(Path(path), text)
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        except OSError as exc:
            self.window.show_notice(write_error_message(Path(path), exc))
            return
        self.window.statusBar().showMessage(f"Exported {count} notes to {path}.", 8000)

    def choose_import(self) -> None:
        """Notes from a Web Annotation JSON-LD file: all of them, or none and the reason."""
        from PySide6.QtWidgets import QFileDialog

        from reader.store.notes_exchange import import_notes

        store = self.store
        if store is None:
            self.window.show_notice("There is no library to import notes into.")
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import notes", "", "Web Annotation JSON-LD (*.jsonld *.json)"
        )
        if not path:
            return
        try:
            message = import_notes(store, Path(path))
        except ReaderError as exc:
            self.window.show_notice(exc.message)
            return
        self.reload()
        self.window.library.refresh_soon()
        self.window.show_notice(message, "info")

    # -- citations --------------------------------------------------------------------------

    def copy_citation(self) -> None:
        document = self.window.document
        span = self.selection()
        if document is None or span is None:
            self.window.show_notice("Select the passage to cite first.", "info")
            return
        QGuiApplication.clipboard().setText(citation(document, *span))
        self.window.statusBar().showMessage("Citation copied to the clipboard.", 5000)
