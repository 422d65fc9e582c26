"""``reader check``: is the library sound, and ``--repair`` what can be set right in place.

Checked: SQLite's full ``integrity_check`` (every page, every index entry), foreign keys,
both full-text indexes against the tables they index, and rows that point at an article
no longer there. Repairs (after a backup copy): indexes rebuilt (``REINDEX``), full-text
indexes rebuilt, derived rows without an article deleted. Notes are user data: a note
whose article is gone is written to a Markdown file before it leaves the table. Damage in
the tables themselves cannot be repaired in place; the caller salvages the file then.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reader.store import lost_notes
from reader.store.database import is_damage

_MAX_MESSAGES = 20

_ORPHANS = {
    "paths": (
        "paths of files pointing at no article",
        "FROM document_paths WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    "summary": (
        "entity summary rows of no article",
        "FROM entity_summary WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    "cache": (
        "cached analyses of texts no article holds",
        "FROM analysis_cache WHERE text_hash NOT IN (SELECT text_hash FROM documents)",
    ),
    "notes": (
        "notes whose article is gone",
        "FROM notes WHERE document_id IS NOT NULL AND document_id NOT IN "
        "(SELECT id FROM documents)",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of ``reader check``'s report."""

    name: str  # "integrity", "fts:documents", "orphans:notes", …
    ok: bool
    detail: str  # a short phrase: "ok", "3 problems: …"

    def line(self) -> str:
        return f"{_LABELS.get(self.name, self.name)}: {self.detail}"


_LABELS = {
    "integrity": "File structure and indexes",
    "foreign_keys": "Links between tables",
    "fts:documents": "Full-text index of the articles",
    "fts:notes": "Full-text index of the notes",
    **{f"orphans:{key}": label[0].capitalize() for key, label in _ORPHANS.items()},
}


def check(conn: sqlite3.Connection) -> list[Finding]:
    """Every check; never raises for damage (it becomes a finding)."""
    findings = [_integrity(conn), _foreign_keys(conn)]
    findings += [_fts(conn, table) for table in ("documents", "notes")]
    for key, (_, where) in _ORPHANS.items():
        try:
            count = int(conn.execute(f"SELECT count(*) {where}").fetchone()[0])
        except sqlite3.DatabaseError as error:
            findings.append(Finding(f"orphans:{key}", False, f"could not be read ({error})"))
            continue
        findings.append(Finding(f"orphans:{key}", count == 0, "none" if not count else str(count)))
    return findings


def tables_damaged(findings: list[Finding]) -> bool:
    """True when the damage is in the tables themselves (salvage, not repair, helps)."""
    integrity = next(f for f in findings if f.name == "integrity")
    if integrity.ok:
        return False
    return "index" not in integrity.detail.lower() or "could not" in integrity.detail


def _integrity(conn: sqlite3.Connection) -> Finding:
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({_MAX_MESSAGES})")]
    except sqlite3.DatabaseError as error:
        return Finding("integrity", False, f"could not be read ({error})")
    if rows == ["ok"]:
        return Finding("integrity", True, "ok")
    rows = [" ".join(r.split()) for r in rows if not r.startswith("*** in database")]
    shown = "; ".join(rows[:3]) + ("; …" if len(rows) > 3 else "")
    return Finding("integrity", False, f"{len(rows)} problem(s): {shown}")


def _foreign_keys(conn: sqlite3.Connection) -> Finding:
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as error:
        return Finding("foreign_keys", False, f"could not be read ({error})")
    if not rows:
        return Finding("foreign_keys", True, "ok")
    tables = sorted({r[0] for r in rows})
    return Finding("foreign_keys", False, f"{len(rows)} broken link(s) in {', '.join(tables)}")


def _fts(conn: sqlite3.Connection, table: str) -> Finding:
    """FTS5's own check against the content table (``rank = 1``); it writes nothing."""
    index = f"{table}_fts"
    name = f"fts:{table}"
    try:
        conn.execute("BEGIN")
        try:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as error:
        if is_damage(error) or "corrupt" in str(error).lower():
            return Finding(name, False, "out of step with the table (--repair rebuilds it)")
        if "readonly" in str(error).lower() or "read-only" in str(error).lower():
            return Finding(name, True, "not checked (the library is read-only here)")
        return Finding(name, False, f"could not be checked ({error})")
    return Finding(name, True, "ok")


def repair(conn: sqlite3.Connection, db_path: Path) -> list[str]:
    """Set right what can be set right in place; returns sentences saying what was done.

    Runs in one transaction: a failure (a full disk) leaves the library as it was.
    """
    done: list[str] = []
    orphan_notes = _orphan_notes(conn)
    kept = lost_notes.keep_notes_file(db_path, orphan_notes) if orphan_notes else None
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("REINDEX")
        done.append("rebuilt every index")
        for table in ("documents", "notes"):
            index = f"{table}_fts"
            conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        done.append("rebuilt both full-text indexes")
        for key, (label, where) in _ORPHANS.items():
            if key == "notes" and orphan_notes and kept is None:
                continue  # never delete notes that could not first be written out
            deleted = conn.execute(f"DELETE {where}").rowcount
            if deleted:
                done.append(f"removed {deleted} {label}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if kept is not None:
        done.append(f"wrote the {len(orphan_notes)} notes whose article is gone to “{kept}”")
    return done


def _orphan_notes(conn: sqlite3.Connection) -> list[dict[str, object]]:
    cursor = conn.execute(f"SELECT * {_ORPHANS['notes'][1]}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
