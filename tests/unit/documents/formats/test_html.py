"""Saved news pages: the article only, with its structure and metadata."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents.formats.html import FALLBACK_NOTICE, read_html
from reader.documents.loader import load_document
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import WriteFile, check_invariants
from tests.unit.documents.formats.builders_web import (
    ARTICLE_PARAGRAPHS,
    BOILERPLATE,
    mhtml_archive,
    news_page,
)


def read(data: bytes, name: str = "page.html") -> Document:
    document = read_html(data, Metadata(path=f"/articles/{name}"))
    check_invariants(document)
    return document


@pytest.fixture(scope="module")
def page() -> Document:
    return read(news_page().encode("utf-8"))


def test_article_text_without_boilerplate(page: Document) -> None:
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in page.text
    for junk in (*BOILERPLATE, "Trackerov", "color: black", "Home", "Football"):
        assert junk not in page.text
    assert "By Maria Keller" not in page.text  # the byline is metadata


def test_structure(page: Document) -> None:
    kinds = [(b.kind, page.block_text(b)) for b in page.blocks]
    assert kinds[0] == ("title", "Water talks resume in Geneva")
    assert ("heading", "A long dispute") in kinds
    assert ("list_item", "Ethiopia wants a filling schedule.") in kinds
    assert any(kind == "quote" and "waited long enough" in text for kind, text in kinds)
    heading = next(b for b in page.blocks if b.kind == "heading")
    assert heading.level == 2


def test_metadata(page: Document) -> None:
    meta = page.metadata
    assert meta.title == "Water talks resume in Geneva"
    assert meta.author == "Maria Keller"
    assert meta.date == "2026-03-14"
    assert meta.site_name == "The Lakeside Courier"
    assert meta.source_url == "https://courier.example/world/water-talks-geneva"
    assert meta.format == "html"
    assert meta.notice == ""


def test_inline_styles(page: Document) -> None:
    styles = [
        (s.style, page.text[s.start : s.end], s.target) for b in page.blocks for s in b.styles
    ]
    assert ("italic", "Karim Hassan", "") in styles
    assert ("link", "World Bank", "https://worldbank.example/") in styles


def test_legacy_charset_from_meta() -> None:
    data = news_page(charset="windows-1252", title="Talks in Genève").encode("cp1252")
    document = read(data)
    assert document.metadata.title == "Talks in Genève"
    assert "Hôtel Beau-Rivage" in document.text
    assert document.metadata.encoding == "cp1252"


def test_page_without_article_falls_back_to_visible_text() -> None:
    data = (
        b"<html><head><title>Index</title><script>var x = 1;</script></head><body>"
        b"<ul><li>Geneva</li><li>Cairo</li><li>Addis Ababa</li></ul><h2>Cities</h2></body></html>"
    )
    document = read(data)
    assert document.metadata.notice == FALLBACK_NOTICE
    assert [document.block_text(b) for b in document.blocks][-4:] == [
        "Geneva",
        "Cairo",
        "Addis Ababa",
        "Cities",
    ]
    assert "var x" not in document.text


def test_page_with_no_text_is_refused() -> None:
    with pytest.raises(DocumentError, match="without any text to read"):
        read(b"<html><body><img src='a.png'><script>document.write('hi')</script></body></html>")


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    read(news_page().encode("utf-8"))


def test_mhtml_archive(write_file: WriteFile) -> None:
    document = load_document(write_file("saved.mhtml", mhtml_archive(news_page())))
    check_invariants(document)
    assert document.metadata.format == "mhtml"
    assert ARTICLE_PARAGRAPHS[1] in document.text
    assert "color: black" not in document.text
    assert document.metadata.source_url == "https://courier.example/world/water-talks-geneva"


def test_html_named_txt_opens_as_html(write_file: WriteFile) -> None:
    document = load_document(write_file("saved.txt", news_page().encode("utf-8")))
    assert document.metadata.format == "html"
    assert "Accept all" not in document.text


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_page_still_reads_or_fails_cleanly(cut: float) -> None:
    data = news_page().encode("utf-8")
    try:
        document = read(data[: int(len(data) * cut)])
    except DocumentError:
        return
    assert document.text


def test_random_bytes_fail_cleanly(write_file: WriteFile) -> None:
    import random

    noise = random.Random(7).randbytes(5000)
    with pytest.raises(DocumentError):
        load_document(write_file("noise.html", noise))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 40), st.binary(max_size=12)),
        max_size=6,
    )
)
def test_mutated_pages_give_a_document_or_a_clean_error(
    edits: list[tuple[int, int, bytes]],
) -> None:
    data = bytearray(news_page().encode("utf-8"))
    for position, length, replacement in edits:
        position %= len(data) + 1
        data[position : position + length] = replacement
    try:
        document = read(bytes(data))
    except DocumentError:
        return
    assert document.blocks


def test_fallback_keeps_non_ascii_text_of_pages_without_a_charset() -> None:
    page = "<html><body><ul><li>Genève — Zürich</li><li>Café</li><li>Łódź</li></ul></body></html>"
    document = read(page.encode("utf-8"))
    assert document.metadata.notice == FALLBACK_NOTICE
    assert "Genève — Zürich" in document.text and "Łódź" in document.text


def test_a_very_large_page_shows_its_visible_text_without_looking_for_the_article(
    monkeypatch,
) -> None:
    from reader.documents.formats import html as html_module

    def never(*args: object) -> None:
        raise AssertionError("the article was looked for in a page over the limit")

    monkeypatch.setattr(html_module, "MAX_EXTRACTION_CHARS", 2_000)
    monkeypatch.setattr(html_module, "_article_drafts", never)
    paragraphs = "".join(f"<p>Paragraph {n} about the river basin.</p>" for n in range(200))
    page = f"<html><head><title>Huge</title></head><body><h1>Huge</h1>{paragraphs}</body></html>"
    document = html_module.parse_html(page, Metadata(path="huge.html"))
    assert "Paragraph 199 about the river basin." in document.text
    assert document.metadata.notice.startswith("This page is very large")
