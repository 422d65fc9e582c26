"""Markdown articles: structure and emphasis from the markup, none of the markup in the text.

The canonical text must read like the rendered page: an asterisk or a "#" left in it would
be seen by the entity recogniser, searched, quoted in notes and printed. Emphasis and links
survive as ``InlineStyle`` ranges instead, with offsets into the cleaned text.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.documents.cleanup import (
    byline_author,
    collapse_spaces,
    fallback_title,
    normalise_newlines,
    split_date_line,
    split_source_line,
)
from reader.documents.model import (
    BlockDraft,
    Document,
    InlineStyle,
    InlineStyleKind,
    Metadata,
    assemble,
)

_STYLE_TOKENS: dict[str, InlineStyleKind] = {"strong": "bold", "em": "italic", "link": "link"}
_LINE_BREAK_TAG = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_HTML_DROP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
_WHITESPACE = re.compile(r"[ \t\r\n]+")

# YAML front matter as written by Jekyll, Hugo and web clippers; only flat "key: value".
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?P<body>[A-Za-z_][\w -]*:.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)
_FRONT_MATTER_KEYS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "by": "author",
    "date": "date",
    "published": "date",
    "url": "source_url",
    "source": "source_url",
    "source_url": "source_url",
    "original_url": "source_url",
    "canonical_url": "source_url",
    "site": "site_name",
    "site_name": "site_name",
}


def parse_markdown(text: str, metadata: Metadata) -> Document:
    """Build a ``Document`` from CommonMark; ``metadata`` is copied, not changed.

    Title, author and source URL found in the text fill only fields ``metadata`` leaves
    empty, so what a caller already knows wins.
    """
    meta = replace(metadata, format="markdown")
    text = _take_front_matter(normalise_newlines(text), meta)
    text, url = split_source_line(text)
    text, date = split_date_line(text)
    meta.source_url = meta.source_url or url
    meta.date = meta.date or date
    drafts = [d for d in _drafts(MarkdownIt("commonmark").parse(text)) if d.text.strip()]
    _mark_title_and_byline(drafts, meta)
    document = assemble(drafts, meta)
    meta.title = meta.title or fallback_title(document.text, meta.path)
    return document


def _take_front_matter(text: str, meta: Metadata) -> str:
    """Strip YAML front matter, keeping the fields it shares with ``Metadata``.

    Left in, CommonMark would read "---" as a rule and the last "key: value" line as a
    heading, which would then become the title.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    for line in match.group("body").split("\n"):
        key, sep, value = line.partition(":")
        field = _FRONT_MATTER_KEYS.get(key.strip().lower())
        value = value.strip().strip("\"'").strip()
        if sep and field and value and not getattr(meta, field):
            setattr(meta, field, value)
    return text[match.end() :]


def _drafts(tokens: list[Token]) -> list[BlockDraft]:
    """Walk the block tokens; each ``inline`` token or code block becomes one draft.

    ``containers`` tells what the innermost enclosing block is, so a paragraph inside a
    list item becomes the item and one inside a blockquote becomes a quote.
    """
    drafts: list[BlockDraft] = []
    containers: list[str] = []
    item_started: list[bool] = []  # per open list item: has its first paragraph been seen?
    list_depth = 0
    heading_level = 0
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            containers.append("list_item")
            item_started.append(False)
        elif kind == "list_item_close":
            containers.pop()
            item_started.pop()
        elif kind == "blockquote_open":
            containers.append("quote")
        elif kind == "blockquote_close":
            containers.pop()
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline":
            content, styles = _render_inline(token.children or [])
            if heading_level:
                drafts.append(BlockDraft("heading", content, heading_level, styles=styles))
            elif containers and containers[-1] == "list_item" and not item_started[-1]:
                item_started[-1] = True
                drafts.append(BlockDraft("list_item", content, list_depth, styles=styles))
            elif containers and containers[-1] == "quote":
                drafts.append(BlockDraft("quote", content, styles=styles))
            else:
                drafts.append(BlockDraft("paragraph", content, styles=styles))
        elif kind in ("fence", "code_block"):
            code = collapse_spaces(_WHITESPACE.sub(" ", token.content))
            drafts.append(BlockDraft("paragraph", code, styles=[InlineStyle(0, len(code), "code")]))
        elif kind == "html_block":
            drafts.append(BlockDraft("paragraph", _strip_html(token.content)))
    return drafts


def _mark_title_and_byline(drafts: list[BlockDraft], meta: Metadata) -> None:
    """The first heading names the article; it is the title block only if nothing precedes it."""
    first_heading = next((d for d in drafts if d.kind == "heading"), None)
    if first_heading is None:
        return
    meta.title = meta.title or first_heading.text
    if drafts[0] is first_heading:
        first_heading.kind = "title"
        if len(drafts) > 1 and drafts[1].kind == "paragraph":
            meta.author = meta.author or byline_author(drafts[1].text)


def _render_inline(children: list[Token]) -> tuple[str, list[InlineStyle]]:
    """Plain text of an inline token plus its emphasis, with whitespace collapsed."""
    out = _InlineText()
    open_styles: list[tuple[InlineStyleKind, int, str]] = []
    styles: list[InlineStyle] = []
    for child in children:
        kind = child.type
        base, _, edge = kind.rpartition("_")
        if base in _STYLE_TOKENS and edge == "open":
            href = str(child.attrs.get("href", "")) if base == "link" else ""
            open_styles.append((_STYLE_TOKENS[base], out.length, href))
        elif base in _STYLE_TOKENS and edge == "close":
            style = _STYLE_TOKENS[base]
            for i in range(len(open_styles) - 1, -1, -1):
                if open_styles[i][0] == style:
                    _, start, href = open_styles.pop(i)
                    styles.append(InlineStyle(start, out.length, style, href))
                    break
        elif kind == "code_inline":
            start = out.length
            out.add(child.content)
            styles.append(InlineStyle(start, out.length, "code"))
        elif kind in ("softbreak", "hardbreak"):
            out.add(" ")
        elif kind == "html_inline":
            if _LINE_BREAK_TAG.match(child.content.strip()):
                out.add(" ")
        elif kind == "text":
            out.add(child.content)
        # images and anything unknown are dropped: alt text would read as prose
    return out.finish(styles)


class _InlineText:
    """Text built piece by piece, collapsing whitespace as it goes so offsets stay true."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.length = 0
        self._after_space = True  # drop leading whitespace

    def add(self, piece: str) -> None:
        piece = _WHITESPACE.sub(" ", piece)
        if self._after_space:
            piece = piece.lstrip(" ")
        if piece:
            self._parts.append(piece)
            self.length += len(piece)
            self._after_space = piece.endswith(" ")

    def finish(self, styles: list[InlineStyle]) -> tuple[str, list[InlineStyle]]:
        """The text without trailing space, and styles trimmed to the words they cover."""
        text = "".join(self._parts)
        lead = len(text) - len(text.lstrip())  # e.g. an NBSP the parser left at the start
        text = text.strip()
        trimmed: list[InlineStyle] = []
        for style in sorted(styles, key=lambda s: (s.start, s.end)):
            start, end = max(style.start - lead, 0), min(style.end - lead, len(text))
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                trimmed.append(InlineStyle(start, end, style.style, style.target))
        return text, trimmed


def _strip_html(source: str) -> str:
    """Visible text of a raw HTML block: no comments, scripts or tags, entities decoded."""
    visible = html.unescape(_HTML_TAG.sub(" ", _HTML_DROP.sub(" ", source)))
    return collapse_spaces(_WHITESPACE.sub(" ", visible))
