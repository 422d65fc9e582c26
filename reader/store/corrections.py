"""Correction rules in the library, and the entity summaries they shape.

The rules are user data (``corrections``, with their history in ``correction_history``);
what they do to each article is derived (``entity_summary`` and ``correction_effects``).
An article's summary is always written from its cached names *after* the rules in force,
whoever writes it (a new analysis, an import, a salvage, a change of rules), so the
library's entity search, its counts and ``reader mentions`` see the corrected names.

How a rule changes a list of mentions is ``reader.entities.corrections.RuleSet``; which
rules are in force is this table. The use cases (add, undo, import, with their sentences)
are ``reader.services.corrections``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reader.entities.corrections import (
    Action,
    CorrectionError,
    Rule,
    RuleSet,
    check_new_rule,
    check_rules,
)
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.store import cache
from reader.store.database import transaction

REFRESH_BATCH = 250  # articles whose summaries are rewritten in one short transaction
_COLUMNS = "id, action, form, kind, target, document, case_sensitive, created, undone"


@dataclass(frozen=True, slots=True)
class StoredRule:
    """A rule as the library keeps it: when it was made, whether it is undone, and how many
    mentions it changes across the library's analysed articles."""

    rule: Rule
    created: str
    undone: str | None = None
    changes: int = 0
    articles: int = 0  # analysed articles in which it changes something

    @property
    def id(self) -> int:
        return self.rule.id

    @property
    def active(self) -> bool:
        return self.undone is None


def _rule(row: Sequence[Any]) -> Rule:
    rule_id, action, form, kind, target, document, case_sensitive = row[:7]
    return Rule(
        int(rule_id),
        Action(action),
        str(form),
        Kind(kind) if kind else None,
        str(target) if target is not None else None,
        str(document) if document is not None else None,
        bool(case_sensitive),
    )


def version(conn: sqlite3.Connection) -> int:
    """The newest change to the rules (0: none yet, or a library from before corrections)."""
    try:
        row = conn.execute("SELECT max(id) FROM correction_history").fetchone()
    except sqlite3.OperationalError:  # schema 3 or older: being migrated or salvaged
        return 0
    return int(row[0] or 0)


def list_rules(conn: sqlite3.Connection) -> list[StoredRule]:
    """Every rule, undone ones too, in the order they apply, with their counts."""
    counts = {
        rule_id: (changes, articles)
        for rule_id, changes, articles in conn.execute(
            "SELECT correction_id, sum(changes), count(*) FROM correction_effects"
            " GROUP BY correction_id"
        )
    }
    stored = []
    for row in conn.execute(f"SELECT {_COLUMNS} FROM corrections ORDER BY id"):
        changes, articles = counts.get(row[0], (0, 0)) if row[8] is None else (0, 0)
        stored.append(StoredRule(_rule(row), row[7], row[8], int(changes), int(articles)))
    return stored


def get(conn: sqlite3.Connection, rule_id: int) -> StoredRule | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (rule_id,)).fetchone()
    return StoredRule(_rule(row), row[7], row[8]) if row is not None else None


def active_rules(conn: sqlite3.Connection) -> list[Rule]:
    """The rules in force, in the order they apply."""
    try:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM corrections WHERE undone IS NULL ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [_rule(row) for row in rows]


def insert(conn: sqlite3.Connection, rules: Iterable[Rule], stamp: str) -> list[int]:
    """Store checked rules (inside the caller's transaction); their new ids, in order."""
    forget(conn)
    ids = []
    for rule in rules:
        cursor = conn.execute(
            "INSERT INTO corrections (action, form, kind, target, document, case_sensitive,"
            " created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rule.action.value,
                rule.form,
                rule.kind.value if rule.kind is not None else None,
                rule.target,
                rule.document,
                int(rule.case_sensitive),
                stamp,
            ),
        )
        rule_id = int(cursor.lastrowid or 0)
        _log(conn, rule_id, "added", stamp)
        ids.append(rule_id)
    return ids


def set_undone(conn: sqlite3.Connection, rule_id: int, undone: bool, stamp: str) -> None:
    """Undo (or redo) a rule, inside the caller's transaction; it stays listed either way."""
    forget(conn)
    conn.execute(
        "UPDATE corrections SET undone = ? WHERE id = ?", (stamp if undone else None, rule_id)
    )
    _log(conn, rule_id, "undone" if undone else "redone", stamp)


def add_checked(conn: sqlite3.Connection, rules: Sequence[Rule], stamp: str) -> list[StoredRule]:
    """Store ``rules`` after the rules in force, refusing (``CorrectionError``, nothing
    stored) any that would close a circle of aliases with them. Inside the caller's
    transaction, so a rule another window added a moment ago is taken into account."""
    active = active_rules(conn)
    following = _highest_id(conn)  # rules apply in id order: the new ones come last
    numbered = [replace(rule, id=following + n) for n, rule in enumerate(rules, 1)]
    accepted = list(active)
    for rule in numbered:
        check_new_rule(accepted, rule)
        accepted.append(rule)
    ids = insert(conn, rules, stamp)
    return [StoredRule(replace(rule, id=i), stamp) for rule, i in zip(rules, ids, strict=True)]


def _highest_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(id) FROM corrections").fetchone()
    return int(row[0] or 0)


def undo(conn: sqlite3.Connection, rule_id: int, stamp: str) -> StoredRule:
    """Take a rule out of force (it stays listed, and ``redo`` puts it back)."""
    stored = _require(conn, rule_id)
    if not stored.active:
        raise CorrectionError(
            f"Correction {rule_id} is already undone; “reader corrections redo {rule_id}” "
            "puts it back."
        )
    rest = [r for r in active_rules(conn) if r.id != rule_id]
    _check_circle(rest, f"Undoing correction {rule_id}")  # undoing a split revives an alias
    set_undone(conn, rule_id, True, stamp)
    return replace(stored, undone=stamp)


def redo(conn: sqlite3.Connection, rule_id: int, stamp: str) -> StoredRule:
    """Put an undone rule back in force, in its old place in the order."""
    stored = _require(conn, rule_id)
    if stored.active:
        raise CorrectionError(f"Correction {rule_id} is in force; there is nothing to redo.")
    rules = sorted([*active_rules(conn), stored.rule], key=lambda r: r.id)
    _check_circle(rules, f"Redoing correction {rule_id}")
    set_undone(conn, rule_id, False, stamp)
    return replace(stored, undone=None)


def _require(conn: sqlite3.Connection, rule_id: int) -> StoredRule:
    stored = get(conn, rule_id)
    if stored is None:
        raise CorrectionError(
            f"There is no correction {rule_id}; “reader corrections list” shows their numbers."
        )
    return stored


def _check_circle(rules: list[Rule], doing: str) -> None:
    try:
        check_rules(rules)
    except CorrectionError as error:
        raise CorrectionError(
            f"{doing} would make a circle of names ({_circle(error.message)}); undo one of "
            "its aliases first."
        ) from None


def _circle(message: str) -> str:
    """The "A = B = A" part of a cycle refusal."""
    start, end = message.rfind("("), message.rfind(")")
    return message[start + 1 : end] if 0 <= start < end else message


def _log(conn: sqlite3.Connection, rule_id: int, event: str, stamp: str) -> None:
    conn.execute(
        "INSERT INTO correction_history (correction_id, event, at) VALUES (?, ?, ?)",
        (rule_id, event, stamp),
    )


# -- the rules in force, compiled once per change -------------------------------------------

# (connection, version, rules): a summary is written for every article saved, and compiling
# the rules for each would cost more than the summary. A few entries: one per connection.
_COMPILED: list[tuple[sqlite3.Connection, int, RuleSet | None]] = []
_COMPILED_KEPT = 8


def rule_set(conn: sqlite3.Connection) -> RuleSet | None:
    """The rules in force on this library, compiled; None when there are none."""
    current = version(conn)
    if current == 0:
        return None
    for known, known_version, compiled in _COMPILED:
        if known is conn and known_version == current:
            return compiled
    rules = active_rules(conn)
    compiled = RuleSet(rules) if rules else None
    forget(conn)
    _COMPILED.insert(0, (conn, current, compiled))
    del _COMPILED[_COMPILED_KEPT:]
    return compiled


def forget(conn: sqlite3.Connection) -> None:
    """Drop the compiled rules of ``conn``: its rules are being changed (or rolled back)."""
    _COMPILED[:] = [entry for entry in _COMPILED if entry[0] is not conn]


# -- summaries ------------------------------------------------------------------------------


def correct(
    conn: sqlite3.Connection,
    rules: RuleSet | None,
    document_id: int,
    text_hash: str,
    mentions: list[Mention],
) -> tuple[list[Mention], Counter[int]]:
    """An article's cached names after the rules, and how many each rule changed."""
    if rules is None:
        return mentions, Counter()
    text = None
    if rules.adds_names(text_hash):  # only "add" rules read the text
        row = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        text = row[0] if row is not None else None
    corrected = rules.apply(mentions, text, text_hash)
    return corrected.mentions, corrected.changes


def write_effects(conn: sqlite3.Connection, document_id: int, changes: Counter[int]) -> None:
    """Replace what the rules do to one article (for the counts in a list of rules)."""
    try:
        conn.execute("DELETE FROM correction_effects WHERE document_id = ?", (document_id,))
    except sqlite3.OperationalError:  # a library from before corrections
        return
    conn.executemany(
        "INSERT INTO correction_effects (document_id, correction_id, changes) VALUES (?, ?, ?)",
        [(document_id, rule_id, count) for rule_id, count in changes.items() if count],
    )


@dataclass(slots=True)
class Refresh:
    """What applying the rules to the whole library did."""

    articles: int = 0  # analysed articles looked at
    changed: int = 0  # articles whose names (summary) changed
    restarts: int = 0  # the rules changed meanwhile (another window or command)
    counts: dict[int, int] = field(default_factory=dict)  # rule id -> mentions it changes


def refresh_summaries(conn: sqlite3.Connection, batch: int = REFRESH_BATCH) -> Refresh:
    """Rewrite the entity summary of every analysed article whose names the rules change.

    Reading and correcting happen outside any transaction; the rewrites go in short
    transactions of ``batch`` articles, so another window can save a note meanwhile. If
    the rules change while this runs (another process), it starts again with the new ones:
    the last refresh to finish always used the newest rules.
    """
    result = Refresh()
    while True:
        if _refresh_once(conn, batch, result):
            return result
        result.restarts += 1
        result.articles = result.changed = 0
        result.counts.clear()


def _refresh_once(conn: sqlite3.Connection, batch: int, result: Refresh) -> bool:
    started = version(conn)
    rules = rule_set(conn)
    documents = conn.execute(
        "SELECT id, text_hash, summary_model_key FROM documents"
        " WHERE summary_model_key IS NOT NULL ORDER BY id"
    ).fetchall()
    affected = {
        row[0] for row in conn.execute("SELECT DISTINCT document_id FROM correction_effects")
    }
    totals: Counter[int] = Counter()
    for first in range(0, len(documents), batch):
        planned: list[tuple[int, str, cache.SummaryRows | None, Counter[int]]] = []
        for document_id, text_hash, model_key in documents[first : first + batch]:
            mentions = cache.load(conn, text_hash, model_key)
            if mentions is None:
                continue  # its analysis was dropped: the summary stays until the next one
            result.articles += 1
            corrected, changes = correct(conn, rules, document_id, text_hash, mentions)
            totals.update(changes)
            if not changes and document_id not in affected:
                continue  # untouched before and after: its summary is the model's names
            summary = cache.summary_rows(corrected)
            unchanged = summary == cache.stored_summary(conn, document_id)
            planned.append((document_id, model_key, None if unchanged else summary, changes))
        if not planned:
            continue
        with transaction(conn, "apply the corrections to the library"):
            if version(conn) != started:
                return False
            for document_id, model_key, rows, changes in planned:
                row = conn.execute(
                    "SELECT summary_model_key FROM documents WHERE id = ?", (document_id,)
                ).fetchone()
                if row is None or row[0] != model_key:
                    continue  # removed, or analysed anew meanwhile (with these rules)
                if rows is not None:
                    cache.write_rows(conn, document_id, model_key, rows)
                    result.changed += 1
                write_effects(conn, document_id, changes)
    result.counts = {rule_id: count for rule_id, count in totals.items() if count}
    return True
