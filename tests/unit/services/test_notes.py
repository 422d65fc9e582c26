"""Notes to a file and back: one use case for File › Export Notes and ``reader notes``."""

from __future__ import annotations

import pytest

from reader.errors import ReaderError
from reader.notes.anchoring import passage_note
from reader.services.notes import export_to_file, import_from_file
from reader.store import open_store
from tests.unit.store.conftest import make_document


def test_export_then_import_into_another_library(tmp_path) -> None:
    document = make_document("Sergei Lavrov arrived in Geneva.", title="Talks")
    target = tmp_path / "notes.jsonld"
    with open_store(tmp_path / "a.sqlite3") as store:
        document_id = store.import_document(document).document_id
        store.add_note(passage_note(document.text, document_id, 0, 13, "Minister."))
        assert export_to_file(store, target, "jsonld") == 1
    with open_store(tmp_path / "b.sqlite3") as other:
        other.import_document(document)
        sentence = import_from_file(other, target)
        assert "1" in sentence and [n.body for n in other.list_notes()] == ["Minister."]


def test_an_unwritable_place_is_one_sentence_naming_it(tmp_path) -> None:
    with open_store(tmp_path / "a.sqlite3") as store:
        missing = tmp_path / "missing" / "notes.md"
        with pytest.raises(ReaderError) as caught:
            export_to_file(store, missing, "md")
    assert "missing" in caught.value.message and "\n" not in caught.value.message
    assert not missing.exists()
