"""A damaged library, through the command line: what the user sees and the exit status."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.reliability.conftest import one_sentence, run_reader

PAGE = 4096


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """201 articles and a note, as the tester had, made once through the command line."""
    base = tmp_path_factory.mktemp("pristine")
    home = base / "home"
    folder = base / "articles"
    folder.mkdir()
    words = "river water treaty delegation minister basin canal harvest reservoir".split()
    for number in range(201):
        text = " ".join(words[(number + k) % len(words)] for k in range(120))
        (folder / f"article-{number:03d}.txt").write_text(
            f"Report {number}\n\n{text}.\n\nNumber {number} ends here.\n", encoding="utf-8"
        )
    assert run_reader(home, "import", str(folder)).code == 0
    added = run_reader(
        home, "notes", "add", str(folder / "article-100.txt"), "--document", "--text", "keep"
    )
    assert added.code == 0, added
    return home


@pytest.fixture
def library(pristine: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(pristine, home)
    return home


def damage(home: Path, how: str) -> bytes:
    path = home / "data" / "library.sqlite3"
    data = bytearray(path.read_bytes())
    if how == "middle":
        middle = len(data) // 2 // PAGE * PAGE
        data[middle : middle + PAGE] = os.urandom(PAGE)
    elif how == "truncated":
        data = data[: len(data) * 2 // 3]
    else:  # the header
        data[:100] = os.urandom(100)
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("how", ["middle", "truncated", "header"])
@pytest.mark.parametrize(
    "command",
    [
        ["library"],
        pytest.param(["notes", "list"], marks=pytest.mark.slow),
        pytest.param(["search", "river"], marks=pytest.mark.slow),
        pytest.param(["import", __file__], marks=pytest.mark.slow),
    ],
    ids=["library", "notes-list", "search", "import"],
)
def test_the_first_command_salvages_says_so_and_exits_1(library, how, command) -> None:
    damaged = damage(library, how)

    first = run_reader(library, *command)

    one_sentence(first)
    assert "The library file was damaged." in first.err
    assert "salvaged what could still be read" in first.err and "run it again" in first.err
    assert first.out == ""
    kept = [p for p in (library / "data").iterdir() if "-damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert f"“{kept[0]}”" in first.err

    second = run_reader(library, *command)
    assert second.code == 0, second
    notes = run_reader(library, "notes", "list")
    assert notes.code == 0 and "keep" in notes.out  # the note was salvaged
    assert run_reader(library, "check").code == 0


def test_check_reports_damage_without_changing_anything(library) -> None:
    damaged = damage(library, "middle")
    found = run_reader(library, "check")
    assert found.code == 1 and "File structure and indexes: " in found.out
    assert (library / "data" / "library.sqlite3").read_bytes() == damaged
