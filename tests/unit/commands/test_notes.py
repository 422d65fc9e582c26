"""``reader notes add|list|export|import`` in-process, parsed by the real argument parser."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from reader import cli, paths
from reader.commands import notes
from reader.documents.loader import load_document
from reader.errors import ReaderError
from reader.notes.model import Note
from reader.store import open_store

ARTICLE = """\
# Water talks in Genève

The delegations met in Genève on Monday. The river treaty was the first item.

Sergei Lavrov said the talks on the river treaty had been useful.

A spokesman promised a draft before the deadline.
"""
TITLE = "Water talks in Genève"


def run(*argv: str) -> int:
    """``reader notes ARGV`` as the command line would run it, minus ``cli.main``'s
    printing of errors (the tests look at the ``ReaderError`` itself)."""
    return notes.run_notes(cli.command_parser().parse_args(["notes", *argv]))


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "talks.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def stored_notes() -> list[Note]:
    with open_store() as store:
        return store.list_notes(include_entity_notes=True)


def add(article: Path, quote: str, text: str, *extra: str) -> None:
    assert run("add", str(article), "--quote", quote, "--text", text, *extra) == 0


# -- add ------------------------------------------------------------------------------------


def test_add_imports_the_file_and_says_where_the_note_is(article: Path, capsys):
    assert run("add", str(article), "--quote", "spokesman promised", "--text", "Who?") == 0
    captured = capsys.readouterr()
    assert captured.out == (f"Added note 1 on “spokesman promised” (paragraph 3) in “{TITLE}”.\n")
    assert captured.err == f"Added “{TITLE}” to the library (#1).\n"
    [saved] = stored_notes()
    text = load_document(article).text
    assert (saved.kind, saved.body, saved.document_id) == ("passage", "Who?", 1)
    assert text[saved.start : saved.end] == "spokesman promised" == saved.quote
    add(article, "draft before", "Again.")  # the article is already there: no second line
    assert capsys.readouterr().err == ""


def test_a_quote_not_in_the_text_stores_nothing(article: Path):
    with pytest.raises(ReaderError, match=r"“river tready” is not in the article's text"):
        run("add", str(article), "--quote", "river tready", "--text", "x")
    assert not paths.database_file().exists()  # not even the article


def test_a_repeated_quote_needs_an_occurrence(article: Path, capsys):
    with pytest.raises(ReaderError) as caught:
        run("add", str(article), "--quote", "river treaty", "--text", "x")
    assert caught.value.message == (
        f"“river treaty” occurs 2 times in “{TITLE}” (1: paragraph 1; 2: paragraph 2); add "
        "--occurrence N (1 to 2, in text order) to say which one, or quote a longer passage."
    )
    assert not paths.database_file().exists()
    add(article, "river treaty", "The second one.", "--occurrence", "2")
    [saved] = stored_notes()
    text = load_document(article).text
    assert saved.start == text.index("river treaty", text.index("river treaty") + 1)
    assert "(paragraph 2)" in capsys.readouterr().out
    with pytest.raises(ReaderError, match="no occurrence 3"):
        run("add", str(article), "--quote", "river treaty", "--text", "x", "--occurrence", "3")


def test_quotes_match_loosely_and_tags_are_one_per_option(article: Path):
    add(article, "Sergei  Lavrov\nsaid", "Spacing.", "--tag", "#people", "--tag", "foreign policy")
    [saved] = stored_notes()
    assert saved.quote == "Sergei Lavrov said"
    assert saved.tags == ("people", "foreign policy")


def test_a_note_on_the_whole_article_and_text_from_stdin(article: Path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("First line.\nSecond line.\n"))
    assert run("add", str(article), "--document", "--text", "-", "--tag", "summary") == 0
    assert capsys.readouterr().out == f"Added note 1 on the whole of “{TITLE}”.\n"
    [saved] = stored_notes()
    assert (saved.kind, saved.body, saved.quote) == ("document", "First line.\nSecond line.", "")
    with pytest.raises(ReaderError, match="--occurrence chooses among"):
        run("add", str(article), "--document", "--text", "x", "--occurrence", "2")


def test_quote_or_document_is_required(article: Path, capsys):
    with pytest.raises(SystemExit) as exited:
        run("add", str(article), "--text", "x")
    assert exited.value.code == 2
    assert "one of the arguments --quote --document is required" in capsys.readouterr().err


def test_add_to_a_changed_file_updates_its_entry(article: Path, capsys):
    add(article, "spokesman promised", "Who?")
    article.write_text(ARTICLE.replace("on Monday", "on Tuesday"), encoding="utf-8")
    add(article, "on Tuesday", "Changed day.", "--json")
    captured = capsys.readouterr()
    assert captured.err.endswith(f"Updated “{TITLE}” in the library from the changed file.\n")
    printed = json.loads(captured.out.split("\n", 1)[1])
    assert printed["document_id"] == 1 and printed["quote"] == "on Tuesday"
    assert printed["location"] == "paragraph 1" and printed["tags"] == []
    assert [n.document_id for n in stored_notes()] == [1, 1]


# -- list -----------------------------------------------------------------------------------


def test_list_shows_location_quote_note_and_tags(article: Path, capsys):
    add(article, "Sergei Lavrov said the talks on the river treaty had been useful", "Quote him.")
    add(article, "draft before", "Deadline?", "--tag", "dates", "--tag", "follow up")
    assert run("add", str(article), "--document", "--text", "Summary\nin two lines.") == 0
    capsys.readouterr()
    assert run("list", str(article)) == 0
    assert capsys.readouterr().out == (
        f"3  {TITLE}, whole article\n"
        "    Summary\n"
        "    in two lines.\n"
        "\n"
        f"1  {TITLE}, paragraph 2\n"
        "    “Sergei Lavrov said the talks on the river treaty had been useful”\n"
        "    Quote him.\n"
        "\n"
        f"2  {TITLE}, paragraph 3\n"
        "    “draft before”\n"
        "    Deadline?\n"
        "    Tags: dates; follow up\n"
    )
    assert run("list", "--tag", "DATES", "--json") == 0
    [only] = json.loads(capsys.readouterr().out)
    assert only["id"] == 2 and only["note"] == "Deadline?"
    assert only["text_sha256"] == load_document(article).text_hash


def test_orphans_are_marked(article: Path, capsys):
    add(article, "spokesman promised", "Who?")
    article.write_text(ARTICLE.replace("A spokesman promised", "Nobody said"), encoding="utf-8")
    with open_store() as store:
        store.import_document(load_document(article))
    capsys.readouterr()
    assert run("list") == 0
    out = capsys.readouterr().out
    assert "orphan: its passage is no longer found in the text" in out
    assert "“spokesman promised”" in out
    assert run("list", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["orphaned"] is True


def test_a_moved_file_is_found_by_its_text(article: Path, tmp_path: Path, capsys):
    add(article, "spokesman promised", "Who?")
    moved = tmp_path / "elsewhere" / "renamed.md"
    moved.parent.mkdir()
    shutil.move(article, moved)
    capsys.readouterr()
    assert run("list", str(moved), "--json") == 0
    assert [n["note"] for n in json.loads(capsys.readouterr().out)] == ["Who?"]


def test_a_file_not_in_the_library_has_no_notes(article: Path, tmp_path: Path, capsys):
    assert run("list", str(article), "--json") == 0  # no library at all
    captured = capsys.readouterr()
    assert captured.out == "[]\n"
    assert captured.err.startswith(f"“{article}” is not in the library, so it has no notes")
    add(article, "spokesman promised", "Who?")
    other = tmp_path / "other.md"
    other.write_text("# Other\n\nSomething else.\n", encoding="utf-8")
    capsys.readouterr()
    assert run("list", str(other)) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "is not in the library" in captured.err
    with pytest.raises(ReaderError, match="does not exist"):
        run("list", str(tmp_path / "missing.md"))


def test_an_empty_library_says_so(capsys):
    assert run("list") == 0
    assert capsys.readouterr().err.startswith("The library is empty, so there are no notes")
    assert run("list", "--json") == 0
    assert capsys.readouterr() == ("[]\n", "")


# -- export ---------------------------------------------------------------------------------


@pytest.fixture
def noted(article: Path, capsys) -> Path:
    add(article, "river treaty had been useful", "Useful, says who?", "--tag", "water")
    assert run("add", str(article), "--document", "--text", "Short article.") == 0
    capsys.readouterr()
    return article


def test_export_markdown_to_stdout(noted: Path, capsys):
    assert run("export") == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    text_hash = load_document(noted).text_hash
    assert f"## {TITLE}" in captured.out
    assert "> river treaty had been useful" in captured.out
    assert f"> — {TITLE}, paragraph 2, sha256:{text_hash[:8]}" in captured.out
    assert "Useful, says who?" in captured.out and "#water" in captured.out
    assert f"Text: `sha256:{text_hash}`" in captured.out


def test_export_csv_of_one_file(noted: Path, capsys):
    assert run("export", str(noted), "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["kind"], r["quote"], r["note"]) for r in rows] == [
        ("document", "", "Short article."),
        ("passage", "river treaty had been useful", "Useful, says who?"),
    ]
    assert rows[1]["document_title"] == TITLE
    assert rows[1]["text_sha256"] == load_document(noted).text_hash


def test_export_to_a_file_takes_the_format_from_its_suffix(noted: Path, tmp_path: Path, capsys):
    target = tmp_path / "out" / "notes.jsonld"
    target.parent.mkdir()
    assert run("export", "-o", str(target)) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"Exported 2 notes to {target}.\n"
    data = json.loads(target.read_text(encoding="utf-8"))
    [passage] = [i for i in data["items"] if "selector" in i["target"]]
    assert passage["target"]["source"] == "urn:sha256:" + load_document(noted).text_hash
    assert passage["target"]["selector"][0]["exact"] == "river treaty had been useful"
    assert run("export", "-o", str(target), "--format", "md") == 0  # --format wins
    assert target.read_text(encoding="utf-8").startswith("# Notes\n")
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.jsonld"]


def test_export_to_a_missing_folder_is_one_sentence(noted: Path, tmp_path: Path):
    with pytest.raises(ReaderError, match=r"could not be written to “.*missing.*No such file"):
        run("export", "-o", str(tmp_path / "missing" / "notes.md"))


def test_export_of_a_file_not_in_the_library(noted: Path, tmp_path: Path, capsys):
    other = tmp_path / "other.md"
    other.write_text("# Other\n\nSomething else.\n", encoding="utf-8")
    assert run("export", str(other), "--format", "jsonld") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["items"] == []
    assert "is not in the library, so it has no notes to export" in captured.err


# -- import ---------------------------------------------------------------------------------


def test_import_round_trip_into_a_fresh_library(noted: Path, tmp_path: Path, capsys):
    exported = tmp_path / "notes.jsonld"
    assert run("export", "-o", str(exported)) == 0
    before = stored_notes()
    paths.set_home(tmp_path / "fresh-home")
    with open_store() as store:
        store.import_document(load_document(noted))
    capsys.readouterr()
    assert run("import", str(exported)) == 0
    assert capsys.readouterr().out == "Imported 2 notes.\n"
    after = stored_notes()
    fields = lambda n: (n.kind, n.quote, n.prefix, n.suffix, n.body, n.tags, n.start, n.end)  # noqa: E731
    assert [fields(n) for n in after] == [fields(n) for n in before]
    assert [n.created for n in after] == [n.created for n in before]
    assert run("import", str(exported)) == 0
    assert capsys.readouterr().out == "Imported no notes: all 2 were already in the library.\n"


def test_a_bad_file_imports_nothing_and_creates_no_library(tmp_path: Path):
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{"@context": "http://www.w3.org/ns/anno.jsonld",\n "items": [1,]}')
    with pytest.raises(ReaderError, match="line 2, column 14"):
        run("import", str(bad))
    assert not paths.database_file().exists()


def test_entity_notes_are_listed_with_their_entity(article: Path, capsys):
    add(article, "spokesman promised", "Who?")
    with open_store() as store:
        store.add_note(
            Note(
                None,
                "entity",
                None,
                "Foreign minister.",
                ("people",),
                entity_kind="person",
                entity_canonical="Sergei Lavrov",
            )
        )
    capsys.readouterr()
    assert run("list") == 0
    assert capsys.readouterr().out.endswith(
        "\n2  Sergei Lavrov (person), in every article\n    Foreign minister.\n    Tags: people\n"
    )
    assert run("list", "--json", "--tag", "people") == 0
    [entity] = json.loads(capsys.readouterr().out)
    assert entity["entity"] == {"kind": "person", "name": "Sergei Lavrov"}
    assert entity["document_id"] is None and entity["location"] is None
