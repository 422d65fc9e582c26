"""The notes panel: the open article's notes in text order, edited in place.

Typing is saved by the controller within a second (the panel emits ``noteEdited`` after a
short pause, and at once when the editor loses focus), so a crash loses at most the last
second. Notes whose passage could not be found again after the text changed are listed at
the end as orphans, with their quote, to be attached to a new selection or deleted.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.notes.model import Note, normalise_tags
from reader.ui.rich_delegate import ACCENT, MUTED, WARNING, RichTextDelegate, span

SAVE_DELAY_MS = 700  # a pause in typing; with the write itself, well within a second
QUOTE_CHARS = 140
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def note_html(note: Note) -> str:
    """How a note reads in a list: where it is, its quote, its text and tags."""
    parts = []
    if note.orphaned:
        parts.append(span(WARNING, "⚠ Its passage is no longer in the text"))
    if note.kind == "document":
        parts.append(span(ACCENT, "<b>On the whole article</b>"))
    elif note.kind == "entity":
        parts.append(span(ACCENT, f"<b>On {html.escape(note.entity_canonical)}</b>"))
    if note.quote:
        quote = note.quote if len(note.quote) <= QUOTE_CHARS else note.quote[:QUOTE_CHARS] + "…"
        parts.append(f"<i>“{html.escape(quote)}”</i>")
    body = note.body.strip()
    parts.append(html.escape(body).replace("\n", "<br>") if body else "<i>(no text yet)</i>")
    if note.tags:
        tags = " ".join(f"#{html.escape(tag)}" for tag in note.tags)
        parts.append(span(MUTED, tags))
    return "<br>".join(parts)


def _button(text: str, parent: QWidget) -> QToolButton:
    """A compact text button: push buttons' minimum width would widen the whole dock."""
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class NotesPanel(QWidget):
    noteActivated = Signal(int)  # note id: show its passage
    noteEdited = Signal(int, str, object)  # note id, text, tags (tuple)
    deleteRequested = Signal(int)
    undoRequested = Signal()
    documentNoteRequested = Signal()
    reattachRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notes: dict[int, Note] = {}
        self._order: list[int | None] = []  # the ids in list order
        self._editing: int | None = None
        self._loading = False

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setMinimumWidth(60)
        self.document_button = _button("On Article", self)
        self.document_button.setToolTip("A note on the whole article (Ctrl+Shift+M)")
        self.document_button.clicked.connect(self.documentNoteRequested.emit)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)

        self.list = QListWidget(self)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda item: self.noteActivated.emit(item.data(ID_ROLE)))
        self.list.itemClicked.connect(lambda item: self.noteActivated.emit(item.data(ID_ROLE)))
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.setWhatsThis("Notes list: delete the selected note")
        delete.activated.connect(self._delete_current)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self.list)
        undo.setContext(Qt.ShortcutContext.WidgetShortcut)
        undo.setWhatsThis("Notes list: bring back the note deleted last")
        undo.activated.connect(self.undoRequested.emit)

        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText("Write your note here…")
        self.editor.textChanged.connect(self._typed)
        self.editor.installEventFilter(self)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("Tags, separated by commas")
        self.tags.textEdited.connect(self._typed)
        self.tags.editingFinished.connect(self.save_now)
        self.saved_label = QLabel(self)
        self.saved_label.setStyleSheet("color: #666;")
        self.delete_button = _button("Delete", self)
        self.delete_button.setToolTip("Delete this note (Delete); Undo brings it back")
        self.delete_button.clicked.connect(self._delete_current)
        self.undo_button = _button("Undo", self)
        self.undo_button.setToolTip("Bring back the note deleted last")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undoRequested.emit)
        self.reattach_button = _button("Attach Here", self)
        self.reattach_button.setToolTip(
            "Select the passage this note belongs to in the text, then click here to attach "
            "the note to it"
        )
        self.reattach_button.clicked.connect(self._reattach_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.delete_button)
        editor_box = QWidget(self)
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.tags)
        editor_layout.addWidget(self.reattach_button)  # a row of its own: only for orphans
        editor_layout.addLayout(buttons)
        self.editor_box = editor_box

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(editor_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top.addWidget(self.undo_button)  # outside the editor, which is off once a note is gone
        top.addWidget(self.document_button)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        self.set_notes([], enabled=False)

    # -- contents ------------------------------------------------------------------------

    def set_notes(self, notes: list[Note], *, enabled: bool = True, keep: int | None = None):
        """Show ``notes`` (already in text order); ``keep`` selects that note afterwards."""
        self.save_now()
        self._fill(notes)
        self._set_heading(notes, enabled)
        self.document_button.setEnabled(enabled)
        if keep is not None and self.select_note(keep):
            return
        self._show_in_editor(None)

    def _set_heading(self, notes: list[Note], enabled: bool) -> None:
        orphans = sum(1 for n in notes if n.orphaned)
        if not enabled:
            self.heading.setText("Notes are kept with articles in the library.")
        elif notes:
            text = f"{len(notes)} note{'s' if len(notes) != 1 else ''} on this article"
            if orphans:
                text += f", {orphans} no longer placed in the text"
            self.heading.setText(text)
        else:
            self.heading.setText(
                "No notes yet. Select a passage and press Ctrl+M, or write a note on the "
                "whole article."
            )

    def refresh_notes(self, notes: list[Note]) -> None:
        """The list as the library now has it, without disturbing the editor: the note being
        edited keeps its text, caret and pending save (its unsaved words win). Nothing is
        redrawn when nothing changed."""
        editing = self._notes.get(self._editing) if self._editing is not None else None
        shown = [editing if editing is not None and n.id == editing.id else n for n in notes]
        if [(n.id, n.body, n.tags, n.orphaned) for n in shown] == [
            (n.id, n.body, n.tags, n.orphaned) for n in self._listed()
        ]:
            return
        if editing is not None and all(n.id != editing.id for n in notes):
            self.set_notes(notes)  # the note being edited was deleted elsewhere
            return
        self._fill(shown, editing.id if editing is not None else None)
        self._set_heading(shown, enabled=True)

    def _fill(self, notes: list[Note], current: int | None = None) -> None:
        """List ``notes``; the note ``current`` becomes the current row (the editor is left
        alone: ``_loading`` keeps the list's signals from reaching it)."""
        self._notes = {n.id: n for n in notes if n.id is not None}
        self._order = [n.id for n in notes]
        self._loading = True
        self.list.clear()
        for note in notes:
            item = QListWidgetItem(note_html(note))
            item.setData(ID_ROLE, note.id)
            self.list.addItem(item)
            if current is not None and note.id == current:
                self.list.setCurrentItem(item)
        self._loading = False

    def _listed(self) -> list[Note]:
        return [n for i in self._order if i is not None and (n := self._notes.get(i)) is not None]

    def select_note(self, note_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == note_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def current_note_id(self) -> int | None:
        return self._editing

    def note(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)

    def focus_editor(self) -> None:
        self.editor.setFocus()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)

    def set_undo_available(self, available: bool) -> None:
        self.undo_button.setEnabled(available)

    def set_saved_message(self, text: str) -> None:
        self.saved_label.setText(text)

    # -- editing ---------------------------------------------------------------------------

    def _current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if self._loading:
            return
        self.save_now()
        self._show_in_editor(current.data(ID_ROLE) if current is not None else None)

    def _show_in_editor(self, note_id: int | None) -> None:
        note = self._notes.get(note_id) if note_id is not None else None
        self._loading = True
        self._editing = note.id if note is not None else None
        self.editor.setPlainText(note.body if note is not None else "")
        self.tags.setText(", ".join(note.tags) if note is not None else "")
        self._loading = False
        self.editor_box.setEnabled(note is not None)
        self.reattach_button.setVisible(note is not None and note.orphaned)
        self.saved_label.setText("")

    def _typed(self, *_args) -> None:
        if self._loading or self._editing is None:
            return
        self.saved_label.setText("Editing…")
        self._save_timer.start()

    def save_now(self) -> None:
        """Emit the pending edit, if any: on the pause timer, focus loss, switching, quit."""
        self._save_timer.stop()
        note = self._notes.get(self._editing) if self._editing is not None else None
        if note is None:
            return
        body = self.editor.toPlainText()
        tags = normalise_tags(self.tags.text())
        if body == note.body and tags == note.tags:
            return
        note.body, note.tags = body, tags
        self.noteEdited.emit(note.id, body, tags)
        row = self.list.currentRow()
        if 0 <= row < self.list.count() and self.list.item(row).data(ID_ROLE) == note.id:
            self.list.item(row).setText(note_html(note))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.editor and event.type() == event.Type.FocusOut:
            self.save_now()
        return super().eventFilter(watched, event)

    def _delete_current(self) -> None:
        if self._editing is not None:
            self._save_timer.stop()
            self.deleteRequested.emit(self._editing)

    def _reattach_current(self) -> None:
        if self._editing is not None:
            self.save_now()
            self.reattachRequested.emit(self._editing)
