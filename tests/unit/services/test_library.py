"""Keeping an opened article in the library, and finding a file in it."""

from __future__ import annotations

import pytest

from reader.errors import StoreError
from reader.services.library import existing_store, find_in_library, keep_in_library, known_id
from reader.store import open_store
from tests.unit.store.conftest import make_document


def test_no_library_yet_means_none_and_nothing_is_created(reader_home) -> None:
    with existing_store() as store:
        assert store is None
    assert not (reader_home / "data").exists() or not any((reader_home / "data").iterdir())


def test_keeping_an_article_twice_finds_it_the_second_time(tmp_path) -> None:
    document = make_document("Sergei Lavrov arrived in Geneva.", title="Talks")
    with open_store(tmp_path / "library.sqlite3") as store:
        assert known_id(store, document) is None
        kept = keep_in_library(store, document)
        assert kept.changed and kept.message == "" and kept.result.status == "imported"
        again = keep_in_library(store, document)
        assert again.document_id == kept.document_id and not again.changed
        assert known_id(store, document) == kept.document_id
    assert known_id(None, document) is None


def test_a_changed_file_is_said_in_a_sentence(tmp_path) -> None:
    path = tmp_path / "talks.md"
    path.write_text("# Talks\n\nSergei Lavrov arrived in Geneva.\n", encoding="utf-8")
    from reader.documents.loader import load_document

    with open_store(tmp_path / "library.sqlite3") as store:
        first = keep_in_library(store, load_document(path))
        path.write_text("# Talks\n\nSergei Lavrov left Geneva.\n", encoding="utf-8")
        kept = keep_in_library(store, load_document(path))
        assert kept.document_id == first.document_id and kept.changed
        assert kept.message.startswith("The file changed since it was imported")
        # Found by its path, and by its text once moved elsewhere.
        assert find_in_library(store, str(path)) == first.document_id
        moved = tmp_path / "moved.md"
        path.rename(moved)
        assert find_in_library(store, str(moved)) == first.document_id


def test_a_read_only_library_keeps_nothing(tmp_path) -> None:
    path = tmp_path / "library.sqlite3"
    open_store(path).close()
    with open_store(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        keep_in_library(store, make_document("Text.", title="T"))
