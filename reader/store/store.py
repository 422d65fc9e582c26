"""``Store``: the one object the CLI and GUI hold to reach the library database.

Opening does, in order: make sure the folder is writable; connect with the pragmas;
``PRAGMA quick_check`` (a damaged file is kept aside and what can be read is salvaged into a
new file; ``recovery`` says what was recovered, see ``recovery.py``); a daily backup copy;
check that FTS5 exists; refuse a schema newer than this
code; back up and migrate an older one. Every write is one ``BEGIN IMMEDIATE`` transaction,
and every SQLite failure reaches the caller as a ``StoreError`` with a sentence to show.

A ``Store`` wraps one connection and must be used from the thread that opened it; a worker
thread opens its own (see ARCHITECTURE.md, Threading).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from reader import paths
from reader.documents.model import Document
from reader.entities.corrections import Rule
from reader.entities.kinds import Kind, kind_from_name
from reader.entities.spans import Mention
from reader.errors import StoreError
from reader.notes.jsonld import ImportedNote
from reader.notes.model import Note
from reader.store import backups, cache, corrections, library, migrations, notes_import, search
from reader.store import notes as notes_table
from reader.store import recovery as recovery_module
from reader.store.corrections import StoredRule
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
        recovery: recovery_module.RecoveryReport | None = None,
        backup_path: Path | None = None,
        backup_dir: Path | None = None,
        cleanup: Callable[[], None] | None = None,
    ) -> None:
        self._cleanup = cleanup
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self.read_only = read_only
        self.recovery = recovery
        """What was salvaged when this open found the file damaged; else None."""
        self.backup_path = backup_path
        """The backup taken before this open migrated the schema; else None."""
        self.backup_dir = backup_dir or backups.default_backup_dir(path)

    @property
    def recovery_message(self) -> str | None:
        """A sentence for the user when the file was damaged and salvaged; else None."""
        return self.recovery.message if self.recovery is not None else None

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
                if self._cleanup is not None:
                    self._cleanup()

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

    def counts(self) -> tuple[int, int]:
        """(articles, notes) in the library, counted without reading them."""
        with reading("count the articles and notes"):
            return backups.library_counts(self.conn, self.schema_version)

    def get_entry(self, document_id: int) -> LibraryEntry | None:
        with reading("read the library list"):
            found = library.list_documents(self.conn, [document_id])
        return found[0] if found else None

    def get_document(self, document_id: int) -> Document:
        """The stored document; ``metadata.path`` is the most recently seen original file."""
        with reading("open the article from the library"):
            return library.get_document(self.conn, document_id)

    def get_text(self, document_id: int) -> tuple[str, str]:
        """Only the canonical text and its hash: what analysis needs, without the blocks
        (a book of short paragraphs has a million of them)."""
        with reading("open the article from the library"):
            return library.get_text(self.conn, document_id)

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

    def back_up(self, reason: str = backups.MANUAL) -> Path:
        """A backup copy in the backup folder now (``backups.REASONS`` names the reasons);
        raises ``StoreError`` when it cannot be written. Bulk operations call this first."""
        return backups.take_backup(
            self.conn, self.path, self.backup_dir, self.schema_version, reason
        )

    def import_notes(self, imported: list[ImportedNote]) -> NotesImportResult:
        """Add notes read with ``reader.notes.export.from_jsonld``; all or nothing.

        A backup copy is taken first (an import adds many notes at once). Everything is
        checked and placed before the first write; the writes go in short batches so that
        other windows can save their notes meanwhile (see ``notes_import``).
        """
        self.back_up("notes-import")
        with reading("read the articles the notes belong to"):
            planned = notes_import.plan(self.conn, imported)
        added: list[int] = []
        try:
            for batch in planned.batches():
                with self._durable("import the notes"):
                    added += notes_import.write(self.conn, batch)
        except BaseException:
            if added:  # all or none: take back the batches already written
                with self._durable("undo the part of the notes import already written"):
                    notes_import.remove(self.conn, added)
            raise
        return planned.result()

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

    # -- corrections ------------------------------------------------------------------

    def list_corrections(self) -> list[StoredRule]:
        """Every correction rule (undone ones too), in order, with its counts."""
        with reading("read the corrections"):
            return corrections.list_rules(self.conn)

    def active_corrections(self) -> tuple[int, list[Rule]]:
        """The version of the rules and the rules in force, read together."""
        with reading("read the corrections"):
            return corrections.version(self.conn), corrections.active_rules(self.conn)

    def add_corrections(self, rules: Sequence[Rule]) -> list[StoredRule]:
        """Store checked rules after those in force (all or none; ``CorrectionError`` for a
        circle of aliases). The library's summaries follow with ``apply_corrections``."""
        try:
            with self._durable("save the correction"):
                return corrections.add_checked(self.conn, rules, cache.now())
        finally:
            corrections.forget(self.conn)  # a rollback must not leave stale compiled rules

    def undo_correction(self, rule_id: int, *, redo: bool = False) -> StoredRule:
        """Undo a rule (``redo``: put an undone one back); it stays listed either way."""
        change = corrections.redo if redo else corrections.undo
        try:
            with self._durable("undo the correction" if not redo else "redo the correction"):
                return change(self.conn, rule_id, cache.now())
        finally:
            corrections.forget(self.conn)

    def apply_corrections(self) -> corrections.Refresh:
        """Bring every analysed article's names (summary, counts) in line with the rules."""
        return corrections.refresh_summaries(self.conn)

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
            chosen = kind_from_name(kind) if kind else None
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
    backup_folder = (
        Path(backup_dir) if backup_dir is not None else backups.default_backup_dir(db_path)
    )
    if db_path.is_dir():
        raise StoreError(
            f"“{db_path}” is a folder, but reader keeps its library in a file of that name; "
            "move the folder away, or start reader with --data-dir pointing to another folder."
        )
    if read_only:
        return _open_read_only(db_path, check)

    ensure_writable_folder(db_path.parent)
    if db_path.exists() and not os.access(db_path, os.R_OK | os.W_OK):
        raise StoreError(
            f"reader cannot write to its library file “{db_path}”; change the file's "
            "permissions, or start reader with --data-dir pointing to a folder of your own."
        )
    conn, report = _connect_checked(db_path, backup_folder, check)
    try:
        check_fts5(conn)
        _refuse_foreign_database(conn, db_path)
        taken: list[Path] = []

        def back_up(version: int) -> None:
            if version > 0:
                taken.append(backups.take_backup(conn, db_path, backup_folder, version))

        found = migrations.migrate(conn, before_first=back_up)
        daily = check and report is None and not taken and found > 0  # a new file: nothing yet
        if daily and backups.daily_backup_due(backup_folder, db_path):
            _daily_backup(conn, db_path, backup_folder)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise translate(error, f"open the library “{db_path}”", db_path.parent) from error
    except BaseException:
        conn.close()
        raise
    return Store(
        conn,
        db_path,
        recovery=report,
        backup_path=taken[0] if taken else None,
        backup_dir=backup_folder,
    )


def _daily_backup(conn: sqlite3.Connection, db_path: Path, backup_folder: Path) -> None:
    """The first open of a day keeps a copy; failing to is logged, never fatal to reading."""
    try:
        backups.take_backup(
            conn, db_path, backup_folder, migrations.user_version(conn), reason="daily"
        )
    except StoreError as error:
        log.warning("Daily backup skipped: %s", error.message)


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
    db_path: Path, backup_folder: Path, check: bool
) -> tuple[sqlite3.Connection, recovery_module.RecoveryReport | None]:
    """Connect and quick-check; recover once from a damaged file."""
    try:
        conn = connect(db_path)
        try:
            healthy = recovery_module.is_healthy(conn) if check else True
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise translate(error, f"open the library “{db_path}”", db_path.parent) from error
        healthy, conn = False, None
    if healthy and conn is not None:
        return conn, None
    if conn is not None:
        conn.close()
    report = recovery_module.recover(db_path, backup_folder)
    try:
        conn = connect(db_path)
    except sqlite3.DatabaseError as error:
        raise translate(error, f"open the library “{db_path}”", db_path.parent) from error
    return conn, report


def _open_read_only(db_path: Path, check: bool) -> Store:
    if not db_path.is_file():
        raise StoreError(f"There is no library at “{db_path}” yet; open reader once to create it.")
    conn, cleanup = _read_only_connection(db_path)
    try:
        if check and not recovery_module.is_healthy(conn):
            raise _damaged_read_only(db_path)
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
        cleanup()
        raise translate(error, f"open the library “{db_path}”", db_path.parent) from error
    except BaseException:
        conn.close()
        cleanup()
        raise
    return Store(conn, db_path, read_only=True, cleanup=cleanup)


def _damaged_read_only(db_path: Path) -> StoreError:
    return StoreError(
        f"The library “{db_path}” is damaged; start reader normally (or run "
        "'reader check --repair') where the library's folder can be written, to "
        "salvage what can still be read."
    )


def _read_only_connection(db_path: Path) -> tuple[sqlite3.Connection, Callable[[], None]]:
    """A connection that changes nothing, even where nothing may be written.

    A WAL reader needs a ``-shm`` file; in a read-only folder or on a full disk SQLite
    cannot create one. Then the file is opened ``immutable`` (when no ``-wal`` holds
    commits the main file lacks), or else a copy of the file and its WAL in a temporary
    folder is read, so that the last notes written are not missing.
    """
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(db_path, read_only=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn, lambda: None
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        if is_damage(error):
            raise _damaged_read_only(db_path) from error
        first = error
    wal = Path(f"{db_path}-wal")
    try:
        if not wal.is_file() or wal.stat().st_size == 0:
            conn = connect(db_path, read_only=True, immutable=True)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            log.info("Opened %s immutable (%s)", db_path, first)
            return conn, lambda: None
        folder = Path(tempfile.mkdtemp(prefix="reader-read-only-"))
        shutil.copyfile(db_path, folder / db_path.name)
        shutil.copyfile(wal, folder / wal.name)
        conn = connect(folder / db_path.name, read_only=False)
        log.info("Reading a copy of %s in %s (%s)", db_path, folder, first)
        return conn, lambda: shutil.rmtree(folder, ignore_errors=True)
    except (OSError, sqlite3.Error) as error:
        log.warning("Read-only fallbacks failed for %s: %s", db_path, error)
        raise translate(first, f"open the library “{db_path}”", db_path.parent) from first
