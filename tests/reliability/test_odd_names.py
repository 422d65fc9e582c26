"""File names that are not UTF-8, hold a newline, a quote, a dash or 255 bytes."""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.reliability.conftest import run_reader

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux names are any bytes")

NAMES = [
    b"caf\xe9.txt",  # Latin-1, not UTF-8
    b"new\nline.txt",
    b"\"quoted\" and 'single'.txt",
    b"-starts-with-a-dash.txt",
    b"tab\there.txt",
    b"\xff\xfe odd bytes.md",
    b"n" * 251 + b".txt",  # 255 bytes, the most a name may have
    "emoji 😀 and ünïcödé.txt".encode(),
]


def test_a_folder_of_odd_names_imports_one_line_each(tmp_path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    for number, name in enumerate(NAMES):
        with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as stream:
            stream.write(f"Article number {number} about the river treaty.\n")
    home = tmp_path / "home"

    result = run_reader(home, "import", str(folder))

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == len(NAMES) + 1  # one per file, whatever its name, and the summary
    assert lines[-1].startswith(f"{len(NAMES)} files: {len(NAMES)} imported")
    listed = run_reader(home, "library", "--json")
    entries = json.loads(listed.out)
    assert len(entries) == len(NAMES)
    paths = {os.fsencode(entry["path"]) for entry in entries}  # exactly, byte for byte
    assert {os.path.join(os.fsencode(folder), n) for n in NAMES} == paths
    again = run_reader(home, "import", str(folder))  # known by their exact paths
    assert again.code == 0 and f"{len(NAMES)} already present" in again.out

    odd = os.fsdecode(os.path.join(os.fsencode(folder), NAMES[0]))
    added = run_reader(home, "notes", "add", odd, "--document", "--text", "odd name")
    assert added.code == 0, added.err
