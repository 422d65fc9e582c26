"""Saved news pages with the habits of large publishers' sites, written for these tests.

Each page reproduces one structure met in pages saved from real sites: an article body
filled in by script (its text only in the schema.org JSON-LD block search engines read), a
title with the site's name and a date after it, a publisher named as the author next to a
byline, a modified date beside the published one, "Read more" links and photo credits
inside the body, a standfirst and a date line in one element, and a "standards" footer at
the end. The story and its people are made up.
"""

from __future__ import annotations

import html
import json

SITE = "The Lakeside Courier"
HEADLINE = "Is the harbour economy heading for recovery?"
BYLINE_AUTHOR = "Jonas Eklund"

STORY = (
    "Shipyards in Port Alder reported their first rise in orders for six years on Monday, "
    "and the harbour authority said it expected two hundred new jobs by the summer.",
    "Ilse Brandt, who chairs the authority, said the recovery was fragile. Fuel prices were "
    "still high, she said, and the Nordic Shipping Union had not yet signed its contract.",
    "Economists at the University of Vestby were more cautious. Marta Olsen, who leads the "
    "university's maritime research group, said one good quarter was not yet a trend.",
    "The harbour authority will publish its full figures in March, when the council of "
    "Port Alder meets to decide on the new ferry terminal at Kessling Island.",
    "Workers at the Halvorsen yard, which closed two of its docks in 2018, said they had "
    "heard promises before, but welcomed the orders all the same.",
)

_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="{site}">
{extra}
<link rel="canonical" href="https://courier.example/business/harbour-recovery">
<script src="https://cdn.courier.example/app.js"></script>
</head>"""

_CHROME_TOP = """<div class="cookie-banner">We use cookies. <button>Accept all</button></div>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>
<header><div class="logo">{site}</div></header>"""

_CHROME_BOTTOM = """<aside class="most-read"><h3>Most read</h3><ol>
<li><a href="/a">Ten walks around the lake</a></li><li><a href="/b">Football results</a></li>
<li><a href="/c">The best bakeries in town</a></li></ol></aside>
<footer><p>© 2020 {site}. All rights reserved. Contact | Privacy | Cookies</p></footer>"""


def json_ld(body: str | None = None, **fields: object) -> str:
    """A schema.org NewsArticle block as news sites embed it for search engines."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "datePublished": "2020-01-06T07:30:00+00:00",
        "dateModified": "2020-01-19T16:05:00+00:00",
        "author": {"@type": "Person", "name": BYLINE_AUTHOR},
        "publisher": {"@type": "Organization", "name": SITE},
    }
    if body is not None:
        data["articleBody"] = body
    data.update(fields)
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def page(head_extra: str, article: str, *, title: str = HEADLINE) -> str:
    return (
        _HEAD.format(title=html.escape(title), site=SITE, extra=head_extra)
        + "<body>"
        + _CHROME_TOP.format(site=SITE)
        + f"<main>{article}</main>"
        + _CHROME_BOTTOM.format(site=SITE)
        + "</body></html>"
    )


STANDFIRST = "Orders are up for the first time in six years. Is this the recovery?"
CAPTION = (
    "Welders at the Halvorsen yard in Port Alder, where two of the six docks closed in 2018, "
    "finish the hull of a coastal ferry ordered by the Nordic Shipping Union. The yard, the "
    "largest employer on the harbour front, hopes to hire again before the summer if the "
    "contract for a second ferry is signed in March, its manager said on Monday."
)


def script_filled_page() -> str:
    """The body is an empty container that a script fills; only a headline, a picture and
    its caption are in the HTML. The full text is in the JSON-LD ``articleBody``, its
    paragraphs separated by blank lines."""
    article = (
        f"<article><h1>{HEADLINE}</h1>"
        f'<div class="media"><img src="/img/yard.jpg" alt=""><p class="caption">{CAPTION}</p>'
        "</div>"
        '<div id="article-body" data-hydrate="true"></div></article>'
    )
    body = "\n\n".join(STORY)
    return page(json_ld(body), article)


def thin_page() -> str:
    """Like ``script_filled_page`` but without structured data, beside a long list of other
    stories: what is found is a small part of the page, and nothing better is there."""
    article = (
        f"<article><h1>{HEADLINE}</h1>"
        f'<div class="media"><img src="/img/yard.jpg" alt=""><p class="caption">{CAPTION}</p>'
        '</div><div id="article-body" data-hydrate="true"></div></article>'
    )
    teasers = "".join(
        f'<li class="teaser"><a href="/s{n}"><span class="kicker">Business</span> '
        f"<span>{html.escape(text)}</span></a></li>"
        for n, text in enumerate(STORY * 3)
    )
    return page("", article + f'<aside class="more-stories"><ul>{teasers}</ul></aside>')


def metadata_page() -> str:
    """A publisher as the meta author, a person in the byline, a modified date before the
    published one, and the site's name and a date after the headline in the title."""
    full_title = f"{HEADLINE} | {SITE} | 19.01.2020"
    head = (
        f'<meta property="og:title" content="{html.escape(full_title)}">'
        f'<meta name="author" content="{SITE}">'
        '<meta property="article:modified_time" content="2020-01-19T16:05:00+00:00">'
        + json_ld(author={"@type": "Organization", "name": SITE})
    )
    article = (
        f"<article><h1>{HEADLINE}</h1>"
        f'<p class="byline">By <a rel="author" href="/authors/je">{BYLINE_AUTHOR}</a></p>'
        + "".join(f"<p>{html.escape(p)}</p>" for p in STORY)
        + "</article>"
    )
    return page(head, article, title=full_title)


DATE_LINE = "Monday, 6 January 2020"
READ_MORE = "Read more: Port Alder's shipyards through the years"
CREDIT = "Photograph: Marta Olsen/The Lakeside Courier"
STANDARDS = "Our Standards: The Lakeside Courier Trust Principles."


def junk_page() -> str:
    """Junk inside the article: a standfirst and its date line in one element, "Read more"
    links between paragraphs, the same photo credit under two pictures, and the site's
    standards footer as the body's last line."""
    picture = (
        '<div class="picture"><img src="/img/{n}.jpg" alt="">'
        f'<p class="picture-credit">{CREDIT}</p></div>'
    )
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in STORY]
    paragraphs.insert(1, f'<p><strong><a href="/history">{READ_MORE}</a></strong></p>')
    paragraphs.insert(3, picture.format(n=1))
    paragraphs.insert(5, '<p>READ MORE: <a href="/jobs">Where the new jobs will be</a></p>')
    paragraphs.insert(6, picture.format(n=2))
    article = (
        f"<article><h1>{HEADLINE}</h1>"
        f'<p class="intro"><span class="standfirst">{html.escape(STANDFIRST)}</span>'
        f'<span class="dateline">{DATE_LINE}</span></p>'
        + "".join(paragraphs)
        + '<p class="standards">Our Standards: <a href="/standards">The Lakeside Courier Trust '
        "Principles.</a></p></article>"
    )
    head = '<meta property="article:published_time" content="2020-01-06T07:30:00+00:00">'
    return page(head, article)
