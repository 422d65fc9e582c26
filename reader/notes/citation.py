"""Where a passage is, in words a reader can check: "paragraph 12", "page 3, paragraph 2".

Paragraph numbers count what a reader counts as paragraphs (paragraphs, list items and
block quotations, not the title or headings), from the start of the article, or from the
start of the page for paginated sources such as PDFs, where a page number is what others
can look up. The same words are used by "Copy as citation" and by every export.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from reader.documents.model import Block, Document
from reader.filenames import readable

HASH_CHARS = 8
"""Characters of the SHA-256 shown in a citation: enough to tell versions of a text apart."""

_PARAGRAPH_KINDS = frozenset({"paragraph", "list_item", "quote"})
_SPACES = re.compile(r"\s+")
_HEADING_CHARS = 40


class Locator:
    """Paragraph numbers of one document, computed once for many offsets (an export)."""

    def __init__(self, document: Document) -> None:
        self.blocks: list[Block] = sorted(document.blocks, key=lambda b: b.start)
        self.text = document.text
        self._ends = [b.end for b in self.blocks]
        self._numbers: list[int] = []
        counts: dict[int | None, int] = {}
        for block in self.blocks:
            if block.kind in _PARAGRAPH_KINDS:
                counts[block.page] = counts.get(block.page, 0) + 1
            self._numbers.append(counts.get(block.page, 0))

    def block_index(self, offset: int) -> int | None:
        """The block holding ``offset``; between two blocks, the next one."""
        if not self.blocks:
            return None
        index = bisect_right(self._ends, offset)
        return min(index, len(self.blocks) - 1)

    def location(self, offset: int) -> str:
        index = self.block_index(offset)
        if index is None:
            return ""
        block = self.blocks[index]
        page = f"page {block.page}" if block.page is not None else ""
        if block.kind == "title":
            where = "title"
        elif block.kind == "heading":
            heading = _SPACES.sub(" ", self.text[block.start : block.end]).strip()
            if len(heading) > _HEADING_CHARS:
                heading = heading[: _HEADING_CHARS - 1].rstrip() + "…"
            where = f"heading “{heading}”"
        else:
            where = f"paragraph {self._numbers[index]}"
        return f"{page}, {where}" if page else where


def location(document: Document, offset: int) -> str:
    """Where ``offset`` is: "paragraph 12", or "page 3, paragraph 2" for paginated sources."""
    return Locator(document).location(offset)


def document_title(document: Document) -> str:
    """The title to cite: the article's own, else its file name."""
    title = document.metadata.title.strip()
    if not title and document.metadata.path:
        title = readable(Path(document.metadata.path).stem)
    return title


def source_line(document: Document, where: str, *, hash_chars: int = HASH_CHARS) -> str:
    """Author, title, site, date, location, source URL and text hash, comma separated."""
    meta = document.metadata
    parts = [
        meta.author.strip(),
        document_title(document),
        meta.site_name.strip(),
        meta.date.strip(),
        where,
        meta.source_url.strip(),
        f"sha256:{document.text_hash[:hash_chars]}",
    ]
    return ", ".join(part for part in parts if part)


def quote_text(text: str) -> str:
    """A quotation on one line: runs of white space (paragraph breaks too) become a space."""
    return _SPACES.sub(" ", text).strip()


def citation(document: Document, start: int, end: int) -> str:
    """“quote” — Author, Title, Site, Date, paragraph N, URL, sha256:… (one paragraph)."""
    quote = quote_text(document.text[start:end])
    return f"“{quote}” — {source_line(document, location(document, start))}"
