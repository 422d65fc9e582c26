"""What happens when the library file is damaged: keep it, salvage it, say so.

A damaged file is never deleted, never repaired in place and never silently replaced:

1. it is moved aside, byte for byte, under a name with a timestamp (with its ``-wal`` and
   ``-shm`` companions), unless another reader window still has it open;
2. what can still be read from it is salvaged into a new library (``salvage.py``), and
   notes whose article was lost are written to a Markdown file beside it;
3. only when nothing at all could be read is the newest healthy backup restored instead;
4. the caller gets a ``RecoveryReport`` whose ``message`` says what was recovered, from
   where, and where the damaged file is. The command line prints it and exits non-zero;
   the window shows it as a notice.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reader.errors import StoreError
from reader.store import backups, lost_notes
from reader.store.backups import stamp
from reader.store.database import is_damage
from reader.store.salvage import SalvageResult, salvage

log = logging.getLogger(__name__)

_COMPANIONS = ("-wal", "-shm")


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


def _rename(source: Path, target: Path) -> None:
    """Rename a library file and those of its WAL companions that exist."""
    os.replace(source, target)
    for suffix in _COMPANIONS:
        companion = Path(f"{source}{suffix}")
        if companion.exists():
            os.replace(companion, Path(f"{target}{suffix}"))


def move_aside(db_path: Path, label: str = "damaged") -> Path:
    """Rename the file (and its WAL companions) to a timestamped name beside it."""
    target = db_path.with_name(f"{db_path.stem}-{label}-{stamp()}{db_path.suffix}")
    try:
        _rename(db_path, target)
    except OSError as error:
        reason = error.strerror or error
        if label != "damaged":  # a restore: the library is sound and stays where it is
            raise StoreError(
                f"reader could not move the library file “{db_path}” aside ({reason}); "
                "check the folder's permissions, then try again. The library was not changed."
            ) from error
        raise StoreError(
            f"The library file “{db_path}” is damaged and reader could not move it aside "
            f"({reason}); check the folder's permissions, or move the file "
            "away yourself and start reader again."
        ) from error
    log.error("Library %s moved to %s", db_path, target)
    return target


def _put_back(kept: Path, db_path: Path) -> None:
    """Undo ``move_aside`` (the salvage could not be written): the next try starts over."""
    try:
        _rename(kept, db_path)
    except OSError:
        log.exception("Could not move %s back to %s", kept, db_path)


@dataclass
class RecoveryReport:
    """What recovery did, for the command line's stderr and the window's notice."""

    kept_as: Path  # the damaged file, unchanged
    salvaged: SalvageResult
    restored_backup: Path | None = None  # set when nothing could be read and a backup was used
    newest_backup: Path | None = None
    homeless_notes_file: Path | None = None

    @property
    def message(self) -> str:
        kept = f"“{self.kept_as}”"
        if self.restored_backup is not None:
            return (
                "The library file was damaged and nothing could be read from it, so reader "
                f"restored {backups.describe(self.restored_backup)}; articles imported and "
                f"notes written after that must be added again. The damaged file was kept as "
                f"{kept}."
            )
        found = self.salvaged
        if not found.anything:
            return (
                "The library file was damaged, nothing could be read from it and there was "
                "no backup, so reader started a new, empty library; the damaged file was kept "
                f"as {kept}."
            )
        parts = [
            _counted(found.documents, found.documents_total, "article"),
            _counted(found.notes, found.notes_total, "note"),
        ]
        text = (
            f"The library file was damaged. reader kept it unchanged as {kept} and salvaged "
            f"what could still be read into a new library: {parts[0]} and {parts[1]}"
        )
        if found.corrections_total:
            text += ", and " + _counted(found.corrections, found.corrections_total, "correction")
        text += " (after rebuilding the file's header)." if found.header_repaired else "."
        if self.homeless_notes_file is not None:
            count = len(found.homeless_notes)
            text += (
                f" {count} note{'s' if count != 1 else ''} whose article could not be read "
                f"{'were' if count != 1 else 'was'} saved in “{self.homeless_notes_file}”."
            )
        if self.newest_backup is not None:
            text += (
                f" If {backups.describe(self.newest_backup)} holds more, restore it with: "
                f"reader restore “{self.newest_backup}”."
            )
        return text


def _counted(found: int, total: int | None, noun: str) -> str:
    plural = noun if (total if total is not None else found) == 1 else noun + "s"
    if total is not None and total >= found:
        return f"{found} of {total} {plural}"
    return f"{found} {plural}"


def recover(db_path: Path, backup_dir: Path) -> RecoveryReport:
    """Keep the damaged library, salvage it into a new one (see the module docstring)."""
    backups.ensure_not_in_use(db_path, "set the damaged library file aside and salvage it")
    kept = move_aside(db_path)
    partial = db_path.with_name(f".{db_path.name}.salvaged")
    scratch = db_path.with_name(f".salvage-{stamp()}")
    try:
        partial.unlink(missing_ok=True)
        found = salvage(kept, partial, scratch)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        _put_back(kept, db_path)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise StoreError(
            f"The library file “{db_path}” is damaged, and reader could not write the copy "
            f"salvaged from it ({reason}); the file was left as it is. Free some disk space, "
            "then try again."
        ) from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = RecoveryReport(kept, found, newest_backup=backups.newest_healthy(backup_dir, db_path))
    if not found.anything and report.newest_backup is not None:
        try:
            shutil.copyfile(report.newest_backup, partial)
            report.restored_backup = report.newest_backup
        except OSError as error:
            log.error("Could not restore %s: %s", report.newest_backup, error)
    if partial.exists():  # else nothing was readable: open_store starts an empty library
        os.replace(partial, db_path)
    if found.homeless_notes:
        report.homeless_notes_file = lost_notes.keep_notes_file(db_path, found.homeless_notes)
    log.error("%s", report.message)
    return report
