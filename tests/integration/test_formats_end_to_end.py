"""Every format through the same machinery: ``reader text``, ``reader info`` and entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.documents.loader import load_document
from tests.integration.test_real_model import run_reader
from tests.unit.documents.formats.builders_books import build_epub3, build_rtf
from tests.unit.documents.formats.builders_office import build_docx, build_odt
from tests.unit.documents.formats.builders_web import news_page
from tests.unit.documents.formats.conftest import print_pdf

PDF_BLOCKS = [
    ("h1", "Arctic talks in Reykjavik"),
    (
        "p",
        "Delegates from Norway and Iceland met officials of the Nordic Council in Reykjavik on "
        "Thursday. Ingrid Solberg, the Norwegian envoy, said the European Space Agency would "
        "keep funding the research stations.",
    ),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory, qapp) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    made = {
        "docx": ("ferry.docx", build_docx()),
        "odt": ("ferry.odt", build_odt()),
        "epub": ("ledger.epub", build_epub3()),
        "rtf": ("ferry.rtf", build_rtf()),
        "html": ("talks.html", news_page().encode("utf-8")),
    }
    paths = {}
    for key, (name, data) in made.items():
        paths[key] = folder / name
        paths[key].write_bytes(data)
    paths["pdf"] = folder / "arctic.pdf"
    print_pdf(paths["pdf"], PDF_BLOCKS, title="Arctic talks in Reykjavik")
    return paths


@pytest.mark.parametrize("key", ["docx", "odt", "epub", "rtf", "html", "pdf"])
def test_text_and_info_agree_with_the_loader(files, key, tmp_path) -> None:
    document = load_document(files[key])
    text = run_reader("text", str(files[key]), env_home=tmp_path)
    assert text.returncode == 0, text.stderr
    assert text.stdout == document.text + "\n"
    info = run_reader("info", str(files[key]), "--json", env_home=tmp_path)
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["format"] == key
    assert data["text_sha256"] == document.text_hash
    assert data["blocks"] == len(document.blocks)
    assert data["title"]


def test_entities_on_every_format_with_the_real_model(files) -> None:
    from reader.entities.engine import EntityEngine
    from reader.entities.kinds import Kind

    engine = EntityEngine("")
    expected = {
        "docx": ("Elena Marsh", Kind.PERSON),
        "odt": ("Elena Marsh", Kind.PERSON),
        "html": ("Amina Tesfaye", Kind.PERSON),
        "pdf": ("Reykjavik", Kind.PLACE),
        "rtf": None,
        "epub": None,
    }
    for key, path in files.items():
        mentions = engine.analyse_text(load_document(path).text)
        assert mentions, key
        if expected[key] is not None:
            name, kind = expected[key]
            assert (name, kind) in {(m.canonical, m.kind) for m in mentions}, key


def test_entities_command_on_a_pdf(files, tmp_path) -> None:
    result = run_reader("entities", str(files["pdf"]), "--json", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)
    assert {"Reykjavik", "Norway"} <= {m["canonical"] for m in mentions}
    text = load_document(files["pdf"]).text
    for mention in mentions:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_a_damaged_file_is_one_line_on_stderr(files, tmp_path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(files["docx"].read_bytes()[:300])
    result = run_reader("text", str(broken), env_home=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "broken.docx" in result.stderr
