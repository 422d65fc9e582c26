"""Schema versions: from nothing, from every earlier version, and refusing newer ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader import paths
from reader.errors import StoreError
from reader.store import backups, cache, database, library, migrations, open_store
from reader.store.backups import KEEP_NEWEST
from reader.store.database import transaction

from .conftest import OpenStore, make_document, mention

EARLIER_VERSIONS = [version for version, _ in migrations.MIGRATIONS[:-1]]


def build_database(path: Path, version: int) -> None:
    """A library at ``version`` (only migrations up to it applied), holding one document."""
    conn = database.connect(path)
    try:
        migrations.migrate(conn, target=version)
        doc = make_document(
            "Sergei Lavrov met the delegation in Genève.", title="Old", path="/a.md"
        )
        with transaction(conn, "test"):
            library.import_document(conn, doc)
            cache.save(conn, doc.text_hash, "old-model", [mention(doc.text, "Sergei Lavrov")])
            if version >= 2:
                conn.execute(
                    "INSERT INTO notes (document_id, quote, body, created, modified)"
                    " VALUES (1, 'Sergei Lavrov', 'check this', '2024', '2024')"
                )
    finally:
        conn.close()


def read_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_new_library_gets_the_latest_schema_and_the_pragmas(open_closing: OpenStore, db_path: Path):
    store = open_closing(db_path)
    assert store.schema_version == migrations.LATEST_VERSION == migrations.latest_version()
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_TIMEOUT_MS
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.backup_path is None  # nothing to back up in a new library
    assert store.recovery_message is None
    assert not (db_path.parent / "backups").exists()


def test_default_location_comes_from_paths(open_closing: OpenStore):
    store = open_closing()
    assert store.path == paths.database_file()
    assert paths.database_file().is_file()


@pytest.mark.parametrize("version", EARLIER_VERSIONS)
def test_upgrade_keeps_data_and_takes_a_backup(
    open_closing: OpenStore, db_path: Path, version: int
):
    build_database(db_path, version)
    assert read_version(db_path) == version

    store = open_closing(db_path)

    assert store.schema_version == migrations.LATEST_VERSION
    [entry] = store.list_documents()
    assert entry.title == "Old"
    assert entry.path == "/a.md"
    assert entry.analysed
    doc = store.get_document(entry.id)
    assert "Genève" in doc.text
    assert store.load_analysis(doc.text_hash, "old-model")[0].canonical == "Sergei Lavrov"
    assert [h.document_id for h in store.search("geneve")] == [entry.id]
    assert store.count_notes(entry.id) == (1 if version >= 2 else 0)

    assert store.backup_path is not None and store.backup_path.is_file()
    assert store.backup_path.parent == db_path.parent / "backups"
    assert f"schema{version:03d}" in store.backup_path.name
    assert read_version(store.backup_path) == version
    conn = sqlite3.connect(store.backup_path)
    try:
        assert conn.execute("SELECT title FROM documents").fetchall() == [("Old",)]
    finally:
        conn.close()


def test_reopening_an_up_to_date_library_takes_no_backup(open_closing: OpenStore, db_path: Path):
    open_closing(db_path).close()
    assert open_closing(db_path).backup_path is None


def test_default_library_is_backed_up_into_paths_backup_dir(open_closing: OpenStore):
    paths.data_dir().mkdir(parents=True)
    build_database(paths.database_file(), 1)
    store = open_closing()
    assert store.backup_path is not None
    assert store.backup_path.parent == paths.backup_dir()


def test_newer_schema_is_refused_and_left_alone(db_path: Path):
    build_database(db_path, migrations.LATEST_VERSION)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    conn.close()

    with pytest.raises(StoreError) as caught:
        open_store(db_path)

    message = str(caught.value)
    assert "newer version of reader" in message
    assert f"schema {migrations.LATEST_VERSION + 5}" in message
    assert "update reader" in message
    assert read_version(db_path) == migrations.LATEST_VERSION + 5


def test_failed_migration_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, open_closing: OpenStore, db_path: Path
):
    build_database(db_path, migrations.LATEST_VERSION)
    bad = migrations.LATEST_VERSION + 1
    # The first statement succeeds, the second fails: the first must be rolled back too.
    broken = "CREATE TABLE scratch (x); CREATE TABLE documents (x);"
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (bad, broken)])

    with pytest.raises(StoreError, match="upgrade the library to schema version"):
        open_store(db_path)

    assert read_version(db_path) == migrations.LATEST_VERSION
    conn = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "scratch" not in tables
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        conn.close()
    # A later, working version of the migration applies cleanly.
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:-1], (bad, "CREATE TABLE scratch (x);")]
    )
    store = open_closing(db_path)
    assert store.schema_version == bad
    assert store.backup_path is not None


def test_split_statements_keeps_trigger_bodies_whole():
    statements = migrations.split_statements(migrations.V1)
    triggers = [s for s in statements if s.lstrip().startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    assert all(s.rstrip().endswith("END;") for s in triggers)
    assert all(sqlite3.complete_statement(s) for s in statements)
    assert migrations.split_statements("-- only a comment; really\n") == []


def test_a_foreign_database_is_not_touched(db_path: Path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE moz_places (url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="some other program"):
        open_store(db_path)
    assert read_version(db_path) == 0


def test_only_the_newest_backups_are_kept(db_path: Path):
    build_database(db_path, 1)
    conn = database.connect(db_path)
    folder = db_path.parent / "backups"
    try:
        made = [backups.take_backup(conn, db_path, folder, 1) for _ in range(KEEP_NEWEST + 3)]
    finally:
        conn.close()
    kept = sorted(folder.iterdir())  # all made today: the newest five
    assert kept == sorted(made[-KEEP_NEWEST:])
    assert not list(folder.glob("*.partial"))
