"""``reader corrections …`` in-process through ``cli.main``: what a shell user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from reader.documents.loader import load_document
from reader.entities.kinds import Kind
from reader.entities.models import expected_analysis_key
from reader.entities.spans import Mention
from reader.store import open_store

TEXT = "Sonya smiled at Pierre Bezukhov. Pierre left Moscow. Sonya stayed in Moscow."


def main(*argv: str) -> int:
    return cli.main(list(argv))


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A file in the library with its names cached for the default model (no model runs)."""
    path = tmp_path / "war.txt"
    path.write_text(TEXT + "\n", encoding="utf-8")
    document = load_document(path)
    text = document.text

    def at(name: str, kind: Kind, label: str, canonical: str = "", nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return Mention(start, start + len(name), kind, label, name, canonical or name)

    mentions = sorted(
        [
            at("Sonya", Kind.PLACE, "GPE"),
            at("Pierre Bezukhov", Kind.PERSON, "PERSON"),
            at("Pierre", Kind.PERSON, "PERSON", nth=1),
            at("Moscow", Kind.PLACE, "GPE"),
            at("Sonya", Kind.PLACE, "GPE", nth=1),
            at("Moscow", Kind.PLACE, "GPE", nth=1),
        ],
        key=lambda m: m.start,
    )
    key = expected_analysis_key("")
    assert key is not None
    with open_store() as store:
        store.import_document(document)
        store.save_analysis(document.text_hash, key, mentions)
    return path


def entities(path: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main("entities", str(path), "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_relabel_alias_remove_and_list(article: Path, capsys) -> None:
    assert main("corrections", "relabel", "Sonya", "--kind", "person") == 0
    out, err = capsys.readouterr()
    assert out == "Correction 1: “Sonya” is a person.\n"
    assert "changes 2 mentions" in err and "reader corrections undo 1" in err
    assert main("corrections", "alias", "Pierre", "--as", "Pierre Bezukhov") == 0
    assert main("corrections", "remove", "Moscow", "--document", str(article)) == 0
    found = entities(article, capsys)
    assert [(e["text"], e["kind"], e["canonical"]) for e in found] == [
        ("Sonya", "person", "Sonya"),
        ("Pierre Bezukhov", "person", "Pierre Bezukhov"),
        ("Pierre", "person", "Pierre Bezukhov"),
        ("Sonya", "person", "Sonya"),
    ]
    assert main("corrections", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["ID", "CORRECTION", "WHERE", "MENTIONS", "ADDED"]
    assert "“Sonya” is a person" in listing[1] and listing[1].split()[-2] == "2"
    assert "“Moscow” is not a name in one article" in listing[3]
    assert main("corrections", "list", "--json") == 0
    rules = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["action"], r["mentions_changed"]) for r in rules] == [
        (1, "kind", 2),
        (2, "same-as", 1),
        (3, "not-a-name", 2),
    ]
    assert rules[1]["as"] == "Pierre Bezukhov" and rules[2]["document"]
    assert main("mentions", "Sonya", "--json") == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["kind"] == "person" and hit["count"] == 2


def test_add_marks_a_missed_name_and_undo_redo_take_it_back_and_forth(
    article: Path, capsys
) -> None:
    assert main("corrections", "add", "Sonya stayed", "--kind", "org") == 0
    assert ("Sonya stayed", "organization") in {
        (e["text"], e["kind"]) for e in entities(article, capsys)
    }
    assert main("corrections", "undo", "1") == 0
    out, err = capsys.readouterr()
    assert out.startswith("Undone correction 1:") and "redo 1" in err
    assert "Sonya stayed" not in {e["text"] for e in entities(article, capsys)}
    assert main("corrections", "list") == 0
    assert capsys.readouterr().out.splitlines()[1].split()[-2] == "undone"
    assert main("corrections", "redo", "1") == 0
    assert "Sonya stayed" in {e["text"] for e in entities(article, capsys)}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("remove", "   "), "The name is empty"),
        (("relabel", "Sonya", "--kind", "planet"), "“planet” is not a kind of name"),
        (("relabel", "Sonya"), "Say what kind of name “Sonya” is"),
        (("alias", "Pierre", "--as", "Pierre"), "cannot be the same as itself"),
        (("undo", "7"), "There is no correction 7"),
        (("undo", "seven"), "“seven” is not the number of a correction"),
        (("redo", "1"), "Correction 1 is in force"),
        (("alias", "Pierre Bezukhov", "--as", "Pierre"), "circle of names"),
        (("remove", "Sonya", "--document", "/no/such/file.txt"), "“file.txt” does not exist"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_nothing_changes(
    article: Path, capsys, argv: tuple[str, ...], message: str
) -> None:
    assert main("corrections", "alias", "Pierre", "--as", "Pierre Bezukhov") == 0
    capsys.readouterr()
    assert main("corrections", *argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("reader: ")
    assert message in err
    with open_store() as store:
        assert [s.active for s in store.list_corrections()] == [True]


def test_export_and_import_share_rules_between_libraries(
    article: Path, tmp_path: Path, capsys
) -> None:
    assert main("corrections", "relabel", "Sonya", "--kind", "person") == 0
    rules = tmp_path / "team.json"
    assert main("corrections", "export", "-o", str(rules)) == 0
    assert "Exported 1 correction to" in capsys.readouterr().err
    capsys.readouterr()
    assert main("corrections", "export") == 0
    assert json.loads(capsys.readouterr().out) == json.loads(rules.read_text(encoding="utf-8"))
    other = tmp_path / "other-home"
    assert main("--data-dir", str(other), "corrections", "import", str(rules)) == 0
    assert capsys.readouterr().out.startswith("Imported 1 correction from “team.json”")
    assert main("--data-dir", str(other), "corrections", "list", "--json") == 0
    assert [r["text"] for r in json.loads(capsys.readouterr().out)] == ["Sonya"]


def test_a_hostile_rules_file_imports_nothing(article: Path, tmp_path: Path, capsys) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [{"action": "kind", "text": "Sonya", "kind": "person"}] * 3
                + [{"action": "kind", "text": "x" * 5000, "kind": "person"}],
            }
        ),
        encoding="utf-8",
    )
    assert main("corrections", "import", str(hostile)) == 1
    err = capsys.readouterr().err
    assert "Rule 4: The name is 5,000 characters long" in err and err.count("\n") == 1
    with open_store() as store:
        assert store.list_corrections() == []
