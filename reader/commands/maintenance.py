"""``reader backup``, ``reader restore`` and ``reader check``: the library's safety net.

Exit status: 0 done (for ``check``: nothing wrong, or everything repaired); 1 an error or,
for ``check``, a problem found and not repaired; 2 bad arguments; 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from reader import paths
from reader.commands.output import note, print_line
from reader.errors import ReaderError, StoreError
from reader.filenames import quoted
from reader.services.library import existing_store, open_library
from reader.store import Store, open_store
from reader.store import backups as backups_module
from reader.store import check as check_module

Common = Callable[[argparse.ArgumentParser], None]


def register(commands: argparse._SubParsersAction, common: Common) -> None:
    backup = commands.add_parser(
        "backup",
        help="save a copy of the library",
        description=(
            "A consistent copy of the library (safe while a reader window is open), in the "
            "backup folder or in FILE. reader also keeps copies by itself: one a day, and "
            "one before every import of many files or of notes."
        ),
    )
    backup.add_argument("-o", "--output", metavar="FILE", help="write the copy to FILE")
    common(backup)
    restore = commands.add_parser(
        "restore",
        help="replace the library with a backup copy",
        description=(
            "Replace the library with FILE (a backup copy). The library it replaces is kept "
            "beside it, renamed; nothing is deleted. Asks first, unless --yes is given."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="a backup copy of a reader library")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    common(restore)
    checking = commands.add_parser(
        "check",
        help="check the library for damage and inconsistencies",
        description=(
            "Check every page and index of the library, its full-text indexes and the links "
            "between its tables. --repair rebuilds what can be rebuilt (after a backup copy) "
            "and salvages a damaged file."
        ),
    )
    checking.add_argument("--repair", action="store_true", help="repair what was found")
    common(checking)


# -- backup ---------------------------------------------------------------------------------


def run_backup(args: argparse.Namespace) -> int:
    with open_library() as store:
        if args.output:
            target = Path(args.output)
            if target.exists():
                raise ReaderError(
                    f"{quoted(str(target))} already exists; choose another name (reader never "
                    "writes a backup over a file)."
                )
            try:
                backups_module.copy_database(store.conn, target)
            except OSError as error:
                raise ReaderError(
                    f"The backup could not be written to {quoted(str(target))} "
                    f"({error.strerror or error}); check the folder and the free space."
                ) from None
        else:
            target = store.back_up(backups_module.MANUAL)
        counts = _counts(store)
    print_line(f"Saved a copy of the library ({counts}) as {quoted(str(target))}.")
    return 0


def _counts(store: Store) -> str:
    documents, notes = store.counts()
    return f"{_plural(documents, 'article')}, {_plural(notes, 'note')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


# -- restore --------------------------------------------------------------------------------


def run_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    _, documents, notes = backups_module.describe_library(source)
    db_path = paths.database_file()
    if source.resolve() == db_path.resolve():
        raise ReaderError("That file is the library itself; name a backup copy to restore.")
    current = "no library yet"
    if db_path.exists():
        with existing_store() as store:
            current = _counts(store) if store is not None else current
    question = (
        f"Replace the library ({current}) with {quoted(str(source))} "
        f"({_plural(documents, 'article')}, {_plural(notes, 'note')})?"
    )
    if not args.yes:
        if not sys.stdin.isatty():
            raise ReaderError(question + " Add --yes to confirm; nothing was changed.")
        answer = input(question + " The current library is kept beside it, renamed. [y/N] ")
        answer = answer.strip().lower()
        if answer not in ("y", "yes"):
            note("Nothing was changed.")
            return 1
    kept = backups_module.restore(db_path, source)
    with open_store() as store:  # migrates an older copy, with its own backup first
        counts = _counts(store)
    where = f"; the library it replaced was kept as {quoted(str(kept))}" if kept else ""
    print_line(f"Restored the library from {quoted(str(source))} ({counts}){where}.")
    return 0


# -- check ----------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    db_path = paths.database_file()
    if not db_path.exists():
        note("There is no library yet, so there is nothing to check.")
        return 0
    if not args.repair:
        try:
            store = open_store(read_only=True, check=False)
        except StoreError as error:
            raise ReaderError(
                error.message.rstrip(".") + "; run 'reader check --repair' to salvage it."
            ) from None
        with store:
            findings = _check_writable_or(store)
        for finding in findings:
            print_line(finding.line())
        if all(f.ok for f in findings):
            print_line("The library is sound.")
            return 0
        note("Problems were found; 'reader check --repair' repairs them (after a backup copy).")
        return 1
    return _repair()


def _check_writable_or(store: Store) -> list[check_module.Finding]:
    """The checks on a plain read-write connection (FTS5 checks itself inside a write
    transaction, and writes nothing), else on the read-only one ``store`` holds."""
    import sqlite3

    from reader.store.database import connect

    try:
        conn = connect(store.path)
    except sqlite3.Error:
        return check_module.check(store.conn)
    try:
        return check_module.check(conn)
    finally:
        conn.close()


def _repair() -> int:
    store = open_store()  # a file damaged past its quick check is salvaged right here
    if store.recovery is not None:
        print_line(store.recovery.message)
    with store:
        findings = check_module.check(store.conn)
        if all(f.ok for f in findings):
            print_line("The library is sound; nothing needed repairing.")
            return 0
        if not check_module.tables_damaged(findings):
            store.back_up("repair")
            for sentence in check_module.repair(store.conn, store.path):
                print_line(f"Repair: {sentence}.")
            findings = check_module.check(store.conn)
    if not check_module.tables_damaged(findings) and all(f.ok for f in findings):
        print_line("The library is sound again.")
        return 0
    # Damage in the tables themselves: keep the file and salvage it, as opening would.
    from reader.store import recovery

    report = recovery.recover(store.path, store.backup_dir)
    print_line(report.message)
    with open_store() as salvaged:
        findings = check_module.check(salvaged.conn)
    for finding in findings:
        print_line(finding.line())
    return 0 if all(f.ok for f in findings) else 1
