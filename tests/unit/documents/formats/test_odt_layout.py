"""OpenDocument text as LibreOffice lays it out: frames, captions, shapes and numbered lists."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reader.documents.formats.odt import read_odt
from reader.documents.model import Document, Metadata
from tests.unit.documents.conftest import check_invariants, texts
from tests.unit.documents.formats.builders_office import (
    ODT_AUTOMATIC_STYLES,
    ODT_STYLES,
    build_odt,
    o_content,
    o_h,
    o_meta,
    o_p,
)
from tests.unit.documents.formats.builders_office_layout import (
    LO_LIST_STYLES,
    lo_captioned_image,
    lo_item,
    lo_list,
    lo_number_level,
    lo_shape_with_text,
    lo_text_frame,
)


def read(body: str, styles: str = ODT_STYLES, meta: str | None = None) -> Document:
    content = o_content(body, ODT_AUTOMATIC_STYLES + LO_LIST_STYLES)
    document = read_odt(
        build_odt(content=content, styles=styles, meta=meta),
        Metadata(path="/articles/layout.odt"),
    )
    check_invariants(document)
    return document


def test_text_frame_is_read_after_its_paragraph() -> None:
    frame = lo_text_frame(o_p("Who is Elena Marsh?") + o_p("The mayor since 2019."))
    body = o_p(f"The council met on Tuesday. {frame}It voted.") + o_p("The ferry starts in May.")
    assert texts(read(body)) == [
        "The council met on Tuesday. It voted.",
        "Who is Elena Marsh?",
        "The mayor since 2019.",
        "The ferry starts in May.",
    ]


def test_image_captions_are_read_and_alternative_text_is_not() -> None:
    body = o_p(lo_captioned_image("The new terminal at Kestrel Bay", alt_text="photo123.jpg"))
    body += o_p("The terminal opens in May.")
    document = read(body)
    assert texts(document) == [
        "Figure 1: The new terminal at Kestrel Bay",
        "The terminal opens in May.",
    ]
    assert "photo123" not in document.text


def test_a_file_whose_only_text_is_in_frames_and_shapes_opens() -> None:
    page_frame = lo_text_frame(o_p("Harbour Festival"), anchor="page")
    body = page_frame + o_p(lo_shape_with_text("Saturday at the pier"))
    document = read(body, meta=o_meta(""))
    assert texts(document) == ["Harbour Festival", "Saturday at the pier"]
    assert document.metadata.title == "Harbour Festival"


def test_frame_in_a_table_cell_stays_in_its_row() -> None:
    cell = "<table:table-cell>" + o_p("Ferry" + lo_text_frame(o_p("new"))) + "</table:table-cell>"
    table = f"<table:table><table:table-row>{cell}</table:table-row></table:table>"
    assert texts(read(table)) == ["Ferry new"]


def test_list_numbers_and_letters_from_the_list_style() -> None:
    nested = lo_list(lo_item("Hemp", lo_list(lo_item("Pine tar"))) + lo_item("Tar"))
    body = lo_list(
        lo_item("Ropes", nested) + lo_item("Sails") + lo_item("Masts"),
        "L1",
        'xml:id="list1"',
    )
    body += o_p("An interruption.")
    body += lo_list(lo_item("Anchors"), "L1", 'text:continue-numbering="true"')
    body += lo_list(lo_item("Oars"), "L1")  # a new list starts again
    body += lo_list(lo_item("Rudders"), "L1", 'text:continue-list="list1"')
    body += lo_list(lo_item("A bullet", lo_list(lo_item("A sub-bullet"))), "L2")
    document = read(body)
    assert texts(document) == [
        "1. Ropes",
        "a) Hemp",
        "i. Pine tar",
        "b) Tar",
        "2. Sails",
        "3. Masts",
        "An interruption.",
        "4. Anchors",
        "1. Oars",
        "5. Rudders",
        "A bullet",
        "A sub-bullet",
    ]
    assert [(b.kind, b.level) for b in document.blocks][:3] == [
        ("list_item", 1),
        ("list_item", 2),
        ("list_item", 3),
    ]


def test_start_values_shown_levels_and_list_headers() -> None:
    body = lo_list(
        "<text:list-header>" + o_p("Steps") + "</text:list-header>"
        + lo_item("Board", lo_list(lo_item("Show the ticket") + lo_item("Find a seat")))
        + lo_item("Sail", attributes='text:start-value="9"'),
        "L3",
    )  # fmt: skip
    assert texts(read(body)) == [
        "Steps",
        "4. Board",
        "4.1 Show the ticket",
        "4.2 Find a seat",
        "9. Sail",
    ]


def test_headings_numbered_by_the_outline_style() -> None:
    outline = (
        '<text:outline-style style:name="Outline">'
        + lo_number_level(1, "1", ".").replace("list-level-style-number", "outline-level-style")
        + lo_number_level(2, "1", "", 'text:display-levels="2"').replace(
            "list-level-style-number", "outline-level-style"
        )
        + "</text:outline-style>"
    )
    styles = ODT_STYLES.replace("</office:styles>", outline + "</office:styles>")
    body = o_h("Introduction", 1) + o_p("Text.") + o_h("Background", 2) + o_h("Methods", 1)
    assert texts(read(body, styles=styles)) == [
        "1. Introduction",
        "Text.",
        "1.1 Background",
        "2. Methods",
    ]
    # LibreOffice's default outline style has no format: headings stay unnumbered.
    assert texts(read(o_h("Introduction", 1))) == ["Introduction"]


def test_a_cached_number_is_read_once() -> None:
    item = f"<text:list-item><text:p><text:number>1.</text:number>{escape('Ropes')}</text:p>"
    assert texts(read(lo_list(item + "</text:list-item>", "L1"))) == ["1. Ropes"]
    assert texts(read(lo_list(item + "</text:list-item>", "Unknown"))) == ["1. Ropes"]
