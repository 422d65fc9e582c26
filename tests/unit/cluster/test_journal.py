from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.cluster.journal import ImportJournal, journal_path
from reader.errors import ReaderError


def test_the_journal_lives_beside_the_library(tmp_path: Path) -> None:
    assert journal_path(tmp_path / "library.sqlite3") == tmp_path / "import-journal.sqlite3"


def test_files_stay_pending_until_marked_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with ImportJournal(path) as journal:
        rows = [("/a.txt", ""), ("/b.txt", ""), ("/locked", "the folder could not be read")]
        assert journal.start({"cluster": "local:2", "analyse": True}, iter(rows)) == 3
        assert list(journal.pending()) == [(1, "/a.txt"), (2, "/b.txt")]
        journal.mark([(1, "imported", 7, "")])
    with ImportJournal(path) as journal:  # as after a crash: what was marked is kept
        assert journal.options() == {"cluster": "local:2", "analyse": True}
        assert list(journal.pending()) == [(2, "/b.txt")]
        assert journal.counts() == {
            "imported": 1,
            "present": 0,
            "updated": 0,
            "failed": 1,
            "pending": 1,
        }
        assert journal.failures() == [("/locked", "the folder could not be read")]
        assert not journal.finished
        journal.finish()
        assert journal.finished


def test_pending_reads_page_by_page_in_order(tmp_path: Path) -> None:
    with ImportJournal(tmp_path / "j.sqlite3") as journal:
        journal.start({}, ((f"/f{i:04d}", "") for i in range(2_500)))
        journal.mark([(n, "present", n, "") for n in range(1, 2_501, 2)])
        pending = list(journal.pending(page=100))
        assert [path for _, path in pending] == [f"/f{i:04d}" for i in range(1, 2_500, 2)]


def test_a_new_import_replaces_the_previous_one(tmp_path: Path) -> None:
    with ImportJournal(tmp_path / "j.sqlite3") as journal:
        journal.start({"cluster": "local:1"}, [("/old", "")])
        journal.finish()
        journal.start({"cluster": "local:2"}, [("/new", "")])
        assert journal.options() == {"cluster": "local:2"}
        assert list(journal.pending()) == [(1, "/new")] and not journal.finished


def test_an_unwritable_journal_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "missing" / "deeper"
    with pytest.raises(ReaderError) as raised:
        ImportJournal(folder / "j.sqlite3")
    assert "import journal" in raised.value.message
    assert isinstance(raised.value.__cause__, sqlite3.Error)


def test_a_write_that_sqlite_rolled_back_itself_reports_its_own_error(tmp_path: Path) -> None:
    with ImportJournal(tmp_path / "j.sqlite3") as journal:
        journal.start({}, [("/a", "")])
        with pytest.raises(ReaderError) as raised, journal._writing():
            journal._conn.execute("ROLLBACK")  # as SQLite does when the disk is full
            raise sqlite3.OperationalError("database or disk is full")
        assert "(database or disk is full)" in raised.value.message
        journal.mark([(1, "imported", 3, "")])  # and the journal goes on working
        assert journal.counts()["imported"] == 1
