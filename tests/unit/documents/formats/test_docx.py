"""Word documents: the article as printed, its structure and properties, and hostile files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents import safe_zip
from reader.documents.formats.docx import read_docx
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import blocks, check_invariants
from tests.unit.documents.formats.builders_office import (
    ARTICLE_BLOCKS,
    AUTHOR,
    DOCX_BODY,
    DOCX_STYLES,
    HIDDEN_WORDS,
    LINK,
    TITLE,
    build_docx,
    docx_parts,
    mark_encrypted,
    w_core,
    w_document,
    w_notes,
    w_para,
    w_run,
    w_table,
    zip_bomb,
    zip_parts,
)

NAME = "harbour.docx"


def read(data: bytes, **fields: str) -> Document:
    document = read_docx(data, Metadata(path=f"/articles/{NAME}", **fields))
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
        read_docx(data, Metadata(path=f"/articles/{NAME}"))
    assert NAME in error.value.message
    return error.value.message


@pytest.fixture(scope="module")
def article() -> Document:
    return read(build_docx())


def test_article_blocks_in_reading_order(article: Document) -> None:
    assert blocks(article) == ARTICLE_BLOCKS


def test_what_word_does_not_show_is_not_read(article: Document) -> None:
    """Deletions, field codes, hidden runs, comments and the table of contents stay out."""
    for word in HIDDEN_WORDS:
        assert word not in article.text
    assert "clearly" in article.text  # the tracked insertion is kept
    assert "terminal" in article.text  # the soft hyphen is dropped


def test_metadata_from_core_properties(article: Document) -> None:
    meta = article.metadata
    assert (meta.title, meta.author, meta.date, meta.format) == (
        TITLE,
        AUTHOR,
        "2024-03-05",
        "docx",
    )
    assert meta.path == f"/articles/{NAME}"


def test_caller_metadata_wins() -> None:
    meta = read(build_docx(), title="Given title", author="Given author").metadata
    assert (meta.title, meta.author, meta.date) == ("Given title", "Given author", "2024-03-05")


def test_modified_date_when_created_is_missing() -> None:
    core = w_core().replace("dcterms:created", "dcterms:modified")
    assert read(build_docx(core=core)).metadata.date == "2024-03-05"


def test_inline_styles_merge_adjacent_runs(article: Document) -> None:
    assert styles(article) == [
        ("bold", "Port Alder Harbour Council", ""),
        ("italic", "Kestrel Bay", ""),
        ("link", "Northwind Shipping", LINK),
    ]


def test_character_styles_and_switched_off_bold() -> None:
    style_xml = DOCX_STYLES.replace(
        "</w:styles>",
        '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
        "<w:rPr><w:b/></w:rPr></w:style></w:styles>",
    )
    body = w_para(
        w_run("Elena Marsh", '<w:rStyle w:val="Strong"/>')
        + w_run(" met ")
        + w_run("Tomasz", '<w:rStyle w:val="Strong"/><w:b w:val="0"/>')
        + w_run(" in ", "<w:b/><w:i/>")
        + w_run("Lisbon", '<w:i w:val="false"/>')
    )
    document = read(build_docx(body, styles=style_xml))
    assert styles(document) == [
        ("bold", "Elena Marsh", ""),
        ("bold", "in", ""),
        ("italic", "in", ""),
    ]


def test_internal_hyperlinks_are_not_links() -> None:
    body = w_para('<w:hyperlink w:anchor="_Toc1">' + w_run("see below") + "</w:hyperlink>")
    document = read(build_docx(body))
    assert document.text == "see below"
    assert styles(document) == []


def test_footnotes_and_endnotes_share_one_numbering() -> None:
    body = w_para(
        w_run("Marsh spoke")
        + '<w:r><w:endnoteReference w:id="3"/></w:r>'
        + w_run(" and Kowalczyk listened")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + w_run(" twice")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + '<w:r><w:footnoteReference w:id="99"/></w:r>'
    )
    endnotes = w_notes("endnote", {3: "An endnote about Port Alder."})
    document = read(build_docx(body, endnotes=endnotes))
    assert blocks(document) == [
        ("paragraph", 0, "Marsh spoke[1] and Kowalczyk listened[2] twice[2]"),
        ("heading", 1, "Notes"),
        ("paragraph", 0, "[1] An endnote about Port Alder."),
        ("paragraph", 0, "[2] The council has nine members; seven voted in favour."),
    ]


def test_a_note_that_refers_to_itself_ends() -> None:
    footnotes = w_notes("footnote", {1: "Loop"}).replace(
        "</w:p></w:footnote>", '<w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:footnote>'
    )
    body = w_para(w_run("Text") + '<w:r><w:footnoteReference w:id="1"/></w:r>')
    assert read(build_docx(body, footnotes=footnotes)).text.endswith("[1] Loop[1]")


def test_tables_nested_empty_and_deleted_rows() -> None:
    inner = w_table([[w_para("Alder"), w_para("Kestrel")]])
    body = w_table(
        [
            [w_para("Outer"), inner],
            [w_para(""), w_para("")],
            [w_para(""), w_para("second column")],
        ]
    ) + (
        "<w:tbl><w:tr><w:trPr><w:del w:id='1' w:author='Editor'/></w:trPr>"
        "<w:tc>" + w_para("deleted row") + "</w:tc></w:tr></w:tbl>"
    )
    assert blocks(read(build_docx(body))) == [
        ("paragraph", 0, "Outer | Alder | Kestrel"),
        ("paragraph", 0, "| second column"),
    ]


@pytest.mark.parametrize(
    ("style_id", "name", "expected"),
    [
        ("berschrift3", "heading 3", ("heading", 3)),
        ("Heading9", "heading 9", ("heading", 6)),
        ("Zitat", "Quote", ("quote", 0)),
        ("MyTitle", "Title", ("title", 0)),
        ("Custom", "Custom", ("paragraph", 0)),
    ],
)
def test_paragraph_styles_by_name(style_id: str, name: str, expected: tuple[str, int]) -> None:
    style_xml = DOCX_STYLES.replace(
        "</w:styles>",
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        "</w:style></w:styles>",
    )
    document = read(build_docx(w_para("Kestrel Bay", style_id), styles=style_xml))
    assert blocks(document) == [(*expected, "Kestrel Bay")]


def test_styles_without_styles_part_and_numbering_switched_off() -> None:
    body = w_para("Vote", "Heading2") + w_para(
        "not a list", "ListParagraph", '<w:numPr><w:numId w:val="0"/></w:numPr>'
    )
    assert blocks(read(build_docx(body, styles=None))) == [
        ("heading", 2, "Vote"),
        ("paragraph", 0, "not a list"),
    ]


def test_title_from_title_block_then_heading_then_first_line() -> None:
    no_title = w_core(title="")
    assert read(build_docx(core=no_title)).metadata.title == TITLE
    body = w_para("Intro paragraph") + w_para("The Vote", "Heading1")
    assert read(build_docx(body, core=no_title)).metadata.title == "The Vote"
    assert read(build_docx(w_para("Only prose here."), core=no_title)).metadata.title == (
        "Only prose here."
    )


def test_strict_open_xml_namespace() -> None:
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    document = w_document(w_para(TITLE, "Title")).replace(
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main", strict
    )
    assert blocks(read(build_docx(document=document))) == [("title", 0, TITLE)]


def test_math_text_is_kept() -> None:
    math = (
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>E=mc</m:t></m:r><m:sSup><m:e/><m:sup><m:r><m:t>2</m:t></m:r></m:sup>"
        "</m:sSup></m:oMath>"
    )
    assert read(build_docx(w_para(w_run("Energy: ") + math))).text == "Energy: E=mc2"


# --- refusals --------------------------------------------------------------------------


def test_empty_document_contains_no_text() -> None:
    assert "contains no text" in refused(build_docx(w_para("") + w_para("   ")))


def test_missing_main_document() -> None:
    parts = docx_parts()
    del parts["word/document.xml"]
    assert "damaged or not a Word document" in refused(zip_parts(parts))


def test_other_office_files_are_named() -> None:
    data = zip_parts({"xl/workbook.xml": b"<workbook/>"})
    assert "Excel workbook" in refused(data)


def test_not_a_zip_and_old_word_files() -> None:
    assert "damaged" in refused(b"This is plain text, not a Word document.")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "password-protected" in refused(ole)


def test_encrypted_zip_member_asks_for_the_password() -> None:
    assert "password-protected" in refused(mark_encrypted(build_docx(), "word/document.xml"))


def test_damaged_xml() -> None:
    assert "damaged" in refused(build_docx(document="<w:document><w:body><w:p>"))


def test_truncated_files_only_raise_document_error() -> None:
    data = build_docx()
    for cut in range(0, len(data), 23):
        _accepts(data[:cut])


def test_random_bytes_only_raise_document_error() -> None:
    generator = random.Random(1905)
    for size in (1, 4, 30, 500, 5000):
        with pytest.raises(DocumentError):
            read_docx(b"PK\x03\x04" + generator.randbytes(size), Metadata(path=NAME))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(docx_parts(), "word/document.xml", 300 * 1024 * 1024)


def test_zip_bomb_is_refused_quickly(bomb: bytes) -> None:
    assert len(bomb) < 1024 * 1024
    assert "zip bomb" in refused(bomb)


def test_bomb_in_an_optional_part_is_refused_too() -> None:
    """The size limits hold for the parts read leniently (styles, notes, properties)."""
    assert "zip bomb" in refused(zip_bomb(docx_parts(), "word/styles.xml", 20 * 1024 * 1024))


def test_total_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "MAX_TOTAL_BYTES", 2000)
    assert "zip bomb" in refused(build_docx())


def test_path_traversal_entries_are_ignored() -> None:
    parts = docx_parts()
    evil = w_document(w_para("Escaped the archive")).encode()
    parts["../../word/document.xml"] = evil
    parts["/etc/evil.xml"] = evil
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"../../x.xml")
    document = read(zip_parts(parts))
    assert "Escaped" not in document.text
    assert blocks(document) == ARTICLE_BLOCKS  # the escaping target falls back to the default
    del parts["word/document.xml"]
    assert "damaged or not a Word document" in refused(zip_parts(parts))


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-PASSWORD")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    document = w_document(w_para("<w:r><w:t>Before &xxe; after</w:t></w:r>"), doctype)
    text = read(build_docx(document=document)).text
    assert "TOPSECRET" not in text
    assert text.startswith("Before")


# --- mutation ------------------------------------------------------------------------

_SEED = build_docx()


def _accepts(data: bytes) -> None:
    try:
        document = read_docx(data, Metadata(path=NAME))
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


_XML = w_document(DOCX_BODY).encode()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_XML)),
            st.integers(0, 40),
            st.sampled_from([b"", b"<", b">", b"&", b"<w:p>", b"</w:r>", b"<w:tbl>", b"\xff"]),
        ),
        max_size=4,
    )
)
def test_mutated_inner_xml(edits: list[tuple[int, int, bytes]]) -> None:
    xml = _XML
    for position, length, insert in edits:
        xml = xml[:position] + insert + xml[position + length :]
    parts = docx_parts()
    parts["word/document.xml"] = xml
    _accepts(zip_parts(parts))


def test_zip_parts_are_real_zip_files() -> None:
    """The builder writes what zipfile itself reads back, so failures above are the reader's."""
    with zipfile.ZipFile(io.BytesIO(build_docx())) as archive:
        assert archive.testzip() is None
        assert "word/document.xml" in archive.namelist()


def test_control_characters_never_reach_the_text() -> None:
    body = w_para("<w:r><w:t>Port&#x85;Alder&#x9f; &#xfeff;Bay&#x7f;</w:t></w:r>")
    assert read(build_docx(body)).text == "Port Alder Bay"


def test_the_text_after_an_unresolved_entity_is_kept() -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY name "Somebody">]>'
    document = w_document(w_para("<w:r><w:t>Before &name; after the name.</w:t></w:r>"), doctype)
    text = read(build_docx(document=document)).text
    assert "Somebody" not in text  # entities are never expanded
    assert text.startswith("Before") and "after the name." in text
