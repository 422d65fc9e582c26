"""Backups exist before they are needed: daily, before bulk work, rotated, restorable."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.notes.jsonld import ImportedNote
from reader.notes.model import Note
from reader.store import backups, open_store

from .conftest import OpenStore, generated_document


def backup_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.sqlite3")) if folder.is_dir() else []


def fake_backup(folder: Path, when: datetime, reason: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"library-schema003-{when.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"
    path.write_bytes(b"copy")
    return path


def test_the_first_open_of_a_day_keeps_a_copy(db_path: Path, open_closing: OpenStore):
    folder = db_path.parent / "backups"
    open_closing(db_path).import_document(generated_document(1))
    assert backup_names(folder) == []  # a new library has nothing worth a copy yet

    open_closing(db_path)
    [daily] = backup_names(folder)
    assert daily.endswith("-daily.sqlite3")

    open_closing(db_path)  # the same day: no second copy
    assert backup_names(folder) == [daily]


def test_rotation_keeps_the_newest_and_one_a_day_and_every_manual_copy(tmp_path: Path):
    folder = tmp_path / "backups"
    now = datetime.now(UTC)
    old_manual = fake_backup(folder, now - timedelta(days=40), "manual")
    days = [fake_backup(folder, now - timedelta(days=d), "daily") for d in range(1, 12)]
    burst = [fake_backup(folder, now - timedelta(minutes=m), "import") for m in range(1, 9)]

    backups.rotate(folder, tmp_path / "library.sqlite3")

    left = set(folder.iterdir())
    assert old_manual in left
    assert set(burst[:5]) <= left and not set(burst[5:]) & left  # today: the newest five
    assert set(days[:6]) <= left  # with today, the last seven days keep their newest copy
    assert not set(days[6:]) & left


def test_a_notes_import_is_preceded_by_a_backup(db_path: Path, open_closing: OpenStore):
    store = open_closing(db_path)
    document = generated_document(3)
    store.import_document(document)
    note = Note(None, "document", None, "imported note", ())

    store.import_notes([ImportedNote(note, document.text_hash)])

    [copy] = backup_names(db_path.parent / "backups")
    assert copy.endswith("-notes-import.sqlite3")


def test_a_backup_that_cannot_be_written_stops_the_bulk_operation(
    db_path: Path, open_closing: OpenStore
):
    store = open_closing(db_path)
    store.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    store.backup_dir.write_text("a file where the backup folder should be")
    document = generated_document(3)
    store.import_document(document)
    note = Note(None, "document", None, "x", ())
    with pytest.raises(StoreError, match="could not save a backup copy"):
        store.import_notes([ImportedNote(note, document.text_hash)])
    assert store.list_notes() == []


def test_restore_keeps_the_replaced_library(tmp_path: Path):
    library = tmp_path / "library.sqlite3"
    with open_store(library) as store:
        store.import_document(generated_document(1))
        copy = store.back_up()
        store.import_document(generated_document(2))

    kept = backups.restore(library, copy)

    assert kept is not None and "-before-restore-" in kept.name
    with open_store(kept, check=False) as old:
        assert len(old.list_documents()) == 2
    with open_store(library) as restored:
        assert [e.title for e in restored.list_documents()] == ["doc 1"]


def test_describe_refuses_what_is_not_a_library(tmp_path: Path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="not a healthy SQLite file"):
        backups.describe_library(junk)
    with pytest.raises(StoreError, match="There is no file"):
        backups.describe_library(tmp_path / "missing.sqlite3")
