"""Notes read from a JSON-LD file, added to the library all at once or not at all.

Each article is found by its text's hash, else by its source URL (the text may have been
extracted again since); a passage is re-anchored on the library's text and kept as an
orphan when it is not there. A note already present (same article, kind, entity, quote
and text) is skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from reader.notes.jsonld import ImportedNote
from reader.notes.model import Note, NoteError
from reader.store.notes import insert, now, placed, prepared


@dataclass(frozen=True, slots=True)
class NotesImportResult:
    added: int
    skipped: int  # already in the library (same article, quote and text)
    orphaned: int  # added, but their passage is not in the library's text of the article


def import_notes(conn: sqlite3.Connection, imported: list[ImportedNote]) -> NotesImportResult:
    """Add notes read from a file (see the module docstring); runs in the caller's
    transaction, so one refused item leaves the library as it was."""
    documents: dict[tuple[str, str], int] = {}
    added = skipped = orphaned = 0
    ready: list[Note] = []
    for number, item in enumerate(imported, 1):
        note = item.note
        if note.kind != "entity":
            key = (item.text_hash, item.source_url)
            if key not in documents:
                documents[key] = _find_document(conn, item, number)
            note = replace(note, document_id=documents[key])
        try:
            note = prepared(conn, note)
        except NoteError as error:
            raise NoteError(f"Item {number}: {error.message} Nothing was imported.") from None
        ready.append(note)
    stamp = now()
    for note in ready:
        if _exists(conn, note):
            skipped += 1
            continue
        if note.kind == "passage":
            try:
                note = placed(conn, note)
            except NoteError:
                note = replace(note, orphaned=True)
                orphaned += 1
        note = replace(note, created=note.created or stamp, modified=note.modified or stamp)
        insert(conn, note, keep_id=False)
        added += 1
    return NotesImportResult(added, skipped, orphaned)


def _find_document(conn: sqlite3.Connection, item: ImportedNote, number: int) -> int:
    row = conn.execute("SELECT id FROM documents WHERE text_hash = ?", (item.text_hash,)).fetchone()
    if row is None and item.source_url:
        row = conn.execute(
            "SELECT id FROM documents WHERE json_extract(metadata, '$.source_url') = ?"
            " ORDER BY modified DESC, id DESC LIMIT 1",
            (item.source_url,),
        ).fetchone()
    if row is None:
        known = f" ({item.source_url})" if item.source_url else ""
        raise NoteError(
            f"Item {number} is on an article that is not in the library{known}, text "
            f"sha256:{item.text_hash[:12]}…; import the article first, then the notes. "
            "Nothing was imported."
        )
    return int(row[0])


def _exists(conn: sqlite3.Connection, note: Note) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM notes WHERE kind = ? AND document_id IS ? AND entity_kind = ?"
            " AND entity_canonical = ? AND quote = ? AND body = ? LIMIT 1",
            (
                note.kind,
                note.document_id,
                note.entity_kind,
                note.entity_canonical,
                note.quote,
                note.body,
            ),
        ).fetchone()
        is not None
    )
