"""The schema, as numbered migrations; the version lives in ``PRAGMA user_version``.

Each migration runs in ONE transaction together with its ``PRAGMA user_version = N``, so a
crash or a full disk leaves the library at the previous version, never half-way. Statements
are executed one by one rather than with ``executescript()``, which would commit first and
break that promise.

Rules for a new migration: append ``(N + 1, sql)``; never edit one that has shipped; never
drop or rewrite user data (documents, paths, notes, corrections). Derived tables (the
analysis cache, the entity summary, the full-text indexes) may be dropped and rebuilt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.errors import StoreError
from reader.store.database import transaction

_FTS_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"

V1 = f"""
-- The library: one row per distinct canonical text; text_hash is the identity.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    text_hash TEXT NOT NULL UNIQUE,          -- SHA-256 of the canonical text
    title TEXT NOT NULL DEFAULT '',          -- what the library shows (falls back to file name)
    author TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',         -- site name, else source URL
    word_count INTEGER NOT NULL DEFAULT 0,
    file_hash TEXT NOT NULL DEFAULT '',      -- of the file last imported for it
    added TEXT NOT NULL,                     -- ISO 8601, UTC
    modified TEXT NOT NULL,                  -- ISO 8601, UTC: last import that changed it
    text TEXT NOT NULL,                      -- the canonical text
    blocks BLOB NOT NULL,                    -- zlib(JSON) of Document.to_plain()[1]
    metadata TEXT NOT NULL,                  -- JSON of Document.to_plain()[2]
    summary_model_key TEXT                   -- model key of entity_summary rows; NULL: none
);

-- Where each document was found; one path belongs to one document at a time.
CREATE TABLE document_paths (
    path TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file_hash TEXT NOT NULL DEFAULT '',
    last_seen TEXT NOT NULL
);
CREATE INDEX document_paths_document ON document_paths(document_id);

-- Derived: NER results per text and model configuration. Safe to clear.
CREATE TABLE analysis_cache (
    text_hash TEXT NOT NULL,
    model_key TEXT NOT NULL,
    created TEXT NOT NULL,
    mention_count INTEGER NOT NULL,
    data BLOB NOT NULL,                      -- see reader/store/cache.py for the encoding
    PRIMARY KEY (text_hash, model_key)
) WITHOUT ROWID;

-- Derived: one row per entity per document, for counts and "which documents mention X".
CREATE TABLE entity_summary (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                      -- reader.entities.kinds.Kind value
    canonical TEXT NOT NULL,
    folded TEXT NOT NULL,                    -- canonical without case and diacritics
    last_word TEXT NOT NULL,                 -- last word of folded, for surname queries
    count INTEGER NOT NULL,
    first_start INTEGER NOT NULL,
    first_end INTEGER NOT NULL,
    PRIMARY KEY (document_id, kind, canonical)
) WITHOUT ROWID;
CREATE INDEX entity_summary_folded ON entity_summary(folded);
CREATE INDEX entity_summary_last_word ON entity_summary(last_word);

-- Derived: full-text index over the documents table (external content, kept by triggers).
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, author, text,
    content = 'documents', content_rowid = 'id',
    {_FTS_TOKENIZER}
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, author, text)
    VALUES (new.id, new.title, new.author, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, author, text)
    VALUES ('delete', old.id, old.title, old.author, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, author, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, author, text)
    VALUES ('delete', old.id, old.title, old.author, old.text);
    INSERT INTO documents_fts(rowid, title, author, text)
    VALUES (new.id, new.title, new.author, new.text);
END;
"""

V2 = f"""
-- User data: notes anchored by text quote (W3C Web Annotation style); offsets are hints.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quote TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start_offset INTEGER,
    end_offset INTEGER,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    entity_kind TEXT,                        -- with entity_canonical: the entity noted, if any
    entity_canonical TEXT,
    orphaned INTEGER NOT NULL DEFAULT 0      -- 1 when the quote no longer occurs in the text
);
CREATE INDEX notes_document ON notes(document_id);

CREATE VIRTUAL TABLE notes_fts USING fts5(
    quote, body, tags,
    content = 'notes', content_rowid = 'id',
    {_FTS_TOKENIZER}
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, quote, body, tags) VALUES (new.id, new.quote, new.body, new.tags);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, quote, body, tags)
    VALUES ('delete', old.id, old.quote, old.body, old.tags);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF quote, body, tags ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, quote, body, tags)
    VALUES ('delete', old.id, old.quote, old.body, old.tags);
    INSERT INTO notes_fts(rowid, quote, body, tags) VALUES (new.id, new.quote, new.body, new.tags);
END;
"""

V3 = f"""
-- Notes of three kinds: on a passage, on a whole document, on an entity (document_id NULL:
-- the note follows the entity into every document). The v2 table is rebuilt because
-- SQLite cannot drop a NOT NULL constraint in place; every row is copied with its id.
CREATE TABLE notes_v3 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: undo and exported ids stay true
    kind TEXT NOT NULL DEFAULT 'passage' CHECK (kind IN ('passage', 'document', 'entity')),
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    quote TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start_offset INTEGER,                    -- code points into the canonical text; a hint
    end_offset INTEGER,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',           -- one tag per line
    created TEXT NOT NULL,                   -- ISO 8601, UTC
    modified TEXT NOT NULL,
    entity_kind TEXT NOT NULL DEFAULT '',    -- reader.entities.kinds.Kind value
    entity_canonical TEXT NOT NULL DEFAULT '',
    orphaned INTEGER NOT NULL DEFAULT 0,     -- 1 when re-anchoring could not place the quote
    CHECK ((kind = 'entity') = (document_id IS NULL)),
    CHECK (kind != 'entity' OR (entity_kind != '' AND entity_canonical != ''))
);
INSERT INTO notes_v3 (id, kind, document_id, quote, prefix, suffix, start_offset, end_offset,
                      body, tags, created, modified, entity_kind, entity_canonical, orphaned)
SELECT id,
       CASE WHEN quote != '' OR start_offset IS NOT NULL THEN 'passage' ELSE 'document' END,
       document_id, quote, prefix, suffix, start_offset, end_offset, body, tags, created,
       modified, coalesce(entity_kind, ''), coalesce(entity_canonical, ''), orphaned
FROM notes;
DROP TABLE notes_fts;
DROP TABLE notes;
ALTER TABLE notes_v3 RENAME TO notes;
CREATE INDEX notes_document ON notes(document_id, start_offset);
CREATE INDEX notes_entity ON notes(entity_kind, entity_canonical) WHERE entity_kind != '';

CREATE VIRTUAL TABLE notes_fts USING fts5(
    quote, body, tags, entity_canonical,          -- names as in notes: 'rebuild' reads them
    content = 'notes', content_rowid = 'id',
    {_FTS_TOKENIZER}
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, quote, body, tags, entity_canonical)
    VALUES (new.id, new.quote, new.body, new.tags, new.entity_canonical);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, quote, body, tags, entity_canonical)
    VALUES ('delete', old.id, old.quote, old.body, old.tags, old.entity_canonical);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF quote, body, tags, entity_canonical ON notes
BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, quote, body, tags, entity_canonical)
    VALUES ('delete', old.id, old.quote, old.body, old.tags, old.entity_canonical);
    INSERT INTO notes_fts(rowid, quote, body, tags, entity_canonical)
    VALUES (new.id, new.quote, new.body, new.tags, new.entity_canonical);
END;
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
"""

V4 = """
-- User data: the researcher's corrections of names, applied on top of the cached analyses.
-- The id is the order rules apply in (a later rule wins) and what undo names; AUTOINCREMENT
-- so an id is never reused. A rule is never deleted: undo sets ``undone`` (redo clears it).
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL CHECK (action IN ('not-a-name', 'kind', 'add', 'same-as', 'split')),
    form TEXT NOT NULL CHECK (length(form) BETWEEN 1 AND 200),  -- the name as written
    kind TEXT CHECK (kind IS NULL OR kind IN ('person', 'place', 'organization', 'other')),
    target TEXT,                             -- same-as: the name the form is filed under
    document TEXT,                           -- SHA-256 of one article's text; NULL: library
    case_sensitive INTEGER NOT NULL DEFAULT 1,  -- add: match the case as written
    created TEXT NOT NULL,                   -- ISO 8601, UTC
    undone TEXT,                             -- when it was undone; NULL while in force
    CHECK ((action IN ('kind', 'add')) = (kind IS NOT NULL)),
    CHECK ((action = 'same-as') = (target IS NOT NULL))
);

-- User data: every rule added, undone and redone, in order. Its newest id is the version
-- of the rules in force, which the entity summaries were derived with.
CREATE TABLE correction_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    correction_id INTEGER NOT NULL REFERENCES corrections(id),
    event TEXT NOT NULL CHECK (event IN ('added', 'undone', 'redone')),
    at TEXT NOT NULL
);

-- Derived: how many mentions of each article each rule changes (the counts a list of rules
-- shows), written with the article's entity summary. Safe to clear and rebuild.
CREATE TABLE correction_effects (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    correction_id INTEGER NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (document_id, correction_id)
) WITHOUT ROWID;
CREATE INDEX correction_effects_rule ON correction_effects(correction_id);
"""

MIGRATIONS: list[tuple[int, str]] = [
    (1, V1),
    (2, V2),
    (3, V3),
    (4, V4),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (a trigger body's ``;`` does not end it)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statement = pending.strip()
            if statement.strip(";").strip() and not _only_comments(statement):
                statements.append(statement)
            pending = ""
    if pending.strip(" \n;") and not _only_comments(pending):
        raise ValueError(f"Incomplete SQL statement in migration: {pending.strip()[:80]}")
    return statements


def _only_comments(statement: str) -> bool:
    lines = [line.strip() for line in statement.strip(";").splitlines()]
    return all(not line or line.startswith("--") for line in lines)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def latest_version() -> int:
    """The newest schema this code knows (read at call time, so tests can add migrations)."""
    return MIGRATIONS[-1][0]


def migrate(
    conn: sqlite3.Connection,
    *,
    target: int | None = None,
    before_first: Callable[[int], None] | None = None,
) -> int:
    """Bring the schema up to ``target``; return the version found before migrating.

    ``before_first(version)`` runs once, before the first migration that is needed (the
    caller takes its backup there). The version is read again inside each migration's
    transaction, so two processes opening a new library at once do not both migrate it.
    """
    target = latest_version() if target is None else target
    found = user_version(conn)
    if found > latest_version():
        raise newer_schema_error(found)
    pending = [(v, sql) for v, sql in MIGRATIONS if found < v <= target]
    if pending and before_first is not None:
        before_first(found)
    for version, sql in pending:
        with transaction(conn, f"upgrade the library to schema version {version}"):
            current = user_version(conn)
            if current >= version:
                continue  # another process got there first
            for statement in split_statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
    return found


def newer_schema_error(version: int) -> StoreError:
    return StoreError(
        f"The library was written by a newer version of reader (schema {version}; this "
        f"version knows schema {latest_version()} at most); update reader to open it. Nothing "
        "was changed."
    )
