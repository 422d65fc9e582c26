"""``reader backup``, ``restore``, ``check``, and a damaged library, on the command line."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader import cli, paths
from reader.notes.model import Note
from reader.store import open_store
from tests.unit.store.conftest import generated_document


@pytest.fixture
def library(reader_home: Path) -> Path:
    path = paths.database_file()
    with open_store(path) as store:
        ids = [store.import_document(generated_document(s)).document_id for s in range(50)]
        store.add_note(Note(None, "document", ids[7], "keep me", ()))
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def overwrite_middle_page(library: Path) -> bytes:
    """Damage the library's middle page with random bytes; the damaged file's bytes."""
    data = bytearray(library.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = os.urandom(4096)
    library.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_library_is_salvaged_said_and_exits_1(library: Path, capsys) -> None:
    data = overwrite_middle_page(library)

    code, out, err = run(capsys, "library")

    assert code == 1 and out == ""
    assert err.startswith("reader: The library file was damaged.") and err.count("\n") == 1
    assert "of 50 articles and 1 of 1 note" in err and "run it again" in err
    kept = [p for p in library.parent.iterdir() if "-damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == data

    code, out, err = run(capsys, "notes", "list")
    assert code == 0 and "keep me" in out


def test_options_may_come_before_the_subcommand(library: Path, capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(paths.home()), "library")
    assert code == 0 and "doc 49" in out
    code, out, _ = run(capsys, f"--data-dir={paths.home()}", "library", "--json")
    assert code == 0 and '"title": "doc 49"' in out


def test_backup_to_a_file_and_restore_it(library: Path, capsys, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "backup", "-o", str(copy))
    assert code == 0 and "50 articles, 1 note" in out and copy.is_file()

    code, _, err = run(capsys, "backup", "-o", str(copy))
    assert code == 1 and "already exists" in err

    with open_store(library) as store:
        store.remove_document(1)
    code, _, err = run(capsys, "restore", str(copy))  # no terminal to ask on: refused
    assert code == 1 and "Add --yes" in err and "(49 articles, 1 note)" in err

    code, out, _ = run(capsys, "restore", str(copy), "--yes")
    assert code == 0 and "(50 articles, 1 note)" in out and "-before-restore-" in out
    with open_store(library) as store:
        assert len(store.list_documents()) == 50


def test_backup_without_a_file_goes_to_the_backup_folder(library: Path, capsys) -> None:
    code, out, _ = run(capsys, "backup")
    assert code == 0
    [made] = paths.backup_dir().glob("*-manual.sqlite3")
    assert str(made) in out


def test_check_finds_and_repairs_a_stale_index_and_orphans(library: Path, capsys) -> None:
    conn = sqlite3.connect(library)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO document_paths VALUES ('/gone.txt', 999, '', '2024-01-01')")
    conn.execute(
        "INSERT INTO documents_fts(documents_fts, rowid, title, author, text) "
        "SELECT 'delete', id, title, author, text FROM documents WHERE id = 3"
    )
    conn.commit()
    conn.close()

    code, out, err = run(capsys, "check")
    assert code == 1 and "--repair" in err
    assert "Full-text index of the articles: out of step" in out
    assert "Paths of files pointing at no article: 1" in out

    code, out, _ = run(capsys, "check", "--repair")
    assert code == 0 and "The library is sound again." in out
    assert "removed 1 paths of files pointing at no article" in out
    assert list(paths.backup_dir().glob("*-repair.sqlite3"))

    code, out, _ = run(capsys, "check")
    assert code == 0 and out.endswith("The library is sound.\n")


def test_check_repair_salvages_damaged_tables(library: Path, capsys) -> None:
    overwrite_middle_page(library)

    code, out, _ = run(capsys, "check")
    assert code == 1 and "File structure and indexes: " in out and ": ok" not in out.split("\n")[0]

    code, out, _ = run(capsys, "check", "--repair")
    assert code == 0 and "salvaged what could still be read" in out
