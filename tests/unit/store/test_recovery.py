"""A damaged library is moved aside and replaced, never silently; unusable folders are named."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.store import database, migrations, open_store, recovery

from .conftest import OpenStore, generated_document
from .test_migrations import build_database


def damaged_files(db_path: Path) -> list[Path]:
    return sorted(p for p in db_path.parent.iterdir() if "-damaged-" in p.name)


def test_garbage_file_without_backup_starts_an_empty_library(
    open_closing: OpenStore, db_path: Path
):
    garbage = os.urandom(8192)
    db_path.write_bytes(garbage)

    store = open_closing(db_path)

    assert store.recovery_message is not None
    assert "damaged" in store.recovery_message
    assert "no backup" in store.recovery_message
    assert store.list_documents() == []
    assert store.import_document(generated_document(1)).status == "imported"
    [moved] = damaged_files(db_path)
    assert moved.read_bytes() == garbage  # kept, byte for byte
    assert str(moved) in store.recovery_message


def test_moving_aside_takes_the_wal_companions_along(db_path: Path):
    db_path.write_bytes(b"main")
    Path(f"{db_path}-wal").write_bytes(b"wal")
    Path(f"{db_path}-shm").write_bytes(b"shm")

    target = recovery.move_aside(db_path)

    assert not db_path.exists() and not Path(f"{db_path}-wal").exists()
    assert target.read_bytes() == b"main"
    assert Path(f"{target}-wal").read_bytes() == b"wal"
    assert Path(f"{target}-shm").read_bytes() == b"shm"
    assert target.parent == db_path.parent and "-damaged-" in target.name


def test_garbage_file_with_a_backup_restores_it(open_closing: OpenStore, db_path: Path):
    build_database(db_path, 1)  # holds "Old"
    store = open_closing(db_path)  # migrates, backing up first
    assert store.backup_path is not None
    store.import_document(generated_document(2))  # after the backup: will be lost
    store.close()
    db_path.write_bytes(b"this is not a database" * 500)

    store = open_closing(db_path)

    assert store.recovery_message is not None
    assert "restored the backup" in store.recovery_message
    assert [e.title for e in store.list_documents()] == ["Old"]
    assert store.schema_version == migrations.LATEST_VERSION
    assert len(damaged_files(db_path)) == 1


def test_a_damaged_page_is_found_by_the_quick_check_and_salvaged(
    open_closing: OpenStore, db_path: Path
):
    store = open_closing(db_path)
    for seed in range(40):
        store.import_document(generated_document(seed))
    store.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 20 * page
    data[10 * page : 14 * page] = os.urandom(4 * page)  # the header stays valid
    db_path.write_bytes(bytes(data))

    store = open_closing(db_path)

    assert store.recovery_message is not None
    assert "salvaged" in store.recovery_message
    recovered = len(store.list_documents())
    assert 30 <= recovered <= 40  # what the damaged pages did not hold
    assert f"{recovered} of 40 articles" in store.recovery_message
    [kept] = damaged_files(db_path)
    assert kept.read_bytes() == bytes(data)  # the damaged file, byte for byte


def test_a_damaged_backup_is_skipped(open_closing: OpenStore, db_path: Path):
    build_database(db_path, 1)
    store = open_closing(db_path)
    assert store.backup_path is not None
    store.close()
    store.backup_path.write_bytes(b"broken backup" * 400)
    db_path.write_bytes(b"broken library" * 400)

    store = open_closing(db_path)

    assert store.recovery_message is not None and "no backup" in store.recovery_message
    assert store.backup_path is None


def test_read_only_open_refuses_a_damaged_file(db_path: Path):
    db_path.write_bytes(b"x" * 8192)
    with pytest.raises(StoreError, match="is damaged; start reader normally"):
        open_store(db_path, read_only=True)
    assert db_path.read_bytes() == b"x" * 8192  # read-only never repairs


def test_a_file_where_the_folder_should_be(tmp_path: Path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as caught:
        open_store(blocker / "library.sqlite3")
    assert f"“{blocker}”" in str(caught.value)
    assert "--data-dir" in str(caught.value)


def test_a_folder_without_write_permission(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode)
    )
    with pytest.raises(StoreError) as caught:
        open_store(folder / "library.sqlite3")
    assert "Cannot write to the folder" in str(caught.value)
    assert str(folder) in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_really_read_only_folder(tmp_path: Path):  # pragma: no cover - not as root
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="cannot write to the folder"):
            open_store(folder / "library.sqlite3")
    finally:
        folder.chmod(0o700)


class _NoFts5Connection:
    def execute(self, sql: str, *args: object) -> None:
        raise sqlite3.OperationalError("no such module: fts5")


def test_missing_fts5_is_a_clear_error():
    with pytest.raises(StoreError, match="full-text search \\(FTS5\\)"):
        database.check_fts5(_NoFts5Connection())  # type: ignore[arg-type]


def test_fts5_check_passes_here_and_writes_nothing(open_closing: OpenStore, db_path: Path):
    store = open_closing(db_path)
    database.check_fts5(store.conn)
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert "fts5_probe" not in names
