"""The window's side of notes: writing, showing, deleting (with undo) and re-attaching them.

Notes are the researcher's own work: every change goes to the store at once, on the GUI
thread's connection (``OperationsRunner.now``: the store commits with full sync before the
call returns), and nothing here deletes a note without leaving a way back: a deleted note
can be restored with Undo until the window closes. The open article's notes live in the
session, which the reading view, the entity panel and printing observe; the library-wide
list (the Notes tab) is filled off the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from reader.entities.kinds import Kind
from reader.entities.spans import Entity
from reader.notes.citation import citation
from reader.notes.model import Note
from reader.services import notes as notes_service
from reader.services.library import keep_in_library
from reader.services.paper import article_notes
from reader.store import Store
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.session import ReadingSession
from reader.ui.notes_browser import NotesBrowser
from reader.ui.notes_panel import NotesPanel
from reader.ui.reader_view import ReaderView

log = logging.getLogger(__name__)

BROWSER_DELAY_MS = 150  # typing in the Notes tab's filter asks the library once
NO_LIBRARY = (
    "Notes are kept with articles in the library, which is not available; "
    "see the message shown when reader started."
)
EXPORT_FILTERS = {
    "Markdown (*.md)": ".md",
    "CSV spreadsheet (*.csv)": ".csv",
    "Web Annotation JSON-LD (*.jsonld)": ".jsonld",
}


class NotesController(QObject):
    notesWanted = Signal()  # show the Notes panel
    mentionsRequested = Signal(str, object)  # name, Kind: where else is this name?
    documentRequested = Signal(int, object)  # library id, span to show or None

    def __init__(
        self,
        session: ReadingSession,
        runner: OperationsRunner,
        messages: MessageBridge,
        view: ReaderView,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.messages = messages
        self.view = view
        self.parent_widget = parent
        self.panel = NotesPanel(parent)
        self.panel.noteActivated.connect(self.show_note)
        self.panel.noteEdited.connect(self.save)
        self.panel.deleteRequested.connect(self.delete)
        self.panel.undoRequested.connect(self.undo_delete)
        self.panel.documentNoteRequested.connect(self.add_document_note)
        self.panel.reattachRequested.connect(self.reattach)
        self.browser = NotesBrowser(parent)
        self.browser.filtersChanged.connect(self._refresh_browser_soon)
        self.browser.noteOpened.connect(self.open_note)
        self._browser_timer = QTimer(self)
        self._browser_timer.setSingleShot(True)
        self._browser_timer.setInterval(BROWSER_DELAY_MS)
        self._browser_timer.timeout.connect(self.refresh_browser)
        self._deleted: list[Note] = []
        self._pending_note: int | None = None  # picked in the Notes tab, its article opening
        session.flushRequested.connect(self.flush)
        session.documentChanged.connect(lambda _document: self.reload())
        session.documentIdChanged.connect(lambda _id: self.reload(keep=self._current()))
        session.analysisFinished.connect(lambda *_: self.reload(keep=self._current()))
        runner.changed.connect(self._library_changed)
        runner.changedElsewhere.connect(self._changed_elsewhere)

    @property
    def writable(self) -> bool:
        return self.runner.writable and self.session.document_id is not None

    def _current(self) -> int | None:
        return self.panel.current_note_id()

    # -- loading ----------------------------------------------------------------------------

    def reload(self, keep: int | None = None, *, quietly: bool = False) -> None:
        """Read the open article's notes (and every entity note) into the session.

        ``quietly`` (a change made elsewhere): the list follows, but the note being edited
        stays in the editor as it is, with its caret and what is not yet saved.
        """
        document_id = self.session.document_id
        found = None
        if self.runner.available and document_id is not None:
            found = self.runner.now(
                lambda store: article_notes(store, document_id), what="read the notes"
            )
        if found is None:
            if not quietly:
                self.panel.set_notes([], enabled=False)
                self.session.set_notes([], [])
            return
        notes, entity_notes = found
        if self._pending_note is not None and any(n.id == self._pending_note for n in notes):
            keep, self._pending_note = self._pending_note, None
            self.notesWanted.emit()
        self.session.set_notes(notes, entity_notes)
        # Notes on the names this article mentions belong with its own notes (keyed as the
        # corrections file their names now).
        named = {(e.kind.value, e.canonical) for e in self.session.entities()}
        shown = notes + [
            n
            for n in self.session.entity_notes
            if n.kind == "entity" and (n.entity in named or n.id == keep)
        ]
        if quietly:
            self.panel.refresh_notes(shown)
        else:
            self.panel.set_notes(shown, keep=keep)

    def _changed_elsewhere(self, changes: Changes) -> None:
        """A note added, or notes imported, by a command in a shell: shown within a second."""
        if changes & (Changes.NOTES | Changes.DOCUMENTS):
            self.reload(quietly=True)

    # -- the library-wide notes list --------------------------------------------------------

    def _library_changed(self, changes: Changes) -> None:
        if changes & (Changes.NOTES | Changes.DOCUMENTS):
            self._refresh_browser_soon()

    def _refresh_browser_soon(self) -> None:
        self._browser_timer.start()

    def refresh_browser(self) -> None:
        """The Notes tab: every note matching its filters, listed off the GUI thread."""
        self._browser_timer.stop()
        if not self.runner.available:
            self.browser.set_notes([], {})
            return
        scope = self.browser.filter_scope()
        tag, text = self.browser.filter_tag(), self.browser.filter_text() or None
        document_id = self.session.document_id

        def find(store: Store) -> tuple[list[Note], list[str], dict[int, str]]:
            if scope == "document":
                notes = store.list_notes(document_id, tag=tag, text=text) if document_id else []
            else:
                notes = store.list_notes(None, tag=tag, text=text, include_entity_notes=True)
                if scope == "entities":
                    notes = [n for n in notes if n.kind == "entity"]
            titles = {}
            for ident in {n.document_id for n in notes if n.document_id is not None}:
                entry = store.get_entry(ident)
                if entry is not None:
                    titles[ident] = entry.title
            return notes, store.all_tags(), titles

        def show(found: tuple[list[Note], list[str], dict[int, str]]) -> None:
            notes, tags, titles = found
            self.browser.set_tags(tags)
            self.browser.set_notes(notes, titles)

        self.runner.query(find, show, what="list the notes")

    @Slot(object)
    def open_note(self, note: Note) -> None:
        """A note picked in the library-wide list: its article at its passage, or its name."""
        if note.kind == "entity":
            self.mentionsRequested.emit(note.entity_canonical, Kind(note.entity_kind))
            return
        if note.document_id is None:
            return
        if note.document_id != self.session.document_id:
            span = None
            if note.kind == "passage" and note.is_placed:
                span = (note.start, note.end)
            self._pending_note = note.id
            self.documentRequested.emit(note.document_id, span)
            return
        self.notesWanted.emit()
        if note.id is not None and self.panel.select_note(note.id):
            self.show_note(note.id)

    # -- writing ----------------------------------------------------------------------------

    def add_passage_note(self) -> None:
        if not self._can_write():
            return
        span = self.view.selected_span()
        document, document_id = self.session.document, self.session.document_id
        if span is None or document is None or document_id is None:
            self.messages.info("Select the passage the note is about first, then press Ctrl+M.")
            return
        from reader.notes.anchoring import passage_note

        self._add(passage_note(document.text, document_id, *span, "", ()))

    def add_document_note(self) -> None:
        if self._can_write():
            self._add(Note(None, "document", self.session.document_id, "", ()))

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
        """Notes belong to a library article: one opened a moment ago is kept now."""
        document = self.session.document
        if self.runner.writable and document is not None and self.session.document_id is None:
            kept = self.runner.now(
                lambda store: keep_in_library(store, document),
                changes=Changes.DOCUMENTS,
                what="keep the article in the library",
            )
            if kept is None:
                return False
            self.session.set_document_id(kept.document_id)
        if not self.writable:
            self.messages.error(NO_LIBRARY)
            return False
        return True

    def _add(self, note: Note) -> None:
        saved = self.runner.now(
            lambda store: store.add_note(note), changes=Changes.NOTES, what="add the note"
        )
        if saved is None:
            return
        self.notesWanted.emit()
        self.reload(keep=saved.id)
        self.panel.focus_editor()

    @Slot(int, str, object)
    def save(self, note_id: int, body: str, tags: tuple[str, ...]) -> None:
        note = self.panel.note(note_id)
        if note is None or not self.runner.available:
            return
        saved = self.runner.now(
            lambda store: store.update_note(note),
            changes=Changes.NOTES,
            failed=self._not_saved,
            what="save the note",
        )
        if saved is None:
            return
        self.panel.set_saved_message("Saved")
        self.session.note_edited(note)

    def _not_saved(self, message: str) -> None:
        self.messages.error(message + " Your text is still in the editor.")
        self.panel.set_saved_message("Not saved")

    def flush(self) -> None:
        """Switching articles, printing or quitting: whatever is typed is saved now."""
        self.panel.save_now()

    # -- deleting and undoing -------------------------------------------------------------

    @Slot(int)
    def delete(self, note_id: int) -> None:
        deleted = self.runner.now(
            lambda store: store.delete_note(note_id),
            changes=Changes.NOTES,
            what="delete the note",
        )
        if deleted is None:
            return
        self._deleted.append(deleted)
        self.panel.set_undo_available(True)
        self.reload()
        self.messages.show_status("Note deleted. Undo Delete (in the Notes panel) brings it back.")

    @Slot()
    def undo_delete(self) -> None:
        if not self._deleted:
            return
        note = self._deleted.pop()
        restored = self.runner.now(
            lambda store: store.restore_note(note),
            changes=Changes.NOTES,
            what="restore the note",
        )
        if restored is None:
            self._deleted.append(note)
            return
        self.panel.set_undo_available(bool(self._deleted))
        if restored.document_id == self.session.document_id or restored.kind == "entity":
            self.reload(keep=restored.id)
        self.messages.show_status("Note restored.", 5000)

    # -- placing ----------------------------------------------------------------------------

    @Slot(int)
    def show_note(self, note_id: int) -> None:
        note = self.panel.note(note_id)
        self.view.notes.current = note_id
        if note is not None and note.is_placed and note.start is not None and note.end is not None:
            self.view.reveal_quietly((note.start, note.end))
        self.view.viewport().update()

    @Slot(int)
    def reattach(self, note_id: int) -> None:
        span = self.view.selected_span()
        document = self.session.document
        if span is None or document is None:
            self.messages.info(
                "Select the passage this note belongs to in the text, then click "
                "Attach to Selection."
            )
            return
        done = self.runner.now(
            lambda store: store.reattach_note(note_id, document.text, *span),
            changes=Changes.NOTES,
            what="attach the note",
        )
        if done is not None:
            self.reload(keep=note_id)

    # -- export and import ----------------------------------------------------------------

    def choose_export(self) -> None:
        """Every note in the library to Markdown, CSV or W3C Web Annotation JSON-LD."""
        if not self.runner.available:
            self.messages.error("There is no library, so there are no notes to export.")
            return
        self.flush()
        path, chosen = QFileDialog.getSaveFileName(
            self.parent_widget, "Export notes", "notes.md", ";;".join(EXPORT_FILTERS)
        )
        if path:
            self.export_to(path, EXPORT_FILTERS.get(chosen, ".md"))

    def export_to(self, path: str, suffix: str = ".md") -> None:
        if not path.lower().endswith(suffix):
            path += suffix
        fmt = suffix.lstrip(".")
        self.runner.query(
            lambda store: notes_service.export_to_file(store, path, fmt),
            lambda count: self.messages.show_status(f"Exported {count} notes to {path}."),
            what="export the notes",
        )

    def choose_import(self) -> None:
        """Notes from a Web Annotation JSON-LD file: all of them, or none and the reason."""
        if not self.runner.writable:
            self.messages.error("There is no library to import notes into.")
            return
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Import notes", "", "Web Annotation JSON-LD (*.jsonld *.json)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        def imported(message: str) -> None:
            self.reload(keep=self._current())
            self.messages.info(message)

        self.runner.query(
            lambda store: notes_service.import_from_file(store, path),
            imported,
            changes=Changes.NOTES,
            what="import the notes",
        )

    # -- citations --------------------------------------------------------------------------

    def copy_citation(self) -> None:
        document = self.session.document
        span = self.view.selected_span()
        if document is None or span is None:
            self.messages.info("Select the passage to cite first.")
            return
        QGuiApplication.clipboard().setText(citation(document, *span))
        self.messages.show_status("Citation copied to the clipboard.", 5000)
