"""From a document, its mentions and its notes to the pages of an annotated copy.

The steps, in order: lay out the text in sections (most of the time, reported as progress),
lay out each footnote, cut the body into pages, then add the endnotes and the index, whose
page numbers are only known once the body is cut. The result, ``PrintLayout``, holds
everything the painter needs, in units of 1/1200 inch; painting it onto a PDF, a printer or
a preview is then the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QTextDocument

from reader.documents.model import Document
from reader.entities.spans import Mention
from reader.notes.citation import document_title
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.content import Anchor, BodyBuilder, NumberedNote, number_notes
from reader.printing.front_matter import FrontWriter, running_head
from reader.printing.index_section import (
    IndexEntry,
    continued_heading_document,
    index_document,
    index_entries,
    index_title_document,
)
from reader.printing.note_sections import endnotes_document, footnotes
from reader.printing.options import PrintOptions
from reader.printing.pagination import Flow, Page, Paginator

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

COLUMN_GUTTER_MM = 7.0
LAYOUT_SHARE = 0.45
"""Of the progress bar: laying out the text; painting the pages takes the rest."""
PROGRESS_STEPS = 1000


class PrintCancelled(Exception):
    """The user cancelled while the copy was being made; nothing was written."""


@dataclass
class PrintLayout:
    """Pages ready to paint, plus what the tests and the report want to know."""

    options: PrintOptions
    page_width: float
    page_height: float
    margin: float
    title: str
    pages: list[Page]
    body: Flow
    footnotes: dict[int, QTextDocument]
    note_gap: float
    bars: list[tuple[float, float]] = field(default_factory=list)  # noted passages, virtual y
    marker_pages: dict[int, int] = field(default_factory=dict)  # note number -> page
    index: list[IndexEntry] = field(default_factory=list)
    running: str = ""  # the article's date and source, in the head of every later page
    author: str = ""  # for the PDF's Author field

    @property
    def body_width(self) -> float:
        return self.page_width - 2 * self.margin

    @property
    def body_height(self) -> float:
        return self.page_height - 2 * self.margin


_device: QImage | None = None


def layout_device() -> QImage:
    """A paint device at ``LAYOUT_DPI`` that nobody paints on: it only lends its resolution."""
    global _device
    if _device is None:
        image = QImage(1, 1, QImage.Format.Format_Mono)
        dots_per_metre = round(styles.LAYOUT_DPI / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        _device = image
    return _device


def split_notes(
    notes: Sequence[Note], entity_notes: Sequence[Note], mentions: Sequence[Mention]
) -> tuple[list[Note], list[Note], dict[tuple[str, str], list[Note]]]:
    """Document notes, orphans, and the entity notes of the names this text mentions.

    Entity notes may come in ``notes`` too (a store asked for them); each is used once.
    """
    present = {(m.kind.value, m.canonical) for m in mentions}
    seen: set[int | None] = set()
    by_entity: dict[tuple[str, str], list[Note]] = {}
    for note in [*notes, *entity_notes]:
        if note.kind != "entity" or (note.id is not None and note.id in seen):
            continue
        seen.add(note.id)
        key = note.entity
        if key is not None and key in present:
            by_entity.setdefault(key, []).append(note)
    document_notes = [n for n in notes if n.kind == "document"]
    orphans = [n for n in notes if n.kind == "passage" and not n.is_placed]
    return document_notes, orphans, by_entity


def compose(
    document: Document,
    mentions: Sequence[Mention],
    notes: Sequence[Note],
    entity_notes: Sequence[Note],
    options: PrintOptions,
    page_size: QSizeF,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    share: float = LAYOUT_SHARE,
) -> PrintLayout:
    """Lay out the annotated copy for pages of ``page_size`` points; raises PrintCancelled."""
    device = layout_device()
    page_width = page_size.width() * styles.POINT
    page_height = page_size.height() * styles.POINT
    margin = options.margin_mm * styles.MM
    width, height = page_width - 2 * margin, page_height - 2 * margin
    show = options.show_notes
    numbered = number_notes(notes) if show else []
    document_notes, orphans, by_entity = split_notes(notes, entity_notes, mentions)
    if not show:
        document_notes, orphans, by_entity = [], [], {}
    in_index = options.include_index
    front_entity_notes = [] if in_index else [n for group in by_entity.values() for n in group]
    builder = BodyBuilder(document, mentions, numbered, options, device, width)
    ranges = builder.sections(
        FrontWriter(document, options, document_notes, orphans, front_entity_notes, len(numbered))
    )
    for done, blocks in enumerate(ranges, 1):
        if cancelled is not None and cancelled():
            raise PrintCancelled
        builder.build_section(blocks)
        if progress is not None:
            progress(round(PROGRESS_STEPS * share * done / len(ranges)), PROGRESS_STEPS)
    body = builder.body
    flow = Flow(body.sections, body.markers)

    note_docs: dict[int, QTextDocument] = {}
    continued: list[NumberedNote] = []
    note_gap = 0.0
    if options.notes == "footnotes" and numbered:
        note_docs, continued = footnotes(numbered, options, device, width, height)
        note_gap = options.font_size * styles.POINT * 1.6
    paginator = Paginator(
        width, height, {n: d.size().height() for n, d in note_docs.items()}, note_gap
    )
    paginator.add(flow, role="body")

    def page_of(anchor: Anchor) -> int | None:
        return paginator.page_of(flow, flow.line_index(anchor))

    marker_pages = {n: p for n, a in body.markers.items() if (p := page_of(a)) is not None}
    end_notes = numbered if options.notes == "endnotes" else continued
    if end_notes:
        heading = "Notes" if options.notes == "endnotes" else "Notes continued"
        notes_doc = endnotes_document(end_notes, options, device, width, marker_pages.get, heading)
        paginator.add(Flow([notes_doc]), role="notes")
    entries: list[IndexEntry] = []
    if in_index:
        entries = index_entries(body.mentions, page_of, by_entity, options.ordered_kinds)
    if entries:
        gutter = COLUMN_GUTTER_MM * styles.MM
        paginator.add(Flow([index_title_document(options, device, width)]), role="index")
        column = (width - gutter) / 2
        paginator.add(
            Flow([index_document(entries, options, device, column)]),
            role="index",
            new_page=False,
            gap=options.font_size * styles.POINT,
            columns=2,
            gutter=gutter,
            continued=lambda text: continued_heading_document(text, options, device, column),
        )
    bars = []
    for start, end in body.passages.values():
        first, last = flow.line_index(start), flow.line_index(end)
        bars.append((flow.lines[first].top, flow.lines[last].bottom))
    return PrintLayout(
        options,
        page_width,
        page_height,
        margin,
        document_title(document) or "Untitled",
        paginator.pages,
        flow,
        note_docs,
        note_gap,
        bars,
        marker_pages,
        entries,
        running_head(document),
        document.metadata.author.strip(),
    )
