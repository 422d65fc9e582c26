"""Importing, recognising, updating, listing and removing documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.errors import StoreError
from reader.store import Store, open_store

from .conftest import OpenStore, generated_document, make_document, mention


def add_note(store: Store, document_id: int, body: str = "a note", quote: str = "") -> int:
    """Notes belong to the notes layer; the store tests only need rows to exist."""
    cursor = store.conn.execute(
        "INSERT INTO notes (document_id, quote, body, created, modified)"
        " VALUES (?, ?, ?, '2025-01-01', '2025-01-01')",
        (document_id, quote, body),
    )
    return int(cursor.lastrowid or 0)


def test_import_then_get_round_trips_the_document(store: Store, sample: Document):
    result = store.import_document(sample)
    assert result.status == "imported"
    assert result.title == "Water talks in Geneva end with a promise and a deadline"
    loaded = store.get_document(result.document_id)
    assert loaded == sample  # text, blocks (with inline styles) and metadata
    assert loaded.text_hash == sample.text_hash


def test_same_text_from_another_path_is_present(store: Store, tmp_path: Path):
    first = make_document("The same article.", title="A", path=str(tmp_path / "a.txt"))
    second = make_document("The same article.", title="A", path=str(tmp_path / "copy/a.txt"))

    one = store.import_document(first)
    two = store.import_document(second)

    assert (one.status, two.status) == ("imported", "present")
    assert two.document_id == one.document_id
    assert set(store.paths_of(one.document_id)) == {
        str(tmp_path / "a.txt"),
        str(tmp_path / "copy" / "a.txt"),
    }
    assert store.find_by_path(tmp_path / "copy" / "a.txt") == one.document_id
    assert store.find_by_text_hash(first.text_hash) == one.document_id
    assert len(store.list_documents()) == 1


def test_changed_file_at_a_known_path_updates_in_place(store: Store):
    old = make_document("Lavrov spoke in Geneva.", title="Draft", path="/n/article.md")
    new = make_document("Lavrov spoke in Vienna.", title="Final", path="/n/article.md")
    first = store.import_document(old)
    store.save_analysis(old.text_hash, "m", [mention(old.text, "Lavrov")])
    note = add_note(store, first.document_id)

    result = store.import_document(new)

    assert result.status == "updated"
    assert result.document_id == first.document_id
    assert result.title == "Final"
    assert store.get_document(first.document_id).text == new.text
    assert store.count_notes(first.document_id) == 1  # notes stay attached
    assert store.conn.execute("SELECT id FROM notes").fetchall() == [(note,)]
    [entry] = store.list_documents()
    assert not entry.analysed  # the old entities no longer apply
    assert entry.entity_counts[Kind.PERSON] == 0
    assert store.load_analysis(old.text_hash, "m") is None  # stale cache dropped
    assert store.find_by_text_hash(old.text_hash) is None
    assert [h.document_id for h in store.search("vienna")] == [first.document_id]
    assert store.search("geneva") == []


def test_changed_copy_of_a_shared_text_becomes_a_new_entry(store: Store):
    text = "Shared text about the river."
    a = store.import_document(make_document(text, path="/one/a.md"))
    store.import_document(make_document(text, path="/two/a.md"))

    edited = store.import_document(make_document(text + " Edited.", path="/two/a.md"))

    assert edited.status == "imported"
    assert edited.document_id != a.document_id
    assert store.paths_of(a.document_id) == ["/one/a.md"]
    assert store.get_document(a.document_id).text == text


def test_unchanged_reimport_from_the_same_path_is_present(store: Store, sample: Document):
    first = store.import_document(sample)
    assert store.import_document(sample) == first.__class__(
        "present", first.document_id, first.title
    )


def test_document_without_path_or_title(store: Store):
    doc = make_document("A pasted paragraph without any title at all, only words.")
    result = store.import_document(doc)
    assert result.title.startswith("A pasted paragraph")
    [entry] = store.list_documents()
    assert entry.path == ""
    assert store.get_document(result.document_id).metadata.path == ""


def test_list_documents_describes_each_entry(store: Store, sample: Document):
    plain = make_document("Just text.", title="Plain", path="/p.txt", site_name="Example News")
    sample_id = store.import_document(sample).document_id
    plain_id = store.import_document(plain).document_id
    store.save_analysis(
        sample.text_hash,
        "m",
        [
            mention(sample.text, "Antonio Guterres"),
            mention(sample.text, "Guterres", canonical="Antonio Guterres", nth=1),
            mention(sample.text, "Claudia Brunner"),
            mention(sample.text, "Geneva", Kind.PLACE),
            mention(sample.text, "World Bank", Kind.ORGANIZATION),
        ],
    )
    add_note(store, sample_id)
    add_note(store, sample_id)

    entries = {e.id: e for e in store.list_documents()}

    s = entries[sample_id]
    assert s.author == "Maria Keller"
    assert s.source == "https://example.org/news/2026/water-talks-geneva"
    assert s.path == sample.metadata.path
    assert s.word_count == sample.word_count
    assert s.entity_counts == {
        Kind.PERSON: 2,
        Kind.PLACE: 1,
        Kind.ORGANIZATION: 1,
        Kind.OTHER: 0,
    }
    assert s.note_count == 2
    assert s.analysed
    assert s.added.tzinfo is not None
    p = entries[plain_id]
    assert p.source == "Example News"
    assert p.entity_counts == dict.fromkeys(Kind, 0)
    assert (p.note_count, p.analysed) == (0, False)
    assert store.get_entry(plain_id) == p
    assert store.get_entry(12345) is None
    assert store.list_documents()[0].id == plain_id  # newest first


def test_remove_cascades_but_leaves_other_documents(store: Store, sample: Document):
    other = generated_document(7)
    keep = store.import_document(other).document_id
    gone = store.import_document(sample).document_id
    for doc in (sample, other):
        store.save_analysis(doc.text_hash, "m", [mention(doc.text, doc.text.split()[0])])
    add_note(store, gone, body="remember geneva")
    add_note(store, keep, body="keep me")
    assert store.count_notes(gone) == 1

    store.remove_document(gone)

    assert [e.id for e in store.list_documents()] == [keep]
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    assert (
        conn.execute(
            "SELECT count(*) FROM document_paths WHERE document_id = ?", (gone,)
        ).fetchone()[0]
        == 0
    )
    assert (
        conn.execute(
            "SELECT count(*) FROM entity_summary WHERE document_id = ?", (gone,)
        ).fetchone()[0]
        == 0
    )
    assert store.load_analysis(sample.text_hash, "m") is None
    assert store.load_analysis(other.text_hash, "m") is not None
    assert store.search("geneva") == []
    assert store.search("river")  # the other document is still indexed
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
    store.remove_document(gone)  # removing twice is harmless
    with pytest.raises(StoreError, match="no longer in the library"):
        store.get_document(gone)


def test_read_only_store_reads_and_refuses_writes(db_path: Path, sample: Document):
    with open_store(db_path) as writer:
        writer.import_document(sample)
    with open_store(db_path, read_only=True) as reader:
        assert reader.read_only
        assert len(reader.list_documents()) == 1
        assert reader.search("geneva")
        with pytest.raises(StoreError, match="read-only"):
            reader.import_document(generated_document(1))


def test_read_only_open_of_a_missing_library(tmp_path: Path):
    with pytest.raises(StoreError, match="no library"):
        open_store(tmp_path / "missing.sqlite3", read_only=True)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_closed_store_says_so(open_closing: OpenStore, db_path: Path):
    store = open_closing(db_path)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.list_documents()


def test_a_second_connection_can_skip_the_quick_check(db_path: Path, sample: Document):
    with open_store(db_path) as main, open_store(db_path, check=False) as worker:
        doc_id = main.import_document(sample).document_id
        worker.save_analysis(sample.text_hash, "m", [])
        assert main.list_documents()[0].analysed
        assert worker.get_document(doc_id) == sample
