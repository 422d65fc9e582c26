"""RTF from real writers: list numbers, nested tables' fallback copy, a missing header."""

from __future__ import annotations

import pytest

from reader.documents.formats.rtf import HEADLESS_NOTICE, read_rtf
from reader.documents.loader import load_document
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import WriteFile, check_invariants, texts
from tests.unit.documents.formats.builders_rtf import (
    HEADER,
    nested_table_row,
    word_item,
    word_paragraph,
    word_rtf,
    wordpad_item,
)


def read(data: bytes) -> Document:
    document = read_rtf(data, Metadata(path="/articles/lists.rtf"))
    check_invariants(document)
    return document


def test_word_list_numbers_from_the_list_table() -> None:
    body = (
        word_item("Ropes", 1, 0, "1.")
        + word_item("Hemp", 1, 1, "a)")
        + word_item("Tar", 1, 1, "b)")
        + word_item("Pine tar", 1, 2, "i.")
        + word_item("Sails", 1, 0, "2.")
        + word_paragraph("An interruption.")
        + word_item("Anchors", 1, 0, "3.")
        + word_item("Oars", 3, 0, "1.")  # "restart numbering": an override with a start
        + word_item("A bullet", 2, 0, r"\'b7")
        + word_item("A sub-bullet", 2, 1, "o")
    )
    document = read(word_rtf(body))
    assert texts(document) == [
        "1. Ropes",
        "a) Hemp",
        "b) Tar",
        "i. Pine tar",
        "2. Sails",
        "An interruption.",
        "3. Anchors",
        "1. Oars",
        "A bullet",
        "A sub-bullet",
    ]
    assert [(b.kind, b.level) for b in document.blocks][:2] == [("list_item", 1), ("list_item", 2)]


def test_numbers_are_counted_when_the_writer_draws_none() -> None:
    body = word_item("Ropes", 1, 0, None) + word_item("Hemp", 1, 1, None)
    body += word_item("Sails", 1, 0, None)
    assert texts(read(word_rtf(body))) == ["1. Ropes", "a) Hemp", "2. Sails"]


def test_wordpad_numbers_as_drawn() -> None:
    body = wordpad_item("Ropes", 1) + wordpad_item("Sails", 2) + r"\pard After\par"
    assert texts(read((HEADER + body + "}").encode("ascii"))) == [
        "1. Ropes",
        "2. Sails",
        "After",
    ]


def test_a_number_drawn_in_a_footnote_stays_there() -> None:
    body = r"\pard Text{\footnote \pard{\pntext 1.\tab}A numbered note.\par} goes on.\par"
    assert texts(read((HEADER + body + "}").encode("ascii")))[0] == "Text[1] goes on."


def test_nested_table_text_is_read_once() -> None:
    body = nested_table_row() + r"\pard After the table\par"
    assert texts(read((HEADER + body + "}").encode("ascii"))) == [
        "Crossings | Morning | Evening",
        "After the table",
    ]
    starred = body.replace(r"{\nonesttables", r"{\*\nonesttables")
    assert texts(read((HEADER + starred + "}").encode("ascii")))[0] == (
        "Crossings | Morning | Evening"
    )


def test_rtf_without_its_header_is_read_with_a_notice(write_file: WriteFile) -> None:
    headless = rb"{\fonttbl{\f0 Times;}}\pard\plain\f0\fs24 The ferry left at eleven.\par}"
    document = load_document(write_file("cut.rtf", headless))
    check_invariants(document)
    assert document.text == "The ferry left at eleven."
    assert document.metadata.notice == HEADLESS_NOTICE
    assert document.metadata.format == "rtf"


def test_plain_text_named_rtf_says_what_to_do(write_file: WriteFile) -> None:
    with pytest.raises(DocumentError) as error:
        load_document(write_file("notes.rtf", b"Just some notes about the ferry.\n"))
    message = error.value.message
    assert "notes.rtf" in message and "rename it to .txt" in message
    assert "damaged" not in message
