"""Bulk import from a drop: what is collected, what ends up in the library, what is said.

The importer runs its real spawn pool: the helper processes import ``reader`` (and, for the
crash and slow parsers below, this module) by name, as they do in the application.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QMimeData, Qt, QUrl
from PySide6.QtWidgets import QPushButton, QWidget

from reader.documents.model import PlainDocument
from reader.errors import StoreError
from reader.store import Store, open_store
from reader.tasks.importing import BulkImporter, FailedFile, ImportedFile, ImportSummary
from reader.tasks.loading import load_plain
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import OperationsRunner
from reader.ui.dropped import (
    LINK_ONLY_MESSAGE,
    MOZ_URL,
    can_accept,
    collect_files,
    read_mime,
)
from reader.ui.import_dialogs import (
    ImportProgressDialog,
    progress_text,
    show_import_summary,
    summary_text,
)

RUN_TIMEOUT_MS = 60_000  # spawning helper processes on a busy two-core machine


# -- parsers that run in the helper processes (module level: imported there by name) --------


def parse_or_crash(path: str) -> PlainDocument | str:
    """A file whose name starts with "crash" kills the process, as a crash in a library would."""
    if Path(path).name.startswith("crash"):
        os._exit(3)
    return load_plain(path)


def parse_slowly(path: str) -> PlainDocument | str:
    """Each file takes a while, so that a test can cancel in the middle of the run."""
    time.sleep(0.05)
    return load_plain(path)


# -- fixtures and helpers -------------------------------------------------------------------


def article(number: int, place: str = "Geneva") -> str:
    return (
        f"Field report {number}\n\n"
        f"Claudia Brunner met the delegation in {place} on day {number} of the talks.\n\n"
        f"The World Bank sent observers; Greenpeace published a statement ({number}).\n"
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    library = open_store(tmp_path / "lib.sqlite3")
    yield library
    library.close()


class Run:
    """An importer with everything it emitted recorded."""

    def __init__(self, importer: BulkImporter) -> None:
        self.importer = importer
        self.progress: list[tuple[int, int, str]] = []
        self.summaries: list[ImportSummary] = []
        importer.progress.connect(lambda *args: self.progress.append(args))
        importer.finished.connect(self.summaries.append)

    def wait(self, qtbot, count: int = 1) -> ImportSummary:
        qtbot.waitUntil(lambda: len(self.summaries) >= count, timeout=RUN_TIMEOUT_MS)
        return self.summaries[count - 1]


@pytest.fixture
def make_run(qapp, store) -> Iterator:
    """Importers writing through an operations runner; ``wrap`` stands between the runner's
    own connection and the library (a disk that fills up)."""
    made: list[tuple[BulkImporter, OperationsRunner]] = []

    def make(wrap: Callable[[Store], object] | None = None, **kwargs) -> Run:
        opener = None
        if wrap is not None:

            def opener():
                return wrap(open_store(store.path, check=False))

        runner = OperationsRunner(store, MessageBridge(), opener=opener)
        importer = BulkImporter(runner, None, **kwargs)
        made.append((importer, runner))
        return Run(importer)

    yield make
    for importer, runner in made:
        importer.shutdown()
        runner.shutdown()
        importer.deleteLater()


def names(files: list[ImportedFile] | list[FailedFile]) -> list[str]:
    return sorted(f.path.name for f in files)


# -- bulk import ----------------------------------------------------------------------------


def test_folder_import_adds_articles_and_reports_the_rest(tmp_path, qtbot, make_run, store):
    root = tmp_path / "articles"
    write(root / "alpha.md", "# Alpha\n\n" + article(1))
    write(root / "beta.txt", article(2))
    write(root / "sub" / "gamma.md", article(3, "Tashkent"))
    deeper = write(root / "sub" / "deeper" / "delta.txt", article(4))
    write(root / "sub" / "deeper" / "copy of beta.txt", article(2))  # same text: present
    write(root / ".hidden.txt", article(5))
    write(root / ".cache" / "epsilon.txt", article(6))
    write(root / "sub" / "figures.csv", "a,b\n1,2\n")  # not a format reader opens
    write(root / "~$alpha.docx", "lock")  # Office's lock file
    os.symlink(root, root / "sub" / "loop")  # a link back up must not be followed
    empty = write(tmp_path / "elsewhere" / "empty.txt", "")

    paths = collect_files([empty], [root])

    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "articles/alpha.md",
        "articles/beta.txt",
        "articles/sub/deeper/copy of beta.txt",
        "articles/sub/deeper/delta.txt",
        "articles/sub/gamma.md",
        "elsewhere/empty.txt",
    ]
    assert not paths.limit_reached and paths.notice == ""

    run = make_run()
    run.importer.start(paths, notice=paths.notice)
    assert run.importer.running
    summary = run.wait(qtbot)

    assert not run.importer.running
    assert not summary.cancelled and summary.error == ""
    assert (summary.total, summary.done) == (6, 6)
    # The two copies of beta arrive in either order: one is new, the other is recognised.
    assert len(summary.imported) == 4 and len(summary.present) == 1
    assert sorted(names(summary.imported) + names(summary.present)) == sorted(
        ["alpha.md", "beta.txt", "copy of beta.txt", "delta.txt", "gamma.md"]
    )
    (present,) = summary.present
    twin = next(f for f in summary.imported if "beta" in f.path.name)
    assert present.document_id == twin.document_id
    assert summary.failed == [
        FailedFile(
            empty,
            "“empty.txt” is empty (0 bytes); open a file that contains the article's text.",
        )
    ]
    assert sorted(summary.document_ids) == sorted(f.document_id for f in summary.imported)

    entries = store.list_documents()
    assert sorted(e.id for e in entries) == sorted(summary.document_ids)
    assert {e.title for e in entries} == {
        "Alpha",
        "Field report 2",
        "Field report 3",
        "Field report 4",
    }
    assert set(store.paths_of(twin.document_id)) == {str(present.path), str(twin.path)}

    assert run.progress[0] == (0, 6, "")
    assert run.progress[-1][:2] == (6, 6)
    assert sorted(name for _, _, name in run.progress[1:]) == sorted(p.name for p in paths)

    box = show_import_summary(None, summary)
    qtbot.waitUntil(box.isVisible)
    assert box.windowTitle() == "Import finished"
    assert (
        box.text() == "Imported 4 articles, 1 was already in the library and 1 could not be read."
    )
    assert box.informativeText() == (
        "“empty.txt” is empty (0 bytes); open a file that contains the article's text."
    )
    assert box.detailedText() == (
        f"{empty} — “empty.txt” is empty (0 bytes); open a file that contains the article's text."
    )
    box.close()

    # The same folder again, after one file changed: that entry is updated in place.
    write(deeper, article(4, "Tashkent"))
    run.importer.start(collect_files([], [root]))
    summary = run.wait(qtbot, 2)
    assert [(f.path, f.title) for f in summary.updated] == [(deeper, "Field report 4")]
    assert summary.changed_ids == [summary.updated[0].document_id]
    assert len(summary.present) == 4 and summary.imported == [] and summary.failed == []
    assert len(store.list_documents()) == 4
    assert "Tashkent" in store.get_document(summary.updated[0].document_id).text


def test_cancel_keeps_what_was_imported(tmp_path, qtbot, make_run, store):
    paths = [write(tmp_path / "many" / f"report-{i:03}.txt", article(i)) for i in range(300)]
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    run = make_run(parse=parse_slowly)
    dialog = ImportProgressDialog(run.importer, len(paths), parent)
    run.importer.start(paths)

    qtbot.waitUntil(dialog.isVisible, timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: (
            dialog.labelText().startswith("Importing ") and " of 300: report-" in dialog.labelText()
        ),
        timeout=RUN_TIMEOUT_MS,
    )
    assert run.summaries == []
    dialog.findChild(QPushButton).click()

    assert len(run.summaries) == 1  # reported at once, without waiting for the helpers
    summary = run.summaries[0]
    assert summary.cancelled and summary.error == ""
    assert 1 <= summary.done < 300 and summary.failed == []
    assert sorted(e.id for e in store.list_documents()) == sorted(summary.document_ids)
    assert len(summary.imported) == summary.done
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))  # hidden, then deleted

    # Answers still on their way from the helpers are dropped, not written.
    qtbot.wait(300)
    assert len(store.list_documents()) == summary.done and len(run.summaries) == 1

    box = show_import_summary(parent, summary)
    assert box.windowTitle() == "Import cancelled"
    assert box.text().startswith(
        f"You cancelled the import after {summary.done} of 300 files; the articles imported "
        f"so far stay in the library. Imported {summary.done} article"
    )
    box.close()


def test_a_file_that_kills_the_helper_process_is_reported_alone(tmp_path, qtbot, make_run):
    paths = [write(tmp_path / f"ok-{i}.txt", article(i)) for i in range(5)]
    crash = write(tmp_path / "crash.txt", article(99))
    run = make_run(parse=parse_or_crash)
    parent = QWidget()
    qtbot.addWidget(parent)
    # As the window does: a dialog per run, closed by the window's own finished handler too.
    dialog = ImportProgressDialog(run.importer, 6, parent)
    run.importer.finished.connect(lambda _summary: dialog.close())
    run.importer.start(sorted([*paths, crash]))
    summary = run.wait(qtbot)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    assert len(run.summaries) == 1

    assert names(summary.imported) == [p.name for p in paths]
    assert [f.path for f in summary.failed] == [crash]
    assert "the reading process stopped while reading it" in summary.failed[0].reason


class FullDisk:
    """The real store until the third write, then the disk is full."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.writes = 0

    def import_document(self, document):
        self.writes += 1
        if self.writes == 3:
            raise StoreError("The disk is full; free some space, then import the rest again.")
        return self.store.import_document(document)

    def back_up(self, reason: str):
        return self.store.back_up(reason)

    def close(self) -> None:
        self.store.close()


def test_a_library_write_failure_stops_the_run(tmp_path, qtbot, make_run, store):
    paths = [write(tmp_path / f"report-{i}.txt", article(i)) for i in range(8)]
    run = make_run(FullDisk)
    run.importer.start(paths)
    summary = run.wait(qtbot)

    assert summary.error == "The disk is full; free some space, then import the rest again."
    assert not summary.cancelled
    assert len(summary.imported) == 2 and summary.done == 2
    assert len(store.list_documents()) == 2
    assert summary_text(summary) == (
        "The import stopped after 2 of 8 files because the library could not be saved: "
        "The disk is full; free some space, then import the rest again. Imported 2 articles."
    )


def test_an_empty_run_finishes_through_the_event_loop(qtbot, make_run):
    run = make_run()
    run.importer.start([])
    assert run.summaries == []
    summary = run.wait(qtbot)
    assert (summary.total, summary.done) == (0, 0)
    assert summary_text(summary).startswith("The dropped folders contain no files reader can")


# -- collecting files -----------------------------------------------------------------------


def test_collect_files_stops_at_the_limit_and_always_tries_chosen_files(tmp_path):
    for i in range(5):
        write(tmp_path / "folder" / f"note-{i}.md", article(i))
    chosen = write(tmp_path / ".secret.log", "text")  # hidden and unsupported, but chosen

    paths = collect_files([chosen], [tmp_path / "folder"], limit=3)

    assert len(paths) == 3 and chosen in paths
    assert paths.limit_reached
    assert paths.notice.startswith("The dropped folders hold more than 3 files")
    assert collect_files([chosen, chosen], []) == [chosen]


# -- reading a drop -------------------------------------------------------------------------


def test_local_urls_are_files_and_folders(tmp_path, qapp):
    file = write(tmp_path / "a.txt", article(1))
    folder = tmp_path / "folder"
    folder.mkdir()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(file)), QUrl.fromLocalFile(str(folder))])
    mime.setText(f"{file}\n{folder}")  # file managers add the paths as text: not an article

    items = read_mime(mime)

    assert can_accept(mime)
    assert items is not None
    assert (items.files, items.folders, items.content) == ([file], [folder], None)
    assert items.single_file is None

    mime.setUrls([QUrl.fromLocalFile(str(file))])
    assert read_mime(mime).single_file == file


def test_dropped_html_keeps_the_page_url_and_title(qapp):
    url = "https://news.example.org/2024/geneva-talks"
    mime = QMimeData()
    mime.setHtml(
        "<meta charset='utf-8'><h1>Talks in Geneva</h1>"
        "<p>Claudia Brunner met the delegation in Geneva on Monday.</p>"
        "<p>The World Bank sent observers, and Greenpeace published a statement.</p>"
    )
    mime.setText("Talks in Geneva\n\nClaudia Brunner met the delegation in Geneva on Monday.")
    mime.setData(MOZ_URL, QByteArray(f"{url}\nTalks in Geneva — Example News".encode("utf-16-le")))

    items = read_mime(mime)

    assert items is not None and items.files == [] and items.folders == []
    document = items.content
    assert document is not None
    assert document.metadata.source_url == url
    assert document.metadata.title == "Talks in Geneva — Example News"
    assert document.metadata.format == "html"
    assert "Claudia Brunner met the delegation in Geneva on Monday." in document.text
    assert "<p>" not in document.text


def test_dropped_html_takes_a_url_only_text_as_its_source(qapp):
    mime = QMimeData()
    mime.setHtml("<p>Claudia Brunner met the delegation in Geneva on Monday.</p>")
    mime.setText("https://news.example.org/geneva")
    items = read_mime(mime)
    assert items is not None and items.content is not None
    assert items.content.metadata.source_url == "https://news.example.org/geneva"
    assert items.content.text == "Claudia Brunner met the delegation in Geneva on Monday."


def test_dropped_plain_text_becomes_an_article(qapp):
    mime = QMimeData()
    mime.setText("Some article text about Claudia Brunner in Geneva …\n\nA second paragraph.")

    items = read_mime(mime)

    assert can_accept(mime)
    assert items is not None and items.content is not None
    assert items.content.text == (
        "Some article text about Claudia Brunner in Geneva …\n\nA second paragraph."
    )
    assert items.content.metadata.source_url == ""
    assert items.content.metadata.format == "text"


@pytest.mark.parametrize(
    "text", ["https://example.org/article", "  <https://example.org/a>\nwww.example.org/b  "]
)
def test_a_dragged_link_is_not_an_article(qapp, text):
    mime = QMimeData()
    mime.setText(text)
    items = read_mime(mime)
    assert can_accept(mime)  # accepted, so that the drop can say why nothing happened
    assert items is not None
    assert (items.files, items.folders, items.content) == ([], [], None)
    assert items.message == LINK_ONLY_MESSAGE


def test_a_link_dragged_from_a_browser_is_not_an_article(qapp):
    url = "https://example.org/story"
    mime = QMimeData()
    mime.setUrls([QUrl(url)])
    mime.setHtml(f'<a href="{url}">A story worth reading</a>')
    mime.setText(url)
    mime.setData(MOZ_URL, QByteArray(f"{url}\nA story worth reading".encode("utf-16-le")))
    items = read_mime(mime)
    assert items is not None and items.content is None
    assert items.message == LINK_ONLY_MESSAGE


def test_nothing_usable(qapp):
    empty = QMimeData()
    assert not can_accept(empty) and read_mime(empty) is None
    blank = QMimeData()
    blank.setText("  \n ")
    assert not can_accept(blank) and read_mime(blank) is None


# -- the words shown ------------------------------------------------------------------------


def test_summary_sentences():
    def files(count: int, start: int = 0) -> list[ImportedFile]:
        return [ImportedFile(Path(f"/a/{i}.txt"), i, f"T{i}") for i in range(start, start + count)]

    failed = [FailedFile(Path("/a/x.pdf"), "“x.pdf” is damaged."), FailedFile(Path("/a/y"), "No.")]
    summary = ImportSummary(
        total=18, imported=files(12), present=files(3, 20), updated=files(1, 30), failed=failed
    )
    assert summary_text(summary) == (
        "Imported 12 articles, 3 were already in the library, 1 was updated because the file "
        "had changed and 2 could not be read. Click “Show Details…” to see why."
    )
    assert summary.changed_ids == [*range(12), 30]
    assert summary_text(ImportSummary(total=1, present=files(1))) == (
        "No new articles were imported: 1 was already in the library."
    )
    assert summary_text(ImportSummary(total=2, failed=failed, notice="Note.")) == (
        "No articles were imported: 2 files could not be read. "
        "Click “Show Details…” to see why. Note."
    )
    assert summary_text(ImportSummary(total=1, failed=failed[1:])) == (
        "No articles were imported: 1 file could not be read. y: No."
    )
    assert progress_text(0, 340, "") == "Importing 340 files…"
    assert progress_text(12, 340, "name.pdf") == "Importing 12 of 340: name.pdf"
    long_name = "a" * 80 + ".pdf"
    assert progress_text(1, 2, long_name) == f"Importing 1 of 2: {'a' * 29}…{'a' * 25}.pdf"


def test_escape_cancels_the_import(tmp_path, qtbot, make_run):
    paths = [write(tmp_path / f"report-{i}.txt", article(i)) for i in range(20)]
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    run = make_run(parse=parse_slowly)
    dialog = ImportProgressDialog(run.importer, len(paths), parent)
    run.importer.start(paths)
    qtbot.waitUntil(dialog.isVisible, timeout=RUN_TIMEOUT_MS)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert len(run.summaries) == 1 and run.summaries[0].cancelled
    assert not run.importer.running


def test_a_bulk_import_is_preceded_by_a_backup(tmp_path, qtbot, make_run, store):
    from reader.documents.loader import load_document

    store.import_document(load_document(write(tmp_path / "first.txt", article(99))))
    paths = [write(tmp_path / f"report-{i}.txt", article(i)) for i in range(3)]
    run = make_run()
    run.importer.start(paths)
    run.wait(qtbot)
    [copy] = store.backup_dir.glob("*-import.sqlite3")
    with open_store(copy, check=False) as before:
        assert len(before.list_documents()) == 1  # taken before the three were added
