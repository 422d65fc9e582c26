"""OpenDocument text: the article as printed, its structure and properties, and hostile files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents import safe_zip
from reader.documents.formats.odt import read_odt
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import blocks, check_invariants
from tests.unit.documents.formats.builders_office import (
    ARTICLE_BLOCKS,
    AUTHOR,
    HIDDEN_WORDS,
    LINK,
    ODT_AUTOMATIC_STYLES,
    ODT_BODY,
    ODT_STYLES,
    TITLE,
    build_odt,
    mark_encrypted,
    o_cell,
    o_content,
    o_h,
    o_meta,
    o_note,
    o_p,
    odt_parts,
    zip_bomb,
    zip_parts,
)

NAME = "harbour.odt"


def read(data: bytes, **fields: str) -> Document:
    document = read_odt(data, Metadata(path=f"/articles/{NAME}", **fields))
    check_invariants(document)
    return document


def styles(document: Document) -> list[tuple[str, str, str]]:
    return [
        (s.style, document.text[s.start : s.end], s.target)
        for b in document.blocks
        for s in b.styles
    ]


def refused(data: bytes) -> str:
    with pytest.raises(DocumentError) as error:
        read_odt(data, Metadata(path=f"/articles/{NAME}"))
    assert NAME in error.value.message
    return error.value.message


@pytest.fixture(scope="module")
def article() -> Document:
    return read(build_odt())


def test_article_blocks_in_reading_order(article: Document) -> None:
    """Same story as the Word fixture, same blocks: the two formats read alike."""
    assert blocks(article) == ARTICLE_BLOCKS


def test_what_the_page_does_not_show_is_not_read(article: Document) -> None:
    """Tracked deletions, comments, hidden text, a picture's alternative text and the table
    of contents stay out."""
    for word in HIDDEN_WORDS:
        assert word not in article.text
    assert "clearly" in article.text


def test_metadata_from_meta_xml(article: Document) -> None:
    meta = article.metadata
    assert (meta.title, meta.author, meta.date, meta.format) == (TITLE, AUTHOR, "2024-03-05", "odt")


def test_creator_and_date_take_precedence() -> None:
    fields = (
        "<dc:creator>Jonas Berg</dc:creator>"
        "<meta:initial-creator>Ruth Okafor</meta:initial-creator>"
        "<dc:date>2024-03-07T08:00:00</dc:date><meta:creation-date>2024-03-05T09:30:00"
        "</meta:creation-date>"
    )
    meta = read(build_odt(meta=o_meta(fields))).metadata
    assert (meta.author, meta.date) == ("Jonas Berg", "2024-03-07")
    kept = read(build_odt(meta=o_meta(fields)), author="Given author", date="2020-01-01").metadata
    assert (kept.author, kept.date) == ("Given author", "2020-01-01")


def test_inline_styles(article: Document) -> None:
    assert styles(article) == [
        ("bold", "Port Alder Harbour Council", ""),
        ("italic", "Kestrel Bay", ""),
        ("link", "Northwind Shipping", LINK),
    ]


def test_named_character_styles_and_whole_paragraph_formatting() -> None:
    common = ODT_STYLES.replace(
        "</office:styles>",
        '<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis"'
        ' style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
        "</office:styles>",
    )
    automatic = ODT_AUTOMATIC_STYLES + (
        '<style:style style:name="P1" style:family="paragraph"'
        ' style:parent-style-name="Text_20_body">'
        '<style:text-properties fo:font-style="italic"/></style:style>'
    )
    body = (
        o_h("Lisbon", 1)
        + o_p('<text:span text:style-name="Strong_20_Emphasis">Elena Marsh</text:span> spoke.')
        + o_p('All italic <text:a xlink:href="#anchor">here</text:a>.', "P1")
    )
    document = read(build_odt(content=o_content(body, automatic), styles=common))
    assert styles(document) == [
        ("bold", "Elena Marsh", ""),
        ("italic", "All italic here.", ""),
    ]


def test_notes_numbered_in_order_with_endnotes() -> None:
    endnote = o_note(9, "An endnote about Kestrel Bay.").replace("footnote", "endnote")
    body = o_p("Marsh spoke" + endnote + " and left" + o_note(1, "Footnote text."))
    assert blocks(read(build_odt(body))) == [
        ("paragraph", 0, "Marsh spoke[1] and left[2]"),
        ("heading", 1, "Notes"),
        ("paragraph", 0, "[1] An endnote about Kestrel Bay."),
        ("paragraph", 0, "[2] Footnote text."),
    ]


def test_tables_with_covered_cells_groups_and_nesting() -> None:
    nested = "<table:table><table:table-row>" + o_cell("Alder") + o_cell("Kestrel")
    nested += "</table:table-row></table:table>"
    body = (
        "<table:table><table:table-row-group><table:table-row>"
        + o_cell("Outer")
        + f"<table:table-cell>{nested}</table:table-cell>"
        + "<table:covered-table-cell/></table:table-row>"
        + '<table:table-row table:number-rows-repeated="1000">'
        + o_cell("")
        + o_cell("")
        + "</table:table-row></table:table-row-group></table:table>"
    )
    assert blocks(read(build_odt(body))) == [("paragraph", 0, "Outer | Alder | Kestrel")]


def test_lists_with_headers_headings_and_nested_depth() -> None:
    body = (
        "<text:list><text:list-header>"
        + o_p("Header item")
        + "</text:list-header><text:list-item>"
        + o_h("Numbered heading", 3)
        + "<text:list><text:list-item><text:list><text:list-item>"
        + o_p("Deep item")
        + "</text:list-item></text:list></text:list-item></text:list>"
        + "</text:list-item></text:list>"
    )
    assert blocks(read(build_odt(body))) == [
        ("list_item", 1, "Header item"),
        ("heading", 3, "Numbered heading"),
        ("list_item", 3, "Deep item"),
    ]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("Heading_20_3", ("heading", 3)),
        ("Title", ("title", 0)),
        ("Quotations", ("quote", 0)),
        ("Unknown_20_Style", ("paragraph", 0)),
    ],
)
def test_paragraph_styles(style: str, expected: tuple[str, int]) -> None:
    assert blocks(read(build_odt(o_p("Kestrel Bay", style)))) == [(*expected, "Kestrel Bay")]


def test_heading_with_title_style_is_the_title() -> None:
    body = '<text:h text:style-name="Title" text:outline-level="1">Ferry</text:h>'
    assert blocks(read(build_odt(body))) == [("title", 0, "Ferry")]


def test_title_from_title_block_then_heading_then_first_line() -> None:
    no_title = o_meta("")
    assert read(build_odt(meta=no_title)).metadata.title == TITLE
    body = o_p("Intro paragraph") + o_h("The Vote", 1)
    assert read(build_odt(body, meta=no_title)).metadata.title == "The Vote"
    assert read(build_odt(o_p("Only prose."), meta=no_title)).metadata.title == "Only prose."


def test_missing_mimetype_and_template_are_accepted() -> None:
    assert blocks(read(build_odt(mimetype=None))) == ARTICLE_BLOCKS
    template = build_odt(mimetype="application/vnd.oasis.opendocument.text-template")
    assert blocks(read(template)) == ARTICLE_BLOCKS


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "said"),
    [("spreadsheet", "a spreadsheet (.ods)"), ("presentation", "a presentation (.odp)")],
)
def test_other_opendocument_files_are_named(kind: str, said: str) -> None:
    message = refused(build_odt(mimetype=f"application/vnd.oasis.opendocument.{kind}"))
    assert said in message
    assert "reader opens text documents" in message


def test_spreadsheet_body_without_mimetype() -> None:
    content = o_content("").replace("office:text>", "office:spreadsheet>")
    assert "spreadsheet" in refused(build_odt(content=content, mimetype=None))


def test_foreign_mimetype() -> None:
    assert "not an OpenDocument text" in refused(build_odt(mimetype="application/epub+zip"))


def test_missing_content_xml() -> None:
    parts = odt_parts()
    del parts["content.xml"]
    assert "damaged or not an OpenDocument text" in refused(zip_parts(parts))


def test_empty_document_contains_no_text() -> None:
    assert "contains no text" in refused(build_odt(o_p("") + o_p("<text:s/><text:tab/>")))


def test_password_protected() -> None:
    encrypted = (
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        "</manifest:file-entry>"
    )
    assert "password-protected" in refused(build_odt(manifest_extra=encrypted))
    assert "password-protected" in refused(mark_encrypted(build_odt(), "content.xml"))


def test_not_a_zip_and_damaged_xml() -> None:
    assert "damaged" in refused(b"Plain text with an .odt name.")
    assert "damaged" in refused(build_odt(content="<office:document-content>"))


def test_truncated_files_only_raise_document_error() -> None:
    data = build_odt()
    for cut in range(0, len(data), 23):
        _accepts(data[:cut])


def test_random_bytes_only_raise_document_error() -> None:
    generator = random.Random(1905)
    for size in (1, 4, 30, 500, 5000):
        with pytest.raises(DocumentError):
            read_odt(b"PK\x03\x04" + generator.randbytes(size), Metadata(path=NAME))


def test_zip_bomb_is_refused_quickly() -> None:
    bomb = zip_bomb(odt_parts(), "content.xml", 300 * 1024 * 1024, stored=("mimetype",))
    assert len(bomb) < 1024 * 1024
    assert "zip bomb" in refused(bomb)
    # Below the per-entry cap, the inflated bytes are checked against the compressed size.
    smaller = zip_bomb(odt_parts(), "styles.xml", 20 * 1024 * 1024, stored=("mimetype",))
    assert "zip bomb" in refused(smaller)


def test_entry_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "MAX_ENTRY_BYTES", 1000)
    assert "zip bomb" in refused(build_odt())


def test_path_traversal_entries_are_ignored() -> None:
    parts = odt_parts()
    parts["../content.xml"] = o_content(o_p("Escaped the archive")).encode()
    assert "Escaped" not in read(zip_parts(parts, stored=("mimetype",))).text
    del parts["content.xml"]
    assert "damaged or not an OpenDocument text" in refused(zip_parts(parts))


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-PASSWORD")
    doctype = f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    content = o_content(o_p("Before &xxe; after"), doctype=doctype)
    text = read(build_odt(content=content)).text
    assert "TOPSECRET" not in text
    assert text.startswith("Before")


# --- mutation ------------------------------------------------------------------------

_SEED = build_odt()


def _accepts(data: bytes) -> None:
    try:
        document = read_odt(data, Metadata(path=NAME))
    except DocumentError as error:
        assert NAME in error.message
    else:
        check_invariants(document)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=8),
    st.one_of(st.just(len(_SEED)), st.integers(0, len(_SEED))),
)
def test_mutated_file_bytes(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_SEED)
    for position, value in edits:
        data[position] = value
    _accepts(bytes(data[:cut]))


_XML = o_content(ODT_BODY).encode()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_XML)),
            st.integers(0, 40),
            st.sampled_from(
                [b"", b"<", b"&", b"<text:p>", b"</text:span>", b"<text:note>", b"\xff"]
            ),
        ),
        max_size=4,
    )
)
def test_mutated_inner_xml(edits: list[tuple[int, int, bytes]]) -> None:
    xml = _XML
    for position, length, insert in edits:
        xml = xml[:position] + insert + xml[position + length :]
    parts = odt_parts()
    parts["content.xml"] = xml
    _accepts(zip_parts(parts, stored=("mimetype",)))
