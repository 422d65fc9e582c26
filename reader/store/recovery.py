"""Backups before migrations, and what happens when the library file is damaged.

A damaged file is never deleted and never silently replaced: it is moved aside under a
name with a timestamp (with its ``-wal`` and ``-shm`` companions), the newest healthy
backup is restored if there is one, and the caller gets a sentence telling the researcher
what happened and where the damaged file is.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from reader import paths
from reader.errors import StoreError
from reader.store.database import is_damage

log = logging.getLogger(__name__)

KEEP_BACKUPS = 5
"""Backups kept per library file; older ones are deleted after each new backup."""

_COMPANIONS = ("-wal", "-shm")


def default_backup_dir(db_path: Path) -> Path:
    """``paths.backup_dir()`` for the default library, else ``backups`` beside the file."""
    if db_path.resolve() == paths.database_file().resolve():
        return paths.backup_dir()
    return db_path.parent / "backups"


def is_healthy(conn: sqlite3.Connection) -> bool:
    """``PRAGMA quick_check``: a full read of the file's structure, without index contents.

    Raises nothing for a damaged file; a busy or vanished file still raises.
    """
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return False
        raise
    return [tuple(r) for r in rows] == [("ok",)]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def _backups(backup_dir: Path, db_path: Path) -> list[Path]:
    """This library's backups, newest first (the timestamp in the name sorts them)."""
    if not backup_dir.is_dir():
        return []
    found = backup_dir.glob(f"{db_path.stem}-schema*-*.sqlite3")
    # "library-schema002-20250101-120000-000000.sqlite3": sort on what follows the version.
    return sorted(found, key=lambda p: p.stem.rsplit("-schema", 1)[1][4:], reverse=True)


def take_backup(conn: sqlite3.Connection, db_path: Path, backup_dir: Path, version: int) -> Path:
    """Copy the open library with SQLite's backup API (consistent even under WAL).

    The copy is written under a temporary name and renamed, so a crash never leaves a
    half-written file that recovery would later trust.
    """
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target = backup_dir / f"{db_path.stem}-schema{version:03d}-{_stamp()}.sqlite3"
        partial = target.with_suffix(".partial")
        destination = sqlite3.connect(partial)
        try:
            conn.backup(destination)
        finally:
            destination.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"The library needs an upgrade, but a backup copy could not first be saved in "
            f"“{backup_dir}” ({error}); free some disk space or check that folder's "
            "permissions, then start reader again. Nothing was changed."
        ) from error
    for old in _backups(backup_dir, db_path)[KEEP_BACKUPS:]:
        try:
            old.unlink()
        except OSError:
            log.warning("Could not delete old backup %s", old)
    log.info("Backed up %s to %s before migrating from schema %d", db_path, target, version)
    return target


def _backup_is_healthy(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return is_healthy(conn)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def move_aside(db_path: Path) -> Path:
    """Rename the damaged file (and its WAL companions) to a timestamped name beside it."""
    target = db_path.with_name(f"{db_path.stem}-damaged-{_stamp()}{db_path.suffix}")
    try:
        os.replace(db_path, target)
        for suffix in _COMPANIONS:
            companion = Path(f"{db_path}{suffix}")
            if companion.exists():
                os.replace(companion, Path(f"{target}{suffix}"))
    except OSError as error:
        raise StoreError(
            f"The library file “{db_path}” is damaged and reader could not move it aside "
            f"({error.strerror or error}); check the folder's permissions, or move the file "
            "away yourself and start reader again."
        ) from error
    log.error("Damaged library %s moved to %s", db_path, target)
    return target


def recover(db_path: Path, backup_dir: Path) -> str:
    """Move the damaged library aside and restore the newest healthy backup.

    Returns the sentence to show the researcher. Unhealthy backups are skipped, not deleted.
    """
    damaged = move_aside(db_path)
    for backup in _backups(backup_dir, db_path):
        if not _backup_is_healthy(backup):
            log.warning("Skipping damaged backup %s", backup)
            continue
        try:
            shutil.copyfile(backup, db_path)
        except OSError as error:
            log.error("Could not restore %s: %s", backup, error)
            continue
        when = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%d %B %Y at %H:%M")
        return (
            f"The library file was damaged, so reader restored the backup made on {when}; "
            "articles imported and notes written after that must be added again. The damaged "
            f"file was kept as “{damaged}”."
        )
    return (
        "The library file was damaged and no backup was available, so reader started a new, "
        f"empty library; the damaged file was kept as “{damaged}” in case it can be repaired."
    )
