"""Hostile notes files and odd arguments: one sentence, exit 1, the library unchanged."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES
from tests.reliability.conftest import one_sentence, run_reader

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def hostile_files() -> dict[str, str]:
    annotation = {"@context": CONTEXT, "type": "Annotation", "target": "urn:reader:entity:a:b"}
    return {
        "nested": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "digits": json.dumps({"@context": CONTEXT, "type": "AnnotationCollection"})[:-1]
        + ', "total": '
        + "7" * 5000
        + "}",
        "surrogate": json.dumps({**annotation, "body": {"type": "TextualBody", "value": "\udc00"}}),
        "not-json": "{ this is not json",
        "not-utf8": '{"a": "caf\xe9"}',
        "wrong-type": json.dumps({"@context": CONTEXT, "type": "Nonsense"}),
        "huge-list": json.dumps(
            {
                "@context": CONTEXT,
                "type": "AnnotationCollection",
                "items": [{"type": "Annotation"}] * 50_000,
            }
        ),
        "array": "[1, 2, 3]",
        "null-bytes": '{"@context": "' + CONTEXT + '"\x00}',
    }


@pytest.mark.parametrize("name", list(hostile_files()))
def test_a_hostile_notes_file_is_refused_in_one_sentence(tmp_path, name) -> None:
    home = tmp_path / "home"
    assert run_reader(home, "import", str(SAMPLES / "summit-in-geneva.md")).code == 0
    path = tmp_path / f"{name}.jsonld"
    content = hostile_files()[name]
    path.write_bytes(content.encode("latin-1" if name == "not-utf8" else "utf-8", "surrogatepass"))
    result = run_reader(home, "notes", "import", str(path))
    one_sentence(result)
    listed = run_reader(home, "notes", "list")
    assert listed.code == 0 and listed.out == ""  # nothing was imported


@pytest.mark.parametrize(
    "args",
    [
        ["notes", "add", "FILE", "--document", "--text", "bad \udcff byte"],
        ["print", "FILE", "--pdf", "/tmp/" + "x" * 300 + ".pdf"],
        ["export", "FILE", "--html", "/nonexistent-folder/out.html"],
        ["notes", "export", "-o", "/tmp/" + "y" * 300 + ".md"],
        ["text", "/nonexistent/file.txt"],
        ["restore", "/nonexistent/backup.sqlite3", "--yes"],
    ],
    ids=["non-utf8-text", "long-pdf-name", "missing-folder", "long-export", "missing", "restore"],
)
def test_odd_arguments_are_one_sentence(tmp_path, args) -> None:
    home = tmp_path / "home"
    sample = str(SAMPLES / "summit-in-geneva.md")
    one_sentence(run_reader(home, *[sample if a == "FILE" else a for a in args]))
