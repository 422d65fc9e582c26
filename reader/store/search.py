"""Full-text search over the library, and "which documents mention X".

What the user types is never handed to FTS5 as syntax: every word becomes a quoted string
(``"word"``, or ``"word"*`` for a trailing ``*``), a "quoted phrase" stays one phrase, and
the pieces are ANDed. FTS5 operators typed by the user (AND, NEAR, column:, ^) are thus
ordinary words, and no query can raise a syntax error; one with no letters or digits at all
returns no hits.

Snippets come back as plain text plus the spans of the matched words inside it
(``SearchHit.marks``), so the GUI can bold them and the CLI can bracket them without
parsing markers.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from reader.entities.kinds import KIND_NAMES, Kind
from reader.store.folding import first_match, fold, has_token_chars, term_pattern

log = logging.getLogger(__name__)

_OPEN, _CLOSE = "\x02", "\x03"
SNIPPET_TOKENS = 16
CONTEXT_CHARS = 60
# bm25 column weights: a word in the title counts ten times one in the text.
_DOCUMENT_WEIGHTS = "10.0, 5.0, 1.0"  # title, author, text
_NOTE_WEIGHTS = "2.0, 4.0, 3.0, 3.0"  # quote, body, tags, entity name


@dataclass(frozen=True, slots=True)
class QueryTerm:
    text: str
    prefix: bool = False  # the user wrote word*


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One document (or one note, when ``note_id`` is set) matching a search."""

    document_id: int
    title: str
    snippet: str  # plain text around the best match, "…" where cut
    marks: tuple[tuple[int, int], ...]  # (start, end) of matched words inside ``snippet``
    rank: float  # FTS5 bm25 with column weights: lower (more negative) is better
    offset: int | None  # first match in the canonical text; None if only the title matched
    end: int | None  # end of that match
    note_id: int | None = None


@dataclass(frozen=True, slots=True)
class MentionHit:
    """One entity in one document, for "which documents mention X"."""

    document_id: int
    title: str
    kind: Kind
    canonical: str
    count: int  # mentions of this entity in the document
    first_start: int  # the first mention, as offsets into the canonical text
    first_end: int
    context: str  # ~60 characters either side of the first mention, on one line
    context_mark: tuple[int, int]  # where the name is inside ``context``
    exact: bool  # the whole name matched, not only the surname


def _clean(query: str) -> str:
    """Drop control characters and unpaired surrogates, which SQLite cannot take."""
    return "".join(c for c in query if unicodedata.category(c) not in ("Cc", "Cs", "Cf"))


_TERM_RE = re.compile(r'"([^"]*)"?|([^\s"]+)')


def parse_query(query: str) -> list[QueryTerm]:
    """Words and "quoted phrases"; a trailing * asks for a prefix match. Never raises."""
    terms: list[QueryTerm] = []
    for match in _TERM_RE.finditer(_clean(query)):
        phrase, word = match.groups()
        if phrase is not None:
            term = QueryTerm(phrase.strip())
        else:
            prefix = word.endswith("*")
            term = QueryTerm(word.rstrip("*"), prefix=prefix)
        if has_token_chars(term.text):
            terms.append(term)
    return terms


def fts_expression(terms: list[QueryTerm]) -> str | None:
    """A safe FTS5 MATCH expression, or None when there is nothing to look for."""
    if not terms:
        return None
    quoted = ['"' + t.text.replace('"', '""') + '"' + ("*" if t.prefix else "") for t in terms]
    return " ".join(quoted)


def _match_pattern(terms: list[QueryTerm]) -> re.Pattern[str] | None:
    patterns = [p for t in terms if (p := term_pattern(t.text, prefix=t.prefix))]
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def split_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Snippet text with FTS5's markers removed, and the spans they enclosed.

    Runs of white space (paragraph breaks) become one space: a snippet is one line.
    """
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", marked):
        if piece == _OPEN:
            start = length
        elif piece == _CLOSE:
            if start is not None and length > start:
                marks.append((start, length))
            start = None
        else:
            piece = _one_line(piece)
            if plain and plain[-1].endswith(" ") and piece.startswith(" "):
                piece = piece[1:]
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(marks)


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """Documents and notes matching ``query``, best first (see the module docstring)."""
    terms = parse_query(query)
    expression = fts_expression(terms)
    if expression is None or limit <= 0:
        return []
    try:
        hits = _search_documents(conn, expression, limit, _match_pattern(terms))
        hits += _search_notes(conn, expression, limit)
    except sqlite3.OperationalError as error:
        if "fts5" in str(error).lower() or "syntax" in str(error).lower():
            log.warning("FTS5 refused %r (from %r): %s", expression, query, error)
            return []
        raise
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def _search_documents(
    conn: sqlite3.Connection, expression: str, limit: int, pattern: re.Pattern[str] | None
) -> list[SearchHit]:
    rows = conn.execute(
        f"SELECT d.id, d.title, snippet(documents_fts, -1, char(2), char(3), '…', "
        f"{SNIPPET_TOKENS}), bm25(documents_fts, {_DOCUMENT_WEIGHTS}) AS rank"
        " FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid"
        " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?",
        (expression, limit),
    ).fetchall()
    hits = []
    for document_id, title, snippet, rank in rows:
        (text,) = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        span = first_match(pattern, text)
        plain, marks = split_marks(snippet or "")
        hits.append(
            SearchHit(
                document_id=document_id,
                title=title,
                snippet=plain,
                marks=marks,
                rank=rank,
                offset=span[0] if span else None,
                end=span[1] if span else None,
            )
        )
    return hits


def _search_notes(conn: sqlite3.Connection, expression: str, limit: int) -> list[SearchHit]:
    rows = conn.execute(
        f"SELECT n.document_id, d.title, n.id, snippet(notes_fts, -1, char(2), char(3), '…', "
        f"{SNIPPET_TOKENS}), bm25(notes_fts, {_NOTE_WEIGHTS}) AS rank, n.start_offset,"
        " n.end_offset, n.orphaned, n.entity_kind, n.entity_canonical"
        " FROM notes_fts JOIN notes AS n ON n.id = notes_fts.rowid"
        " LEFT JOIN documents AS d ON d.id = n.document_id"
        " WHERE notes_fts MATCH ? ORDER BY rank LIMIT ?",
        (expression, limit),
    ).fetchall()
    hits = []
    for row in rows:
        document_id, title, note_id, snippet, rank, start, end, orphaned = row[:8]
        if orphaned:
            start = end = None  # its position is stale: open the article at the top
        if document_id is None:
            # A note on an entity belongs to no article: open the one mentioning it most.
            place = _entity_home(conn, row[8], row[9])
            if place is None:
                continue
            document_id, title, start, end = place
            title = f"{row[9]} — {title}"
        plain, marks = split_marks(snippet or "")
        hits.append(SearchHit(document_id, title, plain, marks, rank, start, end, note_id))
    return hits


def _entity_home(
    conn: sqlite3.Connection, kind: str, canonical: str
) -> tuple[int, str, int, int] | None:
    """The document mentioning an entity most, with its first mention; None if none does."""
    return conn.execute(
        "SELECT s.document_id, d.title, s.first_start, s.first_end FROM entity_summary AS s"
        " JOIN documents AS d ON d.id = s.document_id WHERE s.kind = ? AND s.canonical = ?"
        " ORDER BY s.count DESC, s.document_id LIMIT 1",
        (kind, canonical),
    ).fetchone()


_ENTITY_QUERY_RE = re.compile(r"\s*([A-Za-z]+)\s*:\s*(.*?)\s*", re.DOTALL)


def parse_entity_query(query: str) -> tuple[Kind, str] | None:
    """``person:Lavrov``, ``place:"New York"``, ``org:UN`` → (kind, name); else None.

    None means "not an entity query": search the text instead.
    """
    match = _ENTITY_QUERY_RE.fullmatch(query)
    if not match:
        return None
    kind = KIND_NAMES.get(match.group(1).lower())
    name = match.group(2).strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        name = name[1:-1].strip()
    name = name.strip('"').strip()
    if kind is None or not name:
        return None
    return kind, name


def mentions(
    conn: sqlite3.Connection, name: str, kind: Kind | None = None, limit: int = 500
) -> list[MentionHit]:
    """Documents mentioning ``name``: whole-name matches first, then people by surname.

    Matching ignores case and diacritics ("Geneve" finds "Genève"); a one-word query also
    finds people whose name ends with it ("Lavrov" finds "Sergei Lavrov").
    """
    query = fold(_clean(name))
    if not query:
        return []
    sql = (
        "SELECT s.document_id, d.title, s.kind, s.canonical, s.folded, s.count,"
        " s.first_start, s.first_end, max(s.first_start - :ctx, 0) AS cstart,"
        " substr(d.text, max(s.first_start - :ctx, 0) + 1,"
        "        s.first_end - max(s.first_start - :ctx, 0) + :ctx),"
        " length(d.text)"
        " FROM entity_summary AS s JOIN documents AS d ON d.id = s.document_id"
        " WHERE (s.folded = :q OR (s.kind = 'person' AND s.last_word = :last))"
    )
    params: dict[str, object] = {"q": query, "last": query.split()[-1], "ctx": CONTEXT_CHARS}
    if kind is not None:
        sql += " AND s.kind = :kind"
        params["kind"] = Kind(kind).value
    hits = []
    for row in conn.execute(sql, params):
        document_id, title, kind_value, canonical, folded, count, start, end = row[:8]
        cstart, raw, text_length = row[8:]
        exact = folded == query
        if not exact and not folded.endswith(" " + query):
            continue
        try:
            entity_kind = Kind(kind_value)
        except ValueError:
            continue
        context, mark = _context(raw, cstart, start, end, text_length)
        hits.append(
            MentionHit(
                document_id, title, entity_kind, canonical, count, start, end, context, mark, exact
            )
        )
    hits.sort(key=lambda h: (not h.exact, -h.count, h.title.casefold(), h.document_id))
    return hits[:limit]


def _context(
    raw: str, cstart: int, start: int, end: int, text_length: int
) -> tuple[str, tuple[int, int]]:
    """One line around a mention, cut at word boundaries, with "…" where text continues."""
    mark_start, mark_end = start - cstart, end - cstart
    head, name, tail = raw[:mark_start], raw[mark_start:mark_end], raw[mark_end:]
    if cstart > 0 and " " in head.strip():
        head = head[head.index(" ") + 1 :]
    if cstart + len(raw) < text_length and " " in tail.strip():
        tail = tail[: tail.rindex(" ")]
    prefix = "…" if cstart > 0 else ""
    suffix = "…" if cstart + len(raw) < text_length else ""
    head = prefix + _one_line(head)
    tail = _one_line(tail) + suffix
    line = head + _one_line(name) + tail
    return line, (len(head), len(line) - len(tail))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)
