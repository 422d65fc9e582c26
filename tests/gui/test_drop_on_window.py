"""Real drops on the window: files open, folders import, browser content becomes an article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

ARTICLE = (
    "# {title}\n\nBy Lena Fischer\n\n"
    "Claudia Brunner flew from Geneva to Tashkent on Monday to meet Greenpeace activists.\n"
)


def drop(window, mime: QMimeData) -> bool:
    """Send a drag-enter then a drop, as Qt does, to the window; whether it was accepted."""
    target = window.view.viewport()
    position = QPoint(40, 40)
    actions = Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(position, actions, mime, buttons, modifiers)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(position), actions, mime, buttons, modifiers)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def titles(window) -> list[str]:
    model = window.library.panel.model
    return sorted(entry.title for entry in model.entries)


def write_article(folder: Path, name: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(ARTICLE.format(title=title), encoding="utf-8")
    return path


def test_dropping_one_file_opens_it_and_keeps_it(qtbot, library_window, tmp_path) -> None:
    path = write_article(tmp_path, "one.md", "Talks in Tashkent")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(library_window.analysisDone, timeout=10_000):
        assert drop(library_window, mime)
    assert library_window.document.metadata.title == "Talks in Tashkent"
    qtbot.waitUntil(lambda: bool(titles(library_window)))  # the list refreshes off-thread
    assert titles(library_window) == ["Talks in Tashkent"]


def test_dropping_a_folder_imports_everything_in_it(qtbot, library_window, tmp_path) -> None:
    folder = tmp_path / "clippings"
    write_article(folder, "a.md", "First report")
    write_article(folder / "2026" / "march", "b.markdown", "Second report")
    write_article(folder, "c.md", "Third report")
    (folder / "notes.xyz").write_text("not an article")
    (folder / "empty.md").write_text("")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    assert drop(library_window, mime)
    qtbot.waitUntil(lambda: library_window.library.import_summary is not None, timeout=60_000)
    assert titles(library_window) == ["First report", "Second report", "Third report"]
    summary = library_window.library.import_summary
    assert "Imported 3 articles" in summary.text()
    assert "could not be read" in summary.text()  # the empty file, with its reason
    assert "empty.md" in summary.detailedText()
    summary.close()
    # Dropped in the background, analysed in the background: the counts fill in.
    qtbot.waitUntil(
        lambda: all(e.analysed for e in library_window.library.panel.model.entries),
        timeout=20_000,
    )


def test_dropping_several_files_imports_them(qtbot, library_window, tmp_path) -> None:
    paths = [write_article(tmp_path, f"{n}.md", f"Report {n}") for n in range(3)]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    assert drop(library_window, mime)
    qtbot.waitUntil(lambda: len(titles(library_window)) == 3, timeout=60_000)
    assert library_window.document is None  # imported, not opened


def test_dropping_a_browser_selection_keeps_its_source(qtbot, library_window) -> None:
    mime = QMimeData()
    mime.setHtml(
        "<h1>Harvest in the Loire valley</h1><p>Farmers near Tours told Marie Dubois that "
        "the harvest was the poorest since 1991, blaming the dry spring.</p>"
    )
    url = "https://news.example/loire-harvest"
    mime.setData(
        "text/x-moz-url", QByteArray((url + "\nHarvest in the Loire valley").encode("utf-16-le"))
    )
    with qtbot.waitSignal(library_window.analysisDone, timeout=10_000):
        assert drop(library_window, mime)
    document = library_window.document
    assert "poorest since 1991" in document.text
    assert document.metadata.source_url == url
    qtbot.waitUntil(lambda: bool(titles(library_window)))
    assert titles(library_window) == ["Harvest in the Loire valley"]
    assert url in library_window.view.document().firstBlock().text()


def test_dropping_plain_text_makes_an_article(qtbot, library_window) -> None:
    mime = QMimeData()
    mime.setText("Ministers from Chile and Peru met in Lima to discuss lithium mining rights.")
    with qtbot.waitSignal(library_window.analysisDone, timeout=10_000):
        assert drop(library_window, mime)
    assert "lithium mining" in library_window.document.text
    qtbot.waitUntil(lambda: bool(titles(library_window)))
    assert len(titles(library_window)) == 1


def test_dropping_a_link_only_explains_that_nothing_is_downloaded(library_window) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://news.example/some-article")])
    mime.setText("https://news.example/some-article")
    drop(library_window, mime)
    assert library_window.notice.text()
    assert titles(library_window) == []
