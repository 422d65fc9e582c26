"""The SQLite connection: pragmas, transactions, and errors a researcher can act on.

The connection runs in autocommit mode (``isolation_level=None``) so that every write is an
explicit ``BEGIN IMMEDIATE`` … ``COMMIT`` (see ``transaction``): Python 3.11's implicit
transactions start too late (at the first DML, after a read) and two reader windows would
then deadlock instead of queueing behind ``busy_timeout``. ``BEGIN IMMEDIATE`` takes the
write lock first, so a second process simply waits its turn.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import StoreError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another process's transaction before giving up."""

# SQLite's primary result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

DAMAGED_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})


def error_code(error: sqlite3.Error) -> int:
    """The primary result code of ``error`` (0 when the driver did not say)."""
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(error: sqlite3.Error) -> bool:
    """True when ``error`` means the file itself is broken, not merely busy or full."""
    if error_code(error) in DAMAGED_CODES:
        return True
    message = str(error).lower()
    return "malformed" in message or "not a database" in message


def connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """Open ``path`` with the pragmas every connection needs.

    WAL lets the GUI read while a worker writes, and with ``synchronous=NORMAL`` a commit
    costs no fsync (a power cut may lose the last commits, never corrupt the file).
    ``journal_mode`` is set here, outside any transaction, because SQLite ignores it inside
    one. A read-only connection changes nothing in the file: WAL mode is persistent.
    """
    if read_only:
        # immutable: no -shm, no locks, no WAL: for a read-only folder or a full disk, where
        # SQLite cannot create the -shm file a WAL reader otherwise needs.
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another process holds the file.

    Switching needs an exclusive lock, and SQLite does not call the busy handler for it
    (to avoid deadlock), so two processes creating a new library at once would otherwise
    fail at once with "database is locked". Already in WAL mode, this takes no lock.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if error_code(error) not in (SQLITE_BUSY, SQLITE_LOCKED):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def check_fts5(conn: sqlite3.Connection) -> None:
    """Refuse to start on an SQLite built without FTS5, which search depends on.

    The probe lives in the ``temp`` schema, so it writes nothing into the library.
    """
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp.fts5_probe")
    except sqlite3.OperationalError as error:
        raise StoreError(
            f"The SQLite library this copy of reader uses (version {sqlite3.sqlite_version}) "
            "has no full-text search (FTS5), which the library needs; install reader with a "
            "Python whose sqlite3 module includes FTS5, or use the packaged reader."
        ) from error


def ensure_writable_folder(folder: Path) -> None:
    """Create ``folder`` or say, in a sentence, why the library cannot live there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Cannot create the folder “{folder}” where it keeps its library "
            f"({error.strerror or error}); check that the disk is available and that you may "
            "write there, or start reader with --data-dir pointing to a folder of your own."
        ) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"Cannot write to the folder “{folder}” where it keeps its library; "
            "change the folder's permissions, or start reader with --data-dir pointing to a "
            "folder of your own."
        )


def disk_is_full(folder: Path | None) -> bool:
    """True when the file system holding ``folder`` has (almost) no space left: SQLite
    reports a full disk as an I/O error when it cannot even create its ``-shm`` file."""
    if folder is None or not hasattr(os, "statvfs"):
        return False
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES


FULL_BELOW_BYTES = 256 * 1024


def database_folder(conn: sqlite3.Connection) -> Path | None:
    """The folder of ``conn``'s main database file, when it can still be asked."""
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[2]).parent if row and row[2] else None


def translate(error: sqlite3.Error, action: str, folder: Path | None = None) -> StoreError:
    """A ``StoreError`` for ``error`` whose sentence says what to do about it.

    ``action`` completes "reader could not …", e.g. "save the article to the library";
    ``folder`` (the library's) lets an I/O error on a full disk be called a full disk.
    """
    code = error_code(error)
    message = str(error).lower()
    full = code in (SQLITE_IOERR, SQLITE_CANTOPEN) and disk_is_full(folder)
    if (
        full
        or code == SQLITE_FULL
        or "disk is full" in message
        or "database or disk is full" in message
    ):
        text = (
            f"Could not {action} because the disk is full (or the library reached its "
            "size limit); nothing was saved. Free some disk space and try again."
        )
    elif code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in message:
        text = (
            f"Could not {action} because another reader window is writing to the "
            f"library and did not finish within {BUSY_TIMEOUT_MS // 1000} seconds; wait a "
            "moment and try again, or close the other window."
        )
    elif code == SQLITE_READONLY or "readonly" in message or "read-only" in message:
        text = (
            f"Could not {action} because the library is read-only; check the "
            "permissions of the library file and its folder."
        )
    elif is_damage(error):
        text = (
            f"Could not {action} because the library file is damaged; run 'reader check "
            "--repair' (or quit and start reader again): it keeps the damaged file and "
            "salvages what can still be read."
        )
    elif code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        text = (
            f"Could not {action} because the disk reported an error; check that the "
            "disk is still connected and working, then try again."
        )
    else:
        text = f"Could not {action} ({error}); try again, and if it keeps failing, restart reader."
    log.warning("Store error while trying to %s: %r", action, error)
    return StoreError(text)


@contextmanager
def transaction(conn: sqlite3.Connection, action: str) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside is committed together or not at all.

    Any SQLite failure (disk full, lock timeout, I/O error) rolls back and becomes a
    ``StoreError`` naming ``action``; other exceptions roll back and propagate unchanged.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise translate(error, action, database_folder(conn)) from error
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as error:
        _rollback(conn)
        if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
            error, sqlite3.IntegrityError
        ):
            raise translate(error, action, database_folder(conn)) from error
        raise


@contextmanager
def reading(action: str) -> Iterator[None]:
    """Reads fail rarely (a damaged page, a vanished disk); when they do, say so plainly."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.DatabaseError as error:
        raise translate(error, action) from error


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open; SQLite may already have rolled back."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.exception("Rollback failed")
