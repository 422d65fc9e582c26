"""The annotated copy as one self-contained HTML file, to send to a colleague.

Everything is inline (CSS in a ``<style>`` element, no scripts, images, fonts or style
sheets from elsewhere), so the file opens the same on a plane and leaks nothing to any
server. The article's own links stay links: following one is the reader's choice. Pages do
not exist in HTML, so the index links each name to its first mention instead of listing
pages, and footnotes follow the paragraph their number is in.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from html import escape

from reader.documents.list_labels import is_numbered
from reader.documents.model import Block, Document
from reader.entities import appearance
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.citation import document_title
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.compose import split_notes
from reader.printing.content import NumberedNote, marker_offset, number_notes
from reader.printing.front_matter import header_lines
from reader.printing.index_section import INDEX_TITLE, sort_key
from reader.printing.options import PrintOptions

_TAGS = {"bold": "strong", "italic": "em", "code": "code"}
_BLOCK_TAGS = {"paragraph": "p", "quote": "blockquote"}
_STYLE = """
body { font-family: Charter, Georgia, "Source Serif 4", "Noto Serif", "DejaVu Serif", serif;
  line-height: 1.5; max-width: 38em; margin: 2em auto; padding: 0 1em; color: #111; }
header.source, .legend, .notes-box h2, nav, .index-intro { font-family: "Source Sans 3",
  "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
header.source { border-bottom: 1px solid #ccc; padding-bottom: .6em; margin-bottom: 1em; }
header.source .doc-title { font-size: 1.15em; font-weight: bold; margin: 0 0 .3em; }
header.source p, .legend { color: #555; font-size: .85em; margin: .1em 0; }
.legend { margin: .8em 0 1.2em; }
.notes-box { margin: 1em 0 1.5em; }
.notes-box h2 { font-size: .9em; margin: .8em 0 .3em; }
.notes-box .note { background: NOTEBG; padding: .3em .5em; margin: .3em 0; }
.tags { color: #555; font-style: italic; font-size: .85em; margin-left: .5em; }
.noted { border-bottom: 2px solid NOTE; }
sup.ref a { color: NOTE; font-weight: bold; text-decoration: none; padding: 0 .1em; }
aside.footnotes { font-size: .85em; border-top: 1px solid #bbb; margin: .4em 0 1em;
  padding-top: .3em; width: 100%; }
aside.footnotes p, .endnotes li { margin: .2em 0; }
.back { color: NOTE; text-decoration: none; font-weight: bold; margin-right: .4em; }
.endnotes .quote { font-style: italic; }
.index h3 { margin: 1em 0 .3em; font-size: 1em; }
ol.numbered { list-style: none; padding-left: 1.6em; }
.index ul { list-style: none; padding: 0; columns: 2; column-gap: 2em; }
.index li { margin: .1em 0; break-inside: avoid; }
.index .entity-note { font-style: italic; font-size: .9em; margin-left: 1.5em; }
.index .count { color: #555; font-size: .9em; }
"""


def _entity_css(options: PrintOptions) -> str:
    rules = []
    for kind in Kind:
        style = appearance.UNDERLINE_NAMES[kind].split()[0].replace("dash-dot", "dashed")
        css = {"solid": "solid", "dashed": "dashed", "dotted": "dotted"}.get(style, "dashed")
        if options.greyscale:
            colour, thickness, background = "#000", "2px", "transparent"
        else:
            colour = appearance.UNDERLINE_COLOURS[kind]
            thickness, background = "1px", options.tint(kind)
        rules.append(
            f".entity.{kind.value} {{ background: {background}; text-decoration: underline "
            f"{css} {colour} {thickness}; text-underline-offset: .18em; }}"
        )
    return "\n".join(rules)


def render_html(
    document: Document,
    mentions: Sequence[Mention],
    notes: Sequence[Note],
    entity_notes: Sequence[Note],
    options: PrintOptions,
) -> str:
    """The whole file as a string (the caller writes it, UTF-8)."""
    return _HtmlWriter(document, mentions, notes, entity_notes, options).render()


class _HtmlWriter:
    def __init__(
        self,
        document: Document,
        mentions: Sequence[Mention],
        notes: Sequence[Note],
        entity_notes: Sequence[Note],
        options: PrintOptions,
    ) -> None:
        self.document = document
        self.options = options
        self.mentions = sorted(
            (m for m in mentions if m.kind in options.kinds), key=lambda m: m.start
        )
        self.mention_starts = [m.start for m in self.mentions]
        show = options.show_notes
        self.numbered = number_notes(notes) if show else []
        doc_notes, orphans, by_entity = split_notes(notes, entity_notes, mentions)
        self.document_notes = doc_notes if show else []
        self.orphans = orphans if show else []
        self.by_entity = by_entity if show else {}
        self.first_ids: dict[tuple[Kind, str], str] = {}
        self.counts: dict[tuple[Kind, str], int] = {}

    def render(self) -> str:
        title = escape(document_title(self.document) or "Untitled")
        note = styles.NOTE_GREY if self.options.greyscale else appearance.NOTE_COLOUR
        background = "#eeeeee" if self.options.greyscale else "#eef6f2"
        css = (_STYLE + _entity_css(self.options)).replace("NOTEBG", background)
        css = css.replace("NOTE", note)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="reader">',
            f"<title>{title}</title>",
            f"<style>{css}</style>",
            "</head>",
            "<body>",
            self._header(title),
            self._legend(),
            self._front_notes(),
            '<article class="text">',
            self._text(),
            "</article>",
            self._endnotes(),
            self._index(),
            "</body>",
            "</html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"

    # -- before the text --------------------------------------------------------------------

    def _header(self, title: str) -> str:
        lines = []
        url = self.document.metadata.source_url.strip()
        for line in header_lines(self.document, self.options):
            if line == url and url.startswith(("http://", "https://")):
                lines.append(f'<p><a href="{escape(url)}">{escape(url)}</a></p>')
            else:
                lines.append(f"<p>{escape(line)}</p>")
        return f'<header class="source"><p class="doc-title">{title}</p>{"".join(lines)}</header>'

    def _legend(self) -> str:
        pieces = [
            f'<span class="entity {k.value}">{k.singular.lower()}</span> '
            f"({appearance.UNDERLINE_NAMES[k]})"
            for k in self.options.ordered_kinds
        ]
        text = "Marked: " + " · ".join(pieces) if pieces else ""
        if self.numbered:
            where = "below its paragraph" if self.options.notes == "footnotes" else "at the end"
            text += (". " if text else "") + (
                '<sup class="ref"><a>1</a></sup> a note, printed ' + where + "; its passage is "
                '<span class="noted">underlined in the notes\' colour</span>.'
            )
        return f'<p class="legend">{text}</p>' if text else ""

    def _front_notes(self) -> str:
        groups = [
            ("Notes on this article", [(n, "") for n in self.document_notes]),
            (
                "Notes on passages no longer found in this text",
                [(n, f"<em>“{escape(' '.join(n.quote.split()))}”</em> ") for n in self.orphans],
            ),
        ]
        if not self.options.include_index:
            groups.append(
                (
                    "Notes on the names in this article",
                    [
                        (n, f"<em>{escape(n.entity_canonical)}:</em> ")
                        for group in self.by_entity.values()
                        for n in group
                    ],
                )
            )
        html = []
        for heading, items in groups:
            if items:
                html.append(f"<h2>{heading}</h2>")
                html.extend(f'<div class="note">{lead}{_body(n)}</div>' for n, lead in items)
        return f'<section class="notes-box">{"".join(html)}</section>' if html else ""

    # -- the text -------------------------------------------------------------------------------

    def _text(self) -> str:
        out: list[str] = []
        lists = _Lists(out)
        blocks = self.document.blocks
        block_ends = [b.end for b in blocks]
        ends: dict[int, list[NumberedNote]] = {}
        text = self.document.text
        for item in self.numbered:  # after closing punctuation, in the block it ends in
            offset = marker_offset(text, block_ends, blocks, item.note.end or 0)
            ends.setdefault(offset, []).append(item)
        spans = [(n.note.start or 0, n.note.end or 0) for n in self.numbered]
        for block in blocks:
            markers = {o: v for o, v in ends.items() if block.start <= o <= block.end}
            inner, placed = self._inline(block, markers, spans)
            if block.kind == "list_item":
                lists.item(block.level, is_numbered(text, block), inner)
            else:
                lists.close_all()
                if block.kind == "title":
                    tag = "h1"
                elif block.kind == "heading":
                    tag = f"h{min(max(block.level, 2), 6)}"
                else:
                    tag = _BLOCK_TAGS.get(block.kind, "p")
                out.append(f"<{tag}>{inner}</{tag}>")
            if placed and self.options.notes == "footnotes":
                notes = "".join(self._note_paragraph(item) for item in placed)
                out.append(f'<aside class="footnotes">{notes}</aside>')
        lists.close_all()
        return "\n".join(out)

    def _inline(
        self,
        block: Block,
        markers: dict[int, list[NumberedNote]],
        spans: list[tuple[int, int]],
    ) -> tuple[str, list[NumberedNote]]:
        text = self.document.text
        start, end = block.start, block.end
        first = bisect_left(self.mention_starts, start)
        last = bisect_left(self.mention_starts, end)
        mentions = [m for m in self.mentions[first:last] if m.end <= end]
        noted = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
        points = {start, end, *markers}
        for s in block.styles:
            points.update((min(max(s.start, start), end), min(max(s.end, start), end)))
        for m in mentions:
            points.update((m.start, m.end))
        for noted_start, noted_end in noted:
            points.update((noted_start, noted_end))
        ordered = sorted(points)
        html: list[str] = []
        placed: list[NumberedNote] = []
        for a, b in zip(ordered, [*ordered[1:], None], strict=True):
            for item in markers.get(a, []):
                html.append(
                    f'<sup class="ref"><a href="#note-{item.number}" id="ref-{item.number}">'
                    f"{item.number}</a></sup>"
                )
                placed.append(item)
            if b is None:
                break
            piece = escape(text[a:b])
            for s in block.styles:
                if s.start <= a < s.end:
                    if s.style == "link":
                        piece = f'<a href="{escape(s.target)}">{piece}</a>'
                    else:
                        piece = f"<{_TAGS[s.style]}>{piece}</{_TAGS[s.style]}>"
            mention = next((m for m in mentions if m.start <= a < m.end), None)
            if mention is not None:
                piece = self._mention(mention, a, piece)
            if any(x <= a < y for x, y in noted):
                piece = f'<span class="noted">{piece}</span>'
            html.append(piece)
        return "".join(html), placed

    def _mention(self, mention: Mention, at: int, piece: str) -> str:
        key = (mention.kind, mention.canonical)
        ident = ""
        if at == mention.start:
            self.counts[key] = self.counts.get(key, 0) + 1
            if key not in self.first_ids:
                self.first_ids[key] = f"m{len(self.first_ids) + 1}"
                ident = f' id="{self.first_ids[key]}"'
        label = escape(f"{mention.kind.singular}: {mention.canonical}", quote=True)
        return f'<span class="entity {mention.kind.value}"{ident} title="{label}">{piece}</span>'

    def _note_paragraph(self, item: NumberedNote) -> str:
        return (
            f'<p id="note-{item.number}"><a class="back" href="#ref-{item.number}" '
            f'title="Back to the text">{item.number}</a>{_body(item.note)}</p>'
        )

    # -- after the text ---------------------------------------------------------------------

    def _endnotes(self) -> str:
        if self.options.notes != "endnotes" or not self.numbered:
            return ""
        items = []
        for item in self.numbered:
            quote = escape(" ".join(item.note.quote.split()))
            items.append(
                f'<li id="note-{item.number}"><a class="back" href="#ref-{item.number}" '
                f'title="Back to the text">{item.number}</a><span class="quote">“{quote}”</span>'
                f"<br>{_body(item.note)}</li>"
            )
        return f'<section class="endnotes"><h2>Notes</h2><ol>{"".join(items)}</ol></section>'

    def _index(self) -> str:
        if not self.options.include_index or not self.first_ids:
            return ""
        groups: dict[Kind, list[str]] = {}
        keys = sorted(self.first_ids, key=lambda k: (list(Kind).index(k[0]), sort_key(k[1])))
        for key in keys:
            kind, name = key
            count = self.counts.get(key, 0)
            notes = "".join(
                f'<div class="entity-note">Note: {_body(n)}</div>'
                for n in self.by_entity.get((kind.value, name), [])
            )
            mentions = f"{count} mention{'s' if count != 1 else ''}"
            groups.setdefault(kind, []).append(
                f'<li><a href="#{self.first_ids[key]}">{escape(name)}</a> '
                f'<span class="count">{mentions}</span>{notes}</li>'
            )
        html = [
            f"<h3>{kind.display_name}</h3><ul>{''.join(items)}</ul>"
            for kind, items in groups.items()
        ]
        intro = "Each name links to its first mention; notes on a name follow it."
        return (
            f'<section class="index"><h2>{INDEX_TITLE}</h2><p class="index-intro">{intro}</p>'
            f"{''.join(html)}</section>"
        )


class _Lists:
    """Open lists, nested by level: ``<ol>`` for items that carry their number in the text
    ("1. Ropes", shown as written, with no second number), ``<ul>`` for the others."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.open: list[tuple[int, str]] = []  # (level, tag), each with an open <li>

    def item(self, level: int, numbered: bool, inner: str) -> None:
        level = max(level, 1)
        tag = "ol" if numbered else "ul"
        while self.open and (
            self.open[-1][0] > level or (self.open[-1][0] == level and self.open[-1][1] != tag)
        ):
            self._close()
        if self.open and self.open[-1][0] == level:
            self.out.append("</li>")
        else:
            self.out.append('<ol class="numbered">' if numbered else "<ul>")
            self.open.append((level, tag))
        self.out.append(f"<li>{inner}")

    def _close(self) -> None:
        _level, tag = self.open.pop()
        self.out.append(f"</li></{tag}>")

    def close_all(self) -> None:
        while self.open:
            self._close()


def _body(note: Note) -> str:
    body = "<br>".join(escape(line.rstrip()) for line in note.body.strip().splitlines())
    if note.tags:
        body += f'<span class="tags">Tags: {escape("; ".join(note.tags))}</span>'
    return body
