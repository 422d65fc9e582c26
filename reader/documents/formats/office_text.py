"""What the DOCX and ODT readers share: building one-line blocks, notes, metadata, errors.

Word and OpenDocument files both store a paragraph as a tree of runs and spans whose
whitespace means nothing on its own (indentation, line breaks between tags, ``w:tab``).
``TextBuilder`` collapses it as the text is added, so emphasis and link offsets are taken
on the final text and never need remapping; ``finish`` turns the drafts into a ``Document``
the same way for both formats, so a Word file and its ODT export read alike.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reader.documents.cleanup import fallback_title
from reader.documents.model import (
    BlockDraft,
    BlockKind,
    Document,
    InlineStyle,
    InlineStyleKind,
    Metadata,
    assemble,
)
from reader.errors import DocumentError

Mark = tuple[InlineStyleKind, str]  # a style and, for links, the target
Marks = frozenset[Mark]
NO_MARKS: Marks = frozenset()
BOLD: Mark = ("bold", "")
ITALIC: Mark = ("italic", "")

NOTES_HEADING = "Notes"
MAX_HEADING_LEVEL = 6

# Whitespace that separates words; no-break spaces are kept inside a block on purpose
# ("10\u00a0km"), but trimmed at its ends, as str.strip() would.
_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Characters XML allows (as references) that must never reach a text widget: C1 controls
# and the byte-order mark.
_CONTROLS = re.compile(r"[\x7f-\x84\x86-\x9f\ufeff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class TextBuilder:
    """One block's text, collapsed as it is built, with the styles of its pieces."""

    __slots__ = ("_length", "_parts", "_space", "_spans")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._space = False  # whitespace seen since the last word
        self._spans: dict[Mark, list[list[int]]] = {}

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def add(self, text: str, marks: Marks = NO_MARKS) -> None:
        """Append ``text``; runs of whitespace become one space, none at the start."""
        for index, word in enumerate(_SPACE.split(_CONTROLS.sub("", text))):
            if index:
                self._space = True
            if word:
                self._word(word, marks)

    def space(self) -> None:
        """A word break (a tab, a line break, the gap between two table cells' paragraphs)."""
        self._space = True

    def _word(self, word: str, marks: Marks) -> None:
        if self._space and self._length:
            self._parts.append(" ")
            self._length += 1
        self._space = False
        start = self._length
        self._parts.append(word)
        self._length += len(word)
        for mark in marks:
            spans = self._spans.setdefault(mark, [])
            # Adjacent runs with the same style are one range, even across a collapsed space:
            # "**Margaret** **Thatcher**" is one bold name to a reader.
            if spans and spans[-1][1] >= start - 1:
                spans[-1][1] = self._length
            else:
                spans.append([start, self._length])

    def draft(self, kind: BlockKind, level: int = 0) -> BlockDraft:
        """The block, stripped at both ends, with styles trimmed to visible characters."""
        raw = self.text
        text = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        styles: list[InlineStyle] = []
        for (style, target), spans in self._spans.items():
            for span_start, span_end in spans:
                start, end = max(span_start - lead, 0), min(span_end - lead, len(text))
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if start < end:
                    styles.append(InlineStyle(start, end, style, target))
        styles.sort(key=lambda s: (s.start, s.end, s.style, s.target))
        return BlockDraft(kind, text, level, styles=styles)


class NoteList:
    """Footnotes and endnotes in the order their markers appear, numbered from 1.

    A note is listed when its marker is first met, before its body is read, so a hostile
    note that refers to itself gets the same number instead of recursing forever.
    """

    def __init__(self) -> None:
        self._numbers: dict[object, int] = {}
        self._drafts: list[BlockDraft | None] = []

    def number(self, key: object) -> int | None:
        """The note's number if it has been listed already."""
        return self._numbers.get(key)

    def reserve(self, key: object) -> int:
        """List a new note and return its number; fill it in later with ``fill``."""
        self._drafts.append(None)
        number = len(self._drafts)
        self._numbers[key] = number
        return number

    def fill(self, number: int, body: TextBuilder) -> None:
        """Set the note's text; ``body`` must already start with the "[n]" marker."""
        self._drafts[number - 1] = body.draft("paragraph")

    def drafts(self) -> list[BlockDraft]:
        """The "Notes" heading and the notes, or nothing when the document has no notes."""
        notes = [d for d in self._drafts if d is not None and d.text]
        if not notes:
            return []
        return [BlockDraft("heading", NOTES_HEADING, 1), *notes]


def marker(number: int) -> str:
    return f"[{number}]"


def heading_level(value: str | int | None, default: int = 1) -> int:
    """A heading level within 1..6; Word allows 9 outline levels, the model has 6."""
    try:
        level = int(value) if value is not None else default
    except ValueError:
        level = default
    return min(max(level, 1), MAX_HEADING_LEVEL)


def one_line(value: str | None) -> str:
    """A metadata value on one line (titles in document properties may contain breaks)."""
    return " ".join((value or "").split())


def iso_date(value: str | None) -> str:
    """ "2024-03-05T10:00:00Z" as "2024-03-05"; "" when the value is not such a date."""
    value = one_line(value)
    match = _DATE.match(value)
    return match.group(0) if match else ""


def with_properties(
    metadata: Metadata, file_format: str, *, title: str, author: str, date: str
) -> Metadata:
    """A copy of ``metadata`` whose empty fields take the file's own properties."""
    return replace(
        metadata,
        format=file_format,
        title=metadata.title or one_line(title),
        author=metadata.author or one_line(author),
        date=metadata.date or iso_date(date),
    )


def finish(drafts: list[BlockDraft], notes: NoteList, meta: Metadata, name: str) -> Document:
    """Assemble the body and its notes; a title comes from the text when properties lack one."""
    body = [d for d in drafts if d.text]
    if not body:
        raise DocumentError(
            f"“{name}” contains no text (it may hold only pictures, or be a blank document); "
            "open a document that contains the article's text."
        )
    document = assemble(body + notes.drafts(), meta)
    if not meta.title:
        heading = next((d for d in body if d.kind == "title"), None) or next(
            (d for d in body if d.kind == "heading"), None
        )
        meta.title = fallback_title(heading.text if heading is not None else document.text)
    return document
