"""Notes as Markdown (to read and paste into a paper), CSV (to sort) and JSON-LD (to exchange).

Every passage note carries its citation (author, title, site, date, paragraph or page,
source, text hash) so an exported note still says where its words come from once it is
far from the library. The JSON-LD side lives in ``reader.notes.jsonld`` and is
re-exported here, so that callers find every format in one module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from reader.documents.model import Document
from reader.notes.citation import Locator, document_title, source_line
from reader.notes.jsonld import ImportedNote, NotesFormatError, from_jsonld, to_jsonld
from reader.notes.model import Note

__all__ = [
    "CSV_COLUMNS",
    "ImportedNote",
    "NotesFormatError",
    "from_jsonld",
    "note_order",
    "to_csv",
    "to_jsonld",
    "to_markdown",
]

CSV_COLUMNS = (
    "id",
    "kind",
    "document_title",
    "author",
    "date",
    "source_url",
    "text_sha256",
    "location",
    "quote",
    "note",
    "tags",
    "entity",
    "orphaned",
    "created",
    "modified",
)

ORPHAN_MARK = "no longer found in the text"


def note_order(note: Note) -> tuple[int, int, int]:
    """Text order within one document: article notes, passages by position, orphans."""
    if note.kind == "document":
        return (0, 0, note.id or 0)
    if note.kind == "passage" and not note.orphaned:
        return (1, note.start or 0, note.id or 0)
    return (2, 0, note.id or 0)


def _grouped(notes: Iterable[Note]) -> tuple[dict[int | None, list[Note]], list[Note]]:
    """Notes per document (in order of first appearance) and the entity notes apart."""
    per_document: dict[int | None, list[Note]] = {}
    entity_notes: list[Note] = []
    for note in notes:
        if note.kind == "entity":
            entity_notes.append(note)
        else:
            per_document.setdefault(note.document_id, []).append(note)
    for group in per_document.values():
        group.sort(key=note_order)
    entity_notes.sort(key=lambda n: (n.entity_kind, n.entity_canonical.casefold(), n.id or 0))
    return per_document, entity_notes


def _where(note: Note, locator: Locator | None) -> str:
    if note.kind == "document":
        return "whole article"
    if note.kind == "entity":
        return ""
    if note.orphaned or note.start is None:
        return ORPHAN_MARK
    return locator.location(note.start) if locator is not None else ""


def _tags(note: Note) -> str:
    return ", ".join(f"#{tag}" for tag in note.tags)


def to_markdown(notes: Iterable[Note], documents: dict[int, Document]) -> str:
    """Notes grouped by article (a heading with its citation details), entity notes apart."""
    per_document, entity_notes = _grouped(notes)
    lines: list[str] = ["# Notes", ""]
    for document_id, group in per_document.items():
        document = documents.get(document_id) if document_id is not None else None
        locator = Locator(document) if document is not None else None
        lines += _document_heading(document, document_id)
        for note in group:
            lines += _markdown_note(note, document, locator)
    if entity_notes:
        lines += ["## People, places and organisations", ""]
        for note in entity_notes:
            lines += [f"### {note.entity_canonical} ({note.entity_kind})", ""]
            lines += _body_lines(note)
    return "\n".join(lines).rstrip("\n") + "\n"


def _document_heading(document: Document | None, document_id: int | None) -> list[str]:
    if document is None:
        return [f"## Article {document_id} (not in the library)", ""]
    meta = document.metadata
    lines = [f"## {document_title(document) or 'Untitled article'}", ""]
    details = [meta.author, meta.date, meta.site_name]
    details = [d.strip() for d in details if d.strip()]
    if meta.source_url:
        details.append(f"<{meta.source_url}>")
    if details:
        lines.append(" · ".join(details) + "  ")
    lines += [f"Text: `sha256:{document.text_hash}`", ""]
    return lines


def _markdown_note(note: Note, document: Document | None, locator: Locator | None) -> list[str]:
    where = _where(note, locator)
    if note.kind == "document":
        lines = ["### On the whole article", ""]
    elif note.orphaned or note.start is None:
        lines = [f"### Orphaned note: its passage is {ORPHAN_MARK}", ""]
    else:
        lines = [f"### {where[:1].upper()}{where[1:]}", ""]
    if note.kind == "passage":
        lines += [f"> {line}" if line else ">" for line in note.quote.split("\n")]
        if document is not None:
            lines.append(">")
            lines.append(f"> — {source_line(document, where if not note.orphaned else '')}")
        lines.append("")
    return lines + _body_lines(note)


def _body_lines(note: Note) -> list[str]:
    lines = [note.body.strip(), ""] if note.body.strip() else []
    details = []
    if note.tags:
        details.append(f"Tags: {_tags(note)}")
    if note.created:
        details.append(f"written {note.created}")
    if note.modified and note.modified != note.created:
        details.append(f"edited {note.modified}")
    if details:
        lines += ["*" + " · ".join(details) + "*", ""]
    return lines


def to_csv(notes: Iterable[Note], documents: dict[int, Document]) -> str:
    """One row per note with the columns of ``CSV_COLUMNS``; lines end with "\\n"."""
    per_document, entity_notes = _grouped(notes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for document_id, group in per_document.items():
        document = documents.get(document_id) if document_id is not None else None
        locator = Locator(document) if document is not None else None
        for note in group:
            writer.writerow(_row(note, document, locator))
    for note in entity_notes:
        writer.writerow(_row(note, None, None))
    return out.getvalue()


def _row(note: Note, document: Document | None, locator: Locator | None) -> list[str]:
    meta = document.metadata if document is not None else None
    entity = f"{note.entity_kind}: {note.entity_canonical}" if note.entity else ""
    return [
        str(note.id) if note.id is not None else "",
        note.kind,
        document_title(document) if document is not None else "",
        meta.author if meta else "",
        meta.date if meta else "",
        meta.source_url if meta else "",
        document.text_hash if document is not None else "",
        _where(note, locator),
        note.quote,
        note.body,
        "; ".join(note.tags),
        entity,
        "yes" if note.orphaned else "no",
        note.created,
        note.modified,
    ]
