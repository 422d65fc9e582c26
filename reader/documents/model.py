"""The canonical document: one text, its blocks and its metadata.

Every loader produces a ``Document``. NER, notes, search and printing all work on
``Document.text``; offsets everywhere in the domain are Python string indices into it.
Blocks are separated by a blank line (``"\\n\\n"``) in the canonical text and contain no
newline themselves, so a block is a paragraph, a heading or a list item as a reader sees it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["title", "heading", "paragraph", "list_item", "quote"]
InlineStyleKind = Literal["bold", "italic", "code", "link"]

BLOCK_SEPARATOR = "\n\n"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class InlineStyle:
    """Emphasis inside a block, with absolute offsets into the canonical text."""

    start: int
    end: int
    style: InlineStyleKind
    target: str = ""  # the URL of a link


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, title, list item or quotation; ``end`` is exclusive."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level (1-6) or list nesting depth
    page: int | None = None  # the page it starts on, for paginated formats
    styles: tuple[InlineStyle, ...] = ()


@dataclass(slots=True)
class Metadata:
    """What is known about the article besides its text."""

    title: str = ""
    author: str = ""
    date: str = ""
    source_url: str = ""
    site_name: str = ""
    path: str = ""
    file_hash: str = ""  # SHA-256 of the file's bytes
    encoding: str = ""
    format: str = ""  # "text", "markdown", "html", "pdf", "docx", "odt", "epub", "rtf"
    page_count: int = 0  # pages of a paginated source (PDF); 0 when it has none
    notice: str = ""  # how the text was obtained, when the researcher should know


@dataclass(slots=True)
class Document:
    text: str
    blocks: list[Block]
    metadata: Metadata = field(default_factory=Metadata)

    @property
    def text_hash(self) -> str:
        """The document's identity: SHA-256 of the canonical text (UTF-8).

        Encoded a megabyte at a time: a 150 MB text is never copied whole for it."""
        digest = hashlib.sha256()
        text = self.text
        for start in range(0, len(text), _CHUNK):
            digest.update(text[start : start + _CHUNK].encode("utf-8"))
        return digest.hexdigest()

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    @property
    def word_count(self) -> int:
        """Words (runs of non-space), counted a megabyte at a time: ``text.split()`` of a
        book would build a list of a million strings just to count them."""
        text, count, start = self.text, 0, 0
        while start < len(text):
            end = min(len(text), start + _CHUNK)
            while end < len(text) and not text[end - 1].isspace():
                end += 1  # never cut a word in two
            count += len(text[start:end].split())
            start = end
        return count

    def to_plain(self) -> PlainDocument:
        """Built-in types only: unpickled in C, with no Python code run per block."""
        blocks = [
            (
                b.kind,
                b.start,
                b.end,
                b.level,
                b.page,
                tuple((s.start, s.end, s.style, s.target) for s in b.styles),
            )
            for b in self.blocks
        ]
        return self.text, blocks, asdict(self.metadata)

    @classmethod
    def from_plain(cls, plain: PlainDocument) -> Document:
        text, blocks, metadata = plain
        return cls(
            text,
            [
                Block(kind, start, end, level, page, tuple(InlineStyle(*s) for s in styles))
                for kind, start, end, level, page, styles in blocks
            ],
            Metadata(**metadata),
        )


PlainDocument = tuple[str, list[tuple[Any, ...]], dict[str, Any]]


@dataclass(slots=True)
class BlockDraft:
    """A block before assembly; ``styles`` offsets are relative to ``text``.

    ``styles`` defaults to one shared empty tuple, not a new list per draft: a text of a
    million short paragraphs would otherwise spend 56 MB on empty lists while it loads.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    styles: Sequence[InlineStyle] = ()


def assemble(drafts: Iterable[BlockDraft], metadata: Metadata) -> Document:
    """Join drafts into one canonical text, dropping empty blocks.

    Newlines inside a draft become spaces: a block is one line of the canonical text. The
    text is joined a few thousand blocks at a time, so that a million short paragraphs are
    never all alive as separate strings besides the text they make (issue 11's budget).
    """
    pieces: list[str] = []  # joined groups of blocks
    parts: list[str] = []  # the current group
    blocks: list[Block] = []
    offset = 0
    for draft in drafts:
        text = draft.text.replace("\r", " ").replace("\n", " ")
        if not text or text.isspace():
            continue
        if blocks:
            parts.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        styles = tuple(
            InlineStyle(offset + s.start, offset + s.end, s.style, s.target)
            for s in draft.styles
            if 0 <= s.start < s.end <= len(text)
        )
        blocks.append(
            Block(draft.kind, offset, offset + len(text), draft.level, draft.page, styles)
        )
        parts.append(text)
        offset += len(text)
        if len(parts) >= _JOIN_EVERY:
            pieces.append("".join(parts))
            parts.clear()
    pieces.append("".join(parts))
    return Document("".join(pieces) if len(pieces) > 1 else pieces[0], blocks, metadata)


_JOIN_EVERY = 4_096
