"""``Store``: the one object the CLI and GUI hold to reach the library database.

Opening does, in order: make sure the folder is writable; connect with the pragmas;
``PRAGMA quick_check`` (a damaged file is moved aside and the newest backup restored, and
``recovery_message`` says so); check that FTS5 exists; refuse a schema newer than this
code; back up and migrate an older one. Every write is one ``BEGIN IMMEDIATE`` transaction,
and every SQLite failure reaches the caller as a ``StoreError`` with a sentence to show.

A ``Store`` wraps one connection and must be used from the thread that opened it; a worker
thread opens its own (see ARCHITECTURE.md, Threading).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from reader import paths
from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.errors import StoreError
from reader.notes.jsonld import ImportedNote
from reader.notes.model import Note
from reader.store import cache, library, migrations, notes_import, recovery, search
from reader.store import notes as notes_table
from reader.store.database import (
    check_fts5,
    connect,
    ensure_writable_folder,
    is_damage,
    reading,
    transaction,
    translate,
)
from reader.store.library import ImportResult, LibraryEntry
from reader.store.notes_import import NotesImportResult
from reader.store.search import MentionHit, SearchHit

log = logging.getLogger(__name__)


class Store:
    """The library database. Create it with ``open_store``; ``close()`` it when done."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool = False,
        recovery_message: str | None = None,
        backup_path: Path | None = None,
    ) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self.read_only = read_only
        self.recovery_message = recovery_message
        """A sentence for the user when the file was damaged and replaced; else None."""
        self.backup_path = backup_path
        """The backup taken before this open migrated the schema; else None."""

    # -- lifetime ---------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("The library was already closed; restart reader to open it again.")
        return self._conn

    @property
    def schema_version(self) -> int:
        return migrations.user_version(self.conn)

    def close(self) -> None:
        """Close the connection (idempotent). The last writer's close checkpoints the WAL."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                if not self.read_only:
                    conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                log.debug("PRAGMA optimize failed on close", exc_info=True)
            finally:
                conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- library ----------------------------------------------------------------------

    def import_document(self, document: Document) -> ImportResult:
        """Add a document, recognise it ("present"), or update the entry for its path."""
        with transaction(self.conn, "save the article to the library"):
            return library.import_document(self.conn, document)

    def import_batch(
        self, items: Sequence[tuple[Document, str | None, list[Mention] | None]]
    ) -> list[ImportResult]:
        """Import ``(document, model_key, mentions)`` items in one transaction.

        For a cluster import's writer: one commit per batch instead of per article. Each
        item is what ``import_document`` and then ``save_analysis`` (when ``model_key`` and
        ``mentions`` are given) would do, so a batch written twice changes nothing.
        """
        with transaction(self.conn, "save the articles to the library"):
            results = []
            for document, model_key, mentions in items:
                results.append(library.import_document(self.conn, document))
                if model_key is not None and mentions is not None:
                    cache.save(self.conn, document.text_hash, model_key, mentions)
            return results

    def list_documents(self) -> list[LibraryEntry]:
        with reading("read the library list"):
            return library.list_documents(self.conn)

    def get_entry(self, document_id: int) -> LibraryEntry | None:
        with reading("read the library list"):
            found = library.list_documents(self.conn, [document_id])
        return found[0] if found else None

    def get_document(self, document_id: int) -> Document:
        """The stored document; ``metadata.path`` is the most recently seen original file."""
        with reading("open the article from the library"):
            return library.get_document(self.conn, document_id)

    def find_by_path(self, path: str | os.PathLike[str]) -> int | None:
        with reading("look the file up in the library"):
            return library.find_by_path(self.conn, path)

    def find_by_text_hash(self, text_hash: str) -> int | None:
        with reading("look the article up in the library"):
            return library.find_by_text_hash(self.conn, text_hash)

    def paths_of(self, document_id: int) -> list[str]:
        with reading("read where the article came from"):
            return library.paths_of(self.conn, document_id)

    def remove_document(self, document_id: int) -> None:
        """Remove the entry with its notes, paths, summary, index rows and cached analysis."""
        with transaction(self.conn, "remove the article from the library"):
            library.remove_document(self.conn, document_id)

    def count_notes(self, document_id: int) -> int:
        """For "Remove this article and its N notes?" (entity notes belong to no article)."""
        with reading("count the article's notes"):
            return library.count_notes(self.conn, document_id)

    # -- notes ------------------------------------------------------------------------

    @contextmanager
    def _durable(self, action: str) -> Iterator[sqlite3.Connection]:
        """A write that is on disk when it returns: notes are the user's own work.

        ``synchronous=FULL`` makes the commit wait for the WAL to reach the disk (NORMAL
        may lose the last commits on a power cut); the cache writes stay NORMAL.
        """
        conn = self.conn
        conn.execute("PRAGMA synchronous = FULL")
        try:
            with transaction(conn, action):
                yield conn
        finally:
            try:
                conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error:
                log.debug("Could not set synchronous back to NORMAL", exc_info=True)

    def add_note(self, note: Note) -> Note:
        """Save a new note; returns it with its id, dates and (for a passage) the context
        read from the stored text. Raises ``NoteError`` for a quote not in the text."""
        with self._durable("save the note"):
            return notes_table.add(self.conn, note)

    def update_note(self, note: Note) -> Note:
        """Save the note's text and tags; returns the stored note (unchanged: no write)."""
        with self._durable("save the note"):
            return notes_table.update(self.conn, note)

    def delete_note(self, note_id: int) -> Note:
        """Delete a note; returns it, so that ``restore_note`` can undo the deletion."""
        with self._durable("delete the note"):
            return notes_table.delete(self.conn, note_id)

    def restore_note(self, note: Note) -> Note:
        """Undo a deletion: the same note, with the same id (ids are never reused)."""
        with self._durable("restore the note"):
            return notes_table.restore(self.conn, note)

    def reattach_note(self, note_id: int, text: str, start: int, end: int) -> Note:
        """Attach a passage note to ``text[start:end]`` (``text``: the article as shown)."""
        with self._durable("attach the note to the selection"):
            return notes_table.reattach(self.conn, note_id, text, start, end)

    def import_notes(self, imported: list[ImportedNote]) -> NotesImportResult:
        """Add notes read with ``reader.notes.export.from_jsonld``; all or nothing."""
        with self._durable("import the notes"):
            return notes_import.import_notes(self.conn, imported)

    def get_note(self, note_id: int) -> Note | None:
        with reading("read the note"):
            return notes_table.get(self.conn, note_id)

    def list_notes(
        self,
        document_id: int | None = None,
        *,
        tag: str | None = None,
        entity: tuple[str, str] | None = None,
        text: str | None = None,
        include_entity_notes: bool = False,
    ) -> list[Note]:
        """Notes in text order; see ``reader.store.notes.list_notes`` for the filters."""
        with reading("read the notes"):
            return notes_table.list_notes(
                self.conn,
                document_id,
                tag=tag,
                entity=entity,
                text=text,
                include_entity_notes=include_entity_notes,
            )

    def notes_for_entity(self, kind: Kind | str, canonical: str) -> list[Note]:
        with reading("read the notes on this name"):
            return notes_table.notes_for_entity(self.conn, str(kind), canonical)

    def entity_notes(self) -> list[Note]:
        """Every note on an entity (they belong to no article), by entity then age."""
        with reading("read the notes"):
            return notes_table.entity_notes(self.conn)

    def entity_note_keys(self) -> set[tuple[str, str]]:
        """``(kind, canonical)`` of every entity with a note, to mark them in the panel."""
        with reading("read the notes"):
            return notes_table.entity_note_keys(self.conn)

    def all_tags(self) -> list[str]:
        with reading("read the tags"):
            return notes_table.all_tags(self.conn)

    def orphaned_notes(self, document_id: int | None = None) -> list[Note]:
        """Passage notes whose quote was not found after the text changed."""
        with reading("read the notes"):
            return notes_table.orphaned_notes(self.conn, document_id)

    # -- analysis cache ---------------------------------------------------------------

    def save_analysis(self, text_hash: str, model_key: str, mentions: list[Mention]) -> None:
        """Cache a result and refresh the entity summary of every entry with this text."""
        with transaction(self.conn, "save the names found in the article"):
            cache.save(self.conn, text_hash, model_key, mentions)

    def save_analyses(self, items: Sequence[tuple[str, str, list[Mention]]]) -> None:
        """``save_analysis`` for ``(text_hash, model_key, mentions)`` items, one transaction."""
        with transaction(self.conn, "save the names found in the articles"):
            for text_hash, model_key, mentions in items:
                cache.save(self.conn, text_hash, model_key, mentions)

    def load_analysis(self, text_hash: str, model_key: str) -> list[Mention] | None:
        """The cached result for exactly this text and model key, or None."""
        with reading("read the names found earlier"):
            return cache.load(self.conn, text_hash, model_key)

    def clear_analysis(self, model_key: str | None = None) -> int:
        """Forget cached results (all, or one model key's); returns how many were dropped.

        Only the cache: documents, notes and the entity summaries stay (the summaries are
        replaced the next time each document is analysed).
        """
        with transaction(self.conn, "clear the analysis cache"):
            return cache.clear(self.conn, model_key)

    def documents_needing_analysis(self, model_key: str) -> list[int]:
        with reading("read the analysis cache"):
            return cache.documents_needing_analysis(self.conn, model_key)

    # -- search -----------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search; never raises for any query string (see ``reader.store.search``)."""
        with reading("search the library"):
            return search.search(self.conn, query, limit)

    def mentions(
        self, name: str, kind: Kind | str | None = None, limit: int = 500
    ) -> list[MentionHit]:
        """Which documents mention ``name``, optionally of one kind (a Kind, "person", "org"…)."""
        with reading("search the names in the library"):
            chosen = search.kind_from_name(kind) if kind else None
            return search.mentions(self.conn, name, chosen, limit)


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    backup_dir: str | os.PathLike[str] | None = None,
    check: bool = True,
) -> Store:
    """Open (creating, recovering and migrating as needed) the library at ``path``.

    ``path`` defaults to ``paths.database_file()``; backups go to ``paths.backup_dir()``
    for the default library and to ``backups/`` beside any other file. A read-only store
    never migrates or recovers: it refuses a missing, damaged or out-of-date library.

    ``check=False`` skips ``PRAGMA quick_check`` (it reads the whole file): for a second
    connection opened while the application's main store is already open and checked.
    """
    db_path = Path(path) if path is not None else paths.database_file()
    db_path = Path(os.path.abspath(db_path))
    backups = Path(backup_dir) if backup_dir is not None else recovery.default_backup_dir(db_path)
    if read_only:
        return _open_read_only(db_path, check)

    ensure_writable_folder(db_path.parent)
    if db_path.exists() and not os.access(db_path, os.R_OK | os.W_OK):
        raise StoreError(
            f"reader cannot write to its library file “{db_path}”; change the file's "
            "permissions, or start reader with --data-dir pointing to a folder of your own."
        )
    conn, message = _connect_checked(db_path, backups, check)
    try:
        check_fts5(conn)
        _refuse_foreign_database(conn, db_path)
        taken: list[Path] = []

        def back_up(version: int) -> None:
            if version > 0:
                taken.append(recovery.take_backup(conn, db_path, backups, version))

        migrations.migrate(conn, before_first=back_up)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise translate(error, f"open the library “{db_path}”") from error
    except BaseException:
        conn.close()
        raise
    return Store(conn, db_path, recovery_message=message, backup_path=taken[0] if taken else None)


def _refuse_foreign_database(conn: sqlite3.Connection, db_path: Path) -> None:
    """A schema-0 file with tables belongs to some other program: never add ours to it."""
    if (
        migrations.user_version(conn) == 0
        and conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1"
        ).fetchone()
    ):
        raise StoreError(
            f"“{db_path}” is a database of some other program, not a reader library; "
            "choose another file or folder for the library."
        )


def _connect_checked(
    db_path: Path, backups: Path, check: bool
) -> tuple[sqlite3.Connection, str | None]:
    """Connect and quick-check; recover once from a damaged file."""
    try:
        conn = connect(db_path)
        try:
            healthy = recovery.is_healthy(conn) if check else True
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise translate(error, f"open the library “{db_path}”") from error
        healthy, conn = False, None
    if healthy and conn is not None:
        return conn, None
    if conn is not None:
        conn.close()
    message = recovery.recover(db_path, backups)
    log.error("%s", message)
    try:
        conn = connect(db_path)
    except sqlite3.DatabaseError as error:
        raise translate(error, f"open the library “{db_path}”") from error
    return conn, message


def _open_read_only(db_path: Path, check: bool) -> Store:
    if not db_path.is_file():
        raise StoreError(f"There is no library at “{db_path}” yet; open reader once to create it.")
    try:
        conn = connect(db_path, read_only=True)
    except sqlite3.DatabaseError as error:
        raise translate(error, f"open the library “{db_path}”") from error
    try:
        if check and not recovery.is_healthy(conn):
            raise StoreError(
                f"The library “{db_path}” is damaged; start reader normally to restore it "
                "from its most recent backup."
            )
        check_fts5(conn)
        version = migrations.user_version(conn)
        if version > migrations.latest_version():
            raise migrations.newer_schema_error(version)
        if version < migrations.latest_version():
            raise StoreError(
                f"The library “{db_path}” needs an upgrade (schema {version}); start reader "
                "normally once so that it can upgrade it."
            )
    except sqlite3.DatabaseError as error:
        conn.close()
        raise translate(error, f"open the library “{db_path}”") from error
    except BaseException:
        conn.close()
        raise
    return Store(conn, db_path, read_only=True)
