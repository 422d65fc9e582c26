"""End to end with the real default model, on a sample article written for this project."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "summit-in-geneva.md"


def run_reader(*args: str, env_home=None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ)
    if env_home is not None:
        env["READER_HOME"] = str(env_home)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env=env,
    )


@pytest.fixture(scope="module")
def sample_entities(tmp_path_factory) -> list[dict]:
    result = run_reader("entities", str(SAMPLE), "--json", env_home=tmp_path_factory.mktemp("h"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def names(entities: list[dict], kind: str) -> set[str]:
    return {e["canonical"] for e in entities if e["kind"] == kind}


def test_people_places_and_organizations_of_the_sample(sample_entities) -> None:
    assert {"Antonio Guterres", "Claudia Brunner", "Dilnoza Rashidova", "Timur Bekov"} <= names(
        sample_entities, "person"
    )
    assert {"Geneva", "Tashkent", "Kazakhstan", "Bishkek", "Brussels"} <= names(
        sample_entities, "place"
    )
    assert {"World Bank", "Greenpeace", "European Union"} <= names(sample_entities, "organization")
    assert "other" not in {e["kind"] for e in sample_entities}  # hidden without --all-kinds


def test_lone_surnames_are_the_people_named_before(sample_entities) -> None:
    text = _canonical_text()
    for surname, full in (
        ("Brunner", "Claudia Brunner"),
        ("Rashidova", "Dilnoza Rashidova"),
        ("Guterres", "Antonio Guterres"),
        ("Seitkali", "Arman Seitkali"),
    ):
        lone = [e for e in sample_entities if e["text"] == surname]
        assert lone, surname
        assert all(e["kind"] == "person" and e["canonical"] == full for e in lone), lone
        assert all(text[e["start"] : e["end"]] == surname for e in lone)


def test_json_fields_and_offsets_into_the_canonical_text(sample_entities) -> None:
    text = _canonical_text()
    for entity in sample_entities:
        assert set(entity) == {"text", "kind", "label", "start", "end", "canonical"}
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert not any("example.org" in e["text"] for e in sample_entities)  # source line is metadata


def test_table_output_and_all_kinds(tmp_path) -> None:
    result = run_reader("entities", str(SAMPLE), "--all-kinds", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["START", "END", "KIND", "LABEL", "TEXT", "CANONICAL"]
    assert any(" other " in line and "Swiss" in line for line in lines)
    assert any("Claudia Brunner" in line and " person " in line for line in lines)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "does not exist"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03" * 500, "binary"),
    ],
)
def test_bad_input_gives_one_line_on_stderr_and_a_non_zero_exit(
    tmp_path, name, content, expected
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_reader("entities", str(path), env_home=tmp_path / "home")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0].lower()
    assert "Traceback" not in result.stderr


def test_a_directory_is_refused(tmp_path) -> None:
    result = run_reader("entities", str(tmp_path), env_home=tmp_path / "home")
    assert result.returncode != 0
    assert "folder" in result.stderr.lower() or "directory" in result.stderr.lower()


def test_a_model_that_cannot_be_loaded_is_named(tmp_path) -> None:
    result = run_reader(
        "entities", str(SAMPLE), "--model", "en_core_web_missing", env_home=tmp_path
    )
    assert result.returncode != 0
    assert "en_core_web_missing" in result.stderr and "pip install" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_version() -> None:
    from reader import __version__

    result = run_reader("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"reader {__version__}"


def _canonical_text() -> str:
    from reader.documents.loader import load_document

    return load_document(SAMPLE).text
