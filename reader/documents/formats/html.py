"""Saved news pages: the article, not the page.

A page saved from a news site is mostly navigation, cookie banners, "most read" boxes and
share buttons; left in, the entity recogniser would find every section name and sponsor.
trafilatura (Apache-2.0) finds the article body and the page's metadata. Its XML output
keeps headings, paragraphs, lists, quotations and emphasis, which become blocks and inline
styles here. When it finds no article (an index page, a page that is all table), the
page's visible text is shown instead and ``Metadata.notice`` says so; when the article is
only in the page's structured data (filled in by script), that copy is shown, with a notice
too. ``html_article`` undoes the habits of news sites that trafilatura keeps.

Nothing is fetched: trafilatura works on the string it is given, and the fallback parser
has network access switched off.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import logging
import re
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

from lxml import etree

from reader.documents.cleanup import collapse_spaces, fallback_title
from reader.documents.encoding import decode_bytes, looks_binary
from reader.documents.formats.html_article import (
    STRUCTURED_NOTICE,
    PageFacts,
    body_drafts,
    clean_title,
    page_facts,
    parse_page,
    person_author,
    tidy,
)
from reader.documents.model import (
    BlockDraft,
    BlockKind,
    Document,
    InlineStyle,
    InlineStyleKind,
    Metadata,
    assemble,
)
from reader.documents.safe_xml import local_name
from reader.errors import DocumentError

# trafilatura logs every page it finds odd at ERROR level; the reader reports to the user instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

FALLBACK_NOTICE = (
    "No article body was found in this page, so all of its visible text is shown "
    "(menus and links included)."
)

MAX_EXTRACTION_CHARS = 3_000_000
"""Above this many characters of HTML, the article is not looked for: trafilatura's time
grows faster than the page (1, 2, 5, 10 MB took 3, 4, 8, 31 s here, and 50 MB never ended),
while showing the visible text stays linear (50 MB in about 10 s)."""

LARGE_PAGE_NOTICE = (
    "This page is very large ({size}), so reader shows all of its visible text (menus and "
    "links included) instead of looking for the article in it."
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_SHORT_ARTICLE = 500  # characters; below this the extraction is checked against the page
_SMALL_SHARE = 4  # a short extraction from a page with this many times more text is suspect
_STRUCTURED_LONGER = 1.5  # how much longer the structured data's body must be to be used
_MIN_STRUCTURED = 200  # characters: shorter "articleBody" values are teasers
_HEADING = re.compile(r"^h([1-6])$")
_SPACES = re.compile(r"\s+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

_INLINE_STYLES: dict[str, InlineStyleKind] = {"#b": "bold", "#i": "italic", "#t": "code"}

# Elements whose text a reader never sees on the page.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd div dl dt figcaption figure footer form h1 h2 "
    "h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul br".split()
)


def read_html(data: bytes, metadata: Metadata) -> Document:
    """A saved web page (``.html``, ``.htm``, ``.xhtml``) as its article."""
    if looks_binary(data):
        raise DocumentError(
            f"“{Path(metadata.path).name}” is named like a web page but does not contain text "
            "(it may be damaged, or an image or archive renamed); open the saved page again."
        )
    text, encoding = decode_html(data)
    return parse_html(text, replace(metadata, format="html", encoding=encoding))


def read_mhtml(data: bytes, metadata: Metadata) -> Document:
    """A single-file web archive (``.mhtml``, ``.mht``, as browsers save them)."""
    name = Path(metadata.path).name or "The page"
    message = email.message_from_bytes(data, policy=email.policy.default)
    page = _first_html_part(message)
    if page is None:
        raise DocumentError(
            f"“{name}” is a web archive without a web page inside; "
            "save the page again from the browser as “Web page, complete” or as MHTML."
        )
    try:
        text = page.get_content()
    except (LookupError, ValueError, AssertionError, KeyError):
        payload = page.get_payload(decode=True)
        text = decode_html(payload if isinstance(payload, bytes) else b"")[0]
    if isinstance(text, bytes):
        text = decode_html(text)[0]
    meta = replace(metadata, format="mhtml")
    location = str(message.get("Snapshot-Content-Location") or page.get("Content-Location") or "")
    if location.startswith(("http://", "https://")):
        meta.source_url = meta.source_url or location
    return parse_html(text, meta)


def parse_html(page: str, metadata: Metadata) -> Document:
    """The article in ``page``, or its visible text with a notice when there is none."""
    name = Path(metadata.path).name or "The page"
    page = _CONTROL_CHARS.sub(" ", page)  # lxml refuses them, and no page shows them
    meta = replace(metadata)
    facts = page_facts(page)
    if len(page) > MAX_EXTRACTION_CHARS:
        # Extraction time grows faster than the page: a huge page shows its visible text.
        drafts = _visible_text_drafts(page, meta)
        meta.notice = LARGE_PAGE_NOTICE.format(size=f"{len(page) / 1_000_000:.0f} MB")
    else:
        drafts, meta = _extracted_drafts(page, meta, metadata, facts)
    if meta.notice != FALLBACK_NOTICE:
        drafts = tidy(drafts)
    _page_metadata_fixes(page, meta, metadata, facts)
    if not drafts:
        raise DocumentError(
            f"“{name}” is a web page without any text to read (it may be only pictures, "
            "or its text may be loaded by scripts); save the article's text instead."
        )
    _mark_title(drafts, meta)
    document = assemble(drafts, meta)
    meta.title = meta.title or fallback_title(document.text, meta.path)
    return document


def _extracted_drafts(
    page: str, meta: Metadata, metadata: Metadata, facts: PageFacts
) -> tuple[list[BlockDraft], Metadata]:
    """The article as trafilatura finds it, else the JSON-LD body or the visible text."""
    drafts = _article_drafts(page, meta)
    if len(facts.body) >= max(_MIN_STRUCTURED, _STRUCTURED_LONGER * _chars(drafts)):
        # The body is filled in by script: only the copy for search engines holds the text.
        drafts, meta.notice = body_drafts(facts.body), metadata.notice or STRUCTURED_NOTICE
    elif _chars(drafts) < _SHORT_ARTICLE:
        # Nothing found, or trafilatura's last resort: the whole page glued into one block.
        # When the visible text is hardly longer, it is the same text with its structure.
        visible_meta = replace(meta)
        visible = _visible_text_drafts(page, visible_meta)
        if visible and (
            not drafts or (len(visible) > len(drafts) and _chars(visible) <= 1.5 * _chars(drafts))
        ):
            drafts, meta = visible, visible_meta
            meta.notice = FALLBACK_NOTICE
        elif drafts and _chars(visible) >= _SMALL_SHARE * _chars(drafts):
            meta.notice = meta.notice or _small_notice(drafts, visible)
    return drafts, meta


def _chars(drafts: list[BlockDraft]) -> int:
    return sum(len(d.text) for d in drafts)


def _words(drafts: list[BlockDraft]) -> int:
    return sum(len(d.text.split()) for d in drafts)


def _small_notice(found: list[BlockDraft], page: list[BlockDraft]) -> str:
    return (
        f"Only {_words(found):,} words were found as this page's article, of about "
        f"{_words(page):,} on the page. If the article looks incomplete, its text may be "
        "loaded by scripts: open the page in a browser, let it load, and save it again."
    )


def _page_metadata_fixes(page: str, meta: Metadata, given: Metadata, facts: PageFacts) -> None:
    """The published date, a person as the author and the title without the site's name,
    unless the caller already knew them."""
    if not given.date and facts.published:
        meta.date = facts.published
    if not given.author:
        meta.author = person_author(page, meta.author, meta.site_name, facts)
    if not given.title:
        meta.title = clean_title(meta.title, meta.site_name, facts.headline)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page: BOM, then strict UTF-8, then the page's declared charset, then a guess.

    Returns ``(text, codec name)``.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii"))
        except LookupError:
            codec = None
        # Pages declaring latin-1 are written in cp1252 (as browsers assume).
        if codec is not None and codec.name in ("latin-1", "iso8859-1", "ascii"):
            codec = codecs.lookup("cp1252")
        if codec is not None:
            return data.decode(codec.name, errors="replace"), codec.name
    return decode_bytes(data)


# --- the article, through trafilatura ------------------------------------------------------


def _article_drafts(page: str, meta: Metadata) -> list[BlockDraft]:
    import trafilatura  # 0.1 s to import: only when a web page is opened

    try:
        # bare_extraction hands back trafilatura's own tree: serialising it to XML (with a
        # content fingerprint) and parsing it again tripled the time on a long page. The
        # date search is kept to the page's metadata and markup for the same reason.
        result = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_formatting=True,
            include_links=True,
            include_tables=True,
            include_comments=False,
            include_images=False,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError):
        result = None
    main = getattr(result, "body", None)
    if result is None or main is None:
        _page_metadata(parse_page(page), meta)
        return []
    _fill(meta, "title", getattr(result, "title", None))
    _fill(meta, "author", getattr(result, "author", None))
    _fill(meta, "date", getattr(result, "date", None))
    _fill(meta, "site_name", getattr(result, "sitename", None))
    url = getattr(result, "url", None) or ""
    if url.startswith(("http://", "https://")):
        _fill(meta, "source_url", url)
    drafts: list[BlockDraft] = []
    if main is not None:
        _collect_blocks(main, drafts, list_depth=0)
    return [d for d in drafts if d.text]


def _collect_blocks(parent: etree._Element, drafts: list[BlockDraft], list_depth: int) -> None:
    for child in parent:
        tag = local_name(child)
        if tag == "head":
            level = _heading_level(child.get("rend", ""), default=2)
            drafts.append(_inline_draft(child, "heading", level))
        elif tag in ("p", "code"):
            drafts.append(_inline_draft(child, "paragraph"))
        elif tag == "list":
            _collect_list(child, drafts, list_depth + 1)
        elif tag == "quote":
            if any(local_name(c) in ("p", "list", "head") for c in child):
                start = len(drafts)
                _collect_blocks(child, drafts, list_depth)
                for draft in drafts[start:]:
                    if draft.kind == "paragraph":
                        draft.kind = "quote"
            else:
                drafts.append(_inline_draft(child, "quote"))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [collapse_spaces(_SPACES.sub(" ", "".join(c.itertext()))) for c in row]
                drafts.append(BlockDraft("paragraph", " | ".join(c for c in cells if c)))
        elif tag in ("div", "section", "main"):
            _collect_blocks(child, drafts, list_depth)
        elif tag not in ("graphic", "lb", "comments"):
            drafts.append(_inline_draft(child, "paragraph"))


def _collect_list(element: etree._Element, drafts: list[BlockDraft], depth: int) -> None:
    for item in element:
        if local_name(item) != "item":
            continue
        drafts.append(_inline_draft(item, "list_item", depth, skip=("list",)))
        for nested in item:
            if local_name(nested) == "list":
                _collect_list(nested, drafts, depth + 1)


def _heading_level(rend: str, default: int) -> int:
    match = _HEADING.match(rend.strip().lower())
    return int(match.group(1)) if match else default


def _inline_draft(
    element: etree._Element, kind: BlockKind, level: int = 0, skip: tuple[str, ...] = ()
) -> BlockDraft:
    """The element's text with its emphasis and links, whitespace collapsed."""
    pieces: list[str] = []
    styles: list[tuple[int, int, InlineStyleKind, str]] = []
    length = 0

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            text = _SPACES.sub(" ", text)
            if (not pieces or pieces[-1].endswith(" ")) and text.startswith(" "):
                text = text[1:]
            pieces.append(text)
            length += len(text)

    def walk(node: etree._Element) -> None:
        add(node.text)
        for child in node:
            tag = local_name(child)
            if tag in skip or tag == "graphic":
                add(child.tail)
                continue
            if tag == "lb":
                add(" ")
            else:
                start = length
                walk(child)
                style = _INLINE_STYLES.get(child.get("rend", "")) if tag == "hi" else None
                if tag == "ref" and child.get("target", "").startswith(("http://", "https://")):
                    styles.append((start, length, "link", child.get("target", "")))
                elif style is not None:
                    styles.append((start, length, style, ""))
            add(child.tail)

    walk(element)
    raw = "".join(pieces)
    text = raw.rstrip()
    kept: list[InlineStyle] = []
    for start, end, style, target in styles:
        # Trailing spaces were cut: clamp, and move a style's start past a leading space.
        while start < end and start < len(text) and text[start] == " ":
            start += 1
        end = min(end, len(text))
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            kept.append(InlineStyle(start, end, style, target))
    return BlockDraft(kind, text, level, styles=kept)


def _mark_title(drafts: list[BlockDraft], meta: Metadata) -> None:
    """The headline as the title block: the first heading when it is the title, else added."""
    first = drafts[0]
    if first.kind == "heading" and (not meta.title or _same(first.text, meta.title)):
        first.kind, first.level = "title", 0
        meta.title = meta.title or first.text
    elif meta.title and not any(_same(d.text, meta.title) for d in drafts[:3]):
        drafts.insert(0, BlockDraft("title", collapse_spaces(meta.title)))


def _same(a: str, b: str) -> bool:
    return collapse_spaces(a).casefold() == collapse_spaces(b).casefold()


def _fill(meta: Metadata, field: str, value: str | None) -> None:
    """Set ``field`` from the page unless the caller already knows it."""
    value = collapse_spaces(value or "")
    if value and not getattr(meta, field):
        setattr(meta, field, value)


# --- the fallback: every visible block of the page -----------------------------------------


def _page_metadata(root: etree._Element | None, meta: Metadata) -> None:
    """Title, author, site, date and address from the page's head, where the caller lacks
    them; ``root`` is the parsed page (``parse_page``), read before anything is removed."""
    if root is None:
        return
    for tag in root.iter("title"):
        _fill(meta, "title", tag.text_content())
        break
    for node in root.iter("meta"):
        key = (node.get("property") or node.get("name") or "").lower()
        value = node.get("content")
        if key in ("og:title", "twitter:title"):
            _fill(meta, "title", value)
        elif key in ("author", "article:author"):
            _fill(meta, "author", value)
        elif key == "og:site_name":
            _fill(meta, "site_name", value)
        elif key in ("article:published_time", "date", "dc.date") and value:
            _fill(meta, "date", value[:10])
        elif key == "og:url" and (value or "").startswith(("http://", "https://")):
            _fill(meta, "source_url", value)


def _visible_text_drafts(page: str, meta: Metadata) -> list[BlockDraft]:
    root = parse_page(page)
    if root is None:
        return []
    _page_metadata(root, meta)  # before the head is removed below
    for element in list(root.iter(*_INVISIBLE)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    # Mark where blocks start and end with a character no page contains, then split on it.
    mark, heading_mark = "\ue000", "\ue001"  # private-use characters: no page shows them
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        heading = _HEADING.match(tag)
        if heading:
            text = collapse_spaces(element.text_content())
            for child in list(element):
                element.remove(child)
            element.text = f"{mark}{heading_mark}{heading.group(1)}{text}{mark}"
        elif tag in _BLOCK_TAGS:
            element.text = mark + (element.text or "")
            element.tail = mark + (element.tail or "")
    drafts: list[BlockDraft] = []
    body = root.find("body")
    for piece in (body if body is not None else root).text_content().split(mark):
        text = collapse_spaces(_SPACES.sub(" ", piece))
        if text.startswith(heading_mark) and len(text) > 2:
            drafts.append(BlockDraft("heading", collapse_spaces(text[2:]), int(text[1])))
        elif text:
            drafts.append(BlockDraft("paragraph", text))
    return [d for d in drafts if d.text]


def _first_html_part(message: EmailMessage) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part  # type: ignore[return-value]
    return None
