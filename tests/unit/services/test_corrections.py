"""The corrections use case: rules made, applied to cached names everywhere, shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.entities.corrections import CorrectionError
from reader.entities.kinds import Kind
from reader.entities.models import expected_analysis_key
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.notes.model import Note
from reader.services import corrections
from reader.services.paper import paper_for_file
from reader.store import open_store
from reader.store.backups import list_backups
from tests.unit.store.conftest import make_document

TEXT = "Sergei Lavrov arrived in Geneva. Lavrov said Geneva was calm. TASS reported it."


def names(mentions: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind.value, m.canonical) for m in mentions]


def cached(document) -> list[Mention]:
    body = document.text
    lone = body.index("Lavrov said")
    return [
        Mention(0, 13, Kind.PERSON, "PERSON", "Sergei Lavrov", "Sergei Lavrov"),
        Mention(25, 31, Kind.PLACE, "GPE", "Geneva", "Geneva"),
        Mention(lone, lone + 6, Kind.ORGANIZATION, "ORG", "Lavrov", "Lavrov"),
        Mention(lone + 12, lone + 18, Kind.PLACE, "GPE", "Geneva", "Geneva"),
    ]


@pytest.fixture
def article():
    document = make_document(TEXT, title="Talks", path="/talks.txt")
    with open_store() as store:
        store.import_document(document)
        # Under the key of the model in use (""): printing takes these names, no model runs.
        store.save_analysis(document.text_hash, expected_analysis_key(""), cached(document))
    return document


def test_a_rule_is_one_call_that_every_reader_of_names_sees(article, engines) -> None:
    with open_store() as store:
        lavrov, refresh = corrections.add(
            store, corrections.new_rule("same-as", "Lavrov", target="Sergei Lavrov")
        )
        tass, _ = corrections.add(store, corrections.new_rule("add", "TASS", kind="org"))
        assert (lavrov.changes, tass.changes) == (1, 1) and refresh.articles == 1
        corrector = corrections.load(store)
        assert corrector.version == 2 and not corrector.empty
        shown = corrector.names(cached(article), article)
        [hit] = store.mentions("Sergei Lavrov")
        assert hit.count == 2  # the library's entity search sees the alias
        assert store.mentions("TASS")[0].kind is Kind.ORGANIZATION
    assert names(shown) == [
        ("Sergei Lavrov", "person", "Sergei Lavrov"),
        ("Geneva", "place", "Geneva"),
        ("Lavrov", "person", "Sergei Lavrov"),  # joins the person, and takes her kind
        ("Geneva", "place", "Geneva"),
        ("TASS", "organization", "TASS"),
    ]
    # A printed copy of the file, outside the window: the same corrected names.
    paper = paper_for_file(article, "", engines)
    assert names(paper.mentions) == names(shown) and engines.made == 0


def test_notes_on_a_name_follow_its_correction(article, engines) -> None:
    with open_store() as store:
        store.add_note(
            Note(
                None,
                "entity",
                None,
                "Spokesman?",
                (),
                entity_kind="organization",
                entity_canonical="TASS",
            )
        )
        store.add_note(
            Note(
                None, "entity", None, "A city.", (), entity_kind="place", entity_canonical="Geneva"
            )
        )
        corrections.add(store, corrections.new_rule("kind", "Geneva", kind="organization"))
        corrector = corrections.load(store)
        moved = corrector.notes(store.entity_notes(), article.text_hash)
        stored = store.entity_notes()
    assert sorted(n.entity for n in moved if n.entity) == [
        ("organization", "Geneva"),
        ("organization", "TASS"),
    ]
    assert ("place", "Geneva") in {n.entity for n in stored}  # the note itself is unchanged
    paper = paper_for_file(article, "", engines)
    assert {n.body for n in paper.entity_notes if n.entity == ("organization", "Geneva")} == {
        "A city."
    }


def test_undo_and_redo_change_what_is_shown_and_counted(article) -> None:
    with open_store() as store:
        stored, _ = corrections.add(store, corrections.new_rule("not-a-name", "Geneva"))
        assert store.mentions("Geneva") == []
        undone = corrections.undo(store, stored.id)
        corrections.apply_to_library(store)
        assert undone.corrector.empty and undone.stored.undone is not None
        assert store.mentions("Geneva")[0].count == 2
        redone = corrections.undo(store, stored.id, redo=True)
        corrections.apply_to_library(store)
        assert redone.corrector.rules == (redone.stored.rule,)
        assert store.mentions("Geneva") == []
        assert [(s.active, s.changes) for s in corrections.listing(store)] == [(True, 2)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("kind", "   "), "is empty"),
        (("kind", "Geneva", {"kind": "planet"}), "“planet” is not a kind of name"),
        (("same-as", "Geneva", {"target": " Geneva "}), "cannot be the same as itself"),
        (("add", "TASS"), "Say what kind of name"),
    ],
)
def test_bad_rules_get_one_sentence_and_nothing_changes(article, args, message) -> None:
    action, form, *extra = args
    with pytest.raises(CorrectionError, match=message) as raised:
        corrections.new_rule(action, form, **(extra[0] if extra else {}))
    assert raised.value.message.count(". ") == 0
    with open_store() as store:
        assert corrections.listing(store) == []


def test_a_circle_of_aliases_is_refused_before_and_when_writing(article) -> None:
    with open_store() as store:
        corrections.add(store, corrections.new_rule("same-as", "Lavrov", target="Sergei Lavrov"))
        corrector = corrections.load(store)
        back = corrections.new_rule("same-as", "Sergei Lavrov", target="Lavrov")
        with pytest.raises(CorrectionError, match="circle of names"):
            corrections.check(corrector, back)
        with pytest.raises(CorrectionError, match="circle of names"):
            corrections.record(store, back)
        assert len(corrections.listing(store)) == 1


def test_a_read_only_library_takes_no_correction(article) -> None:
    with open_store(read_only=True) as store, pytest.raises(ReaderError, match="read-only"):
        corrections.record(store, corrections.new_rule("not-a-name", "Geneva"))


def test_export_then_import_into_another_library(article, tmp_path: Path) -> None:
    with open_store() as store:
        corrections.add(store, corrections.new_rule("kind", "Geneva", kind="organization"))
        corrections.add(store, corrections.new_rule("not-a-name", "TASS"))
        corrections.undo(store, 2)
        count = corrections.export_to_file(store, tmp_path / "rules.json")
    assert count == 1  # only the rules in force
    data = json.loads((tmp_path / "rules.json").read_text(encoding="utf-8"))
    assert data["rules"] == [{"action": "kind", "text": "Geneva", "kind": "organization"}]
    with open_store(tmp_path / "other.sqlite3") as other:
        document = make_document(TEXT, title="Talks")
        other.import_document(document)
        other.save_analysis(document.text_hash, "model", cached(document))
        sentence = corrections.import_from_file(other, tmp_path / "rules.json")
        assert sentence == (
            "Imported 1 correction from “rules.json” (numbers 1 to 1); they change 2 mentions "
            "in the library."
        )
        assert other.mentions("Geneva")[0].kind is Kind.ORGANIZATION
        backups = list_backups(other.backup_dir, other.path)
        assert any(p.name.endswith("-corrections-import.sqlite3") for p in backups)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (b'{"format": "reader-corrections", "version": 1, "rules": [', "is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nests its JSON too deeply"),
        (b'{"format": "notes"}', "not a corrections file"),
        (
            b'{"format": "reader-corrections", "version": 1, "rules": ['
            b'{"action": "kind", "text": "A", "kind": "person"},'
            b'{"action": "same-as", "text": "B", "as": "B"}]}',
            "Rule 2:",
        ),
        (
            b'{"format": "reader-corrections", "version": 1, "rules": ['
            b'{"action": "same-as", "text": "A", "as": "B"},'
            b'{"action": "same-as", "text": "B", "as": "A"}]}',
            "circle of names",
        ),
    ],
)
def test_a_malformed_or_hostile_rules_file_imports_nothing(
    article, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "rules.json"
    path.write_bytes(content)
    with open_store() as store:
        with pytest.raises(ReaderError, match=message) as raised:
            corrections.import_from_file(store, path)
        assert "\n" not in raised.value.message
        assert corrections.listing(store) == []


def test_an_import_that_would_close_a_circle_with_the_library_imports_nothing(
    article, tmp_path: Path
) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [
                    {"action": "kind", "text": "TASS", "kind": "organization"},
                    {"action": "same-as", "text": "Sergei Lavrov", "as": "Lavrov"},
                ],
            }
        ),
        encoding="utf-8",
    )
    with open_store() as store:
        corrections.add(store, corrections.new_rule("same-as", "Lavrov", target="Sergei Lavrov"))
        with pytest.raises(CorrectionError, match="circle of names"):
            corrections.import_from_file(store, path)
        assert len(corrections.listing(store)) == 1
