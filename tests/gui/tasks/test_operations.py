"""The operations runner: work off the GUI thread, answers on it, failures as notices."""

from __future__ import annotations

import threading

import pytest

from reader.errors import StoreError
from reader.store import open_store
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import NO_LIBRARY, Changes, OperationsRunner
from tests.unit.store.conftest import make_document


@pytest.fixture
def library(tmp_path):
    store = open_store(tmp_path / "library.sqlite3")
    yield store
    store.close()


@pytest.fixture
def bridge(qapp):
    bridge = MessageBridge()
    bridge.notices = []  # type: ignore[attr-defined]
    bridge.notice.connect(lambda text, level: bridge.notices.append((level, text)))
    return bridge


@pytest.fixture
def runner(library, bridge):
    made = OperationsRunner(library, bridge)
    yield made
    made.shutdown()


def wait_idle(qtbot, runner) -> None:
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5_000)


def test_work_runs_on_its_own_thread_and_the_answer_on_the_gui_thread(
    qtbot, runner, library
) -> None:
    library.import_document(make_document("Sergei Lavrov arrived.", title="Talks"))
    threads: dict[str, int] = {}
    answers: list[list[str]] = []

    def work(store) -> list[str]:
        threads["work"] = threading.get_ident()
        return [entry.title for entry in store.list_documents()]

    def done(titles: list[str]) -> None:
        threads["done"] = threading.get_ident()
        answers.append(titles)

    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.query(work, done)
    assert answers == [["Talks"]]
    assert threads["done"] == threading.get_ident() != threads["work"]


def test_operations_run_in_the_order_they_were_asked_for(qtbot, runner) -> None:
    seen: list[int] = []
    for number in range(20):
        runner.query(lambda _store, n=number: n, seen.append)
    wait_idle(qtbot, runner)
    assert seen == list(range(20))


def test_a_failure_is_a_notice_unless_the_caller_handles_it(qtbot, runner, bridge) -> None:
    def full(_store):
        raise StoreError("The disk is full; free some space, then try again.")

    runner.query(full, lambda _: pytest.fail("no success after a failure"))
    wait_idle(qtbot, runner)
    assert bridge.notices == [("error", "The disk is full; free some space, then try again.")]
    handled: list[str] = []
    runner.query(full, failed=handled.append)
    wait_idle(qtbot, runner)
    assert handled == ["The disk is full; free some space, then try again."]
    assert len(bridge.notices) == 1


def test_a_bug_in_the_work_is_one_sentence_not_a_traceback(qtbot, runner, bridge) -> None:
    runner.query(lambda store: 1 / 0, what="search the library")
    wait_idle(qtbot, runner)
    ((level, text),) = bridge.notices
    assert level == "error" and text.startswith("Could not search the library (ZeroDivisionError)")
    assert "log file" in text and "\n" not in text


def test_what_changed_is_announced_after_success_only(qtbot, runner, library) -> None:
    changes: list[Changes] = []
    runner.changed.connect(changes.append)
    document = make_document("Sergei Lavrov arrived.", title="Talks")
    runner.query(lambda store: store.import_document(document), changes=Changes.DOCUMENTS)
    runner.query(lambda store: 1 / 0, failed=lambda _: None, changes=Changes.NOTES)
    wait_idle(qtbot, runner)
    assert changes == [Changes.DOCUMENTS]
    assert [e.title for e in library.list_documents()] == ["Talks"]  # seen by the window's


def test_now_runs_at_once_on_the_window_s_own_connection(runner, library, bridge) -> None:
    document = make_document("Sergei Lavrov arrived.", title="Talks")
    changes: list[Changes] = []
    runner.changed.connect(changes.append)
    result = runner.now(lambda store: store.import_document(document), changes=Changes.DOCUMENTS)
    assert result is not None and result.status == "imported"
    assert changes == [Changes.DOCUMENTS]
    assert runner.now(lambda store: store.get_document(999)) is None
    assert bridge.notices and bridge.notices[-1][0] == "error"


def test_without_a_library_every_operation_says_so(qtbot, bridge) -> None:
    runner = OperationsRunner(None, bridge)
    try:
        assert not runner.available and not runner.writable
        runner.query(lambda store: store.list_documents())
        wait_idle(qtbot, runner)
        assert runner.now(lambda store: store.list_documents()) is None
        assert bridge.notices == [("error", NO_LIBRARY), ("error", NO_LIBRARY)]
        written: list[str] = []
        runner.file_work(lambda: "file written", written.append)  # files need no library
        wait_idle(qtbot, runner)
        assert written == ["file written"]
    finally:
        runner.shutdown()


def test_quitting_finishes_writes_skips_reads_and_answers_nobody(qtbot, bridge, library) -> None:
    runner = OperationsRunner(library, bridge)
    gate = threading.Event()
    ran: list[str] = []
    answered: list[str] = []
    runner.query(lambda store: gate.wait(5), answered.append)  # under way when we quit
    runner.query(lambda store: ran.append("read"), answered.append)
    document = make_document("Sergei Lavrov arrived.", title="Talks")
    runner.query(
        lambda store: ran.append(store.import_document(document).status),
        answered.append,
        changes=Changes.DOCUMENTS,
    )
    threading.Timer(0.2, gate.set).start()
    runner.shutdown()
    assert ran == ["imported"]  # the write finished, the read was skipped
    qtbot.wait(50)
    assert answered == []
    assert not any(t.name == "reader-operations" and t.is_alive() for t in threading.enumerate())
    runner.query(lambda store: ran.append("late"))  # after quitting: dropped
    assert ran == ["imported"]
