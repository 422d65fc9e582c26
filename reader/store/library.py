"""The library: documents identified by their text, the paths they came from, their notes.

A document's identity is the SHA-256 of its canonical text, so the same article opened
from two folders is one entry with two paths, and moving a file orphans nothing. When the
file at a known path changes, the entry is updated in place (same id, so its notes stay
attached and are re-anchored by the notes layer).

Functions here take a connection and run inside the caller's transaction; ``Store`` wraps
them in transactions and turns SQLite failures into ``StoreError``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Literal

from reader.documents.model import Document, Metadata
from reader.entities.kinds import KIND_ORDER, Kind
from reader.errors import StoreError
from reader.filenames import from_db, has_undecodable, readable, to_db
from reader.store import cache
from reader.store import notes as notes_table

ImportStatus = Literal["imported", "present", "updated"]
_TITLE_FALLBACK_CHARS = 80


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``import_document`` did: a new entry, an existing one, or an updated one."""

    status: ImportStatus
    document_id: int
    title: str
    orphaned_notes: int = 0  # "updated": passage notes whose quote is no longer in the text


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One row of the library list: everything shown without loading the text."""

    id: int
    title: str
    author: str
    date: str  # the article's own date, as the source wrote it
    source: str  # site name, else source URL
    added: datetime  # when it entered the library (UTC)
    path: str  # the most recently seen original file, "" when none
    word_count: int
    entity_counts: dict[Kind, int]  # distinct entities per kind; 0 when not analysed
    note_count: int
    analysed: bool  # True when entity counts are known
    text_hash: str


def normalise_path(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.fspath(path))


def _db_path(path: str | os.PathLike[str]) -> str | bytes:
    """The key a path is stored under: text, or the raw bytes of a name that is not UTF-8."""
    return to_db(normalise_path(path))


def _json(value: object) -> str:
    """JSON for a text column; a file name that is not UTF-8 is kept as ``\\udcXX`` escapes
    (valid UTF-8 that ``json.loads`` turns back into the same name)."""
    text = json.dumps(value, ensure_ascii=False)
    return json.dumps(value) if has_undecodable(text) else text


def _display_title(document: Document) -> str:
    """The title a library list shows: metadata, else file name, else the first words."""
    title = readable(document.metadata.title.strip())
    if title:
        return title
    if document.metadata.path:
        return readable(Path(document.metadata.path).stem)
    first_line = document.text.strip().split("\n", 1)[0]
    if len(first_line) > _TITLE_FALLBACK_CHARS:
        first_line = first_line[:_TITLE_FALLBACK_CHARS].rsplit(" ", 1)[0] + "…"
    return first_line


def _blocks_blob(document: Document) -> bytes:
    """zlib(JSON) of the blocks as ``Document.to_plain`` gives them, written in pieces: the
    JSON of a million short paragraphs is never one string in memory."""
    packer = zlib.compressobj()
    out = [packer.compress(b"[")]
    blocks = document.blocks
    for start in range(0, len(blocks), 10_000):
        plain = [
            [
                b.kind,
                b.start,
                b.end,
                b.level,
                b.page,
                [[s.start, s.end, s.style, s.target] for s in b.styles],
            ]
            for b in blocks[start : start + 10_000]
        ]
        piece = json.dumps(plain, separators=(",", ":"))[1:-1]
        out.append(packer.compress((("," if start else "") + piece).encode("utf-8")))
    out.append(packer.compress(b"]"))
    out.append(packer.flush())
    return b"".join(out)


def _columns(document: Document) -> dict[str, object]:
    metadata = asdict(document.metadata)
    text = document.text
    return {
        "text_hash": document.text_hash,
        "title": _display_title(document),
        "author": readable(document.metadata.author),
        "date": readable(document.metadata.date),
        "source": readable(document.metadata.site_name or document.metadata.source_url),
        "word_count": document.word_count,
        "file_hash": document.metadata.file_hash,
        "text": text,
        "blocks": _blocks_blob(document),
        "metadata": _json(metadata),
    }


def import_document(conn: sqlite3.Connection, document: Document) -> ImportResult:
    """Add ``document`` to the library, or recognise it (see the module docstring).

    - same text already stored: "present", and the path is recorded against it;
    - a known path whose file now has another text: "updated" in place, unless that entry
      also came from other paths whose files still hold the old text; then the changed
      file becomes a new entry ("imported") so the two copies stop overwriting each other;
    - otherwise: "imported".
    """
    columns = _columns(document)
    text_hash = str(columns["text_hash"])
    path = _db_path(document.metadata.path) if document.metadata.path else ""
    stamp = cache.now()

    row = conn.execute(
        "SELECT id, title FROM documents WHERE text_hash = ?", (text_hash,)
    ).fetchone()
    if row is not None:
        _record_path(conn, row[0], path, document.metadata.file_hash, stamp)
        return ImportResult("present", row[0], row[1])

    if path:
        owner = conn.execute(
            "SELECT document_id FROM document_paths WHERE path = ?", (path,)
        ).fetchone()
        if owner is not None and not _has_other_paths(conn, owner[0], path):
            document_id = owner[0]
            (old_hash, old_text) = conn.execute(
                "SELECT text_hash, text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            assignments = ", ".join(f"{name} = :{name}" for name in columns)
            conn.execute(
                f"UPDATE documents SET {assignments}, modified = :modified WHERE id = :id",
                {**columns, "modified": stamp, "id": document_id},
            )
            moved = notes_table.reanchor_document(conn, document_id, old_text, document.text)
            cache.forget_summary(conn, document_id)
            _drop_unused_cache(conn, old_hash)
            _record_path(conn, document_id, path, document.metadata.file_hash, stamp)
            _summarise_from_cache(conn, document_id, text_hash)
            return ImportResult(
                "updated", document_id, str(columns["title"]), orphaned_notes=moved.orphaned
            )

    names = ", ".join(columns)
    placeholders = ", ".join(f":{name}" for name in columns)
    cursor = conn.execute(
        f"INSERT INTO documents ({names}, added, modified) VALUES ({placeholders}, :now, :now)",
        {**columns, "now": stamp},
    )
    document_id = int(cursor.lastrowid or 0)
    _record_path(conn, document_id, path, document.metadata.file_hash, stamp)
    _summarise_from_cache(conn, document_id, text_hash)
    return ImportResult("imported", document_id, str(columns["title"]))


def _has_other_paths(conn: sqlite3.Connection, document_id: int, path: str | bytes) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM document_paths WHERE document_id = ? AND path != ? LIMIT 1",
            (document_id, path),
        ).fetchone()
        is not None
    )


def _record_path(
    conn: sqlite3.Connection, document_id: int, path: str | bytes, file_hash: str, stamp: str
) -> None:
    """Point ``path`` at ``document_id`` (a path belongs to the text it last held)."""
    if not path:
        return
    conn.execute(
        "INSERT INTO document_paths (path, document_id, file_hash, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (path) DO UPDATE SET document_id = excluded.document_id,"
        " file_hash = excluded.file_hash, last_seen = excluded.last_seen",
        (path, document_id, file_hash, stamp),
    )


def _summarise_from_cache(conn: sqlite3.Connection, document_id: int, text_hash: str) -> None:
    """A text analysed before it was imported gets its entity counts straight away."""
    found = cache.latest(conn, text_hash)
    if found is not None:
        model_key, mentions = found
        cache.write_summary(conn, document_id, model_key, mentions, text_hash)


def get_document(conn: sqlite3.Connection, document_id: int) -> Document:
    row = conn.execute(
        "SELECT text, blocks, metadata FROM documents WHERE id = ?", (document_id,)
    ).fetchone()
    if row is None:
        raise StoreError(
            "That article is no longer in the library (it may have been removed in another "
            "window); refresh the library list."
        )
    latest_path = _latest_path(conn, document_id)
    return decode_document(*row, path=latest_path)


def decode_document(
    text: str, blocks_blob: bytes, metadata_json: str, *, path: str = ""
) -> Document:
    """An article from its stored columns (``path``: where it was last found, if known).

    Raises ``ValueError`` or ``zlib.error`` for columns that do not decode."""
    blocks = json.loads(zlib.decompress(blocks_blob))
    known = {f.name for f in fields(Metadata)}
    metadata = {k: v for k, v in json.loads(metadata_json).items() if k in known}
    if path:
        metadata["path"] = path
    return Document.from_plain((text, blocks, metadata))


def get_text(conn: sqlite3.Connection, document_id: int) -> tuple[str, str]:
    row = conn.execute(
        "SELECT text, text_hash FROM documents WHERE id = ?", (document_id,)
    ).fetchone()
    if row is None:
        raise StoreError(
            "That article is no longer in the library (it may have been removed in another "
            "window); refresh the library list."
        )
    return row[0], row[1]


def _latest_path(conn: sqlite3.Connection, document_id: int) -> str:
    row = conn.execute(
        "SELECT path FROM document_paths WHERE document_id = ? ORDER BY last_seen DESC, rowid DESC"
        " LIMIT 1",
        (document_id,),
    ).fetchone()
    return from_db(row[0]) if row else ""


def find_by_path(conn: sqlite3.Connection, path: str | os.PathLike[str]) -> int | None:
    row = conn.execute(
        "SELECT document_id FROM document_paths WHERE path = ?", (_db_path(path),)
    ).fetchone()
    return row[0] if row else None


def find_by_text_hash(conn: sqlite3.Connection, text_hash: str) -> int | None:
    row = conn.execute("SELECT id FROM documents WHERE text_hash = ?", (text_hash,)).fetchone()
    return row[0] if row else None


def paths_of(conn: sqlite3.Connection, document_id: int) -> list[str]:
    """Every path the document was imported from, most recently seen first."""
    rows = conn.execute(
        "SELECT path FROM document_paths WHERE document_id = ? ORDER BY last_seen DESC, path",
        (document_id,),
    )
    return [from_db(row[0]) for row in rows]


def remove_document(conn: sqlite3.Connection, document_id: int) -> None:
    """Remove the entry with its paths, notes, summary and index rows (by cascade and
    trigger), and its cached analysis unless another entry has the same text."""
    row = conn.execute("SELECT text_hash FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
    _drop_unused_cache(conn, row[0])


def _drop_unused_cache(conn: sqlite3.Connection, text_hash: str) -> None:
    """Cached analysis of a text no entry holds any more is dead weight."""
    conn.execute(
        "DELETE FROM analysis_cache WHERE text_hash = ?"
        " AND NOT EXISTS (SELECT 1 FROM documents WHERE text_hash = ?)",
        (text_hash, text_hash),
    )


def count_notes(conn: sqlite3.Connection, document_id: int) -> int:
    """Notes removed with the document; entity notes (no document) are not among them."""
    return notes_table.count_notes(conn, document_id)


_ENTRY_SQL = """
SELECT d.id, d.title, d.author, d.date, d.source, d.added, d.word_count,
       d.summary_model_key IS NOT NULL, d.text_hash,
       (SELECT path FROM document_paths AS p WHERE p.document_id = d.id
        ORDER BY p.last_seen DESC, p.rowid DESC LIMIT 1),
       (SELECT count(*) FROM notes AS n WHERE n.document_id = d.id)
FROM documents AS d
"""


def list_documents(conn: sqlite3.Connection, ids: list[int] | None = None) -> list[LibraryEntry]:
    """The library, most recently added first, without reading any text."""
    where = ""
    params: list[int] = []
    if ids is not None:
        where = f" WHERE d.id IN ({', '.join('?' * len(ids))})"
        params = list(ids)
    rows = conn.execute(_ENTRY_SQL + where + " ORDER BY d.added DESC, d.id DESC", params).fetchall()
    counts: dict[int, dict[Kind, int]] = {}
    count_sql = "SELECT document_id, kind, count(*) FROM entity_summary"
    if ids is not None:
        count_sql += f" WHERE document_id IN ({', '.join('?' * len(ids))})"
    for document_id, kind, count in conn.execute(count_sql + " GROUP BY document_id, kind", params):
        try:
            counts.setdefault(document_id, {})[Kind(kind)] = count
        except ValueError:
            continue  # a kind this version does not know
    entries = []
    for row in rows:
        (document_id, title, author, date, source, added, words, analysed, text_hash) = row[:9]
        per_kind = counts.get(document_id, {})
        entries.append(
            LibraryEntry(
                id=document_id,
                title=title,
                author=author,
                date=date,
                source=source,
                added=datetime.fromisoformat(added),
                path=from_db(row[9] or ""),
                word_count=words,
                entity_counts={kind: per_kind.get(kind, 0) for kind in KIND_ORDER},
                note_count=row[10],
                analysed=bool(analysed),
                text_hash=text_hash,
            )
        )
    return entries
