"""Saved news pages from large publishers: script-filled bodies, site names in titles,
publishers named as authors, modified dates, and the junk inside article bodies."""

from __future__ import annotations

import html

from reader.documents.formats.html import FALLBACK_NOTICE, read_html
from reader.documents.formats.html_article import STRUCTURED_NOTICE
from reader.documents.model import Document, Metadata
from tests.unit.documents.conftest import check_invariants, texts
from tests.unit.documents.formats.builders_news import (
    BYLINE_AUTHOR,
    CAPTION,
    CREDIT,
    DATE_LINE,
    HEADLINE,
    READ_MORE,
    SITE,
    STANDARDS,
    STANDFIRST,
    STORY,
    json_ld,
    junk_page,
    metadata_page,
    page,
    script_filled_page,
    thin_page,
)


def read(html: str, **known: str) -> Document:
    document = read_html(html.encode("utf-8"), Metadata(path="/articles/news.html", **known))
    check_invariants(document)
    return document


def test_a_script_filled_body_is_read_from_the_structured_data() -> None:
    document = read(script_filled_page())
    assert texts(document) == [HEADLINE, *STORY]
    assert document.blocks[0].kind == "title"
    assert document.metadata.notice == STRUCTURED_NOTICE
    assert CAPTION not in document.text


def test_structured_data_is_not_used_when_the_page_has_the_article() -> None:
    article = "<article><h1>{}</h1>{}</article>".format(
        HEADLINE, "".join(f"<p><em>{p[:20]}</em>{p[20:]}</p>" for p in STORY)
    )
    document = read(page(json_ld("\n\n".join(STORY)), article))
    assert texts(document) == [HEADLINE, *STORY]
    assert document.metadata.notice == ""
    assert document.blocks[1].styles  # the page's own emphasis, which the copy lacks


def test_a_suspiciously_small_article_says_so() -> None:
    document = read(thin_page())
    assert texts(document) == [HEADLINE, CAPTION]
    notice = document.metadata.notice
    assert notice.startswith("Only 62 words were found as this page's article")
    assert "loaded by scripts" in notice and notice != FALLBACK_NOTICE


def test_published_date_byline_author_and_title_without_the_site() -> None:
    meta = read(metadata_page()).metadata
    assert meta.title == HEADLINE
    assert meta.author == BYLINE_AUTHOR
    assert meta.date == "2020-01-06"
    assert meta.site_name == SITE


def test_what_the_caller_knows_is_kept() -> None:
    known = {"title": "Harbour recovery", "author": "Desk", "date": "2020-02-01"}
    meta = read(metadata_page(), **known).metadata
    assert (meta.title, meta.author, meta.date) == ("Harbour recovery", "Desk", "2020-02-01")


def test_junk_inside_the_body_is_left_out_or_separated() -> None:
    document = read(junk_page())
    assert texts(document) == [HEADLINE, STANDFIRST, DATE_LINE, *STORY]
    for junk in (READ_MORE, "READ MORE", CREDIT, STANDARDS, "Trust Principles"):
        assert junk not in document.text


def test_a_bare_credit_under_every_picture_is_left_out() -> None:
    credit = "Marta Olsen/The Lakeside Courier"
    pictures = "".join(
        f'<p>{text}</p><div class="picture"><img src="/{n}.jpg"><p class="credit">{credit}</p>'
        "</div>"
        for n, text in enumerate(STORY)
    )
    document = read(page("", f"<article><h1>{HEADLINE}</h1>{pictures}</article>"))
    assert texts(document) == [HEADLINE, *STORY]


def test_a_glued_date_line_is_split_off_an_emphasised_standfirst() -> None:
    article = (
        f"<article><h1>{HEADLINE}</h1>"
        f'<p class="intro"><em>{html.escape(STANDFIRST)}</em>{DATE_LINE}</p>'
        + "".join(f"<p>{html.escape(p)}</p>" for p in STORY)
        + "</article>"
    )
    document = read(page("", article))
    assert texts(document)[1:3] == [STANDFIRST, DATE_LINE]
    standfirst = document.blocks[1]
    assert [(s.style, s.start, s.end) for s in standfirst.styles] == [
        ("italic", standfirst.start, standfirst.end)
    ]
    assert not document.blocks[2].styles
