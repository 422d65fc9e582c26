"""What comes before the text: where the copy comes from, the legend, the article's notes.

A printed copy outlives the file it came from, so the header says which text this is (the
short SHA-256 that ``reader`` identifies a text by) and when it was printed; the legend
makes the marks readable by someone who never saw the program.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor

from reader.documents.model import Document
from reader.entities import appearance
from reader.notes.citation import HASH_CHARS, document_title
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.content import KEEP_WITH_NEXT, grey
from reader.printing.options import PrintOptions

if TYPE_CHECKING:
    from reader.printing.content import BodyBuilder

NOTE_BACKGROUND = "#eef6f2"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")


def printed_at(options: PrintOptions) -> datetime:
    return options.printed_at or datetime.now().astimezone()


def readable_date(value: str) -> str:
    """ "2020-01-06" (or with a time) as "6 January 2020"; any other form as written."""
    value = value.strip()
    if not _ISO_DATE.match(value):
        return value
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%B} {day.year}"


def source_name(document: Document) -> str:
    """Where the article comes from, short enough for a running head: the site, else the
    host of its address."""
    meta = document.metadata
    if meta.site_name.strip():
        return meta.site_name.strip()
    host = urlsplit(meta.source_url.strip()).hostname or ""
    return host.removeprefix("www.")


def running_head(document: Document) -> str:
    """What every page after the first says of the article besides its title."""
    parts = (readable_date(document.metadata.date), source_name(document))
    return " · ".join(p for p in parts if p)


def header_lines(document: Document, options: PrintOptions) -> list[str]:
    """The lines under the title: byline, source, file, text hash and printing date."""
    meta = document.metadata
    parts = (meta.author, readable_date(meta.date), meta.site_name)
    byline = " · ".join(p.strip() for p in parts if p.strip())
    when = printed_at(options).strftime("%d %B %Y, %H:%M").lstrip("0")
    file_parts = [f"File {Path(meta.path).name}" if meta.path else ""]
    file_parts.append(f"text sha256:{document.text_hash[:HASH_CHARS]}")
    file_parts.append(f"printed {when}")
    lines = [byline, meta.source_url.strip(), " · ".join(p for p in file_parts if p)]
    return [line for line in lines if line]


class FrontWriter:
    """Writes the front matter at the start of the first section."""

    def __init__(
        self,
        document: Document,
        options: PrintOptions,
        document_notes: Sequence[Note],
        orphans: Sequence[Note],
        entity_notes: Sequence[Note],
        numbered: int = 0,
    ) -> None:
        self.document = document
        self.numbered = numbered  # how many passage notes have a number in the text
        self.options = options
        self.document_notes = list(document_notes)
        self.orphans = list(orphans)
        self.entity_notes = list(entity_notes)  # only when there is no index to hold them

    def __call__(self, cursor: QTextCursor, builder: BodyBuilder) -> None:
        self.cursor, self.em, self.em_x = cursor, builder.em, builder.em_x
        self.size = builder.font.pointSizeF()
        self.first = True
        self._header()
        self._legend()
        if self.options.show_notes:
            self._notes()
        last = cursor.blockFormat()
        last.setBottomMargin(self.em * 1.6)
        cursor.setBlockFormat(last)

    # -- pieces -------------------------------------------------------------------------------

    def _block(self, bottom: float = 0.15, **kwargs: float) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(122, 1)
        fmt.setBottomMargin(self.em * bottom)
        for name, value in kwargs.items():
            getattr(fmt, f"set{name[0].upper()}{name[1:]}")(value)
        if self.first:
            self.cursor.setBlockFormat(fmt)
            self.first = False
        else:
            self.cursor.insertBlock(fmt, QTextCharFormat())
        return fmt

    def _chars(self, scale: float, *, bold: bool = False, colour: str = "") -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies([styles.sans_family()])
        fmt.setFontPointSize(self.size * scale)
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if colour:
            fmt.setForeground(QColor(colour))
        return fmt

    def _header(self) -> None:
        title = document_title(self.document) or "Untitled"
        self._block(bottom=0.3)
        self.cursor.insertText(title, self._chars(1.15, bold=True))
        meta = self._chars(styles.NOTE_SCALE, colour=styles.META_GREY)
        for line in header_lines(self.document, self.options):
            self._block()
            self.cursor.insertText(line, meta)

    def _legend(self) -> None:
        self._block(bottom=0.2, topMargin=self.em * 0.5)
        plain = self._chars(styles.NOTE_SCALE, colour=styles.META_GREY)
        kinds = self.options.ordered_kinds
        if not kinds and not self.options.show_notes:
            return
        self.cursor.insertText("Marked: " if kinds else "", plain)
        for index, kind in enumerate(kinds):
            if index:
                self.cursor.insertText(" · ", plain)
            sample = styles.entity_format(kind, self.options)
            sample.merge(self._chars(styles.NOTE_SCALE))
            self.cursor.insertText(kind.singular.lower(), sample)
            self.cursor.insertText(f" ({appearance.UNDERLINE_NAMES[kind]})", plain)
        if self.options.show_notes and self.numbered:
            where = "foot of the page" if self.options.notes == "footnotes" else "end"
            self.cursor.insertText(". " if kinds else "", plain)
            marker = self._chars(styles.NOTE_SCALE, bold=True)
            marker.setForeground(styles.note_colour(self.options))
            self.cursor.insertText("1", marker)
            self.cursor.insertText(
                f" a note, printed at the {where}; its passage has a bar in the margin.", plain
            )

    def _notes(self) -> None:
        groups = [
            ("Notes on this article", [(n, "") for n in self.document_notes]),
            (
                "Notes on passages no longer found in this text",
                [(n, f"“{_short(n.quote, 160)}” ") for n in self.orphans],
            ),
            (
                "Notes on the names in this article",
                [(n, f"{n.entity_canonical}: ") for n in self.entity_notes],
            ),
        ]
        background = grey(self.options, NOTE_BACKGROUND)
        for heading, notes in groups:
            if not notes:
                continue
            fmt = self._block(bottom=0.25, topMargin=self.em * 0.8)
            fmt.setProperty(KEEP_WITH_NEXT, True)
            self.cursor.setBlockFormat(fmt)
            self.cursor.insertText(heading, self._chars(styles.NOTE_SCALE, bold=True))
            for note, lead in notes:
                block = self._block(bottom=0.3)
                block.setBackground(background)
                block.setLeftMargin(self.em_x * 0.2)
                block.setRightMargin(self.em_x * 0.2)
                self.cursor.setBlockFormat(block)
                body = QTextCharFormat()
                body.setFontPointSize(self.size * 0.9)
                if lead:
                    italic = QTextCharFormat(body)
                    italic.setFontItalic(True)
                    self.cursor.insertText(lead, italic)
                self.cursor.insertText(_one_paragraph(note.body), body)
                if note.tags:
                    tags = self._chars(0.72, colour=styles.META_GREY)
                    self.cursor.insertText("   Tags: " + "; ".join(note.tags), tags)


def _one_paragraph(text: str) -> str:
    """A note's own line breaks, kept inside one block (U+2028 is a line break in Qt)."""
    return "\u2028".join(line.rstrip() for line in text.strip().splitlines())


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
