"""``reader library``, ``reader search`` and ``reader mentions``: the library from a shell.

For researchers who script, and for tests that need no window; ``reader import`` lives in
``importing.py``. Output conventions, shared by the four commands:

- results go to stdout, one line per item, or one JSON document with ``--json``;
- "nothing found" is a sentence on stderr and exit status 0 (an empty JSON array with
  ``--json``), so ``reader search x | wc -l`` counts hits and a script can tell an empty
  answer from a failure;
- matched words are bold on a terminal and ``[bracketed]`` when stdout is a pipe or a file,
  or when ``NO_COLOR`` is set: plain ASCII that grep and diff can read (« » would need a
  UTF-8 console to type);
- progress goes to stderr, and only when stderr is a terminal, so logs stay clean.

Exit status: 0 done; 1 some file could not be imported or analysed, or an error stopped the
command (one line on stderr, from ``cli.main``); 2 bad arguments (argparse); 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from reader.commands.output import (
    mark,
    match_marker,
    note,
    print_json,
    shorten,
    table,
    terminal_width,
)
from reader.entities.kinds import Kind
from reader.errors import ReaderError
from reader.services.library import existing_store as _existing_store
from reader.store import LibraryEntry, MentionHit, SearchHit, Store
from reader.store.search import parse_entity_query, parse_query

_TITLE_WIDTH = 60  # when stdout is not a terminal whose width we can fit
_MIN_TITLE_WIDTH = 20


def run_library(args: argparse.Namespace) -> int:
    with _existing_store() as store:
        entries = store.list_documents() if store is not None else []
    if args.json:
        print_json([entry_json(e) for e in entries])
    elif not entries:
        note("The library is empty; add articles with: reader import FILE_OR_FOLDER")
    else:
        sys.stdout.write(format_library(entries, terminal_width()))
    return 0


def entry_json(entry: LibraryEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "author": entry.author,
        "date": entry.date,
        "source": entry.source,
        "added": entry.added.isoformat(),
        "path": entry.path,
        "words": entry.word_count,
        "analysed": entry.analysed,
        "entities": {kind.value: count for kind, count in entry.entity_counts.items()},
        "notes": entry.note_count,
        "text_sha256": entry.text_hash,
    }


def format_library(entries: Sequence[LibraryEntry], width: int | None = None) -> str:
    """A table; titles are shortened to fit ``width`` (a terminal's), else to 60 characters."""
    header: tuple[str, ...] = ("ID", "TITLE", "AUTHOR", "DATE", "SOURCE", "ADDED", "PEOPLE")
    header += ("PLACES", "ORGS")
    header += ("NOTES",)
    counted = (Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION)
    rows = [
        (
            str(e.id),
            e.title,
            shorten(e.author, 24),
            shorten(e.date, 20),
            shorten(e.source, 30),
            e.added.astimezone().strftime("%Y-%m-%d"),
            *(str(e.entity_counts.get(k, 0)) if e.analysed else "-" for k in counted),
            str(e.note_count),
        )
        for e in entries
    ]
    title_width = _TITLE_WIDTH
    if width is not None:
        others = sum(max(len(r[i]) for r in [header, *rows]) + 2 for i in range(len(header)))
        others -= max(len(r[1]) for r in [header, *rows]) + 2
        title_width = max(_MIN_TITLE_WIDTH, min(80, width - others - 2))
    rows = [(r[0], shorten(r[1], title_width), *r[2:]) for r in rows]
    return table(header, rows, right={0, 6, 7, 8, 9})


def run_search(args: argparse.Namespace) -> int:
    entity_query = parse_entity_query(args.query)
    if entity_query is not None:
        kind, name = entity_query
        return _show_mentions(name, kind, args.limit, args.json)
    if not parse_query(args.query):
        raise ReaderError(
            f"There is nothing to search for in “{args.query}”; give at least one word, "
            "or person:NAME, place:NAME, org:NAME for the names found in the articles."
        )
    with _existing_store() as store:
        hits = store.search(args.query, args.limit) if store is not None else []
        empty = not hits and (store is None or not store.list_documents())
    if args.json:
        print_json([hit_json(h) for h in hits])
    elif hits:
        sys.stdout.write(format_hits(hits, match_marker()))
    elif empty:
        note("The library is empty; add articles with: reader import FILE_OR_FOLDER")
    else:
        note(f"Nothing in the library matches “{args.query}”.")
    return 0


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "document_id": hit.document_id,
        "title": hit.title,
        "note_id": hit.note_id,
        "snippet": hit.snippet,
        "marks": [list(m) for m in hit.marks],
        "offset": hit.offset,
        "end": hit.end,
        "rank": hit.rank,
    }


def format_hits(hits: Sequence[SearchHit], marker: tuple[str, str]) -> str:
    """Title and where, then the snippet indented: two lines a hit, a blank line between."""
    blocks = []
    for hit in hits:
        where = [f"#{hit.document_id}"]
        if hit.note_id is not None:
            where.append(f"note {hit.note_id}")
        where.append(f"at {hit.offset}" if hit.offset is not None else "in the title")
        lines = [f"{hit.title}  ({', '.join(where)})"]
        if hit.snippet:
            lines.append("    " + mark(hit.snippet, hit.marks, marker))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def run_mentions(args: argparse.Namespace) -> int:
    if not args.name.strip():
        raise ReaderError("Give a name to look for, e.g. reader mentions Lavrov.")
    return _show_mentions(args.name, args.kind, args.limit, args.json)


def _show_mentions(name: str, kind: Kind | str | None, limit: int, as_json: bool) -> int:
    with _existing_store() as store:
        hits = store.mentions(name, kind, limit) if store is not None else []
        unanalysed = _unanalysed(store) if not hits else (0, 0)
    if as_json:
        print_json([mention_json(h) for h in hits])
    elif hits:
        sys.stdout.write(format_mentions(hits, match_marker()))
    else:
        what = f"the {Kind(kind).singular.lower()} “{name}”" if kind else f"“{name}”"
        message = f"No document in the library mentions {what}."
        waiting, total = unanalysed
        if waiting:
            message += (
                f" {waiting} of {total} articles have not been analysed yet; run "
                "'reader import --analyse' to find the names in them."
            )
        note(message)
    return 0


def _unanalysed(store: Store | None) -> tuple[int, int]:
    if store is None:
        return 0, 0
    entries = store.list_documents()
    return sum(not e.analysed for e in entries), len(entries)


def mention_json(hit: MentionHit) -> dict[str, Any]:
    return {
        "document_id": hit.document_id,
        "title": hit.title,
        "kind": hit.kind.value,
        "name": hit.canonical,
        "count": hit.count,
        "first_start": hit.first_start,
        "first_end": hit.first_end,
        "context": hit.context,
        "context_mark": list(hit.context_mark),
        "exact": hit.exact,
    }


def format_mentions(hits: Sequence[MentionHit], marker: tuple[str, str]) -> str:
    blocks = []
    for hit in hits:
        times = "mention" if hit.count == 1 else "mentions"
        head = (
            f"{hit.title}  (#{hit.document_id}): {hit.canonical}, {hit.kind.singular.lower()}, "
            f"{hit.count} {times}, first at {hit.first_start}"
        )
        blocks.append(f"{head}\n    {mark(hit.context, (hit.context_mark,), marker)}\n")
    return "\n".join(blocks)
