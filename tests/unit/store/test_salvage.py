"""A damaged library is salvaged into a new file: what can be read is kept, and said."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.notes.model import Note
from reader.store import open_store, salvage

from .conftest import OpenStore, generated_document

PAGE = 4096


@pytest.fixture
def library_file(tmp_path: Path) -> Path:
    """60 articles, a note on every tenth one and an entity note."""
    path = tmp_path / "library.sqlite3"
    with open_store(path) as store:
        ids = [store.import_document(generated_document(seed)).document_id for seed in range(60)]
        for document_id in ids[::10]:
            store.add_note(Note(None, "document", document_id, f"note on {document_id}", ("x",)))
        store.add_note(
            Note(None, "entity", None, "who is she", (), entity_kind="person", entity_canonical="A")
        )
    assert not Path(f"{path}-wal").exists()  # checkpointed on close: one file holds it all
    return path


def damage(path: Path, offset: int, length: int = PAGE) -> bytes:
    data = bytearray(path.read_bytes())
    data[offset : offset + length] = os.urandom(length)
    path.write_bytes(bytes(data))
    return bytes(data)


def kept_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if "-damaged-" in p.name)


def test_random_bytes_in_the_middle_lose_only_what_they_hit(
    library_file: Path, open_closing: OpenStore
) -> None:
    size = library_file.stat().st_size
    damaged = damage(library_file, (size // 2) // PAGE * PAGE)

    store = open_closing(library_file)

    assert store.recovery is not None
    found = store.recovery.salvaged
    assert found.documents_total == 60 and 55 <= found.documents <= 60
    assert len(store.list_documents()) == found.documents
    assert found.notes == 7 and found.notes_total == 7
    message = store.recovery.message
    assert f"{found.documents} of 60 articles and 7 of 7 notes" in message
    [kept] = kept_files(library_file.parent)
    assert kept.read_bytes() == damaged and f"“{kept}”" in message
    assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.search("note")  # the full-text index was rebuilt by the triggers


def test_a_truncated_file_keeps_its_first_part(library_file: Path, open_closing: OpenStore):
    data = library_file.read_bytes()
    library_file.write_bytes(data[: len(data) * 2 // 3])

    store = open_closing(library_file)

    assert store.recovery is not None
    assert 20 <= store.recovery.salvaged.documents < 60
    assert "salvaged" in store.recovery.message


def test_an_overwritten_header_is_rebuilt(library_file: Path, open_closing: OpenStore):
    damage(library_file, 0, 100)

    store = open_closing(library_file)

    assert store.recovery is not None and store.recovery.salvaged.header_repaired
    assert len(store.list_documents()) == 60
    assert len(store.list_notes(include_entity_notes=True)) == 7
    assert "after rebuilding the file's header" in store.recovery.message


def test_notes_whose_article_was_lost_go_to_a_file(library_file: Path, open_closing: OpenStore):
    conn = sqlite3.connect(library_file)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM documents WHERE id = 11")  # its note stays behind
    conn.commit()
    conn.close()
    target = library_file.with_name("salvaged.sqlite3")

    found = salvage.salvage(library_file, target, library_file.parent / "scratch")

    assert found.documents == 59 and found.notes == 6
    assert [n["body"] for n in found.homeless_notes] == ["note on 11"]


def test_note_ids_are_never_reused_after_a_salvage(library_file: Path, open_closing: OpenStore):
    with open_store(library_file) as store:
        newest = store.add_note(Note(None, "document", 1, "soon deleted", ()))
        store.delete_note(newest.id)  # type: ignore[arg-type]
    damage(library_file, 0, 100)

    store = open_closing(library_file)
    added = store.add_note(Note(None, "document", 1, "after the salvage", ()))

    assert added.id is not None and newest.id is not None and added.id > newest.id


def test_nothing_readable_restores_the_newest_backup(tmp_path: Path, open_closing: OpenStore):
    path = tmp_path / "library.sqlite3"
    with open_store(path) as store:
        store.import_document(generated_document(1))
        store.back_up()
    path.write_bytes(os.urandom(8 * PAGE))

    store = open_closing(path)

    assert store.recovery is not None and store.recovery.restored_backup is not None
    assert "restored the backup of" in store.recovery.message
    assert [e.title for e in store.list_documents()] == ["doc 1"]


def test_a_library_open_elsewhere_is_not_moved(library_file: Path) -> None:
    damage(library_file, (library_file.stat().st_size // 2) // PAGE * PAGE)
    other = sqlite3.connect(library_file)
    other.execute("PRAGMA journal_mode = WAL")
    try:
        with pytest.raises(StoreError, match="another reader window"):
            open_store(library_file)
    finally:
        other.close()
    assert kept_files(library_file.parent) == []


def test_the_window_is_told_what_was_salvaged(library_file: Path, monkeypatch) -> None:
    from reader import app, paths

    monkeypatch.setattr(paths, "database_file", lambda: library_file)
    damage(library_file, 0, 100)
    store, message = app.open_library()
    try:
        assert store is not None and store.recovery is not None
        assert message.startswith("The library file was damaged.")
        assert "60 of 60 articles and 7 of 7 notes" in message
    finally:
        if store is not None:
            store.close()


def test_corrections_survive_a_salvage_and_shape_the_rebuilt_summaries(
    tmp_path: Path, open_closing: OpenStore
) -> None:
    from reader.entities.corrections import make_rule
    from reader.entities.kinds import Kind

    from .conftest import make_document, mention

    path = tmp_path / "library.sqlite3"
    with open_store(path) as store:
        document = make_document("Sonya smiled. Sonya left for Moscow.", title="War")
        store.import_document(document)
        body = document.text
        store.save_analysis(
            document.text_hash,
            "model",
            [mention(body, "Sonya", Kind.PLACE), mention(body, "Sonya", Kind.PLACE, nth=1)],
        )
        store.add_corrections(
            [make_rule("kind", "Sonya", kind="person"), make_rule("not-a-name", "Moscow")]
        )
        store.undo_correction(2)
    damage(path, 0, 100)  # the header: the schema version is told from the tables

    store = open_closing(path)

    assert store.recovery is not None and store.recovery.salvaged.corrections == 2
    assert "and 2 of 2 corrections" in store.recovery.message
    assert [(s.id, s.active) for s in store.list_corrections()] == [(1, True), (2, False)]
    [sonya] = store.mentions("Sonya")
    assert sonya.kind is Kind.PERSON and sonya.count == 2
    [added] = store.add_corrections([make_rule("not-a-name", "Sonya")])
    assert added.id == 3  # ids are never reused


def _article_row(text: str = "Claudia Brunner met delegates in Geneva.") -> dict:
    import hashlib
    import json
    import zlib

    return {
        "id": 7,
        "text": text,
        "text_hash": hashlib.sha256(text.encode()).hexdigest(),
        "blocks": zlib.compress(json.dumps([["paragraph", 0, len(text), 0, None, []]]).encode()),
        "metadata": json.dumps({"title": "Geneva"}),
        "added": "2026-12-04T21:3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        "modified": "2026-12-04T21:34:54+00:00",
    }


def test_a_half_zeroed_date_is_mended_from_the_other_one() -> None:
    # A row on a half-lost page reads without an error and still holds zeros: the library
    # list would fail on it for ever after the salvage.
    row = _article_row()
    assert salvage.sound_document(row)
    assert row["added"] == row["modified"] == "2026-12-04T21:34:54+00:00"


def test_an_article_whose_text_no_longer_matches_stays_in_the_damaged_file() -> None:
    row = _article_row()
    row["text"] = row["text"][:10] + "\x00\x00\x00" + row["text"][13:]
    assert not salvage.sound_document(row)
    unreadable_blocks = _article_row()
    unreadable_blocks["blocks"] = b"\x00" * 40
    assert not salvage.sound_document(unreadable_blocks)
