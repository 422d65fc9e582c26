"""RTF documents: text, structure and metadata from a real file; hostile and broken input."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents.formats.rtf import MAX_DEPTH, looks_like_rtf, read_rtf
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import blocks, check_invariants
from tests.unit.documents.formats.builders_books import (
    RTF_AUTHOR,
    RTF_EXPECTED_BLOCKS,
    RTF_TITLE,
    build_rtf,
)

NAME = "night-ferry.rtf"


def read(data: bytes | str, name: str = NAME, **known: str) -> Document:
    raw = data.encode("latin-1") if isinstance(data, str) else data
    document = read_rtf(raw, Metadata(path=f"/articles/{name}", **known))
    check_invariants(document)
    document.text.encode("utf-8")  # no lone surrogates: the document hash needs this
    return document


def body(text: str, header: str = r"\ansi\ansicpg1252\deff0") -> str:
    return r"{\rtf1" + header + " " + text + "}"


def refused(data: bytes, name: str = NAME) -> str:
    with pytest.raises(DocumentError) as caught:
        read_rtf(data, Metadata(path=f"/articles/{name}"))
    assert name in str(caught.value)
    return str(caught.value)


@pytest.fixture(scope="module")
def story() -> Document:
    return read(build_rtf())


def test_story_blocks(story: Document) -> None:
    assert blocks(story) == RTF_EXPECTED_BLOCKS


def test_metadata_from_info_group(story: Document) -> None:
    meta = story.metadata
    assert (meta.title, meta.author, meta.date, meta.format) == (
        RTF_TITLE,
        RTF_AUTHOR,
        "2024-03-01",
        "rtf",
    )


def test_tables_of_fonts_styles_and_headers_are_not_text(story: Document) -> None:
    for hidden in ("Times New Roman", "heading 1", "Typist", "Gullwing", "Page", "0102", "PAGE"):
        assert hidden not in story.text
    assert "Handwritten" not in story.text  # an ignorable {\*\generator} destination


def test_inline_styles(story: Document) -> None:
    styles = {
        (story.text[s.start : s.end], s.style, s.target) for b in story.blocks for s in b.styles
    }
    assert styles == {
        ("Captain Rosalind Achterberg", "bold", ""),
        ("Sea Wren", "italic", ""),
        ("Northern Coastal Survey", "bold", ""),
        ("Northern Coastal Survey", "italic", ""),
        ("the Harbour Trust", "link", "https://harbour-trust.example.org/"),
    }


def test_caller_metadata_is_kept() -> None:
    document = read(build_rtf(), title="Ferry notes", author="Archive")
    assert (document.metadata.title, document.metadata.author) == ("Ferry notes", "Archive")
    assert document.metadata.date == "2024-03-01"


def test_title_falls_back_to_the_first_heading_then_the_first_line() -> None:
    heading = read(body(r"{\stylesheet{\s1 heading 1;}}\pard\s1 Tide Tables\par\pard Text.\par"))
    assert heading.metadata.title == "Tide Tables"
    plain = read(body(r"Harbour minutes of the Skarholm board\par More.\par"))
    assert plain.metadata.title == "Harbour minutes of the Skarholm board"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\u8364\'80 5", "€ 5"),  # \uc1 is the default: one fallback byte skipped
        (r"{\uc2\u8364\'80\'80 5}", "€ 5"),
        (r"{\uc0\u8364 5}", "€5"),
        (r"{\uc2 x}\u8364? 5", "x€ 5"),  # \uc is restored at the end of its group
        (r"\u-14896?", "에"),  # U+C5D0 written as a negative signed 16-bit number
        (r"\u-10179?\u-8701?", "😃"),  # U+1F603 as a surrogate pair
        (r"a\u-10179?b", "a\ufffdb"),  # a lone high surrogate
        (r"a\u56832?b", "a\ufffdb"),  # a lone low surrogate
        (r"a\~b\-c\_d\{\}\\", "a\u00a0bc\u2011d{}\\"),
        (r"\emdash\endash\lquote\rquote\ldblquote\rdblquote\bullet", "—–‘’“”•"),
        (r"one\tab two\line three", "one two three"),
        (r"{\*\bookmark hidden}shown{\*\unknownword ignored {nested}}", "shown"),
        (r"visible {\v hidden }text", "visible text"),
        (r"word\unknownword  next", "word next"),
        (r"a{\pict\bin6 {}}{\ b}c", "ac"),  # braces inside binary data are data
        (r"{\field{\*\fldinst PAGE}{\fldrslt 7}}", "7"),
    ],
)
def test_escapes_and_symbols(source: str, expected: str) -> None:
    assert read(body(source)).text == expected


def test_code_pages_per_document_and_per_font() -> None:
    assert read(body(r"\'c0\'e7\'e1\'f3\'ea\'e0", r"\ansi\ansicpg1251")).text == "Азбука"
    fonts = r"{\fonttbl{\f0 Times;}{\f1\fcharset161 Greek;}{\f2\fcharset128 MS Mincho;}}"
    greek = "".join(f"\\'{byte:02x}" for byte in "Βιβλίο".encode("cp1253"))
    source = fonts + rf"{{\f1 {greek}}} {{\f2 \'93\'8c\'8b\'9e}}"
    assert read(body(source)).text == "Βιβλίο 東京"
    assert read(body(r"caf\'8e", r"\mac")).text == "café"


def test_paragraph_breaks() -> None:
    document = read(body(r"One\par Two\sect Three\page Four\par\par\par Five"))
    assert [d for _, _, d in blocks(document)] == ["One", "Two", "Three", "Four", "Five"]


def test_headings_from_outline_levels_and_styles() -> None:
    styles = r"{\stylesheet{\s0 Normal;}{\s2\sbasedon0 Heading 2;}{\s7\outlinelevel3 Subsection;}"
    styles += r"{\s9 Title;}{\*\cs10 heading 1;}}"
    source = styles + (
        r"\pard\s9 The Causeway\par"
        r"\pard\outlinelevel0 Part One\par"
        r"\pard\s2 Low Water\par"
        r"\pard\s7 Mud Flats\par"
        r"\pard\s2\outlinelevel9 Body text in a heading style\par"
        r"\pard Plain text\par"
    )
    assert blocks(read(body(source))) == [
        ("title", 0, "The Causeway"),
        ("heading", 1, "Part One"),
        ("heading", 2, "Low Water"),
        ("heading", 4, "Mud Flats"),
        ("paragraph", 0, "Body text in a heading style"),
        ("paragraph", 0, "Plain text"),
    ]


def test_list_items_without_their_bullets() -> None:
    source = (
        r"{\listtext\'b7\tab}\pard\ls1\ilvl0 Ropes\par"
        r"{\listtext o\tab}\pard\ls1\ilvl1 Hemp\par"
        r"\pard After\par"
    )
    assert blocks(read(body(source))) == [
        ("list_item", 1, "Ropes"),
        ("list_item", 2, "Hemp"),
        ("paragraph", 0, "After"),
    ]


def test_table_rows_and_cell_paragraphs() -> None:
    source = (
        r"\trowd\cellx1000\cellx2000\pard\intbl Port\cell Ferries\cell\row"
        r"\trowd\pard\intbl Skarholm\par harbour\cell\cell 3\cell\row"
        r"\pard After the table\par"
    )
    assert [t for _, _, t in blocks(read(body(source)))] == [
        "Port | Ferries",
        "Skarholm harbour | 3",
        "After the table",
    ]


def test_footnotes_are_marked_and_collected() -> None:
    source = (
        r"First{\super\chftn}{\footnote\pard{\super\chftn} A note.\par Second para.}"
        r" sentence.\par Next{\footnote Another.}.\par"
    )
    assert [t for _, _, t in blocks(read(body(source)))] == [
        "First[1] sentence.",
        "Next[2].",
        "Notes",
        "[1] A note.",
        "Second para.",
        "[2] Another.",
    ]


def test_signature_is_required() -> None:
    assert looks_like_rtf(build_rtf())
    assert looks_like_rtf(b"\xef\xbb\xbf\n {\\rtf1}")
    assert not looks_like_rtf(b"PK\x03\x04")
    assert "not an RTF file" in refused(b"Just some text {\\rtf1 later}")
    assert "not an RTF file" in refused(bytes(range(256)))
    assert read(b"\xef\xbb\xbf\r\n" + body("BOM first").encode()).text == "BOM first"


def test_a_document_without_text_is_refused() -> None:
    assert "no text" in refused(body(r"{\fonttbl{\f0 Arial;}}{\pict 0a0b0c}\par").encode())
    assert "no text" in refused(b"{\\rtf1")


def test_truncated_files_keep_what_was_read() -> None:
    data = build_rtf()
    cut = data.index(b"Cargo")
    document = read(data[:cut])
    assert "Thessaloniki" in document.text
    assert "Cargo" not in document.text
    assert read(data[: data.index(b" knew the pilot")]).text.endswith("aboard")


def test_text_after_the_document_group_is_ignored() -> None:
    assert read(body("Inside") + "} Outside {more}").text == "Inside"


def test_deep_nesting_is_refused_without_recursion() -> None:
    assert "levels deep" in refused(b"{\\rtf1 " + b"{" * 100_000 + b"x" + b"}" * 100_000)
    fine = b"{\\rtf1 " + b"{" * (MAX_DEPTH - 2) + b"deep" + b"}" * (MAX_DEPTH - 1)
    assert read(fine).text == "deep"


def test_deep_nesting_inside_a_skipped_group_is_only_skipped() -> None:
    source = b"{\\rtf1 {\\pict " + b"{" * 100_000 + b"}" * 100_000 + b"} after}"
    assert read(source).text == "after"


def test_many_groups_in_linear_time() -> None:
    """A quadratic step would make this run for minutes, not a fraction of a second."""
    source = b"{\\rtf1 " + b"{\\b a}{\\i b}\\par " * 40_000 + b"}"
    document = read(source)
    assert len(document.blocks) == 40_000


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_file_bytes_read_or_fail_cleanly(data: st.DataObject) -> None:
    source = bytearray(build_rtf())
    for _ in range(data.draw(st.integers(1, 10))):
        position = data.draw(st.integers(0, len(source)))
        if data.draw(st.booleans()):
            source[position : position + data.draw(st.integers(1, 30))] = b""
        else:
            source[position:position] = data.draw(st.binary(min_size=1, max_size=4))
    with contextlib.suppress(DocumentError):
        read(bytes(source))


_GROUPS = ("{", "}", "\\*", "\\footnote ", "\\fldinst ", "\\stylesheet ", "\\pict ", "\\info ")
_UNICODE = ("\\u-10179?", "\\u-8701?", "\\u65?", "\\uc0 ", "\\uc3 ", "\\'e9", "\\'8", "\\")
_FORMAT = ("\\par ", "\\b ", "\\i0 ", "\\bin2 ", "\\s1 ", "\\cell ", "\\row ", "\\intbl ")
_MORE = ("\\fonttbl ", "\\f1 ", "\\v ", "\\ansicpg932 ", "\\'81\\'40", "\\outlinelevel2 ", "\\ls1 ")
_TEXT = ("\\~", "\\-", "\r\n", " ", "Skarholm", "é", "\\line ", "\\tab ", "\\title ")
_TOKENS = st.sampled_from(_GROUPS + _UNICODE + _FORMAT + _MORE + _TEXT)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tokens=st.lists(_TOKENS, max_size=80))
def test_random_rtf_token_soup_reads_or_fails_cleanly(tokens: list[str]) -> None:
    source = ("{\\rtf1 " + "".join(tokens)).encode("utf-8")
    with contextlib.suppress(DocumentError):
        read(source)
