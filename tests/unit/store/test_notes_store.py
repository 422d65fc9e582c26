"""Notes in the library: written durably, listed in text order, re-anchored, never lost."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.errors import StoreError
from reader.notes.anchoring import passage_note
from reader.notes.export import from_jsonld, to_jsonld
from reader.notes.model import Note, NoteError
from reader.store import Store, database, library, migrations
from reader.store.database import transaction

from .conftest import OpenStore, make_document, mention

PARAGRAPHS = (
    "The delegations met in Geneva on Monday.",
    "Sergei Lavrov said the talks on the river treaty had been useful.",
    "The minister of water did not comment on the canal.",
    "A spokesman promised a draft agreement before the deadline.",
)


def article(*paragraphs: str, path: str = "/articles/talks.md", title: str = "Talks") -> Document:
    return make_document(*(paragraphs or PARAGRAPHS), title=title, path=path)


def add_passage(store: Store, document_id: int, words: str, body: str = "", *tags: str) -> Note:
    text = store.get_document(document_id).text
    start = text.index(words)
    return store.add_note(passage_note(text, document_id, start, start + len(words), body, tags))


def entity_note(canonical: str, body: str, kind: str = "person", *tags: str) -> Note:
    return Note(None, "entity", None, body, tags, entity_kind=kind, entity_canonical=canonical)


@pytest.fixture
def doc_id(store: Store) -> int:
    return store.import_document(article()).document_id


def test_add_passage_note_returns_it_saved(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "river treaty", "Check this.", "#water", "Treaty", "water")
    assert note.id is not None and note.created and note.created == note.modified
    assert note.created.endswith("Z")
    assert note.tags == ("water", "Treaty")
    assert store.get_note(note.id) == note
    text = store.get_document(doc_id).text
    assert text[note.start : note.end] == "river treaty" == note.quote
    assert text[: note.start].endswith(note.prefix) and len(note.prefix) == 32


def test_context_comes_from_the_stored_text_whoever_built_the_note(store: Store, doc_id: int):
    text = store.get_document(doc_id).text
    start = text.index("Lavrov")
    bare = Note(None, "passage", doc_id, "", (), quote="Lavrov", start=start, end=start + 6)
    saved = store.add_note(bare)
    assert saved.prefix == text[start - 32 : start] and saved.suffix == text[start + 6 :][:32]
    # A stale position is only a hint: the quote is found again.
    moved = store.add_note(replace(bare, start=0, end=18, quote="Sergei Lavrov said"))
    assert (moved.start, moved.end) == (text.index("Sergei"), text.index("Sergei") + 18)
    no_position = store.add_note(replace(bare, start=None, end=None, quote="canal"))
    assert text[no_position.start : no_position.end] == "canal"


def test_a_quote_not_in_the_text_is_refused_and_nothing_saved(store: Store, doc_id: int):
    note = Note(None, "passage", doc_id, "", (), quote="Lavrov sang a song", start=3, end=21)
    with pytest.raises(NoteError, match="not in the article's text"):
        store.add_note(note)
    assert store.list_notes(doc_id) == []
    assert not store.conn.in_transaction


def test_notes_on_a_missing_article_are_refused(store: Store):
    with pytest.raises(NoteError, match="no longer in the library"):
        store.add_note(Note(None, "document", 99, "text", ()))


def test_document_and_entity_notes(store: Store, doc_id: int):
    whole = store.add_note(Note(None, "document", doc_id, "Summary.", ("summary",)))
    person = store.add_note(entity_note("Sergei Lavrov", "Foreign minister.", "Person"))
    assert whole.kind == "document" and whole.start is None
    assert person.entity_kind == "person" and person.document_id is None
    assert store.notes_for_entity(Kind.PERSON, "Sergei Lavrov") == [person]
    assert store.notes_for_entity("person", "Lavrov") == []
    assert store.entity_note_keys() == {("person", "Sergei Lavrov")}
    place = store.add_note(entity_note("Geneva", "Talks venue.", "place"))
    assert store.entity_notes() == [person, place]
    with pytest.raises(NoteError, match="no single article"):
        store.add_note(replace(person, document_id=doc_id))


def test_update_saves_text_and_tags_only_when_changed(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "canal", "first")
    same = store.update_note(replace(note, tags=()))
    assert same == note  # nothing changed, nothing written
    edited = store.update_note(replace(note, body="second", tags=("a", "#b", "A")))
    assert (edited.body, edited.tags) == ("second", ("a", "b"))
    assert store.get_note(note.id) == edited
    assert edited.quote == note.quote and edited.start == note.start
    store.delete_note(note.id)
    with pytest.raises(NoteError, match="no longer in the library"):
        store.update_note(edited)


def test_delete_and_undo_keep_the_same_note(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "draft agreement", "keep me", "x")
    deleted = store.delete_note(note.id)
    assert deleted == note and store.get_note(note.id) is None
    later = add_passage(store, doc_id, "spokesman")  # ids are never reused
    assert later.id != note.id
    restored = store.restore_note(deleted)
    assert restored == note
    with pytest.raises(NoteError):
        store.delete_note(12345)


def test_undo_after_the_text_changed_reanchors_or_keeps_an_orphan(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "draft agreement", "keep me")
    deleted = store.delete_note(note.id)
    store.import_document(article("Intro added.", *PARAGRAPHS[:3], "Nothing was promised."))
    restored = store.restore_note(deleted)
    assert restored.id == note.id and restored.orphaned and restored.body == "keep me"


def test_undo_of_a_note_whose_article_was_removed_says_so(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "canal")
    deleted = store.delete_note(note.id)
    store.remove_document(doc_id)
    with pytest.raises(NoteError, match="no longer in the library"):
        store.restore_note(deleted)


def test_notes_are_listed_in_text_order(store: Store, doc_id: int):
    late = add_passage(store, doc_id, "deadline")
    early = add_passage(store, doc_id, "Geneva")
    orphan = add_passage(store, doc_id, "Monday")
    store.conn.execute("UPDATE notes SET orphaned = 1 WHERE id = ?", (orphan.id,))
    whole = store.add_note(Note(None, "document", doc_id, "whole", ()))
    person = store.add_note(entity_note("Sergei Lavrov", "minister"))
    listed = [n.id for n in store.list_notes(doc_id)]
    assert listed == [whole.id, early.id, late.id, orphan.id]
    with_entities = [n.id for n in store.list_notes(doc_id, include_entity_notes=True)]
    assert with_entities == [*listed, person.id]
    assert [n.id for n in store.orphaned_notes(doc_id)] == [orphan.id]
    assert store.orphaned_notes(doc_id + 1) == []


def test_library_wide_listing_and_filters(store: Store, doc_id: int):
    other = store.import_document(
        article("Another text on water and Lavrov.", path="/b", title="B")
    )
    a = add_passage(store, doc_id, "river treaty", "about the basin", "Water")
    b = add_passage(store, other.document_id, "water", "second article", "water", "later")
    c = store.add_note(Note(None, "document", doc_id, "general remark", ("misc",)))
    person = store.add_note(entity_note("Sergei Lavrov", "speaks often", "person", "water"))

    assert [n.id for n in store.list_notes()] == [b.id, c.id, a.id]  # "B" sorts before "Talks"
    assert [n.id for n in store.list_notes(include_entity_notes=True)][-1] == person.id
    assert [n.id for n in store.list_notes(tag="WATER")] == [b.id, a.id]
    assert [n.id for n in store.list_notes(tag="#water", include_entity_notes=True)] == [
        b.id,
        a.id,
        person.id,
    ]
    assert [n.id for n in store.list_notes(doc_id, tag="water")] == [a.id]
    assert [n.id for n in store.list_notes(text="basin")] == [a.id]
    assert [n.id for n in store.list_notes(text="lavrov", include_entity_notes=True)] == [person.id]
    assert [n.id for n in store.list_notes(entity=("person", "Sergei Lavrov"))] == [person.id]
    assert store.list_notes(text="!!!") == []
    assert store.all_tags() == ["later", "misc", "Water"]


def test_note_writes_are_durable_and_leave_normal_for_the_rest(store: Store, doc_id: int):
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        add_passage(store, doc_id, "canal")
    finally:
        store.conn.set_trace_callback(None)
    writes = [s for s in statements if s.startswith(("PRAGMA synchronous", "BEGIN", "COMMIT"))]
    assert writes == [
        "PRAGMA synchronous = FULL",
        "BEGIN IMMEDIATE",
        "COMMIT",
        "PRAGMA synchronous = NORMAL",
    ]
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_a_failed_note_write_saves_nothing_and_says_so(store: Store, doc_id: int):
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="Could not save the note because the disk is full"):
        store.add_note(Note(None, "document", doc_id, "x" * 20_000, ()))
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    assert store.list_notes(doc_id) == []


def test_reattach_an_orphan_to_a_new_selection(store: Store, doc_id: int):
    note = add_passage(store, doc_id, "Monday", "when?")
    store.conn.execute("UPDATE notes SET orphaned = 1 WHERE id = ?", (note.id,))
    text = store.get_document(doc_id).text
    start = text.index("on Monday")
    attached = store.reattach_note(note.id, text, start, start + len("on Monday"))
    assert not attached.orphaned and attached.quote == "on Monday"
    assert store.get_note(note.id) == attached
    with pytest.raises(NoteError, match="changed since it was opened"):
        store.reattach_note(note.id, text + " more", 0, 3)
    with pytest.raises(NoteError, match="Select the passage"):
        store.reattach_note(note.id, text, 5, 5)
    whole = store.add_note(Note(None, "document", doc_id, "", ()))
    with pytest.raises(NoteError, match="Only a note on a passage"):
        store.reattach_note(whole.id, text, 0, 3)


def test_reimporting_a_changed_file_reanchors_its_notes(store: Store, doc_id: int):
    before = article()
    treaty = add_passage(store, doc_id, "the talks on the river treaty had been useful", "t")
    canal = add_passage(store, doc_id, "did not comment on the canal", "c")
    deadline = add_passage(store, doc_id, "before the deadline", "d")
    whole = store.add_note(Note(None, "document", doc_id, "whole", ()))

    edited = article(
        "A new first paragraph was added.",
        PARAGRAPHS[0],
        "Sergei Lavrov said the talks on the river treaty had been very useful.",
        "The spokesman said nothing more.",  # the canal paragraph is gone
        PARAGRAPHS[3],
    )
    result = store.import_document(edited)

    assert result.status == "updated" and result.document_id == doc_id
    assert result.orphaned_notes == 1
    text = store.get_document(doc_id).text
    notes = {n.id: n for n in store.list_notes(doc_id)}
    assert len(notes) == 4  # never deleted
    assert text[notes[treaty.id].start : notes[treaty.id].end] == (
        "the talks on the river treaty had been very useful"
    )
    assert notes[treaty.id].quote == treaty.quote  # the user's quote is kept
    assert text[notes[deadline.id].start : notes[deadline.id].end] == "before the deadline"
    assert notes[canal.id].orphaned and notes[canal.id].quote == canal.quote
    assert notes[whole.id] == whole
    assert [n.id for n in store.list_notes(doc_id)][-1] == canal.id
    assert notes[deadline.id].modified == deadline.modified  # moving is not editing

    # The paragraph comes back: the orphan is placed again.
    assert store.import_document(before).orphaned_notes == 0
    back = store.get_note(canal.id)
    assert not back.orphaned and back.start == canal.start


def test_removing_an_article_keeps_entity_notes(store: Store, doc_id: int):
    add_passage(store, doc_id, "canal")
    store.add_note(Note(None, "document", doc_id, "whole", ()))
    person = store.add_note(entity_note("Sergei Lavrov", "minister"))
    assert store.count_notes(doc_id) == 2
    assert store.get_entry(doc_id).note_count == 2
    store.remove_document(doc_id)
    assert store.list_notes(include_entity_notes=True) == [person]


def test_search_finds_passage_and_entity_notes(store: Store, doc_id: int):
    text = store.get_document(doc_id).text
    store.save_analysis(store.get_entry(doc_id).text_hash, "m", [mention(text, "Sergei Lavrov")])
    passage = add_passage(store, doc_id, "canal", "irrigation worries")
    person = store.add_note(entity_note("Sergei Lavrov", "veteran diplomat"))
    nobody = store.add_note(entity_note("Nobody Known", "diplomat without mentions"))

    [hit] = store.search("irrigation")
    assert (hit.note_id, hit.document_id, hit.offset, hit.end) == (
        passage.id,
        doc_id,
        passage.start,
        passage.end,
    )
    hits = {h.note_id: h for h in store.search("diplomat") if h.note_id}
    assert set(hits) == {person.id}  # the unmentioned entity has no article to open
    assert hits[person.id].document_id == doc_id
    assert hits[person.id].title == "Sergei Lavrov — Talks"
    assert hits[person.id].offset == text.index("Sergei Lavrov")
    assert {h.note_id for h in store.search("lavrov") if h.note_id} == {person.id}
    assert nobody.id not in {h.note_id for h in store.search("nobody")}


def build_v2_with_notes(path: Path) -> None:
    conn = database.connect(path)
    try:
        migrations.migrate(conn, target=2)
        with transaction(conn, "test"):
            library.import_document(conn, article())
            conn.executemany(
                "INSERT INTO notes (id, document_id, quote, prefix, suffix, start_offset,"
                " end_offset, body, tags, created, modified, entity_kind, entity_canonical,"
                " orphaned) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, '2024', '2025', ?, ?, ?)",
                [
                    (4, "canal", "on the ", ".", 190, 195, "canal note", "water", None, None, 0),
                    (9, "", "", "", None, None, "whole article", "", None, None, 0),
                    (
                        11,
                        "Lavrov",
                        "Sergei ",
                        " said",
                        48,
                        54,
                        "with entity",
                        "a\nb",
                        "person",
                        "Sergei Lavrov",
                        1,
                    ),
                ],
            )
    finally:
        conn.close()


def test_upgrade_from_v2_keeps_every_note(open_closing: OpenStore, db_path: Path):
    build_v2_with_notes(db_path)
    store = open_closing(db_path)
    assert store.schema_version == migrations.LATEST_VERSION
    notes = {n.id: n for n in store.list_notes(1)}
    assert set(notes) == {4, 9, 11}
    canal = notes[4]
    assert (canal.kind, canal.quote, canal.prefix, canal.start, canal.end) == (
        "passage",
        "canal",
        "on the ",
        190,
        195,
    )
    assert (canal.body, canal.tags, canal.created, canal.modified) == (
        "canal note",
        ("water",),
        "2024",
        "2025",
    )
    assert notes[9].kind == "document" and notes[9].body == "whole article"
    assert notes[11].orphaned and notes[11].tags == ("a", "b")
    assert notes[11].entity == ("person", "Sergei Lavrov")
    assert {h.note_id for h in store.search("whole article")} == {9}
    store.conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
    new = store.add_note(Note(None, "document", 1, "after the upgrade", ()))
    assert new.id == 12
    assert store.backup_path is not None


def test_an_entity_note_needs_no_document_only_from_v3(db_path: Path):
    conn = database.connect(db_path)
    try:
        migrations.migrate(conn)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO notes (kind, document_id, created, modified)"
                " VALUES ('entity', NULL, 'x', 'x')"
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO notes (kind, document_id, created, modified)"
                " VALUES ('passage', NULL, 'x', 'x')"
            )
    finally:
        conn.close()


def test_import_notes_round_trip_between_libraries(
    store: Store, doc_id: int, open_closing: OpenStore, tmp_path: Path
):
    add_passage(store, doc_id, "river treaty", "treaty note", "water")
    store.add_note(Note(None, "document", doc_id, "whole", ("summary",)))
    store.add_note(entity_note("Sergei Lavrov", "minister"))
    notes = store.list_notes(include_entity_notes=True)
    data = to_jsonld(notes, {doc_id: store.get_document(doc_id)})

    other = open_closing(tmp_path / "other.sqlite3")
    other.import_document(make_document("Unrelated.", title="U", path="/u"))
    other_id = other.import_document(article()).document_id
    result = other.import_notes(from_jsonld(data))
    assert (result.added, result.skipped, result.orphaned) == (3, 0, 0)
    copied = other.list_notes(include_entity_notes=True)
    assert [(n.kind, n.quote, n.body, n.tags, n.start, n.created) for n in copied] == [
        (n.kind, n.quote, n.body, n.tags, n.start, n.created) for n in notes
    ]
    assert {n.document_id for n in copied if n.kind != "entity"} == {other_id}
    again = other.import_notes(from_jsonld(data))
    assert (again.added, again.skipped) == (0, 3)


def test_import_needs_the_article_and_imports_nothing_without_it(
    store: Store, doc_id: int, open_closing: OpenStore, tmp_path: Path
):
    add_passage(store, doc_id, "river treaty", "treaty note")
    data = to_jsonld(store.list_notes(), {doc_id: store.get_document(doc_id)})
    data["items"].insert(0, to_jsonld([entity_note("A B", "x")], {})["items"][0])
    other = open_closing(tmp_path / "other.sqlite3")
    with pytest.raises(NoteError, match="Item 2 is on an article that is not in the library"):
        other.import_notes(from_jsonld(data))
    assert other.list_notes(include_entity_notes=True) == []


def test_import_finds_a_reextracted_article_by_its_source_url(
    store: Store, open_closing: OpenStore, tmp_path: Path
):
    url = "https://example.org/talks"
    first = make_document(*PARAGRAPHS, title="Talks", path="/t.html", source_url=url)
    document_id = store.import_document(first).document_id
    add_passage(store, document_id, "river treaty", "kept")
    add_passage(store, document_id, "the canal", "lost")
    data = to_jsonld(store.list_notes(), {document_id: first})

    other = open_closing(tmp_path / "other.sqlite3")
    changed = make_document(*PARAGRAPHS[:2], title="Talks", path="/t2.html", source_url=url)
    other_id = other.import_document(changed).document_id
    result = other.import_notes(from_jsonld(data))
    assert (result.added, result.orphaned) == (2, 1)
    kept, lost = other.list_notes(other_id)
    assert kept.quote == "river treaty" and not kept.orphaned
    assert lost.quote == "the canal" and lost.orphaned
