"""The blocks of one EPUB content document (a chapter's XHTML), and its navigation files.

E-book XHTML is written by hand, by converters and by word processors, so the walk is
tolerant: any element may hold text, block elements nest in odd ways (paragraphs inside
list items and table cells), and undefined HTML entities such as ``&nbsp;`` survive the
XML parser as entity nodes. The walk is iterative (``iterwalk``), so a deeply nested
hostile file cannot exhaust the Python stack. Entity nodes are never expanded by the
parser (see ``safe_xml``); only the standard HTML character names are mapped here, so an
external or internal entity defined by the file contributes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.entities import html5

from lxml import etree

from reader.documents.formats.styled_text import BOLD, ITALIC, NO_STYLES, StyledText, StyleKey
from reader.documents.model import BlockDraft, BlockKind
from reader.documents.safe_xml import local_name

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header"}
    | {"hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary"}
    | {"table", "tbody", "tfoot", "thead", "ul"}
    | set(_HEADINGS)
)
# Not part of the reading text: styling and code, the document head, navigation (a
# chapter's own mini table of contents), ruby fallback parentheses, vector drawings.
_SKIPPED = frozenset({"head", "nav", "rp", "script", "style", "svg", "template", "title"})
_ITALIC = frozenset({"cite", "dfn", "em", "i", "var"})
_BOLD = frozenset({"b", "strong"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_CSS_ITALIC = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.IGNORECASE)
_CSS_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_WEB_LINK = re.compile(r"https?://\S+", re.IGNORECASE)

# A document whose text is mostly links to other chapters is a table of contents.
_TOC_MIN_LINKS = 3
_TOC_LINK_SHARE = 0.6


@dataclass(slots=True)
class Chapter:
    """What one content document contributed."""

    drafts: list[BlockDraft] = field(default_factory=list)
    title: str = ""  # the document's <title>, whitespace collapsed
    has_heading: bool = False


def epub_types(element: etree._Element) -> list[str]:
    """The element's ``epub:type`` words, also when the prefix was never declared."""
    value = element.get(EPUB_TYPE) or element.get("epub:type") or ""
    return value.split()


def element_text(element: etree._Element) -> str:
    """All text inside ``element``, whitespace collapsed.

    XPath's string value leaves out unexpanded entity references, where ``itertext()``
    would return them as "&name;".
    """
    return " ".join(str(element.xpath("string()")).split())


def body_of(root: etree._Element) -> etree._Element:
    return next((e for e in root.iter() if local_name(e) == "body"), root)


def looks_like_toc(root: etree._Element, is_chapter_link: Callable[[str], bool]) -> bool:
    """Whether the document is a table of contents: its text is mostly chapter links."""
    body = body_of(root)
    links = 0
    link_chars = 0
    for element in body.iter():
        if local_name(element) == "a" and is_chapter_link(element.get("href") or ""):
            links += 1
            link_chars += len(element_text(element).replace(" ", ""))
    if links < _TOC_MIN_LINKS:
        return False
    total = len(element_text(body).replace(" ", ""))
    return link_chars >= _TOC_LINK_SHARE * total


def nav_entries(root: etree._Element) -> list[tuple[str, str]]:
    """(href, label) of each link in an EPUB 3 navigation document's table of contents."""
    navs = [e for e in root.iter() if local_name(e) == "nav"]
    toc = next((e for e in navs if "toc" in epub_types(e)), navs[0] if navs else None)
    if toc is None:
        return []
    return [(e.get("href") or "", element_text(e)) for e in toc.iter() if local_name(e) == "a"]


def ncx_entries(root: etree._Element) -> list[tuple[str, str]]:
    """(src, label) of each navPoint of an EPUB 2 ``toc.ncx``, in reading order."""
    entries: list[tuple[str, str]] = []
    for point in root.iter():
        if local_name(point) != "navPoint":
            continue
        label = src = ""
        for child in point:
            if local_name(child) == "navLabel":
                label = element_text(child)
            elif local_name(child) == "content":
                src = child.get("src") or ""
        entries.append((src, label))
    return entries


def is_nav_document(root: etree._Element) -> bool:
    """An EPUB 3 navigation document in the spine without its ``nav`` property."""
    body = body_of(root)
    navs = [e for e in body.iter() if local_name(e) == "nav"]
    if not any("toc" in epub_types(e) for e in navs):
        return False
    outside = [e for e in body.iter() if local_name(e) in ("p", "li") and not _inside_nav(e)]
    return not any(element_text(e) for e in outside)


def _inside_nav(element: etree._Element) -> bool:
    return any(local_name(a) == "nav" for a in element.iterancestors())


def read_chapter(root: etree._Element) -> Chapter:
    """The blocks of a parsed content document, in reading order."""
    title = next((element_text(e) for e in root.iter() if local_name(e) == "title"), "")
    walker = _Walker()
    walker.walk(body_of(root))
    return Chapter(walker.drafts, title, walker.has_heading)


class _Walker:
    """A depth-first walk that turns elements into block drafts as it meets them."""

    def __init__(self) -> None:
        self.drafts: list[BlockDraft] = []
        self.has_heading = False
        self._text = StyledText()
        self._contexts: list[tuple[BlockKind, int]] = [("paragraph", 0)]
        self._styles: list[StyleKey] = []
        self._active: frozenset[StyleKey] = NO_STYLES
        self._list_depth = 0
        self._row_depth = 0
        self._skipping = 0
        # Per open element, what its start changed: undone at its end.
        self._undo: list[tuple[bool, bool, bool, bool]] = []

    def walk(self, top: etree._Element) -> None:
        for event, element in etree.iterwalk(top, events=("start", "end")):
            if event == "start":
                self._start(element)
            else:
                self._end(element)
                if element is not top:
                    self._add(element.tail)
        self._flush()

    def _start(self, element: etree._Element) -> None:
        if self._skipping:
            self._skipping += 1
            return
        tag = local_name(element)
        if not tag:  # an entity reference the parser left unexpanded
            if isinstance(element, etree._Entity):
                self._add(html5.get(element.name + ";", ""))
            self._undo.append((False, False, False, False))
            return
        if tag in _SKIPPED or "pagebreak" in epub_types(element):
            self._skipping = 1
            return
        block = self._open_block(tag)
        style = self._open_style(tag, element)
        listed = tag in ("ul", "ol")
        if listed:
            self._list_depth += 1
        row = tag == "tr"
        if row:
            self._row_depth += 1
            if self._row_depth == 1:
                self._flush()
            else:
                self._text.separate(" | ")
        elif tag in ("td", "th") and self._row_depth:
            self._text.separate(" | ")
        elif tag == "br":
            self._add(" ")
        self._undo.append((block, style, listed, row))
        self._add(element.text)

    def _open_block(self, tag: str) -> bool:
        """Start a block context for ``tag``; inside a table row blocks only add text."""
        if tag not in _BLOCKS or self._row_depth:
            return False
        self._flush()
        kind, level = self._contexts[-1]
        if tag in _HEADINGS:
            kind, level = "heading", _HEADINGS[tag]
        elif tag == "li":
            kind, level = "list_item", max(self._list_depth, 1)
        elif tag == "blockquote":
            kind, level = "quote", 0
        self._contexts.append((kind, level))
        return True

    def _open_style(self, tag: str, element: etree._Element) -> bool:
        key: StyleKey | None = None
        if tag in _ITALIC:
            key = ITALIC
        elif tag in _BOLD:
            key = BOLD
        elif tag in _CODE:
            key = ("code", "")
        elif tag == "a":
            href = (element.get("href") or "").strip()
            if _WEB_LINK.fullmatch(href):
                key = ("link", href)
        else:
            css = element.get("style")
            if css and _CSS_ITALIC.search(css):
                key = ITALIC
            elif css and _CSS_BOLD.search(css):
                key = BOLD
        if key is None:
            return False
        self._styles.append(key)
        self._active = frozenset(self._styles)
        return True

    def _end(self, element: etree._Element) -> None:
        if self._skipping:
            self._skipping -= 1
            return
        block, style, listed, row = self._undo.pop()
        if style:
            self._styles.pop()
            self._active = frozenset(self._styles)
        if listed:
            self._list_depth -= 1
        if row:
            self._row_depth -= 1
            if self._row_depth == 0:
                self._flush()
        if block:
            self._flush()
            self._contexts.pop()

    def _add(self, text: str | None) -> None:
        if text and not self._skipping:
            self._text.append(text, self._active)

    def _flush(self) -> None:
        kind, level = self._contexts[-1]
        draft = self._text.draft(kind, level)
        if draft is not None:
            self.drafts.append(draft)
            self.has_heading = self.has_heading or kind == "heading"
        self._text = StyledText()
