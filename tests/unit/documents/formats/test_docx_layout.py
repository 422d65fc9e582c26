"""Word documents as real writers lay them out: text boxes, shapes and numbered lists."""

from __future__ import annotations

from reader.documents.formats.docx import read_docx
from reader.documents.model import Document, Metadata
from tests.unit.documents.conftest import blocks, check_invariants, texts
from tests.unit.documents.formats.builders_office import build_docx, w_para, w_run
from tests.unit.documents.formats.builders_office_layout import (
    WORD_NUMBERED_HEADING_STYLES,
    WORD_NUMBERING,
    w_numbered,
    word_shape_group,
    word_text_box,
    word_vml_text_box,
)


def read(data: bytes) -> Document:
    document = read_docx(data, Metadata(path="/articles/layout.docx"))
    check_invariants(document)
    return document


SIDEBAR = ["Who is Elena Marsh?", "The mayor of Port Alder since 2019."]


def test_text_box_is_read_once_after_its_paragraph() -> None:
    body = w_para(
        w_run("The council met on Tuesday. ") + word_text_box(SIDEBAR) + w_run("It voted.")
    ) + w_para("The ferry starts in May.")
    assert texts(read(build_docx(body))) == [
        "The council met on Tuesday. It voted.",
        *SIDEBAR,
        "The ferry starts in May.",
    ]


def test_a_file_whose_only_text_is_in_text_boxes_opens() -> None:
    body = w_para(word_text_box(["Poster: Harbour Festival"])) + w_para(
        word_text_box(["Saturday, Kestrel Bay pier"], shape_id=4)
    )
    document = read(build_docx(body, core=""))
    assert texts(document) == ["Poster: Harbour Festival", "Saturday, Kestrel Bay pier"]
    assert document.metadata.title == "Poster: Harbour Festival"


def test_groups_of_shapes_and_old_vml_boxes() -> None:
    body = w_para(
        w_run("Map of the route.")
        + word_shape_group([["Port Alder"], ["Kestrel Bay"]])
        + word_vml_text_box(["Crossing: 40 minutes"])
    )
    assert texts(read(build_docx(body))) == [
        "Map of the route.",
        "Port Alder",
        "Kestrel Bay",
        "Crossing: 40 minutes",
    ]


def test_text_box_inside_a_table_cell_stays_in_its_row() -> None:
    cell = w_para(w_run("Ferry") + word_text_box(["new"]))
    table = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc>{w_para('May')}</w:tc></w:tr></w:tbl>"
    assert texts(read(build_docx(table))) == ["Ferry new | May"]


def test_list_numbers_and_letters_from_numbering_xml() -> None:
    body = (
        w_numbered("Ropes", 1)
        + w_numbered("Hemp", 1, 1)
        + w_numbered("Tar", 1, 1)
        + w_numbered("Pine tar", 1, 2)
        + w_numbered("Sails", 1)
        + w_numbered("Canvas", 1, 1)
        + w_para("An interruption.")
        + w_numbered("Anchors", 1)  # the same list goes on after the paragraph
        + w_numbered("Rope again", 3)  # "restart numbering": a new instance with an override
        + w_numbered("A bullet", 2)
        + w_numbered("A sub-bullet", 2, 1)
    )
    document = read(build_docx(body, numbering=WORD_NUMBERING))
    assert texts(document) == [
        "1. Ropes",
        "a) Hemp",
        "b) Tar",
        "i. Pine tar",
        "2. Sails",
        "a) Canvas",
        "An interruption.",
        "3. Anchors",
        "1. Rope again",
        "A bullet",
        "A sub-bullet",
    ]
    assert [b.kind for b in document.blocks][:2] == ["list_item", "list_item"]


def test_numbered_headings_through_their_styles() -> None:
    body = (
        w_para("Introduction", "Heading1")
        + w_para("Some text.")
        + w_para("Background", "Heading2")
        + w_para("History", "Heading2")
        + w_para("Methods", "Heading1")
        + w_para("Sampling", "Heading2")
    )
    document = read(build_docx(body, numbering=WORD_NUMBERING, styles=WORD_NUMBERED_HEADING_STYLES))
    assert blocks(document) == [
        ("heading", 1, "1. Introduction"),
        ("paragraph", 0, "Some text."),
        ("heading", 2, "1.1 Background"),
        ("heading", 2, "1.2 History"),
        ("heading", 1, "2. Methods"),
        ("heading", 2, "2.1 Sampling"),
    ]


def test_styles_shift_with_the_number() -> None:
    body = w_para(w_run("Bold", "<w:b/>") + w_run(" item"), "ListParagraph",
                  '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')  # fmt: skip
    document = read(build_docx(body, numbering=WORD_NUMBERING))
    style = document.blocks[0].styles[0]
    assert (document.text, document.text[style.start : style.end]) == ("1. Bold item", "Bold")


def test_a_list_without_a_definition_has_no_numbers() -> None:
    assert texts(read(build_docx(w_numbered("Ropes", 7), numbering=WORD_NUMBERING))) == ["Ropes"]
    assert texts(read(build_docx(w_numbered("Ropes", 1)))) == ["Ropes"]
