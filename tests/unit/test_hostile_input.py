"""Hostile or odd input gets one sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path

import pytest

from reader import app, cli, paths
from reader.store import database, open_store

CONTEXT = '"@context": "http://www.w3.org/ns/anno.jsonld"'


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "nests its JSON too deeply"),
        (
            "{" + CONTEXT + ', "type": "AnnotationCollection", "total": ' + "9" * 5000 + "}",
            "holds a number thousands of digits long",
        ),
        (
            "{" + CONTEXT + ', "type": "Annotation", "body": {"type": "TextualBody", '
            '"value": "x\\udc00y"}, "target": "urn:reader:entity:person:Bob"}',
            "Item 1 of “notes.jsonld”: its text holds a lone UTF-16 surrogate",
        ),
    ],
    ids=["nested", "digits", "surrogate"],
)
def test_a_hostile_notes_file_is_one_sentence(capsys, tmp_path, content, expected) -> None:
    notes = tmp_path / "notes.jsonld"
    notes.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "notes", "import", str(notes))
    assert code == 1 and out == ""
    assert err.startswith("reader: ") and expected in err and err.count("\n") == 1
    assert "Traceback" not in err and "Nothing was imported" in err.replace("nothing", "Nothing")


def test_output_names_longer_than_the_system_allows(capsys, tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Plain words.\n", encoding="utf-8")
    long = "x" * 300
    for args in (
        ("print", str(article), "--pdf", str(tmp_path / f"{long}.pdf")),
        ("export", str(article), "--html", str(tmp_path / f"{long}.html")),
        ("notes", "export", "-o", str(tmp_path / f"{long}.md")),
        ("backup", "-o", str(tmp_path / f"{long}.sqlite3")),
    ):
        code, _, err = run(capsys, *args)
        assert code == 1, args
        assert err.startswith("reader: ") and err.count("\n") == 1, err
        assert "too long" in err.lower() or "shorter name" in err, err


def test_a_folder_where_the_library_file_should_be(capsys) -> None:
    paths.database_file().mkdir(parents=True)
    code, _, err = run(capsys, "import", str(Path(__file__)))
    assert code == 1
    assert "is a folder, but reader keeps its library in a file of that name" in err


def test_an_io_error_on_a_full_disk_is_called_a_full_disk(monkeypatch, tmp_path) -> None:
    class Full:
        f_bavail, f_frsize = 3, 4096

    monkeypatch.setattr(os, "statvfs", lambda folder: Full())
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 4874  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    message = database.translate(error, "read the library", tmp_path).message
    assert "because the disk is full" in message and "connected" not in message


def test_reading_falls_back_to_an_immutable_connection(monkeypatch, tmp_path) -> None:
    path = tmp_path / "library.sqlite3"
    open_store(path).close()
    real = database.connect

    def no_shm(target, *, read_only=False, immutable=False):
        if read_only and not immutable:  # what a read-only folder or a full disk does
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, read_only=read_only, immutable=immutable)

    monkeypatch.setattr("reader.store.store.connect", no_shm)
    with open_store(path, read_only=True) as store:
        assert store.list_documents() == []


def test_a_log_file_that_cannot_be_written_stays_silent(tmp_path, capsys) -> None:
    handler = app._QuietFileHandler(tmp_path / "reader.log", delay=True)

    class FullStream:
        def write(self, text: str) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    handler.stream = FullStream()  # type: ignore[assignment]
    logger = logging.getLogger("reader.test.full")
    logger.addHandler(handler)
    try:
        logger.warning("a message for a full disk")
    finally:
        logger.removeHandler(handler)
        handler.stream = None  # type: ignore[assignment]
        handler.close()
    assert capsys.readouterr().err == ""
