"""A notes import writes in short batches, skips duplicates in one pass, and is all or none."""

from __future__ import annotations

import pytest

from reader.errors import StoreError
from reader.notes.anchoring import passage_note
from reader.notes.jsonld import ImportedNote
from reader.store import Store, notes_import
from reader.store.database import transaction

from .conftest import generated_document


def imported_notes(store: Store, count: int) -> list[ImportedNote]:
    document = generated_document(5, words=800)
    document_id = store.import_document(document).document_id
    text = document.text
    notes = []
    for number in range(count):
        start = (number * 37) % (len(text) - 50)
        note = passage_note(text, document_id, start, start + 30, f"note {number}", ())
        notes.append(ImportedNote(note, document.text_hash))
    return notes


def test_many_notes_go_in_batches_and_a_second_import_adds_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_import, "BATCH", 7)
    batches: list[int] = []
    real_write = notes_import.write

    def counting(conn, notes):
        batches.append(len(notes))
        return real_write(conn, notes)

    monkeypatch.setattr(notes_import, "write", counting)
    items = imported_notes(store, 30)

    first = store.import_notes(items + items[:5])  # the same note twice counts once
    again = store.import_notes(items)

    assert (first.added, first.skipped) == (30, 5)
    assert batches == [7, 7, 7, 7, 2]
    assert (again.added, again.skipped) == (0, 30)
    assert len(store.list_notes()) == 30


def test_a_failing_batch_takes_back_the_earlier_ones(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_import, "BATCH", 4)
    real_write = notes_import.write
    calls = []

    def full_disk_on_the_third(conn, notes):
        calls.append(len(notes))
        if len(calls) == 3:
            raise StoreError("Could not import the notes because the disk is full.")
        return real_write(conn, notes)

    monkeypatch.setattr(notes_import, "write", full_disk_on_the_third)
    items = imported_notes(store, 20)

    with pytest.raises(StoreError, match="disk is full"):
        store.import_notes(items)

    assert store.list_notes() == []
    with transaction(store.conn, "check"):  # the library is not left locked
        pass
