"""Plain text: paragraphs, title, headings, byline and source line guessed from layout."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.documents.cleanup import (
    byline_author,
    fallback_title,
    parse_date_line,
    split_date_line,
    split_source_line,
)
from reader.documents.model import Document, Metadata
from reader.documents.plaintext import parse_plain_text

from .conftest import check_invariants, texts

WRAPPED = """\
The Quiet Harbour
By Jane Doe

When Margaret Thatcher arrived in Brighton the
hotel was already full, and the staff of the
Grand had been told nothing.

CHAPTER I

Jean-
Pierre Dupont met her at the station. He had
come from Lyon that morning.
"""

ONE_LINE = (
    "The Quiet Harbour\n"
    "When Margaret Thatcher arrived in Brighton the hotel was already full, and the staff "
    "of the Grand had been told nothing about the visit.\n"
    "Jean-Pierre Dupont met her at the station; he had come from Lyon that morning, "
    "tired and out of temper after a night on the train.\n"
)


def parse(text: str, **fields: str) -> Document:
    doc = parse_plain_text(text, Metadata(**fields))
    check_invariants(doc)
    return doc


def kinds(doc: Document) -> list[str]:
    return [b.kind for b in doc.blocks]


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    doc = parse(WRAPPED)
    assert texts(doc) == [
        "The Quiet Harbour",
        "By Jane Doe",
        "When Margaret Thatcher arrived in Brighton the hotel was already full, "
        "and the staff of the Grand had been told nothing.",
        "CHAPTER I",
        "Jean-Pierre Dupont met her at the station. He had come from Lyon that morning.",
    ]
    assert kinds(doc) == ["title", "paragraph", "paragraph", "heading", "paragraph"]
    assert doc.metadata.format == "text"


def test_one_line_per_paragraph_without_blank_lines() -> None:
    doc = parse(ONE_LINE)
    assert len(doc.blocks) == 3
    assert texts(doc)[1].startswith("When Margaret Thatcher")
    assert texts(doc)[2].startswith("Jean-Pierre Dupont")
    assert kinds(doc) == ["title", "paragraph", "paragraph"]


def test_short_lines_without_blank_lines_stay_separate() -> None:
    doc = parse("Milk\nEggs\nBread for Mrs Smith\n")
    assert texts(doc) == ["Milk", "Eggs", "Bread for Mrs Smith"]


def test_long_lines_separated_by_blank_lines() -> None:
    long = "word " * 40
    doc = parse(f"Title\n\n{long}\n{long}\n\n{long}\n")
    assert len(doc.blocks) == 4  # long lines are paragraphs of their own


def test_wrapped_list_items_stay_separate() -> None:
    doc = parse("Shopping\n\nWe need these things from\nthe shop:\n- milk\n- eggs\n\nThanks.\n")
    assert texts(doc) == [
        "Shopping",
        "We need these things from the shop:",
        "- milk",
        "- eggs",
        "Thanks.",
    ]


def test_crlf_and_cr_line_ends() -> None:
    assert parse("Title\r\n\r\nOne line\r\nsame para.\r\n").text == ("Title\n\nOne line same para.")
    assert parse("Title\r\rOne line\rsame para.\r").text == "Title\n\nOne line same para."


def test_spaces_and_tabs_collapse_but_nbsp_stays() -> None:
    doc = parse("Title\n\n  Mr.\u00a0Smith \t\t went   to\tParis.  \n")
    assert texts(doc)[1] == "Mr.\u00a0Smith went to Paris."


def test_form_feed_separates_paragraphs() -> None:
    doc = parse("Page one ends here.\x0cPage two starts here.")
    assert texts(doc) == ["Page one ends here.", "Page two starts here."]


@pytest.mark.parametrize(
    "heading",
    [
        "CHAPTER I",
        "CHAPTER IV.",
        "BOOK ONE: 1805",
        "Part 2",
        "Chapter 3. The Return",
        "Prologue",
        "THE DEPARTURE",
        "XIV",
        "I",
    ],
)
def test_headings(heading: str) -> None:
    doc = parse(f"A Title\n\nSome text before it.\n\n{heading}\n\nSome text after it.\n")
    assert kinds(doc) == ["title", "paragraph", "heading", "paragraph"]
    assert texts(doc)[2] == heading
    assert doc.blocks[2].level == 2


@pytest.mark.parametrize(
    "line",
    [
        "Part 2 of the plan was simple.",
        "He shouted STOP.",
        "NATO AND THE UN MET IN GENEVA TO DISCUSS THE CEASEFIRE, AS EXPECTED.",
        "Book club",
        "Chapter and verse",
        "JULIE",
    ],
)
def test_not_headings(line: str) -> None:
    doc = parse(f"A Title\n\nSome text before it.\n\n{line}\n\nSome text after it.\n")
    assert kinds(doc)[2] == "paragraph"


def test_title_sets_metadata() -> None:
    assert parse(WRAPPED).metadata.title == "The Quiet Harbour"


def test_caller_metadata_wins_and_is_not_mutated() -> None:
    given_meta = Metadata(title="Known title", author="Known author", path="/x.txt")
    doc = parse_plain_text(WRAPPED, given_meta)
    assert doc.metadata.title == "Known title"
    assert doc.metadata.author == "Known author"
    assert doc.metadata.path == "/x.txt"
    assert given_meta.format == ""
    assert doc.blocks[0].kind == "title"


def test_first_paragraph_that_is_a_sentence_is_not_a_title() -> None:
    doc = parse("It was a dark night.\n\nThe rain fell on Paris.\n")
    assert kinds(doc) == ["paragraph", "paragraph"]
    assert doc.metadata.title == "It was a dark night."


def test_long_first_line_title_is_cut_at_a_word() -> None:
    first = "Margaret Thatcher arrived in Brighton " * 10
    doc = parse(first + "\n\nMore text.\n")
    assert kinds(doc)[0] == "paragraph"
    assert doc.metadata.title.endswith("…")
    assert len(doc.metadata.title) <= 81
    assert first.startswith(doc.metadata.title[:-1])


def test_byline_sets_author_and_stays_in_text() -> None:
    doc = parse(WRAPPED)
    assert doc.metadata.author == "Jane Doe"
    assert "By Jane Doe" in doc.text


def test_byline_in_capitals_is_not_a_heading() -> None:
    doc = parse("The Quiet Harbour\n\nBY JANE DOE\n\nText.\n")
    assert doc.metadata.author == "JANE DOE"
    assert kinds(doc) == ["title", "paragraph", "paragraph"]


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Maria Keller, Geneva correspondent", "Maria Keller"),
        ("By Jane Doe, John Smith and Ann de la Cruz", "Jane Doe, John Smith and Ann de la Cruz"),
        ("by: J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Author: Ngũgĩ wa Thiong'o", "Ngũgĩ wa Thiong'o"),
        ("By the time we arrived, it had gone.", ""),
        ("By Jane Doe.", ""),
        ("Bystanders watched", ""),
    ],
)
def test_byline_author(line: str, author: str) -> None:
    assert byline_author(line) == author


def test_byline_only_right_after_title() -> None:
    doc = parse("Title\n\nSome text.\n\nBy Jane Doe\n")
    assert doc.metadata.author == ""


@pytest.mark.parametrize(
    ("line", "url"),
    [
        ("Original url: https://example.com/news/1?x=2", "https://example.com/news/1?x=2"),
        ("Source: https://example.com/a", "https://example.com/a"),
        ("URL: https://example.com/a.", "https://example.com/a"),
        ("Originally published at https://blog.example.org/p", "https://blog.example.org/p"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("source:   <https://example.com/a>", "https://example.com/a"),
        ("*Source: [Example News](https://example.com/a)*", "https://example.com/a"),
    ],
)
def test_trailing_source_line_is_removed_and_recorded(line: str, url: str) -> None:
    doc = parse(f"Title\n\nAngela Merkel spoke in Berlin.\n\n{line}\n\n\n")
    assert doc.metadata.source_url == url
    assert doc.text == "Title\n\nAngela Merkel spoke in Berlin."


@pytest.mark.parametrize(
    "line",
    [
        "Read the source at https://example.com/a for more.",
        "Source: the Guardian",
        "See https://example.com/a and https://example.org/b",
    ],
)
def test_prose_mentioning_a_url_stays(line: str) -> None:
    doc = parse(f"Title\n\nText.\n\n{line}\n")
    assert doc.metadata.source_url == ""
    assert doc.text.endswith(line)


def test_source_line_only_when_last() -> None:
    doc = parse("Title\n\nSource: https://example.com/a\n\nMore text after it.\n")
    assert doc.metadata.source_url == ""
    assert "https://example.com/a" in doc.text


def test_source_line_in_hard_wrapped_paragraph() -> None:
    doc = parse("Title\n\nA short wrapped\nparagraph.\n\nMore text\nhere.\nhttps://example.com/x\n")
    assert doc.metadata.source_url == "https://example.com/x"
    assert doc.text.endswith("More text here.")


def test_a_file_holding_only_a_url_keeps_it() -> None:
    assert split_source_line("https://example.com/a\n") == ("https://example.com/a\n", "")


def test_fallback_title() -> None:
    assert fallback_title("\n\n  Short first line  \nsecond") == "Short first line"
    assert fallback_title("") == ""


def test_empty_and_blank_text() -> None:
    assert parse("").blocks == []
    assert parse(" \n\t\n\u00a0\n").text == ""


LINE_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ .,:-—\t\n\r\u00a0\x0c\u2028\u2029\x85#*IVX1"))
    | st.characters(),
    max_size=400,
)


@settings(database=None, max_examples=300, deadline=None)
@given(LINE_TEXT)
def test_never_raises_and_blocks_are_sound(text: str) -> None:
    parse(text)


def test_a_long_first_sentence_is_not_cut_into_a_title_the_file_name_is_used() -> None:
    text = (
        "The summit in Geneva ended on Tuesday without an agreement on the questions that "
        "had brought both delegations there, officials said."
    )
    document = parse_plain_text(text, Metadata(path="/home/me/articles/geneva-summit.txt"))
    assert document.metadata.title == "geneva-summit"


def test_a_wrapped_first_line_is_not_a_title_but_a_short_whole_line_is() -> None:
    wrapped = (
        "The summit in Geneva ended on Tuesday without an agreement\non trade, officials said.\n"
    )
    assert fallback_title(wrapped, "/tmp/notes.txt") == "notes"
    assert fallback_title("Geneva talks, day two\n\nThe talks went on.", "/tmp/x.txt") == (
        "Geneva talks, day two"
    )


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Monday, 6 January 2020", "2020-01-06"),
        ("Published: January 6, 2020", "2020-01-06"),
        ("6th Jan. 2020 14:03 GMT", "2020-01-06"),
        ("*Posted on 2021-03-04*", "2021-03-04"),
        ("2021-03-04T10:00:00Z", "2021-03-04"),
        ("Sep 3, 2019 at 2:30 pm", "2019-09-03"),
    ],
)
def test_a_date_line_near_the_top_becomes_the_date(line: str, iso: str) -> None:
    text = f"Talks in Geneva\n\n{line}\n\nThe delegations met on the lake shore.\n"
    document = parse_plain_text(text, Metadata())
    assert document.metadata.date == iso
    assert line.strip("*") not in document.text
    assert document.metadata.title == "Talks in Geneva"


def test_a_published_date_wins_over_an_updated_one_and_prose_dates_stay() -> None:
    text = (
        "Talks in Geneva\n\nUpdated: 7 January 2020\n\nPublished 6 January 2020\n\n"
        "On 8 January 2020 the talks resumed.\n"
    )
    document = parse_plain_text(text, Metadata())
    assert document.metadata.date == "2020-01-06"
    assert "On 8 January 2020 the talks resumed." in document.text


def test_not_a_date_line() -> None:
    for line in ("January 2020 was cold", "Published by the ministry", "31 February 2020", "1999"):
        assert parse_date_line(line) is None


def test_a_file_holding_only_a_date_keeps_it() -> None:
    assert split_date_line("6 January 2020\n") == ("6 January 2020\n", "")


def test_markdown_date_and_source_lines_are_metadata() -> None:
    from reader.documents.markdown import parse_markdown

    text = (
        "# Talks in Geneva\n\n_Monday, 6 January 2020_\n\nThe delegations met.\n\n"
        "Original url: https://example.org/geneva\n"
    )
    document = parse_markdown(text, Metadata())
    assert document.metadata.date == "2020-01-06"
    assert document.metadata.source_url == "https://example.org/geneva"
    assert "2020" not in document.text and "example.org" not in document.text
