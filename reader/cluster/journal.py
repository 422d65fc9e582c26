"""The import journal: which files a cluster import was given, and which are done.

It lives in its own SQLite file beside the library (``import-journal.sqlite3``), not in
the library's schema: it is bookkeeping for one run, thrown away by the next, and a
million paths do not belong in the file a researcher backs up. Files are marked done only
after their batch is committed to the library, so a crash between the two can only make
``--resume`` redo a few files, and redoing a file is harmless: the library recognises its
text ("already in the library") and replaces its analysis with an identical one.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

JOURNAL_NAME = "import-journal.sqlite3"
PENDING = "pending"
FAILED = "failed"
_WRITE_ROWS = 10_000  # rows per insert while the file list is written

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    number INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    document_id INTEGER,
    error TEXT
);
CREATE INDEX IF NOT EXISTS files_state ON files (state, number);
"""


def journal_path(library: Path) -> Path:
    return library.with_name(JOURNAL_NAME)


class ImportJournal:
    """One run's file list and progress. ``close()`` it (or use it as a context manager)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise _journal_error(path, error) from error

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ImportJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- a new run ------------------------------------------------------------------------

    def start(self, options: dict[str, Any], files: Iterable[tuple[str, str]]) -> int:
        """Forget the previous run; record ``options`` and ``(path, error)`` rows.

        ``error`` is "" for a file to import, or why a folder could not be listed. The
        rows go in as they come, so a walk of a million files never sits in memory.
        """
        rows = iter(files)
        count = 0
        with self._writing():
            self._conn.execute("DELETE FROM run")
            self._conn.execute("DELETE FROM files")
            while chunk := list(islice(rows, _WRITE_ROWS)):
                self._conn.executemany(
                    "INSERT INTO files (path, state, error) VALUES (?, ?, ?)",
                    [(path, FAILED if error else PENDING, error or None) for path, error in chunk],
                )
                count += len(chunk)
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            values = {"options": json.dumps(options), "started": stamp, "finished": ""}
            self._conn.executemany("INSERT INTO run (key, value) VALUES (?, ?)", values.items())
        return count

    # -- reading ----------------------------------------------------------------------------

    def options(self) -> dict[str, Any] | None:
        """The options of the recorded run, or None when there is none."""
        row = self._read("SELECT value FROM run WHERE key = 'options'").fetchone()
        return dict(json.loads(row[0])) if row else None

    @property
    def finished(self) -> bool:
        row = self._read("SELECT value FROM run WHERE key = 'finished'").fetchone()
        return bool(row and row[0])

    def counts(self) -> dict[str, int]:
        """Files per state: "pending", "failed", "imported", "present", "updated"."""
        counts = dict.fromkeys(("imported", "present", "updated", FAILED, PENDING), 0)
        for state, count in self._read("SELECT state, count(*) FROM files GROUP BY state"):
            counts[state] = count
        return counts

    def failures(self) -> list[tuple[str, str]]:
        """``(path, reason)`` of the files marked failed, in the order they were listed."""
        rows = self._read(
            "SELECT path, error FROM files WHERE state = ? ORDER BY number", (FAILED,)
        )
        return [(path, error or "") for path, error in rows]

    def pending(self, page: int = 1_000) -> Iterator[tuple[int, str]]:
        """``(number, path)`` of every file still to do, read a page at a time."""
        last = 0
        while True:
            rows = self._read(
                "SELECT number, path FROM files WHERE state = ? AND number > ?"
                " ORDER BY number LIMIT ?",
                (PENDING, last, page),
            ).fetchall()
            yield from rows
            if len(rows) < page:
                return
            last = rows[-1][0]

    # -- progress -------------------------------------------------------------------------

    def mark(self, rows: Iterable[tuple[int, str, int | None, str]]) -> None:
        """``(number, state, document_id, error)`` for files whose batch is in the library."""
        with self._writing():
            self._conn.executemany(
                "UPDATE files SET state = ?, document_id = ?, error = ? WHERE number = ?",
                [(state, doc, error or None, number) for number, state, doc, error in rows],
            )

    def finish(self) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing():
            self._conn.execute("UPDATE run SET value = ? WHERE key = 'finished'", (stamp,))

    # -- plumbing -------------------------------------------------------------------------

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, parameters)
        except sqlite3.Error as error:
            raise _journal_error(self.path, error) from error

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction; a SQLite failure becomes a sentence, anything else rolls back.

        SQLite may have rolled back already (a full disk), and a failed COMMIT leaves the
        transaction open: the rollback is tried only when one is open, and its own failure
        does not hide the error that caused it.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise _journal_error(self.path, error) from error


def _journal_error(path: Path, error: BaseException) -> ReaderError:
    return ReaderError(
        f"reader could not write its import journal “{path}” ({error}); check that the "
        f"folder {os.path.dirname(path)} is writable and has free space, then run the "
        "import again."
    )
