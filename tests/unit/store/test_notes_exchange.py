"""Notes to a file and back: what the Export/Import menu items and ``reader notes`` share."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.errors import ReaderError
from reader.notes.anchoring import passage_note
from reader.notes.export import NotesFormatError
from reader.notes.model import Note
from reader.store import Store
from reader.store.notes_exchange import (
    export_notes,
    format_for_path,
    import_notes,
    import_sentence,
    read_notes_file,
    select_notes,
    write_atomically,
)
from reader.store.notes_import import NotesImportResult

from .conftest import OpenStore, make_document, mention

URL = "https://example.org/news/talks"
PARAGRAPHS = (
    "The delegations met in Genève on Monday.",
    "Sergei Lavrov said the talks on the river treaty had been useful.",
    "The minister of water did not comment on the canal.",
)


def talks(*paragraphs: str, path: str = "/articles/talks.md") -> Document:
    return make_document(
        *(paragraphs or PARAGRAPHS), title="Talks in Genève", path=path, source_url=URL
    )


def add_passage(store: Store, document_id: int, words: str, body: str, *tags: str) -> Note:
    text = store.get_document(document_id).text
    start = text.index(words)
    return store.add_note(passage_note(text, document_id, start, start + len(words), body, tags))


def entity_note(canonical: str, body: str, kind: str = "person") -> Note:
    return Note(None, "entity", None, body, (), entity_kind=kind, entity_canonical=canonical)


@pytest.fixture
def library(store: Store) -> tuple[int, int]:
    """Two articles, notes on both, and notes on two people (one mentioned in the first)."""
    first = store.import_document(talks()).document_id
    second = store.import_document(
        make_document("Farmers waited for rain.", title="Harvest", path="/articles/harvest.md")
    ).document_id
    add_passage(store, first, "river treaty", "Check the treaty’s text.", "water", "treaty")
    store.add_note(Note(None, "document", first, "A summary of the talks.", ("summary",)))
    add_passage(store, second, "waited for rain", "Drought.", "water")
    store.add_note(entity_note("Sergei Lavrov", "Foreign minister since 2004."))
    store.add_note(entity_note("Timur Bekov", "Aral Sea researcher."))
    text = store.get_document(first).text
    lavrov = mention(text, "Sergei Lavrov", Kind.PERSON)
    store.save_analysis(talks().text_hash, "test-model", [lavrov])
    return first, second


def test_export_of_the_library_holds_every_note_with_its_citation(store: Store, library):
    text, count = export_notes(store, "md")
    assert count == 5
    assert "## Talks in Genève" in text and "## Harvest" in text
    assert "> river treaty" in text and "Check the treaty’s text." in text
    assert f"`sha256:{talks().text_hash}`" in text
    assert "Foreign minister since 2004." in text and "Aral Sea researcher." in text


def test_export_of_one_article_adds_the_notes_on_the_people_it_mentions(store: Store, library):
    first, second = library
    text, count = export_notes(store, "csv", first)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == len(rows) == 3
    assert [r["kind"] for r in rows] == ["document", "passage", "entity"]
    assert rows[1]["quote"] == "river treaty" and rows[1]["location"] == "paragraph 2"
    assert rows[1]["text_sha256"] == talks().text_hash
    assert rows[2]["entity"] == "person: Sergei Lavrov"  # mentioned; Bekov is not
    # Never analysed: no summary, so its own notes only.
    assert [n.kind for n in select_notes(store, second)] == ["passage"]


def test_each_article_is_loaded_once(store: Store, library, monkeypatch):
    loaded: list[int] = []
    original = store.get_document

    def counting(document_id: int) -> Document:
        loaded.append(document_id)
        return original(document_id)

    monkeypatch.setattr(store, "get_document", counting)
    export_notes(store, "md")
    assert sorted(loaded) == sorted(library)


def test_json_ld_is_pretty_and_keeps_accents(store: Store, library):
    text, count = export_notes(store, "jsonld", tag="water")
    assert count == 2
    assert "treaty’s" in text and "\\u2019" not in text and text.startswith('{\n  "@context"')
    data = json.loads(text)
    assert data["total"] == 2
    assert {item["body"][0]["value"] for item in data["items"]} == {
        "Check the treaty’s text.",
        "Drought.",
    }


def test_an_unknown_format_is_a_sentence(store: Store):
    with pytest.raises(ReaderError, match=r"use md .Markdown., csv or jsonld"):
        export_notes(store, "pdf")


def test_format_from_a_file_name():
    assert format_for_path("notes.CSV") == "csv"
    assert format_for_path("a/b.jsonld") == "jsonld"
    assert format_for_path("notes.json") == "jsonld"
    assert format_for_path("notes") == "md"
    assert format_for_path("notes.odt", "csv") == "csv"


# -- import ---------------------------------------------------------------------------------


def exported(store: Store, tmp_path: Path, name: str = "notes.jsonld") -> Path:
    text, _ = export_notes(store, "jsonld")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_into_another_library_restores_the_notes(
    store: Store, library, tmp_path: Path, open_closing: OpenStore
):
    path = exported(store, tmp_path)
    other = open_closing(tmp_path / "other.sqlite3")
    other.import_document(talks(path="/elsewhere/talks.md"))
    other.import_document(make_document("Farmers waited for rain.", title="Harvest"))
    assert import_notes(other, path) == "Imported 5 notes."
    key = lambda n: (n.kind, n.quote, n.body, n.tags, n.start, n.end, n.entity)  # noqa: E731
    assert sorted(map(key, select_notes(other))) == sorted(map(key, select_notes(store)))
    assert import_notes(other, path) == "Imported no notes: all 5 were already in the library."


def test_import_counts_orphans_and_notes_already_there(
    store: Store, library, tmp_path: Path, open_closing: OpenStore
):
    first, _ = library
    add_passage(store, first, "did not comment on the canal", "Silence.")
    store.remove_document(library[1])
    path = exported(store, tmp_path)
    other = open_closing(tmp_path / "other.sqlite3")
    # The same web page, extracted again without its last paragraph: found by its URL.
    other.import_document(talks(*PARAGRAPHS[:2]))
    other.add_note(entity_note("Sergei Lavrov", "Foreign minister since 2004."))
    assert import_notes(other, path) == (
        "Imported 4 notes; 1 was already in the library; 1 could not be placed in its "
        "article and is listed as an orphan."
    )
    assert [n.quote for n in other.orphaned_notes()] == ["did not comment on the canal"]


def test_import_sentences():
    assert import_sentence(NotesImportResult(1, 0, 0)) == "Imported 1 note."
    assert import_sentence(NotesImportResult(0, 1, 0)) == (
        "Imported no notes: it was already in the library."
    )
    assert import_sentence(NotesImportResult(12, 3, 2)) == (
        "Imported 12 notes; 3 were already in the library; 2 could not be placed in their "
        "articles and are listed as orphans."
    )


def test_a_missing_or_unreadable_file_is_named(tmp_path: Path):
    with pytest.raises(ReaderError, match=r"There is no file “.*gone\.jsonld”"):
        read_notes_file(tmp_path / "gone.jsonld")
    with pytest.raises(ReaderError, match=r"is a folder"):
        read_notes_file(tmp_path)
    (tmp_path / "latin.jsonld").write_bytes(b'{"a": "caf\xe9"}')
    with pytest.raises(ReaderError, match=r"“latin.jsonld” is not UTF-8 text .byte 11"):
        read_notes_file(tmp_path / "latin.jsonld")
    (tmp_path / "empty.jsonld").write_text("  \n")
    with pytest.raises(ReaderError, match=r"“empty.jsonld” is empty"):
        read_notes_file(tmp_path / "empty.jsonld")


def test_invalid_json_names_line_and_column(store: Store, tmp_path: Path):
    path = tmp_path / "broken.jsonld"
    path.write_text('{\n  "type": "AnnotationCollection",\n  "items": [}\n', encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        import_notes(store, path)
    assert caught.value.message == (
        "“broken.jsonld” is not valid JSON: expecting value at line 3, column 13. "
        "Nothing was imported; correct the file or export it again."
    )


def test_the_first_problem_is_reported_with_the_item_and_nothing_is_imported(
    store: Store, library, tmp_path: Path, open_closing: OpenStore
):
    path = exported(store, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    passages = [i for i, item in enumerate(data["items"]) if "selector" in item["target"]]
    last = data["items"][passages[-1]]["target"]  # the items before it are all valid
    last["selector"] = [s for s in last["selector"] if s["type"] != "TextQuoteSelector"]
    path.write_text(json.dumps(data), encoding="utf-8")
    other = open_closing(tmp_path / "other.sqlite3")
    other.import_document(talks())
    other.import_document(make_document("Farmers waited for rain.", title="Harvest"))
    with pytest.raises(NotesFormatError) as caught:
        import_notes(other, path)
    assert caught.value.message == (
        f"Item {passages[-1] + 1} of “notes.jsonld”: target has no TextQuoteSelector. "
        "Nothing was imported; correct the file or export it again."
    )
    assert caught.value.item == passages[-1] + 1
    assert select_notes(other) == []


def test_a_file_that_is_not_web_annotation_says_so(store: Store, tmp_path: Path):
    path = tmp_path / "other.json"
    path.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(NotesFormatError, match=r"^“other.json”: the file is not W3C Web"):
        import_notes(store, path)


def test_an_article_missing_from_the_library_refuses_the_whole_file(
    store: Store, library, tmp_path: Path, open_closing: OpenStore
):
    path = exported(store, tmp_path)
    other = open_closing(tmp_path / "other.sqlite3")
    other.import_document(talks())  # Harvest is missing
    with pytest.raises(ReaderError, match=r"not in the library.*Nothing was imported"):
        import_notes(other, path)
    assert select_notes(other) == []


# -- writing --------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomically_writes_utf8_with_the_line_ends_given(tmp_path: Path):
    path = tmp_path / "notes.md"
    write_atomically(path, "# Notes\n\nGenève 🎉\r\nend\n")
    assert path.read_bytes() == "# Notes\n\nGenève 🎉\r\nend\n".encode()
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert leftovers(tmp_path) == []


def test_write_atomically_replaces_a_file_and_keeps_its_permissions(tmp_path: Path):
    path = tmp_path / "notes.csv"
    path.write_text("old")
    path.chmod(0o600)
    write_atomically(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_atomically_follows_a_symbolic_link(tmp_path: Path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomically(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    path = tmp_path / "notes.md"
    path.write_text("old")

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match=r"No space left"):
        write_atomically(path, "new")
    assert path.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_an_os_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "notes.md", "x")
