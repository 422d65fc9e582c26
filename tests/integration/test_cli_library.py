"""``reader import``, ``library``, ``search`` and ``mentions`` as a researcher runs them.

Each test runs ``python -m reader`` in a subprocess against a library in ``tmp_path``, on a
folder of short news stories written for these tests plus two files that cannot be read.
Only ``test_mentions_after_import_with_analysis`` loads the real model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

GENEVA = """\
---
title: Ceasefire talks resume in Genève
author: Hannah Okafor
date: 2024-03-14
---

# Ceasefire talks resume in Genève

Foreign ministers met at the Palais des Nations in Genève on Thursday for a third round of
talks. Russian Foreign Minister Sergei Lavrov arrived late in the afternoon and spoke briefly
with reporters outside the building.

Lavrov said the United Nations had prepared a new draft on prisoner exchanges.
Secretary-General Antonio Guterres urged both delegations to agree on monitoring before the
spring.

Officials from the International Committee of the Red Cross said they were ready to send
inspectors to Kherson within a week. Lavrov later left for Moscow without taking questions.
"""

VIENNA = """\
Energy prices dominate the OSCE meeting in Vienna

Delegates to the Organization for Security and Co-operation in Europe gathered in Vienna on \
Monday as gas prices rose again across Austria and Hungary.

Sergei Lavrov told the meeting that supplies through Ukraine would continue. Critics, \
including the Polish foreign minister Radoslaw Sikorski, said the promise meant little. \
Lavrov did not answer.

The meeting ends on Wednesday with a joint statement on the Danube shipping lanes.
"""

NAIROBI = """\
# Drought relief plan agreed in Nairobi

*By Peter Mwangi*

The World Bank and the government of Kenya signed a loan agreement in Nairobi on Tuesday to
pay for water tanks in the northern counties. President William Ruto said the first
deliveries would reach Turkana before the end of the month.

Farmers near Lodwar have lost most of their cattle since the rains failed last year. Oxfam
warned that Somalia and Ethiopia face the same danger.
"""

TITLES = {
    "Ceasefire talks resume in Genève",
    "Energy prices dominate the OSCE meeting in Vienna",
    "Drought relief plan agreed in Nairobi",
}


def run_reader(*args: str, home: Path | None = None, env_home: Path | None = None):
    """``python -m reader ARGS`` with the library in ``home`` (--data-dir) or READER_HOME."""
    env = dict(os.environ)
    env.pop("READER_HOME", None)
    env.pop("NO_COLOR", None)
    if env_home is not None:
        env["READER_HOME"] = str(env_home)
    extra = ["--data-dir", str(home)] if home is not None else []
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, *extra],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env=env,
    )


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Three stories, an empty file, binary junk named .md, and files import must skip."""
    folder = tmp_path / "articles"
    (folder / "africa").mkdir(parents=True)
    (folder / ".drafts").mkdir()
    (folder / "geneva.md").write_text(GENEVA, encoding="utf-8")
    (folder / "vienna.txt").write_text(VIENNA, encoding="utf-8")
    (folder / "africa" / "nairobi.md").write_text(NAIROBI, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.md").write_bytes(bytes(range(256)) * 20)
    (folder / ".drafts" / "secret.md").write_text("# Hidden draft\n\nNot for import.\n")
    (folder / ".notes.md").write_text("# Hidden\n\nA hidden file.\n")
    (folder / "figures.csv").write_text("year,value\n2024,3\n")
    return folder


def result_lines(stdout: str) -> dict[str, str]:
    """File name -> what happened to it, from one "PATH: status …" line per file."""
    lines = {}
    for line in stdout.splitlines()[:-1]:
        path, _, status = line.partition(": ")
        lines[Path(path).name] = status
    return lines


def test_import_a_folder_reports_every_file_and_skips_the_unreadable(articles, tmp_path):
    result = run_reader("import", str(articles), home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    lines = result_lines(result.stdout)
    assert set(lines) == {"geneva.md", "vienna.txt", "nairobi.md", "empty.txt", "junk.md"}
    assert lines["geneva.md"].startswith("imported (#")
    assert "Ceasefire talks resume in Genève" in lines["geneva.md"]
    assert lines["empty.txt"].startswith("failed: ") and "empty" in lines["empty.txt"]
    assert lines["junk.md"].startswith("failed: ") and "does not contain text" in lines["junk.md"]
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("5 files: 3 imported, 0 already present, 0 updated, 2 failed")
    assert "skipped" in summary
    assert result.stderr == ""


def test_reimport_recognises_the_articles_and_an_edited_file_is_updated(articles, tmp_path):
    home = tmp_path / "home"
    run_reader("import", str(articles), home=home)

    again = run_reader("import", str(articles), home=home)
    assert again.returncode == 1  # the two unreadable files still fail
    lines = result_lines(again.stdout)
    assert lines["geneva.md"].startswith("already in the library (#")
    assert again.stdout.splitlines()[-1].startswith("5 files: 0 imported, 3 already present")

    vienna = articles / "vienna.txt"
    vienna.write_text(VIENNA + "\nA late correction was added on Thursday.\n", encoding="utf-8")
    edited = run_reader("import", str(vienna), "--json", home=home)
    assert edited.returncode == 0, edited.stderr
    report = json.loads(edited.stdout)
    assert report["totals"] == {"imported": 0, "present": 0, "updated": 1, "failed": 0}
    assert report["files"][0]["status"] == "updated"
    assert report["interrupted"] is False and report["analysis"] is None

    listed = json.loads(run_reader("library", "--json", home=home).stdout)
    assert len(listed) == 3  # updated in place, not added


def test_a_file_named_explicitly_is_tried_whatever_its_suffix(articles, tmp_path):
    named = [str(articles / "figures.csv"), str(tmp_path / "missing.md")]
    result = run_reader("import", *named, "--json", home=tmp_path / "home")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["imported", "failed"]
    assert "does not exist" in report["files"][1]["error"]


def test_library_lists_the_entries(articles, tmp_path):
    home = tmp_path / "home"
    run_reader("import", str(articles), home=home)
    result = run_reader("library", "--json", home=home)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["title"] for row in rows} == TITLES
    geneva = next(row for row in rows if "Genève" in row["title"])
    assert geneva["author"] == "Hannah Okafor" and geneva["date"] == "2024-03-14"
    assert geneva["path"] == str(articles / "geneva.md")
    assert geneva["analysed"] is False and geneva["notes"] == 0
    assert datetime.fromisoformat(geneva["added"]).tzinfo is not None
    assert set(geneva["entities"]) == {"person", "place", "organization", "other"}

    table = run_reader("library", home=home).stdout.splitlines()
    assert table[0].split() == "ID TITLE AUTHOR DATE SOURCE ADDED PEOPLE PLACES ORGS NOTES".split()
    assert len(table) == 4
    assert any("Hannah Okafor" in line and "2024-03-14" in line for line in table)


def test_an_empty_library_says_so(tmp_path):
    result = run_reader("library", env_home=tmp_path / "home")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "empty" in result.stderr and "reader import" in result.stderr
    assert json.loads(run_reader("library", "--json", env_home=tmp_path / "home").stdout) == []
    assert not (tmp_path / "home" / "data" / "library.sqlite3").exists()  # a query creates none


def test_search_ignores_accents_and_marks_the_matched_words(articles, tmp_path):
    home = tmp_path / "home"
    run_reader("import", str(articles), env_home=home)  # READER_HOME works as --data-dir does
    result = run_reader("search", "geneve", env_home=home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ceasefire talks resume in Genève  (#")
    assert "[Genève]" in lines[1]  # stdout is a pipe: brackets, not ANSI bold
    assert "\x1b[" not in result.stdout

    hits = json.loads(run_reader("search", "geneve", "--json", env_home=home).stdout)
    assert len(hits) == 1
    from reader.documents.loader import load_document

    text = load_document(articles / "geneva.md").text
    assert text[hits[0]["offset"] : hits[0]["end"]] == "Genève"
    start, end = hits[0]["marks"][0]
    assert hits[0]["snippet"][start:end] == "Genève"

    ranked = json.loads(run_reader("search", "meeting", "--json", env_home=home).stdout)
    assert "Vienna" in ranked[0]["title"]  # the word is in its title


def test_search_without_hits_and_bad_queries(articles, tmp_path):
    home = tmp_path / "home"
    run_reader("import", str(articles), home=home)
    nothing = run_reader("search", "zanzibar", home=home)
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "Nothing in the library matches “zanzibar”" in nothing.stderr
    assert json.loads(run_reader("search", "zanzibar", "--json", home=home).stdout) == []

    empty = run_reader("search", "  ?! ", home=home)
    assert empty.returncode == 1
    assert len(empty.stderr.strip().splitlines()) == 1 and "Traceback" not in empty.stderr

    limit = run_reader("search", "the", "--limit", "0", home=home)
    assert limit.returncode == 2 and "at least 1" in limit.stderr


def test_mentions_after_import_with_analysis(articles, tmp_path):
    """The real model finds Sergei Lavrov in two stories; search person:… says the same."""
    home = tmp_path / "home"
    imported = run_reader("import", str(articles), "--analyse", "--json", home=home)
    assert imported.returncode == 1  # the unreadable files
    report = json.loads(imported.stdout)
    assert report["totals"]["imported"] == 3
    assert report["analysis"]["analysed"] == 3 and report["analysis"]["failed"] == []
    assert imported.stderr == ""  # no progress lines when stderr is not a terminal

    result = run_reader("mentions", "Lavrov", "--json", home=home)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [(h["title"].split()[0], h["name"], h["count"]) for h in hits] == [
        ("Ceasefire", "Sergei Lavrov", 3),
        ("Energy", "Sergei Lavrov", 2),
    ]
    assert all(h["kind"] == "person" and not h["exact"] for h in hits)
    start, end = hits[0]["context_mark"]
    assert hits[0]["context"][start:end] == "Sergei Lavrov"

    table = run_reader("mentions", "sergei lavrov", "--kind", "person", home=home)
    assert "Sergei Lavrov, person, 3 mentions, first at" in table.stdout
    assert "[Sergei Lavrov]" in table.stdout

    routed = json.loads(run_reader("search", "person:Lavrov", "--json", home=home).stdout)
    assert [h["document_id"] for h in routed] == [h["document_id"] for h in hits]

    places = json.loads(run_reader("mentions", "nairobi", "--json", home=home).stdout)
    assert [(h["kind"], h["count"]) for h in places] == [("place", 2)]
    as_person = run_reader("mentions", "Nairobi", "--kind", "person", "--json", home=home)
    assert json.loads(as_person.stdout) == []

    nobody = run_reader("mentions", "Zelensky", home=home)
    assert nobody.returncode == 0 and nobody.stdout == ""
    assert nobody.stderr.strip() == "No document in the library mentions “Zelensky”."

    again = run_reader("import", "--analyse", home=home)
    assert again.returncode == 0
    assert "already analysed" in again.stdout


def test_mentions_before_analysis_says_what_to_do(articles, tmp_path):
    home = tmp_path / "home"
    run_reader("import", str(articles), home=home)
    result = run_reader("mentions", "Lavrov", home=home)
    assert result.returncode == 0
    assert "No document in the library mentions “Lavrov”." in result.stderr
    assert "3 of 3 articles have not been analysed" in result.stderr


def test_a_data_folder_under_a_file_is_one_line_on_stderr(articles, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    result = run_reader("import", str(articles), home=blocker / "home")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--data-dir" in lines[0], result.stderr


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions"
)
def test_a_data_folder_that_is_not_writable_is_one_line_on_stderr(articles, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        result = run_reader("import", str(articles), home=home)
    finally:
        home.chmod(0o700)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "write" in lines[0] and "Traceback" not in result.stderr
