"""Corrections in the window: the name menus, the Corrections panel, undo, and what shows."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from reader.entities.corrections import Action, make_rule
from reader.entities.kinds import Kind
from reader.store import open_store
from reader.tasks.operations import Changes
from tests.conftest import SAMPLES
from tests.gui.conftest import format_at, open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"


def colour_at(window, phrase: str, nth: int = 0) -> QColor:
    """The highlight colour of the ``nth`` occurrence of ``phrase`` in the reading view."""
    return format_at(window, phrase, nth).background().color()


def pixel_at(window, phrase: str) -> QColor:
    """The colour painted on screen just inside ``phrase`` (the view grabbed now)."""
    view = window.view
    start = window.document.text.index(phrase)
    rect = view.cursorRect(view.cursor_for_span(start, start))
    if not view.viewport().rect().contains(rect):  # scrolled into view, near the top
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - 40)
        rect = view.cursorRect(view.cursor_for_span(start, start))
    return view.viewport().grab().toImage().pixelColor(rect.right() + 2, rect.top() + 2)


def legend_number(window, kind: Kind) -> int:
    """The count the legend shows beside a kind."""
    return int(re.findall(r"\d+", window.legend.checkboxes[kind].text())[-1])


def kind_colour(window, kind: Kind) -> QColor:
    return QColor(window.settings.colour(kind))


def open_menu(send) -> QMenu:
    send()
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())


def text_menu(window, phrase: str) -> QMenu:
    """Right-click the middle of ``phrase`` in the reading view."""
    view = window.view
    start = window.document.text.index(phrase)
    point = view.cursorRect(view.cursor_for_span(start + 2, start + 2)).center()
    viewport = view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    return open_menu(lambda: QApplication.sendEvent(viewport, event))


def panel_menu(window, kind: Kind, canonical: str) -> QMenu:
    panel = window.panel
    index = panel.model.index_of((kind, canonical))
    assert index.isValid(), canonical
    point = panel.table.visualRect(index).center()
    return open_menu(lambda: panel.table.customContextMenuRequested.emit(point))


def action(menu: QMenu, text: str):
    for item in menu.actions():
        if item.text() == text or item.text().startswith(text):
            return item
        sub = item.menu()
        if sub is not None and sub.title() == text:
            return item
    raise AssertionError(f"no “{text}” in {[a.text() for a in menu.actions()]}")


def submenu(menu: QMenu, title: str) -> QMenu:
    found = action(menu, title).menu()
    assert found is not None
    return found


def settle(qtbot, window) -> None:
    """The library caught up (the background application of the rules)."""
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)


def test_right_clicking_a_name_relabels_it_everywhere_at_once(qtbot, library_window, store):
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    assert colour_at(window, "Greenpeace") == kind_colour(window, Kind.ORGANIZATION)
    assert pixel_at(window, "Greenpeace") == kind_colour(window, Kind.ORGANIZATION)
    places = legend_number(window, Kind.PLACE)
    menu = text_menu(window, "Greenpeace")
    labels = [a.text() for a in menu.actions()]
    assert "Not a Name: “Greenpeace”" in labels and "Same As…" in labels
    kinds = submenu(menu, "Kind")
    assert [a.text() for a in kinds.actions()] == [
        "Person",
        "Place",
        "Organization",
        "Other name",
    ]
    assert [a.isChecked() for a in kinds.actions()] == [False, False, True, False]
    assert submenu(menu, "Only in This Article").actions()
    action(kinds, "Place").trigger()
    menu.close()
    # The open article at once: colour, tooltip, entity panel, legend.
    assert colour_at(window, "Greenpeace") == kind_colour(window, Kind.PLACE)
    # On screen too: the next paint shows the place's tint, nothing queued to wait for.
    assert pixel_at(window, "Greenpeace") == kind_colour(window, Kind.PLACE)
    mention = window.session.mention_at(window.document.text.index("Greenpeace"))
    assert mention is not None and mention.kind is Kind.PLACE
    tip = window.view.tooltip_for(mention)
    assert "<b>Greenpeace</b>" in tip and "Place <span" in tip and "1 mention in" in tip
    assert window.panel.model.index_of((Kind.PLACE, "Greenpeace")).isValid()
    assert not window.panel.model.index_of((Kind.ORGANIZATION, "Greenpeace")).isValid()
    assert legend_number(window, Kind.PLACE) == places + 1
    assert "“Greenpeace” is a place" in window.statusBar().currentMessage()
    # The rest of the library, in the background: its entity search sees a place.
    settle(qtbot, window)
    [hit] = store.mentions("Greenpeace")
    assert hit.kind is Kind.PLACE
    # The cache keeps the model's names: the correction is on top, never baked in.
    cached = store.load_analysis(window.document.text_hash, window.cache.key)
    assert cached is not None
    assert {m.kind for m in cached if m.text == "Greenpeace"} == {Kind.ORGANIZATION}


def test_not_a_name_from_the_entity_panel_and_undo_redo_in_the_corrections_panel(
    qtbot, library_window, store
) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    menu = panel_menu(window, Kind.ORGANIZATION, "World Bank")
    action(menu, "Not a Name: “World Bank”").trigger()
    menu.close()
    assert colour_at(window, "World Bank") != kind_colour(window, Kind.ORGANIZATION)
    assert colour_at(window, "World Bank", 1) != kind_colour(window, Kind.ORGANIZATION)
    assert not window.panel.model.index_of((Kind.ORGANIZATION, "World Bank")).isValid()
    settle(qtbot, window)
    panel = window.corrections.panel
    assert panel.heading.text() == "1 correction in force"
    row = [panel.model.index(0, c).data() for c in range(4)]
    assert row == ["1", "“World Bank” is not a name", "2", "2"]
    # Keyboard: the panel from the View menu's shortcut, Delete undoes the selected rule.
    toggle = window.corrections_action
    assert toggle.shortcut().toString() == "Ctrl+Shift+R"
    window.activateWindow()
    window.dock.raise_()  # behind the entity panel's tab: the shortcut brings it forward
    toggle.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.table, timeout=2_000)
    assert window.corrections_dock.isVisible() and toggle.isChecked()
    panel.select(1)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert colour_at(window, "World Bank") == kind_colour(window, Kind.ORGANIZATION)
    settle(qtbot, window)
    assert panel.heading.text() == "0 corrections in force, 1 undone"
    assert panel.model.index(0, 3).data() == "undone"
    assert store.mentions("World Bank")[0].count == 2
    qtbot.keyClick(
        panel.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert colour_at(window, "World Bank") != kind_colour(window, Kind.ORGANIZATION)
    settle(qtbot, window)
    assert store.mentions("World Bank") == []
    panel.filter_edit.setText("nothing like it")
    assert panel.model.rowCount() == 0


def test_a_selection_is_marked_as_a_name_the_model_missed(qtbot, library_window, store):
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    view = window.view
    start = window.document.text.index("Shardara")
    cursor = view.cursor_for_span(start + 1, start + 5)  # "hard": a sloppy selection
    view.setTextCursor(cursor)
    assert colour_at(window, "Shardara") != kind_colour(window, Kind.PLACE)
    view.setTextCursor(cursor)
    menu = text_menu(window, "Shardara")
    marks = [a.text() for a in menu.actions() if a.text().startswith("Mark ")]
    assert marks == [
        "Mark “Shardara” as Person",
        "Mark “Shardara” as Place",
        "Mark “Shardara” as Organization",
    ]
    action(menu, "Mark “Shardara” as Place").trigger()
    menu.close()
    assert colour_at(window, "Shardara") == kind_colour(window, Kind.PLACE)
    mention = window.session.mention_at(start)
    assert mention is not None and window.view.tooltip_for(mention).startswith("<b>Shardara</b>")
    settle(qtbot, window)
    assert store.mentions("Shardara")[0].kind is Kind.PLACE


def test_same_as_files_a_name_under_another_and_split_undoes_it(qtbot, library_window) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    menu = text_menu(window, "Tashkent")
    action(menu, "Same As…").trigger()
    menu.close()
    dialog = window.corrections.dialog
    assert dialog is not None and dialog.isVisible()
    names = [dialog.names.itemText(i) for i in range(dialog.names.count())]
    assert names[0] == "Geneva" and "Tashkent" not in names  # most mentioned first
    dialog.names.setCurrentText("Geneva")
    dialog.accept()
    tashkent = window.session.mention_at(window.document.text.index("Tashkent"))
    assert tashkent is not None and tashkent.canonical == "Geneva"
    tip = window.view.tooltip_for(tashkent)
    assert "<b>Geneva</b>" in tip and "7 mentions in this document" in tip
    assert "also: Tashkent" in tip
    # Split, from the entity panel: "Tashkent" is its own name again.
    menu = panel_menu(window, Kind.PLACE, "Geneva")
    action(menu, "Split “Tashkent” from “Geneva”").trigger()
    menu.close()
    tashkent = window.session.mention_at(window.document.text.index("Tashkent"))
    assert tashkent is not None and tashkent.canonical == "Tashkent"
    settle(qtbot, window)
    assert window.corrections.panel.heading.text() == "2 corrections in force"


def test_a_bad_correction_is_a_notice_and_changes_nothing(qtbot, library_window) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    dialog = window.corrections.ask_same_as("Tashkent")
    dialog.names.setCurrentText("Tashkent ")
    dialog.accept()
    assert window.notice.isVisible()
    assert "cannot be the same as itself" in window.notice.text()
    window.corrections.correct(Action.SAME_AS, "Geneva", target="Tashkent")
    window.corrections.ask_same_as("Tashkent").names.setCurrentText("Geneva")
    window.corrections.dialog.accept()  # type: ignore[union-attr]
    assert "circle of names" in window.notice.text()
    settle(qtbot, window)
    assert window.corrections.panel.heading.text() == "1 correction in force"


def test_entity_notes_follow_a_relabelled_name(qtbot, library_window, store) -> None:
    from reader.notes.model import Note

    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    store.add_note(
        Note(
            None,
            "entity",
            None,
            "Check the donor list.",
            (),
            entity_kind="organization",
            entity_canonical="Greenpeace",
        )
    )
    window.notes.reload()
    window.corrections.correct(Action.KIND, "Greenpeace", kind=Kind.PLACE)
    mention = window.session.mention_at(window.document.text.index("Greenpeace"))
    assert mention is not None
    assert "Check the donor list." in window.view.tooltip_for(mention)
    assert window.panel.model.noted.get(("place", "Greenpeace")) == ["Check the donor list."]


def test_a_correction_made_elsewhere_shows_without_touching_a_note_being_typed(
    qtbot, library_window, store
) -> None:
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    qtbot.waitUntil(lambda: window.watcher.active, timeout=5_000)
    heard: list[Changes] = []
    window.watcher.changedElsewhere.connect(heard.append)
    window.notes.add_document_note()
    editor = window.notes.panel.editor
    qtbot.keyClicks(editor, "Greenpeace is")
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.wait(600)
    assert heard == []  # the window's own writes are not news from elsewhere
    with open_store(store.path, check=False) as other:  # another process, as far as SQLite knows
        other.add_corrections([make_rule("kind", "Greenpeace", kind="place")])
        other.apply_corrections()
    qtbot.waitUntil(
        lambda: colour_at(window, "Greenpeace") == kind_colour(window, Kind.PLACE), timeout=5_000
    )
    assert heard and heard[0] & Changes.CORRECTIONS
    assert editor.toPlainText() == "Greenpeace is" and editor.textCursor().position() == 0
    assert window.corrections.panel.heading.text() == "1 correction in force"


def test_the_corrections_panel_is_in_the_view_menu(qtbot, library_window) -> None:
    window = library_window
    view_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text() == "&View" and a.menu()
    )
    assert window.corrections_action in view_menu.actions()
    assert window.corrections_dock.windowTitle() == "Corrections"
    window.activateWindow()
    window.corrections_action.trigger()  # to the front, with the focus…
    qtbot.waitUntil(lambda: window.corrections_dock.isAncestorOf(QApplication.focusWidget()))
    window.corrections_action.trigger()  # …and away again from there
    assert window.corrections_dock.isHidden() and not window.corrections_action.isChecked()
    window.corrections_action.trigger()
    assert window.corrections_dock.isVisible()


def test_a_note_added_in_a_shell_joins_the_list_while_another_is_being_typed(
    qtbot, fake_worker, reader_home
) -> None:
    import os
    import subprocess
    import sys

    from reader import paths
    from tests.gui.conftest import show_window

    store = open_store(paths.database_file())
    window = show_window(qtbot, fake_worker, store)
    try:
        open_and_wait(qtbot, window, SAMPLE)
        qtbot.waitUntil(lambda: window.watcher.active and window.runner.pending == 0)
        window.notes.add_document_note()
        editor = window.notes.panel.editor
        qtbot.keyClicks(editor, "Draft, not saved yet")
        editor.moveCursor(QTextCursor.MoveOperation.Start)
        typed_into = window.notes.panel.current_note_id()
        done = subprocess.run(
            [sys.executable, "-m", "reader", "notes", "add", str(SAMPLE), "--quote",
             "Antonio Guterres", "--text", "From the shell."],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
            env=dict(os.environ, READER_HOME=str(reader_home)), check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: window.notes.panel.list.count() == 2, timeout=5_000)
        assert any(n.body == "From the shell." for n in window.session.notes)
        assert editor.toPlainText() == "Draft, not saved yet"
        assert editor.textCursor().position() == 0
        assert window.notes.panel.current_note_id() == typed_into
        window.notes.flush()
        assert {n.body for n in store.list_notes(window.document_id)} == {
            "Draft, not saved yet",
            "From the shell.",
        }
    finally:
        window.close()
        store.close()


def test_an_article_rule_and_sharing_rules_from_the_panel(qtbot, library_window, tmp_path):
    window = library_window
    open_and_wait(qtbot, window, SAMPLE)
    menu = text_menu(window, "Tashkent")
    only = submenu(menu, "Only in This Article")
    action(only, "Not a Name: “Tashkent”").trigger()
    menu.close()
    assert window.session.mention_at(window.document.text.index("Tashkent")) is None
    settle(qtbot, window)
    panel = window.corrections.panel
    assert panel.model.index(0, 1).data() == "“Tashkent” is not a name in this article"
    path = tmp_path / "team.json"
    window.corrections.export_to(str(path))
    settle(qtbot, window)
    assert '"document"' in path.read_text(encoding="utf-8")
    undo_all = tmp_path / "more.json"
    undo_all.write_text(
        '{"format": "reader-corrections", "version": 1, "rules": ['
        '{"action": "kind", "text": "Greenpeace", "kind": "person"}]}',
        encoding="utf-8",
    )
    window.corrections.import_from(undo_all)
    settle(qtbot, window)
    assert "Imported 1 correction from “more.json”" in window.notice.text()
    assert colour_at(window, "Greenpeace") == kind_colour(window, Kind.PERSON)
    assert panel.heading.text() == "2 corrections in force"
