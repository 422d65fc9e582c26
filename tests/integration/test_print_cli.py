"""``reader print`` and ``reader export`` as a script runs them: ``python -m reader``, no display.

Every subprocess runs without DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM, as on a server.
One test runs the real spaCy model on a file that is not in the library; the others prepare
a library in ``tmp_path`` whose cached analysis (with a name the model would never find,
to prove the cache was used) and notes the commands must print.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reader.documents.loader import load_document
from reader.entities.kinds import Kind
from reader.entities.models import expected_analysis_key
from reader.entities.spans import Mention
from reader.notes.anchoring import passage_note
from reader.notes.model import Note
from reader.store import open_store
from tests.conftest import SAMPLES

PASSAGE = "a joint monitoring station on the Syr Darya"
PASSAGE_NOTE = "Who pays for the station?"
DOCUMENT_NOTE = "Good overview of the negotiations."
ENTITY_NOTE = "Chaired the talks; Swiss diplomat."


def reader(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["READER_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "articles" / "geneva.md"
    path.parent.mkdir()
    shutil.copy(SAMPLES / "summit-in-geneva.md", path)
    return path


@pytest.fixture
def library(article: Path, reader_home: Path) -> Path:
    """A library holding the article, a cached analysis and three notes."""
    document = load_document(article)
    key = expected_analysis_key("")
    assert key is not None, "the default spaCy model must be installed"
    text = document.text

    def mention(name: str, kind: Kind, canonical: str = "") -> list[Mention]:
        found, start = [], text.find(name)
        while start >= 0:
            found.append(Mention(start, start + len(name), kind, "X", name, canonical or name))
            start = text.find(name, start + 1)
        return found

    mentions = sorted(
        mention("Claudia Brunner", Kind.PERSON)
        + mention("Delegates", Kind.PERSON)  # the model would never call this a person
        + mention("Tashkent", Kind.PLACE)
        + mention("World Bank", Kind.ORGANIZATION),
        key=lambda m: m.start,
    )
    with open_store() as store:
        document_id = store.import_document(document).document_id
        store.save_analysis(document.text_hash, key, mentions)
        start = text.index(PASSAGE)
        store.add_note(passage_note(text, document_id, start, start + len(PASSAGE), PASSAGE_NOTE))
        store.add_note(Note(None, "document", document_id, DOCUMENT_NOTE, ()))
        store.add_note(
            Note(
                None,
                "entity",
                None,
                ENTITY_NOTE,
                (),
                entity_kind="person",
                entity_canonical="Claudia Brunner",
            )
        )
    return reader_home


def test_print_uses_the_library_s_names_and_notes(article, library, tmp_path) -> None:
    out = tmp_path / "copy.pdf"
    result = reader("print", str(article), "--pdf", str(out), home=library)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {out}: ")
    assert "names from the library" in result.stdout
    assert result.stderr == ""
    pages = pdf_pages(out)
    everything = " ".join(pages)
    for expected in (PASSAGE_NOTE, DOCUMENT_NOTE, ENTITY_NOTE, "Delegates 1", "Index"):
        assert expected in everything, expected
    # The note is at the foot of the page its passage is on.
    assert [PASSAGE in p for p in pages] == [PASSAGE_NOTE in p for p in pages]


def test_print_options_change_the_copy(article, library, tmp_path) -> None:
    out = tmp_path / "letter.pdf"
    result = reader(
        "print",
        str(article),
        "--pdf",
        str(out),
        "--page-size",
        "letter",
        "--greyscale",
        "--notes",
        "endnotes",
        "--no-index",
        "--kinds",
        "person",
        home=library,
    )
    assert result.returncode == 0, result.stderr
    assert "Letter" in result.stdout
    pdf = pdfium.PdfDocument(str(out))
    assert [round(v) for v in pdf[0].get_size()] == [612, 792]
    pdf.close()
    pages = pdf_pages(out)
    assert pages[-1].startswith("Notes") and PASSAGE_NOTE in pages[-1]
    assert not any(p.startswith("Index") for p in pages)
    assert "place (dashed underline)" not in pages[0] and "person (solid underline)" in pages[0]


def test_export_html_is_self_contained(article, library, tmp_path) -> None:
    out = tmp_path / "copy.html"
    result = reader("export", str(article), "--html", str(out), home=library)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    lowered = html.lower()
    for reference in ("src=", "<link", "url(", "@import", "<script"):
        assert reference not in lowered
    # The only http(s) addresses are the article's own source, as a link to follow.
    assert lowered.count("https://") == lowered.count("https://example.org/news/2026/") > 0
    assert PASSAGE_NOTE in html and ENTITY_NOTE in html
    assert '<span class="entity person" id="m1"' in html


def test_print_runs_the_model_for_a_file_outside_the_library(article, tmp_path) -> None:
    out = tmp_path / "model.pdf"
    home = tmp_path / "empty-home"
    result = reader("print", str(article), "--pdf", str(out), home=home)
    assert result.returncode == 0, result.stderr
    assert "names found by" in result.stdout
    pages = pdf_pages(out)
    everything = " ".join(pages)
    assert "Antonio Guterres" in everything and "Geneva" in everything
    index = next(p for p in pages if p.startswith("Index"))
    assert "Claudia Brunner" in index and "Tashkent" in index
    assert list(home.rglob("*.sqlite3")) == []  # printing creates no library


def test_errors_are_one_sentence_on_stderr(article, tmp_path) -> None:
    home = tmp_path / "home"
    missing = reader(
        "print", str(tmp_path / "nope.md"), "--pdf", str(tmp_path / "x.pdf"), home=home
    )
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("reader: ")
    no_folder = reader("print", str(article), "--pdf", str(tmp_path / "no" / "x.pdf"), home=home)
    assert no_folder.returncode == 1 and "does not exist" in no_folder.stderr
    a_folder = reader("export", str(article), "--html", str(tmp_path), home=home)
    assert a_folder.returncode == 1 and "is a folder" in a_folder.stderr
    bad_kind = reader(
        "print", str(article), "--pdf", str(tmp_path / "x.pdf"), "--kinds", "cats", home=home
    )
    assert bad_kind.returncode == 2 and "Unknown entity kind" in bad_kind.stderr
    assert not (tmp_path / "x.pdf").exists()
