"""Opening an article in the window: where the view starts, and keeping it in the library."""

from __future__ import annotations

from tests.conftest import SAMPLES
from tests.gui.conftest import open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"


def test_an_article_opens_at_its_top_with_its_title_wrapped(qtbot, window) -> None:
    assert window.stack.currentWidget() is window.welcome
    window.resize(900, 700)
    open_and_wait(qtbot, window, SAMPLE)
    view = window.view
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    assert view.verticalScrollBar().value() == 0
    assert view.horizontalScrollBar().maximum() == 0  # the long title wraps like any line
    assert view.toPlainText().splitlines()[1].startswith("Water talks in Geneva")


def test_a_note_written_at_once_keeps_the_article_first(qtbot, library_window, store) -> None:
    window = library_window
    with qtbot.waitSignal(window.documentShown, timeout=10_000):
        assert window.open_path(SAMPLE)
    # Before the article is kept in the library (it waits for its first highlights).
    window.notes.add_document_note()
    assert window.document_id is not None
    (note,) = store.list_notes(window.document_id)
    assert note.kind == "document"
    assert [e.title for e in store.list_documents()] == [window.document.metadata.title]
