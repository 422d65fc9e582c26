"""The library in the window: kept on open, cached highlights, search, mentions, removal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from reader.documents.loader import load_document
from reader.entities.kinds import Kind
from tests.conftest import SAMPLES
from tests.gui.conftest import open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"


def row_texts(window) -> list[list[str]]:
    proxy = window.library.panel.proxy
    return [
        [str(proxy.index(row, column).data() or "") for column in range(proxy.columnCount())]
        for row in range(proxy.rowCount())
    ]


def test_an_opened_article_is_kept_with_its_entity_counts(qtbot, library_window) -> None:
    open_and_wait(qtbot, library_window, SAMPLE)
    qtbot.waitUntil(
        lambda: bool(row_texts(library_window)) and row_texts(library_window)[0][5] != "…"
    )
    (row,) = row_texts(library_window)
    assert row[0] == "Water talks in Geneva end with a promise and a deadline"
    assert row[1] == "Maria Keller"
    assert int(row[5]) >= 2  # people
    assert int(row[6]) >= 2  # places
    assert library_window.document_id is not None


def test_reopening_shows_cached_highlights_without_analysis(
    qtbot, library_window, fake_worker
) -> None:
    open_and_wait(qtbot, library_window, SAMPLE)
    jobs = len(fake_worker.jobs)
    document_id = library_window.document_id
    library_window.view.clear_document()
    with qtbot.waitSignal(library_window.analysisDone, timeout=5_000):
        library_window.library.open_document(document_id)
    assert len(fake_worker.jobs) == jobs  # no spaCy run: the cache answered
    text = library_window.document.text
    start = text.index("Antonio Guterres")
    fmt = library_window.view.highlights.format_at(start + 1)
    assert fmt.background().color() == QColor(library_window.settings.colour(Kind.PERSON))
    assert library_window.panel.model.index_of((Kind.PERSON, "Antonio Guterres")).isValid()


def test_search_lists_matches_and_opens_at_the_match(qtbot, library_window, store) -> None:
    open_and_wait(qtbot, library_window, SAMPLE)
    panel = library_window.library.panel
    panel.search.setText("tashkent")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(panel.results_box.isVisible)  # the search runs off the GUI thread
    assert panel.results_box.isVisible()
    assert panel.results.count() == 1
    assert "<b>Tashkent</b>" in panel.results.item(0).text()
    library_window.view.clear_document()
    panel.results.itemActivated.emit(panel.results.item(0))
    qtbot.waitUntil(lambda: library_window.view.textCursor().hasSelection())
    cursor = library_window.view.textCursor()
    assert cursor.selectedText() == "Tashkent"


def test_typing_filters_the_list(qtbot, library_window, store, tmp_path) -> None:
    other = tmp_path / "other.md"
    other.write_text("# Harvest report\n\nFarmers near Lyon expect a poor harvest.\n")
    store.import_document(load_document(other))
    open_and_wait(qtbot, library_window, SAMPLE)
    qtbot.waitUntil(lambda: len(row_texts(library_window)) == 2)
    assert len(row_texts(library_window)) == 2
    library_window.library.panel.search.setText("harvest")
    assert [r[0] for r in row_texts(library_window)] == ["Harvest report"]


def test_entity_lookup_lists_the_documents_that_mention_it(qtbot, library_window) -> None:
    open_and_wait(qtbot, library_window, SAMPLE)
    entity = next(e for e in library_window.session.entities() if e.canonical == "Antonio Guterres")
    library_window.panel.libraryLookupRequested.emit(entity)
    panel = library_window.library.panel
    qtbot.waitUntil(lambda: panel.results.count() == 1)
    assert panel.results.count() == 1
    assert "mention" in panel.results_label.text()
    assert "<b>Antonio Guterres</b>" in panel.results.item(0).text()


def test_removal_asks_first_then_removes(qtbot, library_window) -> None:
    open_and_wait(qtbot, library_window, SAMPLE)
    document_id = library_window.document_id
    box = library_window.library.confirm_remove([document_id])
    assert box is not None and box.isVisible()
    assert "no notes" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: len(row_texts(library_window)) == 1)
    assert len(row_texts(library_window)) == 1
    box = library_window.library.confirm_remove([document_id])
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    remove.click()
    qtbot.waitUntil(lambda: row_texts(library_window) == [])


def test_imported_articles_are_analysed_in_the_background(
    qtbot, library_window, store, tmp_path
) -> None:
    path = tmp_path / "brunner.md"
    path.write_text("# Brunner in Tashkent\n\nClaudia Brunner met Greenpeace in Tashkent.\n")
    result = store.import_document(load_document(path))
    assert not store.get_entry(result.document_id).analysed
    library_window.library.refresh()
    library_window.library.start_background()
    qtbot.waitUntil(lambda: store.get_entry(result.document_id).analysed, timeout=5_000)
    counts = store.get_entry(result.document_id).entity_counts
    assert counts[Kind.PERSON] == 1 and counts[Kind.ORGANIZATION] >= 1  # Greenpeace


def test_the_reading_view_context_menu_looks_a_name_up(qtbot, library_window) -> None:
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    open_and_wait(qtbot, library_window, SAMPLE)
    view = library_window.view
    text = library_window.document.text
    start = text.index("Antonio Guterres")
    rect = view.cursorRect(view.cursor_for_span(start + 2, start + 2))
    point = rect.center()
    viewport = view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    action = next(a for a in menu.actions() if "in the Library" in a.text())
    assert action.text() == "Find “Antonio Guterres” in the Library"
    action.trigger()
    menu.close()
    qtbot.waitUntil(lambda: library_window.library.panel.results.count() == 1)
    assert library_window.library.panel.results.count() == 1
