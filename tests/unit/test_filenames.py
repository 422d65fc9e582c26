"""File names that are not UTF-8, or hold a newline: stored exactly, shown readably."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from reader import cli, filenames, settings
from reader.store import open_store

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="only Linux lets a file name be any bytes"
)
ODD = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes: not UTF-8


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / ODD).write_text("Lunch in Paris.\n\nThe second paragraph.\n", encoding="utf-8")
    (folder / "two\nlines.txt").write_text("A name with a newline.\n", encoding="utf-8")
    (folder / "plain.txt").write_text("A plain name.\n", encoding="utf-8")
    return folder


def test_the_helpers_round_trip_and_quote() -> None:
    assert filenames.from_db(filenames.to_db(ODD)) == ODD
    assert filenames.to_db("café.txt") == "café.txt"  # valid UTF-8 stays text
    assert filenames.readable(ODD) == "caf\N{REPLACEMENT CHARACTER}.txt"
    assert filenames.quoted(ODD) == '"caf\\xe9.txt"'
    assert filenames.quoted("two\nlines.txt") == '"two\\nlines.txt"'
    assert filenames.quoted("plain café.txt") == "plain café.txt"


def test_the_store_keeps_an_odd_path_exactly(odd_folder: Path, tmp_path: Path) -> None:
    from reader.documents.loader import load_document

    path = str(odd_folder / ODD)
    with open_store(tmp_path / "library.sqlite3") as store:
        result = store.import_document(load_document(path))
        assert store.find_by_path(path) == result.document_id
        assert store.paths_of(result.document_id) == [path]
        assert store.get_document(result.document_id).metadata.path == path
        assert store.list_documents()[0].path == path


def test_import_goes_on_past_odd_names_one_line_each(odd_folder: Path, capsys) -> None:
    code = cli.main(["import", str(odd_folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4  # three files, one line each, and the summary
    assert any(line.endswith('caf\\xe9.txt": imported (#1, Lunch in Paris.)') for line in lines)
    assert any('two\\nlines.txt": imported' in line for line in lines)
    assert lines[-1] == "3 files: 3 imported, 0 already present, 0 updated, 0 failed."

    code = cli.main(["library", "--json"])
    listed = json.loads(capsys.readouterr().out)
    assert code == 0 and str(odd_folder / ODD) in {entry["path"] for entry in listed}


def test_a_note_on_an_odd_file(odd_folder: Path, capsys) -> None:
    path = str(odd_folder / ODD)
    assert cli.main(["notes", "add", path, "--quote", "Paris", "--text", "lunch"]) == 0
    assert cli.main(["notes", "list", path]) == 0
    assert "lunch" in capsys.readouterr().out


def test_note_text_that_is_not_utf8_is_refused(odd_folder: Path, capsys) -> None:
    bad = os.fsdecode(b"bad \xff text")
    code = cli.main(["notes", "add", str(odd_folder / "plain.txt"), "--document", "--text", bad])
    _, err = capsys.readouterr()
    assert code == 1
    assert err == (
        "reader: The text given with --text is not valid UTF-8 (byte 0xFF at character 5); "
        "give it in UTF-8, for example with iconv -t UTF-8. Nothing was stored.\n"
    )


def test_settings_keep_an_odd_recent_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    chosen = settings.Settings()
    chosen.add_recent(str(tmp_path / ODD))
    settings.save(chosen, target)
    assert settings.load(target).recent_files == [str(tmp_path / ODD)]
    assert not target.with_suffix(".json.tmp").exists()
