"""The store watcher: changes made elsewhere are announced, the window's own never are."""

from __future__ import annotations

import pytest

from reader.entities.corrections import make_rule
from reader.notes.model import Note
from reader.store import open_store
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.store_watcher import StoreWatcher
from tests.unit.store.conftest import make_document

QUIET_MS = 300  # longer than a look (a tenth of a second in these tests)


@pytest.fixture
def library(tmp_path):
    store = open_store(tmp_path / "library.sqlite3")
    store.import_document(make_document("Sergei Lavrov arrived.", title="Talks"))
    yield store
    store.close()


@pytest.fixture
def runner(qapp, library):
    made = OperationsRunner(library, MessageBridge())
    yield made
    made.shutdown()


@pytest.fixture
def watcher(runner):
    made = StoreWatcher(runner, interval=100)
    made.heard = []  # type: ignore[attr-defined]
    made.changedElsewhere.connect(made.heard.append)  # type: ignore[attr-defined]
    made.start()
    yield made
    made.stop()


def elsewhere(library):
    """Another connection on the same file: to SQLite, another process."""
    return open_store(library.path, check=False)


def test_a_change_made_elsewhere_is_announced_to_the_runner(qtbot, runner, watcher, library):
    announced: list[Changes] = []
    runner.changedElsewhere.connect(announced.append)
    with elsewhere(library) as other:
        other.add_corrections([make_rule("not-a-name", "Lavrov")])
    qtbot.waitUntil(lambda: bool(watcher.heard), timeout=2_000)
    assert watcher.heard == [Changes.EVERYTHING] and announced == [Changes.EVERYTHING]
    qtbot.wait(QUIET_MS)
    assert watcher.heard == [Changes.EVERYTHING]  # once


def test_the_window_s_own_writes_are_not_news(qtbot, runner, watcher, library) -> None:
    note = runner.now(
        lambda store: store.add_note(Note(None, "document", 1, "Mine.", ())),
        changes=Changes.NOTES,
    )
    assert note is not None
    note.body = "Mine, edited."
    runner.now(lambda store: store.update_note(note), changes=Changes.NOTES)
    runner.query(
        lambda store: store.import_document(make_document("Another.", title="Two")),
        changes=Changes.DOCUMENTS,
    )
    runner.query(
        lambda store: store.add_corrections([make_rule("kind", "Lavrov", kind="org")]),
        changes=Changes.CORRECTIONS,
    )
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    qtbot.wait(QUIET_MS)
    assert watcher.heard == []


def test_a_change_elsewhere_while_the_window_writes_is_still_found(
    qtbot, runner, watcher, library
) -> None:
    """The runner is busy writing an article when a shell adds a note: only the note is
    news (the article was the window's own)."""

    def slow_import(store):
        store.import_document(make_document("Another.", title="Two"))
        with elsewhere(library) as other:
            other.add_note(Note(None, "document", 1, "From a shell.", ()))
        return None

    runner.query(slow_import, changes=Changes.DOCUMENTS)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)
    qtbot.waitUntil(lambda: bool(watcher.heard), timeout=2_000)
    assert watcher.heard == [Changes.NOTES]


def test_a_note_written_here_after_a_change_elsewhere_does_not_hide_it(
    qtbot, runner, watcher, library
) -> None:
    # No look in between (the event loop does not run): the write here comes second.
    with elsewhere(library) as other:
        other.add_note(Note(None, "document", 1, "From a shell.", ()))
    runner.now(
        lambda store: store.add_note(Note(None, "document", 1, "Mine.", ())),
        changes=Changes.NOTES,
    )
    qtbot.waitUntil(lambda: bool(watcher.heard), timeout=2_000)
    assert watcher.heard[0] & Changes.NOTES


def test_a_shell_s_rule_applied_while_the_window_reads_still_brings_its_counts(
    qtbot, runner, watcher, library
) -> None:
    """``reader corrections`` stores the rule, then applies it to the library; the second
    commit may come while this window's runner is busy: the counts are news all the same."""
    from reader.entities.kinds import Kind
    from reader.entities.spans import Mention

    [entry] = library.list_documents()
    library.save_analysis(
        entry.text_hash,
        "model",
        [Mention(0, 13, Kind.PERSON, "PERSON", "Sergei Lavrov", "Sergei Lavrov")],
    )
    with elsewhere(library) as other:
        other.add_corrections([make_rule("kind", "Sergei Lavrov", kind="org")])
    qtbot.waitUntil(lambda: bool(watcher.heard), timeout=2_000)
    watcher.heard.clear()

    def read_while_the_shell_applies(store):
        with elsewhere(library) as other:
            other.apply_corrections()
        return store.list_corrections()

    runner.query(read_while_the_shell_applies)
    qtbot.waitUntil(lambda: bool(watcher.heard), timeout=2_000)
    assert watcher.heard == [Changes.ANALYSES]
