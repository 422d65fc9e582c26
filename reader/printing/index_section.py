"""The index of people, places and organizations, with the pages each is mentioned on.

Page numbers come from the real cut of the pages (``Paginator.page_of``), not from an
estimate, so they are right for this paper size and these margins. Notes on a name are
printed under it: a note on a person follows them into every article that mentions them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import (
    QColor,
    QFont,
    QPaintDevice,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from reader.entities.kinds import KIND_ORDER, Kind
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.content import KEEP_WITH_NEXT, Anchor, EntityKey, new_document
from reader.printing.note_sections import note_font, section_document
from reader.printing.options import PrintOptions
from reader.printing.pagination import CONTINUED_PROPERTY

INDEX_TITLE = "Index"
INDEX_INTRO = (
    "The pages on which each person, place and organization is mentioned; notes on a name "
    "follow it."
)


@dataclass(slots=True)
class IndexEntry:
    kind: Kind
    name: str
    pages: list[int]
    notes: list[Note] = field(default_factory=list)


def sort_key(name: str) -> str:
    """Alphabetical as a reader expects: accents and case ignored ("Émile" beside "Emil")."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def index_entries(
    mentions: Mapping[EntityKey, Sequence[Anchor]],
    page_of: Callable[[Anchor], int | None],
    entity_notes: Mapping[tuple[str, str], list[Note]],
    kinds: Sequence[Kind],
) -> list[IndexEntry]:
    """Entries in kind order, then alphabetically, each with its sorted, distinct pages."""
    entries = []
    for (kind, name), anchors in mentions.items():
        if kind not in kinds:
            continue
        pages = sorted({p for p in map(page_of, anchors) if p is not None})
        notes = list(entity_notes.get((kind.value, name), []))
        entries.append(IndexEntry(kind, name, pages, notes))
    order = {kind: number for number, kind in enumerate(KIND_ORDER)}
    entries.sort(key=lambda e: (order[e.kind], sort_key(e.name), e.name))
    return entries


def page_ranges(pages: Sequence[int]) -> str:
    """``[1, 2, 4, 5, 6, 9]`` as "1, 2, 4–6, 9": a range from three pages on."""
    parts: list[str] = []
    run: list[int] = []
    for page in [*pages, None]:
        if page is not None and run and page == run[-1] + 1:
            run.append(page)
            continue
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(p) for p in run)
        run = [page] if page is not None else []
    return ", ".join(parts)


def index_title_document(
    options: PrintOptions, device: QPaintDevice, width: float
) -> QTextDocument:
    qdoc, cursor, font = section_document(options, device, width, INDEX_TITLE, gap_em=0.4)
    em = font.pointSizeF() * styles.PX
    intro = QTextBlockFormat()
    intro.setBottomMargin(em * 0.6)
    cursor.insertBlock(intro, QTextCharFormat())
    grey = QTextCharFormat()
    grey.setForeground(QColor(styles.META_GREY))
    cursor.insertText(INDEX_INTRO, grey)
    qdoc.size()
    return qdoc


def _index_font(options: PrintOptions) -> QFont:
    return note_font(options, 0.85)


def _heading_format(font: QFont) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontPointSize(font.pointSizeF() * 1.15)
    return fmt


def continued_heading(kind: Kind) -> str:
    return f"{kind.display_name} (continued)"


def continued_heading_document(
    text: str, options: PrintOptions, device: QPaintDevice, width: float
) -> QTextDocument:
    """A group's heading repeated at the top of a column or page its entries continue in."""
    font = _index_font(options)
    qdoc = new_document(device, width, font)
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(font.pointSizeF() * styles.PX * 0.3)
    cursor = QTextCursor(qdoc)
    cursor.setBlockFormat(fmt)
    cursor.insertText(text, _heading_format(font))
    qdoc.size()
    return qdoc


def index_document(
    entries: Sequence[IndexEntry], options: PrintOptions, device: QPaintDevice, width: float
) -> QTextDocument:
    """The entries, one block each, grouped under "People", "Places", "Organizations".

    Each entry (and note) block names its group's continued heading, which the paginator
    repeats where a column or page begins inside the group."""
    font = _index_font(options)
    qdoc = new_document(device, width, font)
    em = font.pointSizeF() * styles.PX
    em_x = font.pointSizeF() * styles.POINT
    cursor = QTextCursor(qdoc)
    cursor.beginEditBlock()
    heading_format = _heading_format(font)
    page_format = QTextCharFormat()
    page_format.setForeground(QColor(styles.META_GREY))
    note_format = QTextCharFormat()
    note_format.setFontItalic(True)
    note_format.setFontPointSize(font.pointSizeF() * 0.92)
    kind = None
    first = True
    for entry in entries:
        if entry.kind != kind:
            kind = entry.kind
            fmt = QTextBlockFormat()
            fmt.setTopMargin(0 if first else em * 0.9)
            fmt.setBottomMargin(em * 0.3)
            fmt.setProperty(KEEP_WITH_NEXT, True)
            _block(cursor, fmt, first)
            first = False
            cursor.insertText(kind.display_name, heading_format)
        fmt = QTextBlockFormat()
        fmt.setLeftMargin(em_x * 1.2)
        fmt.setTextIndent(-em_x * 1.2)
        fmt.setLineHeight(115, 1)
        fmt.setBottomMargin(em * 0.12)
        fmt.setProperty(CONTINUED_PROPERTY, continued_heading(entry.kind))
        if entry.notes:
            fmt.setProperty(KEEP_WITH_NEXT, True)
        _block(cursor, fmt, first)
        first = False
        name = styles.entity_format(entry.kind, options)
        name.setBackground(QColor(0, 0, 0, 0))  # no tint in the index: it is not the text
        cursor.insertText(entry.name, name)
        cursor.insertText("  " + page_ranges(entry.pages), page_format)
        for number, note in enumerate(entry.notes):
            block = QTextBlockFormat()
            block.setLeftMargin(em_x * 2.0)
            block.setLineHeight(115, 1)
            block.setBottomMargin(em * 0.2)
            block.setProperty(CONTINUED_PROPERTY, continued_heading(entry.kind))
            if number + 1 < len(entry.notes):
                block.setProperty(KEEP_WITH_NEXT, True)
            cursor.insertBlock(block, QTextCharFormat())
            body = "\u2028".join(line.rstrip() for line in note.body.strip().splitlines())
            cursor.insertText("Note: " + body, note_format)
    cursor.endEditBlock()
    qdoc.size()
    return qdoc


def _block(cursor: QTextCursor, fmt: QTextBlockFormat, first: bool) -> None:
    if first:
        cursor.setBlockFormat(fmt)
    else:
        cursor.insertBlock(fmt, QTextCharFormat())
