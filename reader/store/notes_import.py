"""Notes read from a JSON-LD file, added to the library all at once or not at all.

Each article is found by its text's hash, else by its source URL (the text may have been
extracted again since); a passage is re-anchored on the library's text and kept as an
orphan when it is not there. A note already present (same article, kind, entity, quote
and text) is skipped, so importing a file twice adds nothing.

Two steps, so that 100,000 notes take seconds and never hold the library for long:

1. ``plan`` reads (no write lock): it finds every article once, places every passage on
   its article's text (each text read once), and checks duplicates against one scan of
   the existing notes. The first problem raises ``NoteError`` and nothing is written.
2. ``write`` inserts the planned notes in batches, one short transaction each, so another
   window's note is saved between two batches instead of timing out. ``Store.import_notes``
   removes the notes of earlier batches when a later one fails (a full disk): all or none.
   Only a hard kill between batches can leave part of a file imported, and importing the
   file again then adds just the rest (duplicates are skipped).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from reader.notes.jsonld import ImportedNote
from reader.notes.model import Note, NoteError
from reader.store.notes import insert, now, placed_on, prepared, stored_text

BATCH = 2_000
"""Notes per write transaction: about 0.1 s of holding the write lock."""

_Key = tuple[str, int | None, str, str, str, str]


@dataclass(frozen=True, slots=True)
class NotesImportResult:
    added: int
    skipped: int  # already in the library (same article, quote and text)
    orphaned: int  # added, but their passage is not in the library's text of the article


@dataclass
class ImportPlan:
    """What ``write`` will insert, and the counts the user is told."""

    notes: list[Note] = field(default_factory=list)
    skipped: int = 0
    orphaned: int = 0

    def result(self) -> NotesImportResult:
        return NotesImportResult(len(self.notes), self.skipped, self.orphaned)

    def batches(self, size: int | None = None) -> Iterator[list[Note]]:
        size = size or BATCH
        for start in range(0, len(self.notes), size):
            yield self.notes[start : start + size]


def plan(conn: sqlite3.Connection, imported: list[ImportedNote]) -> ImportPlan:
    """Check, place and de-duplicate ``imported`` (see the module docstring); writes nothing."""
    documents: dict[tuple[str, str], int] = {}
    texts: dict[int, str] = {}
    ready: list[Note] = []
    for number, item in enumerate(imported, 1):
        note = item.note
        if note.kind != "entity":
            key = (item.text_hash, item.source_url)
            if key not in documents:
                documents[key] = _find_document(conn, item, number)
            note = replace(note, document_id=documents[key])
        try:
            note = prepared(conn, note, document_known=True)
        except NoteError as error:
            raise NoteError(f"Item {number}: {error.message} Nothing was imported.") from None
        ready.append(note)
    existing = _existing_keys(conn, {n.document_id for n in ready if n.document_id is not None})
    stamp = now()
    result = ImportPlan()
    for note in ready:
        duplicate_key = _key(note)
        if duplicate_key in existing:
            result.skipped += 1
            continue
        existing.add(duplicate_key)  # the same note twice in one file is added once
        if note.kind == "passage":
            assert note.document_id is not None
            if note.document_id not in texts:
                texts[note.document_id] = stored_text(conn, note.document_id)
            placed = placed_on(texts[note.document_id], note)
            if placed is None:
                note = replace(note, orphaned=True)
                result.orphaned += 1
            else:
                note = placed
        result.notes.append(
            replace(note, created=note.created or stamp, modified=note.modified or stamp)
        )
    return result


def write(conn: sqlite3.Connection, notes: list[Note]) -> list[int]:
    """Insert one batch (inside the caller's transaction); returns the new ids."""
    return [insert(conn, note, keep_id=False).id or 0 for note in notes]


def remove(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Take back the notes of earlier batches (inside the caller's transaction)."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(f"DELETE FROM notes WHERE id IN ({', '.join('?' * len(chunk))})", chunk)


def _key(note: Note) -> _Key:
    return (
        note.kind,
        note.document_id,
        note.entity_kind,
        note.entity_canonical,
        note.quote,
        note.body,
    )


def _existing_keys(conn: sqlite3.Connection, document_ids: set[int]) -> set[_Key]:
    """The duplicate-check keys of the notes already on these articles and of every entity
    note: one pass over the ``notes_document`` index instead of a scan per imported note."""
    keys: set[_Key] = set()
    select = "SELECT kind, document_id, entity_kind, entity_canonical, quote, body FROM notes"
    keys.update(conn.execute(select + " WHERE document_id IS NULL"))
    ids = sorted(document_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        where = f" WHERE document_id IN ({', '.join('?' * len(chunk))})"
        keys.update(conn.execute(select + where, chunk))
    return keys


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
