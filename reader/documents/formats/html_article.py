"""What a news page says about its article besides trafilatura's reading of it.

Large publishers' pages share habits that trafilatura does not undo. The article's text may
be filled in by script, its whole body then only in the schema.org JSON-LD block written for
search engines (``articleBody``). The ``<title>`` and ``og:title`` carry the site's name and
a date ("Headline | Site | 19.01.2020"). The author field names the publisher while the
byline names a person; the modified date stands beside the published one. Inside the body
sit "Read more: …" links, photo credits under every picture and a "standards" footer, and a
standfirst may run into its date line ("recovery?Monday, 6 January 2020").

The page is scanned with regular expressions, which cost little even on a book-length page;
lxml parses it only to look for a byline, when the author known so far is missing or is the
publisher.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from reader.documents.cleanup import byline_author, collapse_spaces, iso_date
from reader.documents.model import BlockDraft, InlineStyle

_LD_SCRIPT = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TIME_TAG = re.compile(r"<time\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</p\s*>|<br\s*/?>", re.IGNORECASE)
_PUBLISHED_KEYS = {
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
}
_ARTICLE_TYPES = re.compile(r"(?:\w*Article|BlogPosting|ReportageNews|LiveBlogPosting)")
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||–|—|-|::|·|•)\s+")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE_PART = re.compile(
    rf"[\d./\- ]{{6,}}|(?:\w+day,? )?\d{{1,2}}\.? (?:{_MONTHS}),? \d{{4}}"
    rf"|(?:\w+day,? )?(?:{_MONTHS}) \d{{1,2}},? \d{{4}}",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# A date line glued to the sentence before it: "recovery?Monday, 6 January 2020".
_GLUED_DATE = re.compile(
    rf"[.?!…\"”’]((?:{_WEEKDAY},? )?(?:\d{{1,2}}\.? (?:{_MONTHS})|(?:{_MONTHS}) \d{{1,2}}),?"
    rf" \d{{4}}\b|{_WEEKDAY}\b)"
)
_STANDFIRST_BLOCKS = 5  # blocks at the top searched for a glued date line
_RELATED = re.compile(
    r"(?:read more|read also|also read|see also|related(?: articles?| stories| content)?"
    r"|more on this(?: story)?|recommended(?: reading)?)\s*[:：|]",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\(?(?:photo(?:graph)?s?|image|picture|pic|illustration|credit|copyright|©)"
    r"(?:\s+credit)?\s*(?::|©|by\b)",
    re.IGNORECASE,
)
_AGENCY = r"getty images|reuters|afp|ap photo|ap|epa|shutterstock|alamy|pa|dpa|anadolu"
_AGENCY_CREDIT = re.compile(rf"/\s*(?:{_AGENCY})\b[^/]{{0,20}}$", re.IGNORECASE)
_STANDARDS = re.compile(
    r"\b(?:our standards|trust principles|editorial (?:standards|guidelines|policy)"
    r"|journalistic standards|why you can trust)\b",
    re.IGNORECASE,
)
_TIME_SEARCH = 300_000  # characters of the page searched for a <time> element
_SHORT_LINE = 200  # characters; junk lines are short, and a long paragraph is never junk
_JUNK_STARTS = frozenset("rsamp(ic©")  # the first letters of _RELATED and _CREDIT: cheap test
_CREDIT_HINT = re.compile(rf"[/©]|\b(?:photo|image|credit|{_AGENCY})\b", re.IGNORECASE)

STRUCTURED_NOTICE = (
    "This page fills in its article by script, so the text was taken from the copy the page "
    "keeps for search engines; headings, links and emphasis may be missing."
)


@dataclass(slots=True)
class PageFacts:
    """What the page's structured data and meta tags say, found without parsing it."""

    headline: str = ""
    body: str = ""
    published: str = ""  # YYYY-MM-DD
    people: list[str] = field(default_factory=list)  # authors that are persons
    organisations: set[str] = field(default_factory=set)  # casefolded publisher names


def page_facts(page: str) -> PageFacts:
    facts = PageFacts()
    if "ld+json" in page:
        for match in _LD_SCRIPT.finditer(page):
            try:
                data = json.loads(match.group(1).strip(), strict=False)
            except ValueError:
                continue
            article = _find_article(data)
            if article is not None:
                _read_article(article, facts)
                break
    facts.published = facts.published or _published_from_tags(page)
    return facts


def _find_article(data: object, depth: int = 0) -> dict[str, object] | None:
    """The first schema.org article object in a JSON-LD value (lists and @graph included)."""
    if depth > 5:
        return None
    if isinstance(data, list):
        for item in data:
            if (found := _find_article(item, depth + 1)) is not None:
                return found
    elif isinstance(data, dict):
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and _ARTICLE_TYPES.fullmatch(k) for k in kinds):
            return data
        if "@graph" in data:
            return _find_article(data["@graph"], depth + 1)
    return None


def _read_article(article: dict[str, object], facts: PageFacts) -> None:
    facts.headline = _text(article.get("headline"))
    body = _text(article.get("articleBody"), keep_lines=True)
    if "<" in body and ">" in body:  # some sites put the body's HTML there
        body = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n\n", body)))
    facts.body = body.strip()
    facts.published = iso_date(_text(article.get("datePublished")))
    for key in ("author", "creator"):
        value = article.get(key)
        for person in value if isinstance(value, list) else [value]:
            if isinstance(person, str) and person.strip():
                facts.people.append(collapse_spaces(person))
            elif isinstance(person, dict):
                name = _text(person.get("name"))
                kind = person.get("@type")
                if name and kind in ("Organization", "NewsMediaOrganization"):
                    facts.organisations.add(name.casefold())
                elif name:
                    facts.people.append(name)
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and _text(publisher.get("name")):
        facts.organisations.add(_text(publisher.get("name")).casefold())


def _text(value: object, *, keep_lines: bool = False) -> str:
    if not isinstance(value, str):
        return ""
    if keep_lines:
        return "\n".join(collapse_spaces(line) for line in value.replace("\r", "").split("\n"))
    return collapse_spaces(" ".join(value.split()))


def _attributes(tag: str) -> dict[str, str]:
    return {
        key.lower(): html.unescape(value.strip("\"'")) for key, value in _ATTRIBUTE.findall(tag)
    }


def _published_from_tags(page: str) -> str:
    """The published date from meta tags in the head, then from ``<time>`` elements."""
    end = page.find("</head")
    head = page[: end if end >= 0 else 200_000]
    for tag in _META_TAG.findall(head):
        attrs = _attributes(tag)
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _PUBLISHED_KEYS and (date := iso_date(attrs.get("content", ""))):
            return date
    top = page[:_TIME_SEARCH]  # a dateline sits near the top; a book-length page is not read
    if "<time" in top or "<TIME" in top:
        for tag in _TIME_TAG.findall(top):
            attrs = _attributes(tag)
            if (attrs.get("itemprop", "").lower() == "datepublished" or "pubdate" in attrs) and (
                date := iso_date(attrs.get("datetime", ""))
            ):
                return date
    return ""


# --- metadata -------------------------------------------------------------------------------


def clean_title(title: str, site: str, headline: str) -> str:
    """The title without the site's name, a date or a domain after it."""
    title = collapse_spaces(title)
    if headline and title.casefold().startswith(headline.casefold()):
        return headline
    parts = _TITLE_SEPARATOR.split(title)
    while len(parts) > 1 and _site_like(parts[-1], site):
        parts.pop()
    return title if len(parts) == 1 and parts[0] == title else " | ".join(parts).strip()


def _site_like(part: str, site: str) -> bool:
    part = part.strip()
    folded = part.casefold()
    return bool(
        (site and (folded == site.casefold() or site.casefold() in folded))
        or _DATE_PART.fullmatch(part)
        or _DOMAIN.fullmatch(part)
    )


def person_author(page: str, known: str, site: str, facts: PageFacts) -> str:
    """A person's name for the author when ``known`` is empty or names the publisher."""
    organisations = facts.organisations | ({site.casefold()} if site else set())
    if known and known.casefold() not in organisations:
        return known
    for person in facts.people:
        if person.casefold() not in organisations:
            return person
    found = _byline(page)
    return found if found and found.casefold() not in organisations else known


def parse_page(page: str) -> etree._Element | None:
    """The page as an lxml tree, nothing fetched; None when lxml cannot read it."""
    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        # Encoding declarations in a str confuse lxml: parse the UTF-8 bytes instead.
        return lxml_html.document_fromstring(page.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _byline(page: str) -> str:
    root = parse_page(page)
    if root is None:
        return ""
    try:
        candidates = root.xpath(
            "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')]"
        )
    except etree.XPathError:
        return ""
    for element in candidates:
        text = collapse_spaces(" ".join(element.text_content().split()))
        name = byline_author(text) or (text if _name_like(text) else "")
        if name:
            return name
    return ""


def _name_like(text: str) -> bool:
    words = text.split()
    return 1 < len(words) <= 5 and len(text) <= 60 and all(w[0].isupper() for w in words)


# --- the article's blocks -------------------------------------------------------------------


def body_drafts(body: str) -> list[BlockDraft]:
    """``articleBody`` as paragraphs: blank lines separate them, or single line breaks."""
    pieces = re.split(r"\n\s*\n", body) if re.search(r"\n\s*\n", body) else body.split("\n")
    return [BlockDraft("paragraph", text) for p in pieces if (text := collapse_spaces(p))]


def tidy(drafts: list[BlockDraft]) -> list[BlockDraft]:
    """Leave out related links, photo credits and standards footers; part glued date lines."""
    short = [d.text for d in drafts if len(d.text) <= _SHORT_LINE and d.kind == "paragraph"]
    # The same credit under every picture ("Jane Doe/Agency"); a novel's repeated "Yes." stays.
    repeated = {t for t, n in Counter(short).items() if n > 1 and _CREDIT_HINT.search(t)}
    kept: list[BlockDraft] = []
    for draft in drafts:
        text = draft.text
        if (
            len(text) <= _SHORT_LINE
            and draft.kind in ("paragraph", "quote")
            and (
                (text[:1].lower() in _JUNK_STARTS and (_RELATED.match(text) or _CREDIT.match(text)))
                or ("/" in text and _AGENCY_CREDIT.search(text))
                or text in repeated
            )
        ):
            continue
        kept.append(draft)
    # A standfirst and its date line open the article.
    head = [part for d in kept[:_STANDFIRST_BLOCKS] for part in _split_glued_date(d)]
    kept[:_STANDFIRST_BLOCKS] = head
    while kept and len(kept[-1].text) <= _SHORT_LINE and _STANDARDS.search(kept[-1].text):
        kept.pop()
    return kept


def _split_glued_date(draft: BlockDraft) -> list[BlockDraft]:
    match = _GLUED_DATE.search(draft.text) if draft.kind == "paragraph" else None
    if match is None:
        return [draft]
    cut = match.start(1)
    before: list[InlineStyle] = []
    after: list[InlineStyle] = []
    for style in draft.styles:
        if style.start < cut:
            before.append(InlineStyle(style.start, min(style.end, cut), style.style, style.target))
        if style.end > cut:
            start = max(style.start, cut) - cut
            after.append(InlineStyle(start, style.end - cut, style.style, style.target))
    return [
        BlockDraft(draft.kind, draft.text[:cut], draft.level, draft.page, before),
        BlockDraft("paragraph", draft.text[cut:], 0, draft.page, after),
    ]
