"""Notes in the window: written on a selection, saved while typing, marked, undone, orphaned."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QTextCursor

from reader.entities.appearance import NOTE_COLOUR
from reader.entities.kinds import Kind
from tests.conftest import SAMPLES
from tests.gui.conftest import open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"
PASSAGE = "a joint monitoring station on the Syr Darya"


def select(window, phrase: str) -> tuple[int, int]:
    text = window.document.text
    start = text.index(phrase)
    window.view.setTextCursor(window.view.cursor_for_span(start, start + len(phrase)))
    return start, start + len(phrase)


def write_note(qtbot, window, phrase: str, body: str):
    select(window, phrase)
    qtbot.keyClick(window.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    panel = window.notes.panel
    note_id = panel.current_note_id()
    assert note_id is not None
    panel.editor.setPlainText(body)
    return note_id


def test_ctrl_m_writes_a_note_that_is_saved_while_typing(qtbot, library_window, store) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    note_id = write_note(qtbot, window, PASSAGE, "Check who pays for the station.")
    stored = store.get_note(note_id)
    assert stored.quote == PASSAGE and stored.kind == "passage"
    # Saved after a short pause in typing, without leaving the editor.
    qtbot.waitUntil(
        lambda: store.get_note(note_id).body == "Check who pays for the station.", timeout=1_500
    )
    window.notes.panel.tags.setText("funding, #Central Asia")
    window.notes.panel.tags.editingFinished.emit()
    assert store.get_note(note_id).tags == ("funding", "Central Asia")
    assert window.notes_dock.isVisible()


def test_the_passage_is_marked_and_its_tooltip_shows_the_note(qtbot, library_window) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    note_id = write_note(qtbot, window, PASSAGE, "Who runs it?")
    window.notes.panel.save_now()
    start, end = window.document.text.index(PASSAGE), 0
    end = start + len(PASSAGE)
    assert (start, end, note_id) in window.view.notes.spans
    assert any("Who runs it?" in tip for tip in window.view.note_tooltips(start + 3))
    # The green bar is painted under the passage.
    window.view.setTextCursor(window.view.cursor_for_span(0, 0))
    window.view.reveal_quietly((start, end))
    image = window.view.viewport().grab().toImage()
    rect = window.view.cursorRect(window.view.cursor_for_span(start + 2, start + 2))
    greens = {
        image.pixelColor(rect.center().x(), y).name()
        for y in range(rect.top(), min(rect.bottom() + 6, image.height()))
    }
    assert QColor(NOTE_COLOUR).name() in greens


def test_delete_then_undo_brings_the_note_back(qtbot, library_window, store) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    note_id = write_note(qtbot, window, PASSAGE, "Keep this.")
    window.notes.panel.save_now()
    window.notes.panel.delete_button.click()
    assert store.get_note(note_id) is None
    assert window.view.notes.spans == []
    assert window.notes.panel.undo_button.isEnabled()
    window.notes.panel.undo_button.click()
    restored = store.get_note(note_id)
    assert restored is not None and restored.body == "Keep this."
    assert window.notes.panel.current_note_id() == note_id


def test_leaving_the_editor_and_closing_save_at_once(qtbot, library_window, store) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    note_id = write_note(qtbot, window, PASSAGE, "First words")
    window.notes.panel.editor.clearFocus()
    window.view.setFocus()
    window.notes.panel.save_now()  # what the focus-out filter does
    assert store.get_note(note_id).body == "First words"
    window.notes.panel.editor.setPlainText("Typed just before quitting")
    window.close()
    assert store.get_note(note_id).body == "Typed just before quitting"


def test_notes_on_the_article_and_on_a_name(qtbot, library_window, store) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    window.notes.add_document_note()
    window.notes.panel.editor.setPlainText("Compare with the Reuters piece.")
    window.notes.panel.save_now()
    entity = next(e for e in window.session.entities() if e.canonical == "Claudia Brunner")
    window.panel.noteRequested.emit(entity)
    window.notes.panel.editor.setPlainText("Swiss diplomat; ask about her previous posts.")
    window.notes.panel.save_now()
    notes = store.list_notes(window.document_id, include_entity_notes=True)
    assert {n.kind for n in notes} >= {"document", "entity"}
    mention = next(m for m in entity.mentions)
    assert "ask about her previous posts" in window.view.tooltip_for(mention)
    index = window.panel.model.index_of((Kind.PERSON, "Claudia Brunner"))
    assert "✎" in index.data()


def test_an_edited_file_orphans_a_deleted_passage_then_it_is_reattached(
    qtbot, library_window, store, tmp_path
) -> None:
    window = library_window
    article = tmp_path / "article.md"
    shutil.copy(SAMPLE, article)
    open_and_wait(qtbot, window, article)
    note_id = write_note(qtbot, window, PASSAGE, "About the station.")
    window.notes.panel.save_now()
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(PASSAGE, "an agreement"), encoding="utf-8")
    open_and_wait(qtbot, window, article)
    note = store.get_note(note_id)
    assert note.orphaned and note.quote == PASSAGE  # never dropped
    assert window.notes.panel.select_note(note_id)
    assert window.notes.panel.reattach_button.isVisibleTo(window.notes.panel)
    select(window, "an agreement")
    window.notes.panel.reattach_button.click()
    note = store.get_note(note_id)
    assert not note.orphaned and note.quote == "an agreement"


def test_copy_as_citation(qtbot, library_window) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    select(window, PASSAGE)
    window.notes.copy_citation()
    copied = QGuiApplication.clipboard().text()
    assert PASSAGE in copied
    assert "Water talks in Geneva" in copied and "Maria Keller" in copied


def test_the_library_notes_list_filters_by_tag(qtbot, library_window) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    write_note(qtbot, window, PASSAGE, "On water.")
    window.notes.panel.tags.setText("water")
    window.notes.panel.save_now()
    write_note(qtbot, window, "Claudia Brunner", "On people.")
    window.notes.panel.tags.setText("people")
    window.notes.panel.save_now()
    browser = window.notes.browser
    window.notes.refresh_browser()
    # The list is read off the GUI thread.
    qtbot.waitUntil(lambda: browser.table.rowCount() == 2 and browser.tag.findText("people") > 0)
    assert browser.table.rowCount() == 2
    browser.tag.setCurrentIndex(browser.tag.findText("people"))
    qtbot.waitUntil(lambda: browser.table.rowCount() == 1)
    assert browser.table.rowCount() == 1
    assert browser.table.item(0, 2).text() == "On people."
    cursor = window.view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
