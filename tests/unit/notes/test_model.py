"""The note record: tags as researchers type them, and what each kind of note needs."""

from __future__ import annotations

import pytest

from reader.notes.model import Note, NoteError, check_note, entity_kind_value, normalise_tags


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("war, peace", ("war", "peace")),
        ("  #war ,, #Peace ;Moscow\n", ("war", "Peace", "Moscow")),
        ("#war #peace", ("war", "peace")),
        ("foreign   policy, Foreign Policy, WAR, war", ("foreign policy", "WAR")),
        (["#one", " two ", "", "One", "three, four"], ("one", "two", "three, four")),
        ("", ()),
        (" , ; # ", ()),
        ("Genève, geneve, GENÈVE", ("Genève", "geneve")),
    ],
)
def test_normalise_tags(typed: str | list[str], tags: tuple[str, ...]):
    assert normalise_tags(typed) == tags


def passage(**changes: object) -> Note:
    values: dict[str, object] = {
        "id": None,
        "kind": "passage",
        "document_id": 1,
        "body": "",
        "tags": (),
        "quote": "abc",
        "start": 3,
        "end": 6,
    }
    values.update(changes)
    return Note(**values)  # type: ignore[arg-type]


def test_valid_notes_pass():
    check_note(passage())
    check_note(passage(start=None, end=None))
    check_note(passage(orphaned=True, start=10, end=90))  # stale position of an orphan
    check_note(Note(None, "document", 4, "body", ()))
    check_note(Note(None, "entity", None, "", (), entity_kind="person", entity_canonical="Ann"))


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (passage(kind="margin"), "not a kind of note"),
        (passage(quote=""), "needs the quoted passage"),
        (passage(document_id=None), "needs the article"),
        (passage(start=6, end=3), "position is not valid"),
        (passage(start=3, end=None), "position is not valid"),
        (passage(end=9), "does not match its quote"),
        (Note(None, "entity", 3, "", (), entity_kind="person", entity_canonical="A"), "no single"),
        (Note(None, "entity", None, "", (), entity_kind="person"), "kind and name"),
        (Note(None, "entity", None, "", (), entity_kind="robot", entity_canonical="R2"), "robot"),
    ],
)
def test_invalid_notes_are_refused_with_a_sentence(note: Note, message: str):
    with pytest.raises(NoteError, match=message):
        check_note(note)


def test_entity_kinds_accept_kind_values_in_any_case():
    assert entity_kind_value("Person") == "person"
    assert entity_kind_value("organization") == "organization"
    with pytest.raises(NoteError, match="use person, place, organization, other"):
        entity_kind_value("gpe")


def test_note_helpers():
    assert passage().is_placed
    assert not passage(orphaned=True).is_placed
    assert not passage(start=None, end=None).is_placed
    entity = Note(None, "entity", None, "", (), entity_kind="place", entity_canonical="Geneva")
    assert entity.entity == ("place", "Geneva")
    assert passage().entity is None
