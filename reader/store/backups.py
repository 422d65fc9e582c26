"""Backup copies of the library: taken before they are needed, rotated, restored on request.

When: before every schema migration, at least once a day (the first open of a day takes
one), before every bulk operation (an import of many files, a notes import; issue 13's
corrections import calls ``Store.back_up`` too), and whenever the researcher runs
``reader backup``. Each copy is made with SQLite's backup API (consistent even while the
window writes), under a temporary name renamed at the end, so a crash never leaves a
half-written copy that recovery would later trust.

Rotation keeps the five newest copies and the newest copy of each of the last seven days
that have one; copies the researcher asked for (``reader backup``) are never deleted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader import paths
from reader.errors import StoreError
from reader.store.database import SQLITE_BUSY, SQLITE_LOCKED, error_code, is_damage

log = logging.getLogger(__name__)

KEEP_NEWEST = 5
KEEP_DAYS = 7
DAILY = timedelta(hours=24)
MANUAL = "manual"
"""The reason of a copy made by ``reader backup``: rotation never deletes those."""

REASONS = {
    "migration": "before upgrading the library",
    "daily": "as the daily backup",
    "import": "before importing many files",
    "notes-import": "before importing notes",
    "corrections-import": "before importing corrections",
    "restore": "before restoring another library",
    "repair": "before repairing the library",
    MANUAL: "on request",
}


def default_backup_dir(db_path: Path) -> Path:
    """``paths.backup_dir()`` for the default library, else ``backups`` beside the file."""
    if db_path.resolve() == paths.database_file().resolve():
        return paths.backup_dir()
    return db_path.parent / "backups"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def _stamp_of(path: Path) -> str:
    """'20250101-120000-000000[-reason]' from 'library-schema003-20250101-….sqlite3'."""
    return path.stem.rsplit("-schema", 1)[1][4:]


def _reason_of(path: Path) -> str:
    parts = _stamp_of(path).split("-", 3)
    return parts[3] if len(parts) > 3 else "migration"


def _day_of(path: Path) -> str:
    return _stamp_of(path)[:8]


def list_backups(backup_dir: Path, db_path: Path) -> list[Path]:
    """This library's backups, newest first (the timestamp in the name sorts them)."""
    if not backup_dir.is_dir():
        return []
    found = [
        p for p in backup_dir.glob(f"{db_path.stem}-schema*-*.sqlite3") if len(_stamp_of(p)) >= 22
    ]
    return sorted(found, key=_stamp_of, reverse=True)


def taken_at(path: Path) -> datetime:
    """When a backup was taken (from its name; its file time if the name is odd)."""
    try:
        return datetime.strptime(_stamp_of(path)[:22], "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def describe(path: Path) -> str:
    """'the backup of 3 December 2025 at 10:02 (“…/library-schema003-….sqlite3”)'."""
    when = taken_at(path).astimezone().strftime("%d %B %Y at %H:%M").lstrip("0")
    return f"the backup of {when} (“{path}”)"


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database ``conn`` at ``target``, all at once or not at
    all (written as ``target.partial``, then renamed). Raises ``OSError``/``sqlite3.Error``."""
    partial = target.with_name(target.name + ".partial")
    destination = sqlite3.connect(partial)
    try:
        conn.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        destination.close()
    try:
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def take_backup(
    conn: sqlite3.Connection,
    db_path: Path,
    backup_dir: Path,
    version: int,
    reason: str = "migration",
) -> Path:
    """Copy the open library into ``backup_dir`` and rotate the old copies.

    Raises ``StoreError`` with a sentence when the copy cannot be written (the caller then
    does not start the operation the copy was meant to protect).
    """
    target = backup_dir / f"{db_path.stem}-schema{version:03d}-{stamp()}-{reason}.sqlite3"
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        copy_database(conn, target)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            target.with_name(target.name + ".partial").unlink(missing_ok=True)
        why = REASONS.get(reason, "first")
        raise StoreError(
            f"reader could not save a backup copy of the library {why} in “{backup_dir}” "
            f"({_why(error)}), so it did not go on; free some disk space or check that "
            "folder's permissions, then try again. Nothing was changed."
        ) from error
    rotate(backup_dir, db_path)
    log.info("Backed up %s to %s (%s)", db_path, target, reason)
    return target


def _why(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def rotate(backup_dir: Path, db_path: Path) -> list[Path]:
    """Delete old automatic copies (see the module docstring); returns those deleted."""
    backups = list_backups(backup_dir, db_path)
    keep = set(backups[:KEEP_NEWEST])
    days: dict[str, Path] = {}
    for backup in backups:  # newest first: the first seen per day is that day's newest
        days.setdefault(_day_of(backup), backup)
    keep.update(list(days.values())[:KEEP_DAYS])
    deleted = []
    for backup in backups:
        if backup in keep or _reason_of(backup) == MANUAL:
            continue
        try:
            backup.unlink()
            deleted.append(backup)
        except OSError:
            log.warning("Could not delete old backup %s", backup)
    return deleted


def daily_backup_due(backup_dir: Path, db_path: Path) -> bool:
    backups = list_backups(backup_dir, db_path)
    return not backups or datetime.now(UTC) - taken_at(backups[0]) >= DAILY


def is_healthy_file(path: Path) -> bool:
    """``PRAGMA quick_check`` on a file opened read-only (a backup, a file to restore)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        return [tuple(r) for r in rows] == [("ok",)]
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def newest_healthy(backup_dir: Path, db_path: Path) -> Path | None:
    for backup in list_backups(backup_dir, db_path):
        if is_healthy_file(backup):
            return backup
        log.warning("Skipping damaged backup %s", backup)
    return None


def ensure_not_in_use(db_path: Path, action: str) -> None:
    """Fail with a sentence when another process (a reader window) has the library open.

    In WAL mode every open connection keeps a lock that an EXCLUSIVE locking-mode
    transaction cannot get past, so this tells "nobody else uses the file" from "someone
    does". A file too damaged to lock at all cannot be in use either.
    """
    if not db_path.is_file():
        return
    try:
        conn = sqlite3.connect(db_path, timeout=1.0, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        if is_damage(error) or error_code(error) not in (SQLITE_BUSY, SQLITE_LOCKED):
            return
        raise StoreError(
            f"reader must {action}, but another reader window (or command) has the library "
            "open; close it, then try again. Nothing was changed."
        ) from error
    finally:
        conn.close()


def describe_library(path: Path) -> tuple[int, int, int]:
    """(schema version, articles, notes) of a library file, read without changing it.

    Raises ``StoreError`` when ``path`` is not a healthy reader library this version reads.
    """
    from reader.store import migrations

    if not path.is_file():
        raise StoreError(f"There is no file “{path}”; check its name and folder.")
    if not is_healthy_file(path):
        raise StoreError(
            f"“{path}” is not a healthy SQLite file (it is damaged, or not a library at all); "
            "choose another backup."
        )
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if version < 1 or "documents" not in tables:
            raise StoreError(f"“{path}” is not a reader library; choose another file.")
        if version > migrations.latest_version():
            raise migrations.newer_schema_error(version)
        documents, notes = library_counts(conn, version)
    except sqlite3.Error as error:
        raise StoreError(f"“{path}” could not be read as a reader library ({error}).") from error
    finally:
        conn.close()
    return version, documents, notes


def library_counts(conn: sqlite3.Connection, version: int) -> tuple[int, int]:
    """(articles, notes) of a library at schema ``version``, counted without reading them."""
    documents = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    notes = int(conn.execute("SELECT count(*) FROM notes").fetchone()[0]) if version >= 2 else 0
    return documents, notes


def restore(db_path: Path, source: Path) -> Path | None:
    """Put a copy of the library ``source`` in place of ``db_path``; returns where the
    library it replaced was kept (None when there was none).

    The caller has confirmed with the researcher and checked ``source``
    (``describe_library``). Nothing is deleted: the current file and its companions are
    renamed aside, and the copy is written under a temporary name first.
    """
    from reader.store.recovery import move_aside

    ensure_not_in_use(db_path, "replace the library")
    partial = db_path.with_name(f".{db_path.name}.restoring")
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy_database(conn, partial)
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise StoreError(
            f"“{source}” could not be copied into place ({_why(error)}); free some disk "
            "space, then try again. The library was not changed."
        ) from error
    try:
        kept = move_aside(db_path, "before-restore") if db_path.exists() else None
    except StoreError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, db_path)
    return kept
