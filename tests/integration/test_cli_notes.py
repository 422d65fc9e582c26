"""``reader notes …`` as a researcher or a script runs it: ``python -m reader`` subprocesses.

The library lives in ``tmp_path`` through ``READER_HOME`` (one test uses ``--data-dir``);
the article is the sample ``summit-in-geneva.md``, copied so that its path is the test's.
No spaCy model is loaded: notes need none.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.documents.loader import load_document
from tests.conftest import SAMPLES

TITLE = "Water talks in Geneva end with a promise and a deadline"
PIPES = "a plan for pipes, not for rivers"


def reader(*args: str, home: Path, data_dir: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m reader ARGS`` with the library in ``home`` (READER_HOME, or --data-dir)."""
    env = dict(os.environ)
    env.pop("READER_HOME", None)
    extra: list[str] = []
    if data_dir:
        extra = ["--data-dir", str(home)]
    else:
        env["READER_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a command printed: exactly one line on stderr, exit status 1."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: "), result.stderr
    return lines[0]


def listed(home: Path, *args: str) -> list[dict]:
    result = reader("notes", "list", "--json", *args, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "articles" / "summit-in-geneva.md"
    path.parent.mkdir()
    shutil.copy(SAMPLES / "summit-in-geneva.md", path)
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def noted(article: Path, home: Path) -> Path:
    """The article with two passage notes (one on the second “Brunner”) and an article note."""
    for args in (
        ("--quote", PIPES, "--text", "Greenpeace's line.", "--tag", "quotes", "--tag", "NGOs"),
        ("--quote", "Brunner", "--occurrence", "2", "--text", "Chair of the talks."),
        ("--document", "--text", "Read with the UNECE report."),
    ):
        result = reader("notes", "add", str(article), *args, home=home)
        assert result.returncode == 0, result.stderr
    return article


def test_add_imports_the_file_and_stores_the_note(article: Path, home: Path):
    result = reader(
        "notes", "add", str(article), "--quote", PIPES, "--text", "Quote this.", home=home
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Added note 1 on “{PIPES}” (paragraph 8) in “{TITLE}”.\n"
    assert result.stderr == f"Added “{TITLE}” to the library (#1).\n"
    library = json.loads(reader("library", "--json", home=home).stdout)
    assert [(e["title"], e["notes"]) for e in library] == [(TITLE, 1)]
    [note] = listed(home, str(article))
    text = load_document(article).text
    assert note["quote"] == PIPES and note["note"] == "Quote this."
    assert (note["start"], note["end"]) == (text.index(PIPES), text.index(PIPES) + len(PIPES))
    assert note["text_sha256"] == load_document(article).text_hash


def test_a_quote_not_in_the_text_is_refused(article: Path, home: Path):
    result = reader(
        "notes", "add", str(article), "--quote", "a plan for rivers", "--text", "x", home=home
    )
    assert "“a plan for rivers” is not in the article's text" in one_line_error(result)
    assert result.stdout == ""
    assert listed(home) == []
    assert json.loads(reader("library", "--json", home=home).stdout) == []


def test_a_repeated_quote_asks_for_its_occurrence(article: Path, home: Path):
    result = reader("notes", "add", str(article), "--quote", "Brunner", "--text", "x", home=home)
    line = one_line_error(result)
    assert "“Brunner” occurs 3 times" in line and "--occurrence N (1 to 3" in line
    assert listed(home) == []
    result = reader(
        "notes",
        "add",
        str(article),
        "--quote",
        "Brunner",
        "--text",
        "x",
        "--occurrence",
        "2",
        home=home,
    )
    assert result.returncode == 0, result.stderr
    text = load_document(article).text
    second = text.index("Brunner", text.index("Brunner") + 1)
    [note] = listed(home)
    assert (note["start"], note["end"]) == (second, second + len("Brunner"))
    assert note["suffix"] == text[second + 7 : second + 7 + 32]


def test_list_shows_every_note_in_text_order(noted: Path, home: Path):
    result = reader("notes", "list", str(noted), home=home)
    assert result.returncode == 0 and result.stderr == ""
    blocks = result.stdout.split("\n\n")
    assert blocks[0] == f"3  {TITLE}, whole article\n    Read with the UNECE report."
    assert blocks[1] == f"2  {TITLE}, paragraph 3\n    “Brunner”\n    Chair of the talks."
    assert blocks[2] == (
        f"1  {TITLE}, paragraph 8\n    “{PIPES}”\n    Greenpeace's line.\n    Tags: quotes; NGOs\n"
    )
    assert [n["id"] for n in listed(home, "--tag", "ngos")] == [1]


def test_export_markdown_csv_and_json_ld(noted: Path, home: Path, tmp_path: Path):
    text_hash = load_document(noted).text_hash
    markdown = reader("notes", "export", home=home)
    assert markdown.returncode == 0 and markdown.stderr == ""
    assert f"## {TITLE}" in markdown.stdout and f"`sha256:{text_hash}`" in markdown.stdout
    assert f"> {PIPES}\n>\n> — Maria Keller, {TITLE}, paragraph 8, " in markdown.stdout
    assert f"sha256:{text_hash[:8]}" in markdown.stdout
    assert "Greenpeace's line." in markdown.stdout and "#quotes, #NGOs" in markdown.stdout

    table = reader("notes", "export", "--format", "csv", str(noted), home=home)
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["kind"], r["quote"], r["note"]) for r in rows] == [
        ("document", "", "Read with the UNECE report."),
        ("passage", "Brunner", "Chair of the talks."),
        ("passage", PIPES, "Greenpeace's line."),
    ]
    assert {(r["document_title"], r["text_sha256"], r["author"]) for r in rows} == {
        (TITLE, text_hash, "Maria Keller")
    }

    target = tmp_path / "notes.jsonld"
    written = reader("notes", "export", "-o", str(target), home=home)
    assert written.returncode == 0 and written.stdout == ""
    assert written.stderr == f"Exported 3 notes to {target}.\n"
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    sources = {item["target"]["source"] for item in data["items"]}
    assert sources == {f"urn:sha256:{text_hash}"}
    [pipes] = [
        i for i in data["items"] if i["target"].get("selector", [{}])[0].get("exact") == PIPES
    ]
    assert [b["value"] for b in pipes["body"]] == ["Greenpeace's line.", "quotes", "NGOs"]
    assert pipes["target"]["scope"] == "https://example.org/news/2026/water-talks-geneva"


def test_export_then_import_into_a_fresh_library(noted: Path, home: Path, tmp_path: Path):
    exported = tmp_path / "notes.jsonld"
    assert reader("notes", "export", "-o", str(exported), home=home).returncode == 0
    fresh = tmp_path / "fresh"
    copy = tmp_path / "copy" / "geneva.md"  # the same article, from another folder
    copy.parent.mkdir()
    shutil.copy(noted, copy)
    assert reader("import", str(copy), home=fresh, data_dir=True).returncode == 0
    result = reader("notes", "import", str(exported), home=fresh, data_dir=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Imported 3 notes.\n"
    keys = ("kind", "quote", "prefix", "suffix", "note", "tags", "start", "end", "created")
    restored = [{k: n[k] for k in keys} for n in listed(fresh)]
    assert restored == [{k: n[k] for k in keys} for n in listed(home)]
    again = reader("notes", "import", str(exported), home=fresh, data_dir=True)
    assert again.stdout == "Imported no notes: all 3 were already in the library.\n"


def test_malformed_json_ld_reports_the_first_problem_and_imports_nothing(
    noted: Path, home: Path, tmp_path: Path
):
    exported = tmp_path / "notes.jsonld"
    assert reader("notes", "export", "-o", str(exported), home=home).returncode == 0
    fresh = tmp_path / "fresh"
    assert reader("import", str(noted), home=fresh).returncode == 0

    broken = tmp_path / "broken.jsonld"
    text = exported.read_text(encoding="utf-8")
    broken.write_text(text.replace('"motivation": "commenting",', '"motivation": "commenting"'))
    line = one_line_error(reader("notes", "import", str(broken), home=fresh))
    assert line.startswith("reader: “broken.jsonld” is not valid JSON: expecting ',' delimiter")
    assert "at line 11, column 7. Nothing was imported" in line

    data = json.loads(text)
    for item in data["items"][1:]:  # the first item is valid and must not be imported either
        item["target"]["selector"] = [{"type": "TextPositionSelector", "start": 1, "end": 5}]
    broken.write_text(json.dumps(data, indent=2), encoding="utf-8")
    line = one_line_error(reader("notes", "import", str(broken), home=fresh))
    assert line == (
        "reader: Item 2 of “broken.jsonld”: target has no TextQuoteSelector. Nothing was "
        "imported; correct the file or export it again."
    )
    assert listed(fresh) == []

    missing = one_line_error(reader("notes", "import", str(tmp_path / "nope.jsonld"), home=fresh))
    assert "There is no file" in missing and "nope.jsonld" in missing
