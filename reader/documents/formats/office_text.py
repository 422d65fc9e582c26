"""What the word-processor readers share: tables and notes on the page, metadata, errors.

Word and OpenDocument files both store a table as rows of cells holding paragraphs, and a
footnote as a body that the text refers to by a marker. ``OfficeReader`` walks those the
same way for both formats (a row on one line, a note read where its marker first appears)
and ``OfficeReader.finish`` turns the drafts into a ``Document`` the same way, so a Word
file and its ODT export read alike. RTF gathers its notes under the same "Notes" heading.
The text of each block is built by ``styled_text.StyledText``, as in every markup reader.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import replace

from lxml import etree

from reader.documents.cleanup import fallback_title, iso_date
from reader.documents.formats.styled_text import NO_STYLES, StyledText, StyleKey, with_label
from reader.documents.model import BlockDraft, BlockKind, Document, Metadata, assemble
from reader.documents.safe_xml import parse_xml
from reader.documents.safe_zip import SafeZip
from reader.errors import DocumentError

NOTES_HEADING = "Notes"
MAX_HEADING_LEVEL = 6
MAX_STYLE_CHAIN = 20  # style inheritance chains are short; a cycle in a hostile file must end

_HEADING_STYLE = re.compile(r"heading\s*([1-9])", re.IGNORECASE)


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

    def fill(self, number: int, body: StyledText) -> None:
        """Set the note's text; ``body`` must already start with the "[n]" marker."""
        self._drafts[number - 1] = body.draft("paragraph")

    def drafts(self) -> list[BlockDraft]:
        """The "Notes" heading and the notes, or nothing when the document has no notes."""
        return notes_section([d for d in self._drafts if d is not None and d.text])


def notes_section(notes: list[BlockDraft]) -> list[BlockDraft]:
    """The notes under a "Notes" heading, the way a printed book ends; [] without notes."""
    return [BlockDraft("heading", NOTES_HEADING, 1), *notes] if notes else []


def marker(number: int) -> str:
    return f"[{number}]"


def heading_level(value: str | int | None, default: int = 1) -> int:
    """A heading level within 1..6; Word allows 9 outline levels, the model has 6."""
    try:
        level = int(value) if value is not None else default
    except ValueError:
        level = default
    return min(max(level, 1), MAX_HEADING_LEVEL)


def style_heading_level(name: str) -> int | None:
    """The level a paragraph style's English name gives ("Heading 2": 2), if it is one."""
    match = _HEADING_STYLE.fullmatch(name)
    return heading_level(match.group(1)) if match else None


def one_line(value: str | None) -> str:
    """A metadata value on one line (titles in document properties may contain breaks)."""
    return " ".join((value or "").split())


class OfficeReader(ABC):
    """One document's walk; subclasses say where a format keeps cells and cell contents."""

    def __init__(self, archive: SafeZip) -> None:
        self.archive = archive
        self.name = archive.name
        self.drafts: list[BlockDraft] = []
        self.notes = NoteList()
        self.anchored: list[etree._Element] = []  # drawings met in the paragraph being read

    @abstractmethod
    def read(self, metadata: Metadata) -> Document: ...

    @abstractmethod
    def cells(self, row: etree._Element) -> Iterable[etree._Element]:
        """The cells of a table row, in order."""

    @abstractmethod
    def flatten(self, parent: etree._Element, builder: StyledText) -> None:
        """Body content (a cell, a note) as one line: paragraphs and nested tables in order."""

    @abstractmethod
    def inline(
        self, parent: etree._Element, builder: StyledText, marks: frozenset[StyleKey]
    ) -> None:
        """A paragraph's text into ``builder``; the drawings holding text go to ``anchored``."""

    def paragraph_inline(
        self,
        paragraph: etree._Element,
        builder: StyledText,
        marks: frozenset[StyleKey] = NO_STYLES,
    ) -> list[etree._Element]:
        """Read a paragraph into ``builder``; return the text boxes and frames anchored in it,
        which the caller reads after the paragraph: a box never splits a sentence."""
        outer, self.anchored = self.anchored, []
        try:
            self.inline(paragraph, builder, marks)
            return self.anchored
        finally:
            self.anchored = outer

    def read_safely(self, metadata: Metadata) -> Document:
        """``read``, reporting a file nested deeper than the Python stack as damaged."""
        try:
            return self.read(metadata)
        except RecursionError:
            raise self.archive.damaged() from None

    def optional_xml(self, member: str) -> etree._Element | None:
        """A part the text does not depend on; unreadable XML there is ignored.

        Size limits still apply: ``read_optional`` raises on a zip bomb.
        """
        data = self.archive.read_optional(member) if member else None
        if data is None:
            return None
        try:
            return parse_xml(data, self.name, self.archive.kind)
        except DocumentError:
            return None

    def add_block(
        self, builder: StyledText, kind: BlockKind, level: int = 0, label: str = ""
    ) -> None:
        """The block ``builder`` holds, if any text; ``label`` is its list number ("2. ")."""
        draft = builder.draft(kind, level)
        if draft is not None:
            self.drafts.append(with_label(draft, label))

    def table(self, rows: Iterable[etree._Element]) -> None:
        """Each row as a paragraph; a row of empty cells (bars only) is left out."""
        for row in rows:
            builder = StyledText()
            self.row(row, builder)
            draft = builder.draft("paragraph")
            if draft is not None and draft.text.replace("|", " ").strip():
                self.drafts.append(draft)

    def row(self, row: etree._Element, builder: StyledText) -> None:
        """A table row on one line: the cells' texts joined by " | "."""
        for index, cell in enumerate(self.cells(row)):
            if index:
                builder.append(" | ")
            self.flatten(cell, builder)

    def nested_table(self, rows: Iterable[etree._Element], builder: StyledText) -> None:
        """A table inside a cell or a note, its rows on the line they belong to."""
        for row in rows:
            builder.space()
            self.row(row, builder)

    def note(self, key: object, body: etree._Element | None) -> str:
        """The "[n]" marker of note ``key``; its ``body`` is read the first time it is met."""
        number = self.notes.number(key)
        if number is None:
            number = self.notes.reserve(key)
            builder = StyledText()
            builder.append(marker(number))
            if body is not None:
                self.flatten(body, builder)
            self.notes.fill(number, builder)
        return marker(number)

    def finish(
        self, metadata: Metadata, file_format: str, *, title: str, author: str, date: str
    ) -> Document:
        """The body and its notes; ``metadata``'s empty fields take the file's properties.

        A title comes from the text when neither the caller nor the properties have one.
        """
        meta = replace(
            metadata,
            format=file_format,
            title=metadata.title or one_line(title),
            author=metadata.author or one_line(author),
            date=metadata.date or iso_date(date),
        )
        if not self.drafts:
            raise DocumentError(
                f"“{self.name}” contains no text (it may hold only pictures, or be a blank "
                "document); open a document that contains the article's text."
            )
        document = assemble(self.drafts + self.notes.drafts(), meta)
        if not meta.title:
            heading = next((d for d in self.drafts if d.kind == "title"), None) or next(
                (d for d in self.drafts if d.kind == "heading"), None
            )
            meta.title = fallback_title(
                heading.text if heading is not None else document.text, meta.path
            )
        return document
