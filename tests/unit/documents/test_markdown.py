"""Markdown: structure and emphasis kept as blocks and styles, no markup left in the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.documents.markdown import parse_markdown
from reader.documents.model import Block, Document, Metadata

from .conftest import blocks, check_invariants

ARTICLE = """\
# The *Quiet* Harbour

By Jane Doe

When **Margaret Thatcher** arrived in _Brighton_ the hotel was full,
and the staff of the [Grand Hotel](https://example.com/grand) had been told nothing.

## What happened next

- She met `Jean-Pierre Dupont`
  - who had come from **Lyon**
- and left for London

> The press called it
> a *disaster*.

    code line one
    code line two

Original url: https://example.com/news/harbour
"""


def parse(text: str, **fields: str) -> Document:
    doc = parse_markdown(text, Metadata(**fields))
    check_invariants(doc)
    return doc


def styled(doc: Document, style: str) -> list[str]:
    return [doc.text[s.start : s.end] for b in doc.blocks for s in b.styles if s.style == style]


def block_of(doc: Document, text: str) -> Block:
    return next(b for b in doc.blocks if text in doc.block_text(b))


def test_no_markup_left_in_the_text() -> None:
    doc = parse(ARTICLE)
    for mark in ("*", "#", "_", "`", "[", "](", ">"):
        assert mark not in doc.text


def test_blocks_and_kinds() -> None:
    doc = parse(ARTICLE)
    assert blocks(doc) == [
        ("title", 1, "The Quiet Harbour"),
        ("paragraph", 0, "By Jane Doe"),
        (
            "paragraph",
            0,
            "When Margaret Thatcher arrived in Brighton the hotel was full, and the staff of "
            "the Grand Hotel had been told nothing.",
        ),
        ("heading", 2, "What happened next"),
        ("list_item", 1, "She met Jean-Pierre Dupont"),
        ("list_item", 2, "who had come from Lyon"),
        ("list_item", 1, "and left for London"),
        ("quote", 0, "The press called it a disaster."),
        ("paragraph", 0, "code line one code line two"),
    ]
    assert doc.metadata.format == "markdown"


def test_style_offsets_point_at_the_words() -> None:
    doc = parse(ARTICLE)
    assert styled(doc, "bold") == ["Margaret Thatcher", "Lyon"]
    assert styled(doc, "italic") == ["Quiet", "Brighton", "disaster"]
    assert styled(doc, "code") == ["Jean-Pierre Dupont", "code line one code line two"]
    assert styled(doc, "link") == ["Grand Hotel"]
    link = next(s for s in block_of(doc, "Grand Hotel").styles if s.style == "link")
    assert link.target == "https://example.com/grand"


def test_offsets_survive_softbreaks_and_extra_spaces() -> None:
    doc = parse("intro   text\nwith a **bold\nword**  and   *more*\n")
    assert doc.text == "intro text with a bold word and more"
    assert styled(doc, "bold") == ["bold word"]
    assert styled(doc, "italic") == ["more"]


def test_nested_styles() -> None:
    doc = parse("A [link with *emphasis* inside](http://x.org) and ***both***.")
    assert doc.text == "A link with emphasis inside and both."
    assert styled(doc, "link") == ["link with emphasis inside"]
    assert styled(doc, "italic") == ["emphasis", "both"]
    assert styled(doc, "bold") == ["both"]


def test_metadata_from_title_byline_and_source() -> None:
    meta = parse(ARTICLE).metadata
    assert meta.title == "The Quiet Harbour"
    assert meta.author == "Jane Doe"
    assert meta.source_url == "https://example.com/news/harbour"


def test_source_line_shared_rule_with_markdown_forms() -> None:
    doc = parse("# T\n\nText.\n\n*Source: [Example](https://example.com/a)*\n")
    assert doc.metadata.source_url == "https://example.com/a"
    assert doc.text == "T\n\nText."


def test_first_heading_is_title_only_when_first_block() -> None:
    doc = parse("Some intro text.\n\n## Later heading\n\nBody.\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "paragraph"]
    assert doc.metadata.title == "Later heading"


def test_setext_heading_is_title() -> None:
    doc = parse("The Title\n=========\n\nBody text.\n")
    assert doc.blocks[0].kind == "title"
    assert doc.metadata.title == "The Title"


def test_no_heading_falls_back_to_first_line() -> None:
    doc = parse("Just **some** text here.\n\nMore.\n")
    assert doc.metadata.title == "Just some text here."


def test_caller_title_wins() -> None:
    doc = parse(ARTICLE, title="Known")
    assert doc.metadata.title == "Known"
    assert doc.blocks[0].kind == "title"


def test_images_dropped_and_html_stripped() -> None:
    doc = parse(
        "Look ![a photo of Paris](paris.jpg) at <span class='x'>this</span><br>now.\n\n"
        "<div>\n<!-- hidden comment -->\n<p>Block &amp; text</p>\n</div>\n"
    )
    assert doc.text == "Look at this now.\n\nBlock & text"


def test_entities_and_escapes() -> None:
    doc = parse("Fish &amp; chips \\*not emphasis\\* &copy;")
    assert doc.text == "Fish & chips *not emphasis* ©"
    assert styled(doc, "italic") == []


def test_front_matter_is_metadata_not_text() -> None:
    doc = parse('---\ntitle: "Front Title"\nauthor: Bob\ndate: 2024-05-01\n---\n\nBody text.\n')
    assert doc.text == "Body text."
    assert doc.metadata.title == "Front Title"
    assert doc.metadata.author == "Bob"
    assert doc.metadata.date == "2024-05-01"


def test_horizontal_rules_are_not_front_matter() -> None:
    doc = parse("---\n\nText between rules.\n\n---\n")
    assert doc.text == "Text between rules."


def test_loose_list_item_continuation() -> None:
    doc = parse("- First item.\n\n  Second paragraph of it.\n\n- Next item.\n")
    assert [b.kind for b in doc.blocks] == ["list_item", "paragraph", "list_item"]


@pytest.mark.parametrize("text", ["", "   \n\n", "![only an image](x.png)", "<!-- c -->", "---"])
def test_nothing_to_read(text: str) -> None:
    assert parse(text).text == ""


def test_crlf() -> None:
    doc = parse("# Title\r\n\r\nLine one\r\nline *two*.\r\n")
    assert doc.text == "Title\n\nLine one line two."
    assert styled(doc, "italic") == ["two"]


# Markdown syntax pieces mixed with arbitrary characters, so the parser sees real structure.
MARKDOWN_PIECES = [*"ab #*_`[]()!<>/-=+.:\\~|&;\t\n\r\u00a0\x0c", "http://x", "\n\n", "    "]
MARKDOWN_TEXT = st.lists(st.sampled_from(MARKDOWN_PIECES) | st.characters(), max_size=200).map(
    "".join
)


@settings(database=None, max_examples=300, deadline=None)
@given(MARKDOWN_TEXT)
def test_never_raises_and_blocks_are_sound(text: str) -> None:
    parse(text)
