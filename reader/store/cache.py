"""The analysis cache: NER results per (text hash, model key), and the entity summary.

A book has tens of thousands of mentions and reopening it must feel instant, so mentions
are stored column-wise: a JSON header with a table of the distinct strings, then packed
32-bit integer columns (start deltas, lengths, and indices into the string table), all
zlib-compressed. Decoding is a handful of C-level operations plus one ``Mention`` per row.

The summary (one row per entity per document) is what the library list counts and what
"which documents mention X" searches; it is refreshed whenever a result is saved.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import accumulate
from operator import add

from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.store.folding import fold

FORMAT_VERSION = 1
_INT32 = "i"
assert array(_INT32).itemsize == 4


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pack(values: Iterable[int]) -> bytes:
    packed = array(_INT32, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack(data: bytes | memoryview) -> array[int]:
    unpacked = array(_INT32)
    unpacked.frombytes(data)
    if sys.byteorder == "big":
        unpacked.byteswap()
    return unpacked


def encode_mentions(mentions: list[Mention]) -> bytes:
    """Mentions to a compact blob; order is preserved exactly."""
    index: dict[str, int] = {}
    kinds: dict[str, int] = {}

    def ref(table: dict[str, int], value: str) -> int:
        found = table.get(value)
        if found is None:
            found = table[value] = len(table)
        return found

    previous = 0
    deltas, lengths, kind_ids, labels, texts, canonicals = [], [], [], [], [], []
    for m in mentions:
        deltas.append(m.start - previous)
        previous = m.start
        lengths.append(m.end - m.start)
        kind_ids.append(ref(kinds, m.kind.value))
        labels.append(ref(index, m.label))
        texts.append(ref(index, m.text))
        canonicals.append(ref(index, m.canonical))
    header = {"v": FORMAT_VERSION, "n": len(mentions), "strings": list(index), "kinds": list(kinds)}
    columns = b"".join(_pack(c) for c in (deltas, lengths, kind_ids, labels, texts, canonicals))
    return zlib.compress(json.dumps(header).encode("utf-8") + b"\n" + columns, 6)


def decode_mentions(blob: bytes) -> list[Mention]:
    """The inverse of ``encode_mentions``; raises ValueError for a blob it cannot read."""
    try:
        raw = zlib.decompress(blob)
        newline = raw.index(b"\n")
        header = json.loads(raw[:newline])
    except (zlib.error, ValueError) as error:
        raise ValueError(f"Unreadable analysis cache entry: {error}") from error
    if header.get("v") != FORMAT_VERSION:
        raise ValueError(f"Unknown analysis cache format {header.get('v')!r}")
    n = int(header["n"])
    columns = memoryview(raw)[newline + 1 :]
    if len(columns) != 6 * 4 * n:
        raise ValueError("Truncated analysis cache entry")
    deltas, lengths, kind_ids, labels, texts, canonicals = (
        _unpack(columns[i * 4 * n : (i + 1) * 4 * n]) for i in range(6)
    )
    strings: list[str] = header["strings"]
    kinds = [Kind(k) for k in header["kinds"]]
    starts = list(accumulate(deltas))
    ends = list(map(add, starts, lengths))
    # 100,000 new objects would trigger several full garbage collections, which cost
    # more than building them; none of them can form a reference cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return list(
            map(
                Mention,
                starts,
                ends,
                map(kinds.__getitem__, kind_ids),
                map(strings.__getitem__, labels),
                map(strings.__getitem__, texts),
                map(strings.__getitem__, canonicals),
            )
        )
    finally:
        if collecting:
            gc.enable()


def save(conn: sqlite3.Connection, text_hash: str, model_key: str, mentions: list[Mention]) -> None:
    """Store a result (inside the caller's transaction) and refresh the summaries."""
    conn.execute(
        "INSERT OR REPLACE INTO analysis_cache (text_hash, model_key, created, mention_count, data)"
        " VALUES (?, ?, ?, ?, ?)",
        (text_hash, model_key, now(), len(mentions), encode_mentions(mentions)),
    )
    for (document_id,) in conn.execute(
        "SELECT id FROM documents WHERE text_hash = ?", (text_hash,)
    ).fetchall():
        write_summary(conn, document_id, model_key, mentions, text_hash)


def load(conn: sqlite3.Connection, text_hash: str, model_key: str) -> list[Mention] | None:
    """The cached mentions, or None when this text was not analysed with this model key.

    An entry that cannot be decoded (written by a future format) counts as missing.
    """
    row = conn.execute(
        "SELECT data FROM analysis_cache WHERE text_hash = ? AND model_key = ?",
        (text_hash, model_key),
    ).fetchone()
    if row is None:
        return None
    try:
        return decode_mentions(row[0])
    except (ValueError, KeyError, TypeError):
        return None


def latest(conn: sqlite3.Connection, text_hash: str) -> tuple[str, list[Mention]] | None:
    """The most recent result for ``text_hash`` under any model key (for a new import)."""
    for model_key, data in conn.execute(
        "SELECT model_key, data FROM analysis_cache WHERE text_hash = ? ORDER BY created DESC",
        (text_hash,),
    ):
        try:
            return model_key, decode_mentions(data)
        except (ValueError, KeyError, TypeError):
            continue
    return None


def clear(conn: sqlite3.Connection, model_key: str | None = None) -> int:
    """Drop cached results (all, or one model key's); summaries and user data stay."""
    if model_key is None:
        cursor = conn.execute("DELETE FROM analysis_cache")
    else:
        cursor = conn.execute("DELETE FROM analysis_cache WHERE model_key = ?", (model_key,))
    return cursor.rowcount


def documents_needing_analysis(conn: sqlite3.Connection, model_key: str) -> list[int]:
    rows = conn.execute(
        "SELECT id FROM documents AS d WHERE NOT EXISTS (SELECT 1 FROM analysis_cache AS c"
        " WHERE c.text_hash = d.text_hash AND c.model_key = ?) ORDER BY id",
        (model_key,),
    )
    return [row[0] for row in rows]


SummaryRows = dict[tuple[str, str], tuple[int, int, int]]
"""(kind, canonical) -> (count, first start, first end): one article's entity summary."""


def summary_rows(mentions: Iterable[Mention]) -> SummaryRows:
    """The entity summary of ``mentions``: each entity's count and first mention."""
    entities: dict[tuple[str, str], list[int]] = {}  # (kind, canonical) -> [count, start, end]
    for m in mentions:
        key = (m.kind.value, m.canonical)
        entry = entities.get(key)
        if entry is None:
            entities[key] = [1, m.start, m.end]
        else:
            entry[0] += 1
            if m.start < entry[1]:
                entry[1], entry[2] = m.start, m.end
    return {key: (count, start, end) for key, (count, start, end) in entities.items()}


def stored_summary(conn: sqlite3.Connection, document_id: int) -> SummaryRows:
    return {
        (kind, canonical): (count, start, end)
        for kind, canonical, count, start, end in conn.execute(
            "SELECT kind, canonical, count, first_start, first_end FROM entity_summary"
            " WHERE document_id = ?",
            (document_id,),
        )
    }


def write_summary(
    conn: sqlite3.Connection,
    document_id: int,
    model_key: str,
    mentions: list[Mention],
    text_hash: str,
) -> None:
    """Replace one document's entity summary with the entities of ``mentions`` (the cached
    names of its text, ``text_hash``) after the library's corrections, which is what search
    and counts must see."""
    # Imported here: the corrections module reads the cache to apply rules library-wide.
    from reader.store import corrections

    rules = corrections.rule_set(conn)
    mentions, changes = corrections.correct(conn, rules, document_id, text_hash, mentions)
    write_rows(conn, document_id, model_key, summary_rows(mentions))
    corrections.write_effects(conn, document_id, changes)


def write_rows(
    conn: sqlite3.Connection, document_id: int, model_key: str, entities: SummaryRows
) -> None:
    """Replace one document's entity summary with ``entities``."""
    conn.execute("DELETE FROM entity_summary WHERE document_id = ?", (document_id,))
    rows = []
    for (kind, canonical), (count, start, end) in entities.items():
        folded = fold(canonical)
        words = folded.split()
        rows.append(
            (document_id, kind, canonical, folded, words[-1] if words else "", count, start, end)
        )
    conn.executemany(
        "INSERT INTO entity_summary (document_id, kind, canonical, folded, last_word, count,"
        " first_start, first_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "UPDATE documents SET summary_model_key = ? WHERE id = ?", (model_key, document_id)
    )


def forget_summary(conn: sqlite3.Connection, document_id: int) -> None:
    """The document's text changed: its entities are unknown until it is analysed again."""
    from reader.store import corrections

    conn.execute("DELETE FROM entity_summary WHERE document_id = ?", (document_id,))
    conn.execute("UPDATE documents SET summary_model_key = NULL WHERE id = ?", (document_id,))
    corrections.write_effects(conn, document_id, Counter())
