"""Notes in the library database: written, listed, re-anchored (import: ``notes_import``).

Functions take a connection and run inside the caller's transaction (``Store`` wraps each
write in a durable one: ``synchronous=FULL``, because notes are the one thing the reader
must never lose). Tags are stored one per line, so that a tag may contain spaces and the
full-text index sees every tag as words.

A passage note is checked against the stored text when it is written: its quote must be
where it says, or be found (``anchoring.anchor``); the context kept with it is always the
stored text's, whoever built the note.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from reader.notes.anchoring import Selector, anchor, anchored_at, reanchor, selector_for
from reader.notes.model import Note, NoteError, check_note, entity_kind_value, normalise_tags
from reader.store.search import fts_expression, parse_query

_COLUMNS = (
    "n.id, n.kind, n.document_id, n.quote, n.prefix, n.suffix, n.start_offset, n.end_offset,"
    " n.body, n.tags, n.entity_kind, n.entity_canonical, n.orphaned, n.created, n.modified"
)
_TEXT_ORDER = (
    " ORDER BY n.kind = 'entity', d.title COLLATE NOCASE, n.document_id,"
    " CASE WHEN n.kind = 'document' THEN 0 WHEN n.orphaned THEN 2 ELSE 1 END,"
    " n.start_offset, n.entity_kind, n.entity_canonical COLLATE NOCASE, n.created, n.id"
)
_CONTEXT = 32


@dataclass(frozen=True, slots=True)
class ReanchorResult:
    """What re-anchoring a document's notes did, for a sentence such as "2 notes lost
    their passage"."""

    placed: int
    orphaned: int


def now() -> str:
    """ISO 8601 in UTC, to the second, as Web Annotation dates are usually written."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_row(row: tuple) -> Note:
    (ident, kind, document_id, quote, prefix, suffix, start, end, body, tags) = row[:10]
    entity_kind, entity_canonical, orphaned, created, modified = row[10:]
    return Note(
        id=ident,
        kind=kind,
        document_id=document_id,
        body=body,
        tags=normalise_tags(tags),
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        entity_kind=entity_kind,
        entity_canonical=entity_canonical,
        orphaned=bool(orphaned),
        created=created,
        modified=modified,
    )


def get(conn: sqlite3.Connection, note_id: int) -> Note | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM notes AS n WHERE n.id = ?", (note_id,)).fetchone()
    return _from_row(row) if row else None


def _require(conn: sqlite3.Connection, note_id: int) -> Note:
    note = get(conn, note_id)
    if note is None:
        raise NoteError(
            "This note is no longer in the library (it was deleted, perhaps in another "
            "window); copy its text if you want to keep it."
        )
    return note


def insert(conn: sqlite3.Connection, note: Note, *, keep_id: bool) -> Note:
    values = {
        "id": note.id if keep_id else None,
        "kind": note.kind,
        "document_id": note.document_id,
        "quote": note.quote,
        "prefix": note.prefix,
        "suffix": note.suffix,
        "start_offset": note.start,
        "end_offset": note.end,
        "body": note.body,
        "tags": "\n".join(note.tags),
        "entity_kind": note.entity_kind,
        "entity_canonical": note.entity_canonical,
        "orphaned": int(note.orphaned),
        "created": note.created,
        "modified": note.modified,
    }
    names = ", ".join(values)
    cursor = conn.execute(
        f"INSERT INTO notes ({names}) VALUES ({', '.join(':' + k for k in values)})", values
    )
    return replace(note, id=int(cursor.lastrowid or 0))


def _document_hash(conn: sqlite3.Connection, document_id: int) -> str:
    row = conn.execute("SELECT text_hash FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise NoteError(
            "The article this note belongs to is no longer in the library (it may have been "
            "removed in another window); add it again to write notes on it."
        )
    return row[0]


def stored_text(conn: sqlite3.Connection, document_id: int) -> str:
    return conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]


def _slice(conn: sqlite3.Connection, document_id: int, start: int, end: int) -> str:
    """``text[start:end]`` of a stored document without reading all of it (SQLite's
    ``substr`` counts characters, as Python does)."""
    start = max(0, start)
    row = conn.execute(
        "SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
        (start + 1, max(0, end - start), document_id),
    ).fetchone()
    return row[0] if row else ""


def placed(conn: sqlite3.Connection, note: Note) -> Note:
    """A passage note placed on the stored text, with that text's context (see module).

    Where the passage still holds at its position, only the characters around it are
    read; otherwise the whole text is searched (``placed_on``)."""
    assert note.document_id is not None
    start, end = note.start, note.end
    holds = (
        start is not None
        and end is not None
        and _slice(conn, note.document_id, start, end) == note.quote
    )
    if holds:
        assert start is not None and end is not None
        around = _slice(conn, note.document_id, start - _CONTEXT, end + _CONTEXT)
        lead = start - max(0, start - _CONTEXT)
        return anchored_at(note, selector_for(around, lead, lead + end - start), start, end)
    found = placed_on(stored_text(conn, note.document_id), note)
    if found is None:
        raise NoteError(
            "The quoted passage is not in the article's text (the article may have "
            "changed since it was opened); open it again and select the passage."
        )
    return found


def placed_on(text: str, note: Note) -> Note | None:
    """``note`` placed on ``text`` (its article's whole text) with that text's context, or
    None when its passage is not there (an orphan)."""
    start, end = note.start, note.end
    if start is None or end is None or text[start:end] != note.quote:
        found = anchor(text, Selector(note.quote, note.prefix, note.suffix, start, end))
        if found is None:
            return None
        start, end = found
    return anchored_at(note, selector_for(text, start, end), start, end)


def prepared(conn: sqlite3.Connection, note: Note, *, document_known: bool = False) -> Note:
    """``note`` with normalised tags and kind, checked; ``document_known`` skips looking its
    article up (the caller just found it)."""
    note = replace(note, tags=normalise_tags(note.tags))
    if note.kind == "entity":
        note = replace(note, entity_kind=entity_kind_value(note.entity_kind))
    check_note(note)
    if note.document_id is not None and not document_known:
        _document_hash(conn, note.document_id)
    return note


def add(conn: sqlite3.Connection, note: Note) -> Note:
    """Save a new note (any ``id`` it has is ignored); returns it with id and dates."""
    note = prepared(conn, note)
    if note.kind == "passage":
        note = placed(conn, note)
    stamp = now()
    return insert(conn, replace(note, created=stamp, modified=stamp), keep_id=False)


def update(conn: sqlite3.Connection, note: Note) -> Note:
    """Save a note's text and tags (what the user edits); the rest is left alone."""
    if note.id is None:
        raise NoteError("This note was never saved, so it cannot be updated.")
    stored = _require(conn, note.id)
    tags = normalise_tags(note.tags)
    if note.body == stored.body and tags == stored.tags:
        return stored
    stamp = now()
    conn.execute(
        "UPDATE notes SET body = ?, tags = ?, modified = ? WHERE id = ?",
        (note.body, "\n".join(tags), stamp, note.id),
    )
    return replace(stored, body=note.body, tags=tags, modified=stamp)


def delete(conn: sqlite3.Connection, note_id: int) -> Note:
    note = _require(conn, note_id)
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return note


def restore(conn: sqlite3.Connection, note: Note) -> Note:
    """Put a deleted note back, with its id (ids are never reused) and its dates.

    A passage is re-anchored if the article's text changed in between.
    """
    note = prepared(conn, note)
    if note.kind == "passage":
        try:
            note = placed(conn, note)
        except NoteError:
            note = replace(note, orphaned=True)
    stamp = now()
    note = replace(note, created=note.created or stamp, modified=note.modified or stamp)
    free = note.id is not None and get(conn, note.id) is None
    return insert(conn, note, keep_id=free)


def reattach(conn: sqlite3.Connection, note_id: int, text: str, start: int, end: int) -> Note:
    """Attach a passage note (typically an orphan) to ``text[start:end]``."""
    note = _require(conn, note_id)
    if note.kind != "passage" or note.document_id is None:
        raise NoteError("Only a note on a passage can be attached to a selection.")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != _document_hash(conn, note.document_id):
        raise NoteError(
            "The article changed since it was opened; open it again, then select the passage."
        )
    try:
        selector = selector_for(text, start, end)
    except ValueError:
        raise NoteError("Select the passage the note belongs to first.") from None
    stamp = now()
    conn.execute(
        "UPDATE notes SET quote = ?, prefix = ?, suffix = ?, start_offset = ?, end_offset = ?,"
        " orphaned = 0, modified = ? WHERE id = ?",
        (selector.exact, selector.prefix, selector.suffix, start, end, stamp, note_id),
    )
    return anchored_at(note, selector, start, end, modified=stamp)


def list_notes(
    conn: sqlite3.Connection,
    document_id: int | None = None,
    *,
    tag: str | None = None,
    entity: tuple[str, str] | None = None,
    text: str | None = None,
    include_entity_notes: bool = False,
) -> list[Note]:
    """Notes of one document (or of the whole library when ``document_id`` is None).

    Text order: per document, article notes, then passages by position, then orphans;
    entity notes (included when asked, or when filtering by ``entity``) come last. The
    filters combine: ``tag`` (ignoring case), ``entity`` as ``(kind, canonical)``, and
    ``text``, a search query over quote, note, tags and entity name.
    """
    where: list[str] = []
    params: list[object] = []
    with_entities = include_entity_notes or entity is not None
    if document_id is not None:
        where.append("(n.document_id = ?" + (" OR n.kind = 'entity')" if with_entities else ")"))
        params.append(document_id)
    elif not with_entities:
        where.append("n.kind != 'entity'")
    if entity is not None:
        where.append("n.entity_kind = ? AND n.entity_canonical = ?")
        params += [entity_kind_value(entity[0]), entity[1]]
    if text is not None and text.strip():
        expression = fts_expression(parse_query(text))
        if expression is None:
            return []
        where.append("n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
        params.append(expression)
    sql = f"SELECT {_COLUMNS} FROM notes AS n LEFT JOIN documents AS d ON d.id = n.document_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    notes = [_from_row(row) for row in conn.execute(sql + _TEXT_ORDER, params)]
    if tag is not None:
        wanted = normalise_tags([tag])
        key = wanted[0].casefold() if wanted else ""
        notes = [n for n in notes if any(t.casefold() == key for t in n.tags)]
    return notes


def notes_for_entity(conn: sqlite3.Connection, kind: str, canonical: str) -> list[Note]:
    """The notes on one entity, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM notes AS n WHERE n.kind = 'entity' AND n.entity_kind = ?"
        " AND n.entity_canonical = ? ORDER BY n.created, n.id",
        (entity_kind_value(kind), canonical),
    )
    return [_from_row(row) for row in rows]


def entity_notes(conn: sqlite3.Connection) -> list[Note]:
    """Every note on an entity, by entity then age: what tooltips and the panel show."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM notes AS n WHERE n.kind = 'entity'"
        " ORDER BY n.entity_kind, n.entity_canonical COLLATE NOCASE, n.created, n.id"
    )
    return [_from_row(row) for row in rows]


def entity_note_keys(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = conn.execute(
        "SELECT DISTINCT entity_kind, entity_canonical FROM notes WHERE kind = 'entity'"
    )
    return {(kind, canonical) for kind, canonical in rows}


def all_tags(conn: sqlite3.Connection) -> list[str]:
    """Every tag in use, once (first spelling wins), sorted ignoring case."""
    seen: dict[str, str] = {}
    for (tags,) in conn.execute("SELECT tags FROM notes WHERE tags != '' ORDER BY id"):
        for tag in normalise_tags(tags):
            seen.setdefault(tag.casefold(), tag)
    return sorted(seen.values(), key=lambda t: (t.casefold(), t))


def orphaned_notes(conn: sqlite3.Connection, document_id: int | None = None) -> list[Note]:
    sql = f"SELECT {_COLUMNS} FROM notes AS n WHERE n.kind = 'passage' AND n.orphaned = 1"
    params: tuple[object, ...] = ()
    if document_id is not None:
        sql += " AND n.document_id = ?"
        params = (document_id,)
    return [_from_row(row) for row in conn.execute(sql + " ORDER BY n.document_id, n.id", params)]


def count_notes(conn: sqlite3.Connection, document_id: int) -> int:
    """Notes that go when the document goes (entity notes stay: they belong to no document)."""
    row = conn.execute("SELECT count(*) FROM notes WHERE document_id = ?", (document_id,))
    return int(row.fetchone()[0])


def reanchor_document(
    conn: sqlite3.Connection, document_id: int, old_text: str | None, new_text: str
) -> ReanchorResult:
    """Move a document's passage notes onto its new text; never deletes one.

    The quote and its context stay as the user saved them (they are what identifies the
    passage); only the position changes, and ``orphaned`` says whether it was found.
    """
    rows = conn.execute(
        "SELECT id, quote, prefix, suffix, start_offset, end_offset, orphaned FROM notes"
        " WHERE document_id = ? AND kind = 'passage'",
        (document_id,),
    ).fetchall()
    if not rows:
        return ReanchorResult(0, 0)
    selectors = [Selector(q, p, s, start, end) for _, q, p, s, start, end, _ in rows]
    spans = reanchor(old_text, new_text, selectors)
    changes: list[tuple[int | None, int | None, int, int]] = []
    placed = 0
    for row, span in zip(rows, spans, strict=True):
        note_id, start, end, orphaned = row[0], row[4], row[5], row[6]
        if span is not None:
            placed += 1
            if (span[0], span[1], 0) != (start, end, orphaned):
                changes.append((span[0], span[1], 0, note_id))
        elif not orphaned:
            changes.append((start, end, 1, note_id))
    conn.executemany(
        "UPDATE notes SET start_offset = ?, end_offset = ?, orphaned = ? WHERE id = ?", changes
    )
    return ReanchorResult(placed, len(rows) - placed)
