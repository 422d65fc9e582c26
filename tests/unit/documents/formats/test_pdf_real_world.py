"""PDFs from other people's tools: astral characters, hyphens, printer's marks, glyph soup,
nonsense metadata. Written by hand (``handmade_pdf``) with the structures those tools use."""

from __future__ import annotations

import pytest

from reader.documents.formats.pdf import read_pdf
from reader.documents.model import Document, Metadata
from reader.documents.wordlist import english_words
from reader.errors import DocumentError
from tests.unit.documents.conftest import texts

from ..conftest import check_invariants
from .conftest import handmade_pdf

SOUP = '!"#$ %&\'!"$ ()*+ ,-./!"# $%&\' ()*+,'  # what a font without a character map yields


def read(data: bytes, name: str = "article.pdf") -> Document:
    document = read_pdf(data, Metadata(path=f"/articles/{name}"))
    check_invariants(document)
    return document


def test_characters_beyond_the_basic_plane_are_kept() -> None:
    line = 'Let ! be the height of the wave " seen from Nice #.'
    document = read(handmade_pdf([[(12, line, None, None, "F2")]]))
    assert document.text == "Let 𝑥 be the height of the wave 🌊 seen from Nice 🇫🇷."


def test_line_end_hyphens_are_decided_by_a_word_list() -> None:
    lines = [
        "The committee gave one ex-",
        "ample of the cost: an ex-",
        "pensive survey, whose ex-",
        "pression of doubt the ex-",
        "wife of the mayor, a self-",
        "employed and well-",
        "known pilot, shared with a co-",
        "author of the report.",
    ]
    document = read(handmade_pdf([[(11, line) for line in lines]]))
    assert document.text == (
        "The committee gave one example of the cost: an expensive survey, whose expression "
        "of doubt the ex-wife of the mayor, a self-employed and well-known pilot, shared with "
        "a coauthor of the report."
    )


def test_the_word_list_ships_with_the_words_hyphenation_needs() -> None:
    english_words.cache_clear()
    words = english_words()
    assert {"example", "expression", "expensive", "wife", "ex", "self", "employed"} <= words
    assert not {"exwife", "selfemployed", "wellknown"} & words


ARTICLE = [
    "Harbour Council Backs Electric Ferry",
    "The council voted on Tuesday to pay for an electric ferry between",
    "the old harbour and Kessling Island, ending a decade of argument.",
]


def test_printers_marks_outside_the_trim_box_are_dropped() -> None:
    marks = [
        (8, "+", 770, 20),  # registration marks in the corners
        (8, "+", 770, 585),
        (8, "+", 15, 20),
        (7, "harbour-news.indd   3   19/01/2020   10:32", 12, 60),  # the slug
        (7, "C  M  Y  K  50%  100%", 400, 590),  # a colour bar's labels beside the page
    ]
    page = [(14, ARTICLE[0], 700), (10, ARTICLE[1], 670), (10, ARTICLE[2]), *marks]
    document = read(handmade_pdf([page], trim_box=(36, 36, 576, 756)))
    assert texts(document) == [ARTICLE[0], f"{ARTICLE[1]} {ARTICLE[2]}"]


def test_a_trim_box_that_would_cut_the_text_away_is_ignored() -> None:
    page = [(14, ARTICLE[0], 700), (10, ARTICLE[1], 670)]
    document = read(handmade_pdf([page], trim_box=(0, 0, 100, 100)))
    assert ARTICLE[1] in document.text


def test_a_text_layer_of_glyph_soup_is_refused_like_a_scan() -> None:
    page = [(11, SOUP, None, None, "F3") for _ in range(12)]
    with pytest.raises(DocumentError) as error:
        read(handmade_pdf([page, page]), "typeset.pdf")
    message = error.value.message
    assert "typeset.pdf" in message and "cannot be read" in message and "OCR" in message


def test_pages_of_glyph_soup_are_left_out_and_named() -> None:
    readable = [(14, ARTICLE[0]), (10, ARTICLE[1]), (10, ARTICLE[2])]
    soup = [(11, SOUP, None, None, "F3") for _ in range(8)]
    logo = [(20, '!"#$%&', 100, 400, "F3")]  # a logo line in an unmapped font
    document = read(handmade_pdf([readable + logo, soup]))
    assert texts(document) == [ARTICLE[0], f"{ARTICLE[1]} {ARTICLE[2]}"]
    assert "Pages 1, 2 have text in fonts that do not say which letters" in (
        document.metadata.notice
    )
    assert "OCR" in document.metadata.notice


def test_words_and_numbers_in_a_font_without_a_map_are_kept() -> None:
    """Some fonts lack a map but use the usual codes: what they give reads fine."""
    page = [(14, ARTICLE[0]), (10, "Tonnage 2019 2020 2021", None, None, "F3")]
    page.append((10, "Kessling Island harbour statistics", None, None, "F3"))
    document = read(handmade_pdf([page]))
    assert "Tonnage 2019 2020 2021" in document.text
    assert "Kessling Island harbour statistics" in document.text
    assert document.metadata.notice == ""


@pytest.mark.parametrize(
    "author", ["ARRAY(0x2c7cf020)", "HASH(0x55d1c0a8)", "<Author object at 0x7f3a2b1c>", "Unknown"]
)
def test_nonsense_metadata_is_ignored(author: str) -> None:
    page = [(14, ARTICLE[0]), (10, ARTICLE[1])]
    document = read(handmade_pdf([page], info={"Author": author, "Title": "untitled"}))
    assert document.metadata.author == ""
    assert document.metadata.title == ARTICLE[0]


def test_real_metadata_is_kept() -> None:
    page = [(14, ARTICLE[0]), (10, ARTICLE[1])]
    info = {"Author": "Marta Olsen", "Title": "Electric ferry"}
    meta = read(handmade_pdf([page], info=info)).metadata
    assert (meta.author, meta.title) == ("Marta Olsen", "Electric ferry")
