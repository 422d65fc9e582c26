"""Reading what can still be read out of a damaged library into a new one.

SQLite's own recovery extension is not part of Python's ``sqlite3``, so this reads the
damaged file table by table, the way ``.recover`` does for a table whose structure holds:
rows are read in rowid order, in batches, and where a batch meets a damaged page the rows
are read one at a time, a row whose content is unreadable is skipped, and a page that
cannot even be navigated is stepped over by probing rowids further on. A file whose
100-byte header was overwritten gets a fresh header (on a scratch copy) first.

What is copied: the user's data (articles, the paths they came from, notes, correction
rules with their history, the id counters so ids are never reused) and the analysis cache
of the articles recovered (it takes minutes to compute again); the entity summary is
rebuilt from that cache after the corrections (copied first), and the full-text indexes
are rebuilt by their triggers. Notes whose article could not be read
are returned to the caller, which keeps them in a file: they are never dropped silently.

The damaged file itself is never written to: salvage reads a copy in ``scratch``.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.documents.model import Document
from reader.store import cache, migrations
from reader.store.database import is_damage
from reader.store.library import decode_document

log = logging.getLogger(__name__)

BATCH = 256
_LOWEST = -(2**63)
_HIGHEST = 2**63 - 1
_MAGIC = b"SQLite format 3\x00"
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)


@dataclass
class SalvageResult:
    """What was read out of the damaged file (totals are None where even they were lost)."""

    documents: int = 0
    documents_total: int | None = None
    notes: int = 0
    notes_total: int | None = None
    corrections: int = 0
    corrections_total: int | None = None
    paths: int = 0
    analyses: int = 0
    schema_version: int = 0
    header_repaired: bool = False
    readable: bool = True  # False: not even the list of tables could be read
    homeless_notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.documents or self.notes or self.corrections or self.homeless_notes)


def salvage(damaged: Path, target: Path, scratch: Path) -> SalvageResult:
    """Copy what can be read from ``damaged`` into a new library at ``target``.

    ``target`` must not exist; it is written at the damaged file's schema version (the
    caller's ``open_store`` migrates it as usual). Raises ``OSError`` or ``sqlite3.Error``
    only for failures of the new file (a full disk), never for damage in the old one.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "damaged-copy.sqlite3"
    shutil.copyfile(damaged, copy)
    wal = Path(f"{damaged}-wal")
    if wal.is_file():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    result = SalvageResult()
    source, result.header_repaired = _open_source(copy)
    if source is None:
        result.readable = False
        return result
    try:
        result.schema_version = _schema_version(source)
        if not result.schema_version:
            result.readable = False
            return result
        version = min(result.schema_version, migrations.latest_version())
        conn = sqlite3.connect(target, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = OFF")  # renamed into place only when complete
            migrations.migrate(conn, target=version)
            conn.execute("BEGIN")
            _copy_everything(source, conn, result)
            conn.execute("COMMIT")
        finally:
            conn.close()
    finally:
        source.close()
    return result


# -- opening the damaged copy ---------------------------------------------------------------


def _open_source(path: Path) -> tuple[sqlite3.Connection | None, bool]:
    """A connection on the scratch copy whose table list can be read.

    A truncated file is padded back to the size its header gives (the missing pages read
    as damaged, the others as they were); a file whose header is no longer an SQLite
    header gets a new one, trying the usual page sizes.
    """
    conn = _try_open(path)
    if conn is not None:
        return conn, False
    original = path.read_bytes()[:100]
    if original.startswith(_MAGIC):
        page_size = struct.unpack(">H", original[16:18])[0]
        page_size = 65536 if page_size == 1 else page_size
        pages = struct.unpack(">I", original[28:32])[0]
        if page_size in _PAGE_SIZES and 0 < pages < 2**31:
            _pad(path, pages * page_size)
            conn = _try_open(path)
            if conn is not None:
                return conn, False
    wal = Path(f"{path}-wal")
    in_wal_mode = wal.is_file() and wal.stat().st_size > 0
    for page_size in _PAGE_SIZES:
        size = path.stat().st_size
        _pad(path, -(-size // page_size) * page_size)
        with path.open("r+b") as stream:
            stream.write(_header(page_size, path.stat().st_size // page_size, in_wal_mode))
        conn = _try_open(path)
        if conn is not None:
            log.warning("Salvage: rebuilt the file header (page size %d)", page_size)
            return conn, True
    return None, False


def _pad(path: Path, size: int) -> None:
    """Zero pages up to ``size`` bytes (a truncated copy: the pages it lost read as damaged)."""
    missing = size - path.stat().st_size
    if missing > 0:
        with path.open("ab") as stream:
            stream.truncate(size)


def _try_open(path: Path) -> sqlite3.Connection | None:
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA cell_size_check = ON")  # report a damaged cell, never misread it
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        conn.close()
        return None
    if "documents" not in names:
        conn.close()
        return None
    return conn


def _header(page_size: int, pages: int, wal: bool) -> bytes:
    """A plain SQLite header: UTF-8, schema format 4, no free list, no auto-vacuum."""
    version = 2 if wal else 1
    header = _MAGIC + struct.pack(
        ">HBBBBBBIIIIIIIIIIII",
        1 if page_size == 65536 else page_size,
        version,  # file format write version
        version,  # read version
        0,  # reserved bytes per page
        64,
        32,
        32,  # payload fractions (fixed by the format)
        1,  # change counter
        pages,
        0,  # first free-list trunk page
        0,  # free-list pages
        1,  # schema cookie
        4,  # schema format
        0,  # default cache size
        0,  # largest root page (no auto-vacuum)
        1,  # UTF-8
        0,  # user version (guessed later from the tables)
        0,  # incremental vacuum
        0,  # application id
    )
    header += bytes(20) + struct.pack(">II", 1, 3_040_001)
    assert len(header) == 100
    return header


def _schema_version(conn: sqlite3.Connection) -> int:
    with contextlib.suppress(sqlite3.DatabaseError):
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version:
            return version
    # A rebuilt header has no version: tell it from the tables (see migrations.py).
    if _columns(conn, "corrections"):
        return 4
    columns = _columns(conn, "notes")
    if "kind" in columns:
        return 3
    if columns:
        return 2
    return 1 if _columns(conn, "documents") else 0


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


# -- copying --------------------------------------------------------------------------------


def _copy_everything(source: sqlite3.Connection, target: sqlite3.Connection, result: Any) -> None:
    result.documents_total = _count(source, "documents")
    result.notes_total = _count(source, "notes")
    documents: dict[int, str] = {}  # id -> text_hash
    for row in _copy_table(
        source, target, "documents", keep=sound_document, reset={"summary_model_key": None}
    ):
        documents[row["id"]] = row["text_hash"]
    result.documents = len(documents)
    result.paths = sum(
        1
        for _ in _copy_table(
            source, target, "document_paths", keep=lambda r: r["document_id"] in documents
        )
    )

    def keep_note(row: dict[str, Any]) -> bool:
        if row.get("document_id") is None or row["document_id"] in documents:
            return True
        result.homeless_notes.append(row)
        return False

    result.notes = sum(1 for _ in _copy_table(source, target, "notes", keep=keep_note))
    _copy_counter(source, target, "notes")
    if _columns(target, "corrections"):
        result.corrections_total = _count(source, "corrections")
        rules = {row["id"] for row in _copy_table(source, target, "corrections")}
        result.corrections = len(rules)
        for _ in _copy_table(
            source, target, "correction_history", keep=lambda r: r["correction_id"] in rules
        ):
            pass
        _copy_counter(source, target, "corrections")
        _copy_counter(source, target, "correction_history")
    result.analyses = _copy_analyses(source, target, documents)


def sound_document(row: dict[str, Any]) -> bool:
    """Whether an article's row read back whole; its dates are mended in place.

    A row on a half-lost page can be read without an error and still hold zeros in the
    middle ("2026-12-04T21:3\\x00\\x00…"). The text must still hash to the article's
    identity and its blocks and metadata must decode; a row that fails is left in the
    damaged file (which is kept) rather than copied as an article that cannot be opened.
    A damaged date alone is replaced by the other one, or by now.
    """
    try:
        text = row["text"]
        if not isinstance(text, str) or Document(text, []).text_hash != row["text_hash"]:
            raise ValueError("the text does not match its hash")
        decode_document(text, row["blocks"], row["metadata"])
    except (KeyError, TypeError, ValueError, zlib.error) as error:
        log.warning("Salvage: article %s is damaged (%s)", row.get("id"), error)
        return False
    dates = [row.get("added"), row.get("modified")]
    sound = [d for d in dates if isinstance(d, str) and _is_timestamp(d)]
    fallback = sound[0] if sound else datetime.now(UTC).isoformat(timespec="seconds")
    for column in ("added", "modified"):
        if column in row and not (isinstance(row[column], str) and _is_timestamp(row[column])):
            row[column] = fallback
    return True


def _is_timestamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _count(conn: sqlite3.Connection, table: str) -> int | None:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def _copy_table(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    table: str,
    *,
    keep: Any = None,
    reset: dict[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Insert every readable row of ``table`` that ``keep`` accepts; yields those rows."""
    wanted = [c for c in _columns(source, table) if c in set(_columns(target, table))]
    if not wanted:
        return
    names = ", ".join(wanted)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(wanted))})"
    for values in readable_rows(source, table, wanted):
        row = dict(zip(wanted, values, strict=True))
        if reset:
            row.update({k: v for k, v in reset.items() if k in row})
        if keep is not None and not keep(row):
            continue
        try:
            target.execute(insert, [row[c] for c in wanted])
        except sqlite3.IntegrityError as error:  # a damaged value breaking a constraint
            log.warning("Salvage: a row of %s was refused: %s", table, error)
            continue
        yield row


def readable_rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple]:
    """The rows of a rowid table that can still be read (column values only)."""
    names = ", ".join(columns)
    batch = f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT {BATCH}"
    single = f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1"
    last = _LOWEST
    while True:
        rows = _ascending(_fetch(conn, batch, last), last)
        if rows is None:  # a damaged row or page in this batch: go one row at a time
            rows = _ascending(_fetch(conn, single, last), last)
        if rows is None:
            following = _next_rowid(conn, table, last)
            if following is None:  # the page holding the next rows is unreadable
                following = _step_over(conn, table, last)
                if following is None:
                    return
                last = following
                continue
            log.warning("Salvage: row %d of %s is unreadable", following, table)
            last = following  # only this row's content is damaged
            continue
        if not rows:
            return
        for row in rows:
            yield tuple(row[1:])
        last = rows[-1][0]


def _ascending(rows: list[Any] | None, after: int) -> list[Any] | None:
    """``rows`` as far as their rowids rise past ``after``; None when the first does not.

    A damaged interior page can lead a seek astray: "rowid > 119" answered with row 1 again,
    which would read the same rows for ever. Rows out of order count as damage.
    """
    if rows is None:
        return None
    kept, previous = [], after
    for row in rows:
        if row[0] <= previous:
            break
        kept.append(row)
        previous = row[0]
    if rows and not kept:
        return None
    return kept


def _fetch(conn: sqlite3.Connection, sql: str, after: int) -> list[Any] | None:
    try:
        return conn.execute(sql, (after,)).fetchall()
    except sqlite3.DatabaseError as error:
        if not is_damage(error) and "malformed" not in str(error):
            log.debug("Salvage read failed: %s", error)
        return None


def _next_rowid(conn: sqlite3.Connection, table: str, after: int) -> int | None:
    rows = _fetch(conn, f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", after)
    return rows[0][0] if rows and rows[0][0] > after else None


def _probe(conn: sqlite3.Connection, table: str, after: int) -> bool | None:
    """True: rows after ``after`` can be navigated to; False: none follow; None: damaged."""
    rows = _fetch(conn, f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", after)
    if rows is None or (rows and rows[0][0] <= after):
        return None
    return bool(rows)


def _step_over(conn: sqlite3.Connection, table: str, last: int) -> int | None:
    """A rowid past the unreadable page after ``last``, as close to it as can be found."""
    failed, step = last, 1
    while True:
        probe = min(last + step, _HIGHEST)
        found = _probe(conn, table, probe)
        if found is False:
            return None  # nothing readable follows
        if found:
            break
        failed = probe
        if probe == _HIGHEST:
            return None
        step *= 2
    low, high = failed, probe  # low fails, high works: find the first rowid that works
    while high - low > 1:
        middle = (low + high) // 2
        if _probe(conn, table, middle):
            high = middle
        else:
            low = middle
    log.warning("Salvage: %s rows after %d and up to %d could not be read", table, last, high)
    return high


def _copy_counter(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> None:
    """Keep AUTOINCREMENT's high-water mark, so a deleted note's id is never reused (nor an
    undone correction's)."""
    try:
        row = source.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    except sqlite3.DatabaseError:
        return
    if row is None:
        return
    with contextlib.suppress(sqlite3.DatabaseError):
        target.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (row[0], table)
        )
        if target.execute("SELECT changes()").fetchone()[0] == 0:
            target.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, row[0]))


def _copy_analyses(
    source: sqlite3.Connection, target: sqlite3.Connection, documents: dict[int, str]
) -> int:
    """The cached analysis of each recovered text (looked up by key: the table has no rowid),
    and the entity summary rebuilt from it."""
    wanted = [
        c for c in _columns(source, "analysis_cache") if c in _columns(target, "analysis_cache")
    ]
    if not wanted:
        return 0
    names = ", ".join(wanted)
    copied = 0
    for text_hash in set(documents.values()):
        rows = None
        with contextlib.suppress(sqlite3.DatabaseError):
            rows = source.execute(
                f"SELECT {names} FROM analysis_cache WHERE text_hash = ?", (text_hash,)
            ).fetchall()
        for values in rows or []:
            with contextlib.suppress(sqlite3.DatabaseError):
                target.execute(
                    f"INSERT OR IGNORE INTO analysis_cache ({names}) "
                    f"VALUES ({', '.join('?' * len(wanted))})",
                    values,
                )
                copied += 1
    for document_id, text_hash in documents.items():
        with contextlib.suppress(Exception):  # a damaged cache entry: analysed again later
            found = cache.latest(target, text_hash)
            if found is not None:
                cache.write_summary(target, document_id, *found, text_hash)
    return copied
