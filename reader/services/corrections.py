"""Corrections: the one use case behind the window's name menus, its Corrections panel and
``reader corrections``.

A researcher says once that a name is wrong ("Sonya" is a person, "West" is not a name,
"Pierre" is "Pierre Bezukhov") and sees it everywhere: the reading view, its tooltips, the
entity panel and legend, the library's entity search and ``reader mentions``, the notes on
names, printed and HTML copies, ``reader entities``. Everything that shows names gets them
from here (``Corrector``), applied on top of the cached analysis: spaCy never runs again.

The rules live in the library (``store.corrections``, user data, never deleted: undo
marks a rule undone and redo puts it back); how a rule changes mentions is
``entities.corrections.RuleSet``. After a rule is added or undone, ``apply_to_library``
brings every analysed article's summary (counts, search) in line, in the background in the
window; the open article is corrected at once through its session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.documents.model import Document
from reader.entities.corrections import (
    Action,
    Corrected,
    CorrectionError,
    Rule,
    RuleSet,
    check_new_rule,
    make_rule,
)
from reader.entities.corrections_exchange import rules_from_json, rules_to_json
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.json_files import read_json_file
from reader.notes.model import Note
from reader.services.notes import save_export
from reader.store import Store
from reader.store.corrections import Refresh, StoredRule

MAX_FILE_BYTES = 20 * 1024 * 1024  # a rules file of 100,000 rules is a few megabytes

__all__ = [
    "Action",
    "CorrectionError",
    "Corrector",
    "Recorded",
    "StoredRule",
    "add",
    "apply_to_library",
    "export_to_file",
    "import_from_file",
    "import_rules",
    "listing",
    "load",
    "new_rule",
    "record",
    "undo",
]


@dataclass(frozen=True)
class Corrector:
    """The rules in force, compiled once: what turns cached names into the names shown.

    ``version`` is the library's version of the rules (``store.corrections.version``), so
    whoever holds a corrector can tell whether the library's rules moved on since.
    """

    version: int = 0
    rules: tuple[Rule, ...] = ()
    _compiled: RuleSet | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, version: int, rules: Iterable[Rule]) -> Corrector:
        rules = tuple(sorted(rules, key=lambda r: r.id))
        return cls(version, rules, RuleSet(rules) if rules else None)

    @property
    def empty(self) -> bool:
        return self._compiled is None

    def concerns(self, document: str | None) -> bool:
        """Whether any rule applies to the article with this text hash."""
        return self._compiled is not None and bool(self._compiled.rules_for(document))

    def correct(
        self,
        mentions: Iterable[Mention],
        text: str | None,
        document: str | None,
        context: Callable[[], Iterable[Mention]] | None = None,
    ) -> Corrected:
        """An article's names after the rules (``document``: its text hash; ``text`` is
        needed by "add" rules only) and how many mentions each rule changed; ``context``:
        the article's other names, corrected, when ``mentions`` is a part of it."""
        if self._compiled is None:
            return Corrected(list(mentions))
        return self._compiled.apply(mentions, text, document, context)

    def names(self, mentions: Iterable[Mention], document: Document) -> list[Mention]:
        """The corrected names of a whole article, in text order."""
        return sorted(
            self.correct(mentions, document.text, document.text_hash).mentions,
            key=lambda m: m.start,
        )

    def entity_key(self, kind: str, canonical: str, document: str | None) -> tuple[str, str]:
        """Where a note on the entity ``(kind, canonical)`` belongs after the rules: a note
        on the place "Sonya" follows her once "Sonya" is a person. Unchanged when the rules
        do not concern it (or make it no name at all: the note stays with its old key)."""
        if self._compiled is None:
            return kind, canonical
        try:
            parsed = Kind(kind)
        except ValueError:
            return kind, canonical
        probe = Mention(0, len(canonical), parsed, "", canonical, canonical)
        result = self._compiled.apply([probe], None, document).mentions
        if not result:
            return kind, canonical
        return result[0].kind.value, result[0].canonical

    def notes(self, notes: Iterable[Note], document: str | None) -> list[Note]:
        """Entity notes keyed as the rules file their entity now (copies; the stored notes
        keep the key they were written with, so undoing a rule takes them back)."""
        shown = []
        for note in notes:
            if note.kind == "entity" and note.entity is not None:
                kind, canonical = self.entity_key(*note.entity, document)
                if (kind, canonical) != note.entity:
                    note = replace(note, entity_kind=kind, entity_canonical=canonical)
            shown.append(note)
        return shown


NO_RULES = Corrector()


def load(store: Store | None) -> Corrector:
    """The rules in force in the library (none without a library)."""
    if store is None:
        return NO_RULES
    version, rules = store.active_corrections()
    return Corrector.of(version, rules)


# -- making rules -----------------------------------------------------------------------------


def new_rule(
    action: Action | str,
    form: str,
    *,
    kind: Kind | str | None = None,
    target: str | None = None,
    document: Document | str | None = None,
    case_sensitive: bool = True,
) -> Rule:
    """A checked rule from what a researcher typed or clicked; ``CorrectionError`` (one
    sentence) for an empty or overlong form, an unknown kind, an alias to itself."""
    scope = document.text_hash if isinstance(document, Document) else document
    return make_rule(
        action,
        form,
        kind=kind,
        target=target,
        document=scope,
        case_sensitive=case_sensitive,
    )


def check(corrector: Corrector, rule: Rule) -> None:
    """Refuse at once a rule that would close a circle of aliases with those in force (the
    store checks again when it writes, against the rules of that moment)."""
    check_new_rule(
        corrector.rules, replace(rule, id=max((r.id for r in corrector.rules), default=0) + 1)
    )


@dataclass(frozen=True, slots=True)
class Recorded:
    """A rule stored (or undone, or redone) and the rules in force right after."""

    stored: StoredRule
    corrector: Corrector


def record(store: Store, rule: Rule) -> Recorded:
    """Store one rule, on disk when this returns; the library's summaries are brought in
    line separately (``apply_to_library``), so the window can show the open article at once
    and correct the rest in the background."""
    _writable(store)
    [stored] = store.add_corrections([rule])
    return Recorded(stored, load(store))


def add(store: Store, rule: Rule) -> tuple[StoredRule, Refresh]:
    """Store one rule and apply it to the whole library (the command line)."""
    recorded = record(store, rule)
    refresh = store.apply_corrections()
    return _counted(recorded.stored, refresh), refresh


def undo(store: Store, rule_id: int, *, redo: bool = False) -> Recorded:
    """Undo a rule (or redo an undone one); ``CorrectionError`` for an unknown id, a rule
    already in that state, or a change that would close a circle of aliases."""
    _writable(store)
    stored = store.undo_correction(rule_id, redo=redo)
    return Recorded(stored, load(store))


def apply_to_library(store: Store) -> Refresh:
    """Every analysed article's names (its counts and search entries) after the rules."""
    return store.apply_corrections()


def listing(store: Store | None) -> list[StoredRule]:
    """Every rule, undone ones too, in order, with the mentions it changes in the library."""
    return store.list_corrections() if store is not None else []


def _counted(stored: StoredRule, refresh: Refresh) -> StoredRule:
    return replace(stored, changes=refresh.counts.get(stored.id, 0))


def _writable(store: Store) -> None:
    if store.read_only:
        raise ReaderError("The library is read-only, so the correction was not saved.")


# -- sharing rules ----------------------------------------------------------------------------


def export_text(store: Store | None) -> tuple[str, int]:
    """The rules in force as the exchange format (``corrections_exchange``), and how many."""
    rules = [s.rule for s in listing(store) if s.active]
    return json.dumps(rules_to_json(rules), ensure_ascii=False, indent=2) + "\n", len(rules)


def export_to_file(store: Store | None, path: str | Path) -> int:
    """Write the rules in force to ``path`` all at once; how many."""
    text, count = export_text(store)
    save_export(path, text, "corrections")
    return count


def read_rules_file(path: str | Path) -> list[Rule]:
    """The rules of an exchange file, all checked, or ``ReaderError`` naming the first
    problem: nothing is stored until the whole file has been read and checked."""
    path = Path(path)
    name = path.name or str(path)
    data = read_json_file(path, "a file of corrections", "corrections", max_bytes=MAX_FILE_BYTES)
    try:
        return rules_from_json(data)
    except CorrectionError as error:
        raise CorrectionError(f"“{name}”: {error.message} Nothing was imported.") from None


def import_rules(store: Store, rules: Sequence[Rule]) -> tuple[list[StoredRule], Refresh]:
    """Add shared rules after those in force, all or none (a backup copy first), then
    apply them to the library."""
    _writable(store)
    if not rules:
        return [], Refresh()
    store.back_up("corrections-import")
    stored = store.add_corrections(rules)
    refresh = store.apply_corrections()
    return [_counted(s, refresh) for s in stored], refresh


def import_from_file(store: Store, path: str | Path) -> str:
    """Import a rules file; the sentence saying what was done."""
    rules = read_rules_file(path)
    if not rules:
        return f"“{Path(path).name}” holds no corrections; nothing was imported."
    stored, _refresh = import_rules(store, rules)
    return import_sentence(path, stored)


def import_sentence(path: str | Path, stored: Sequence[StoredRule]) -> str:
    changed = sum(s.changes for s in stored)
    noun = "correction" if len(stored) == 1 else "corrections"
    return (
        f"Imported {len(stored)} {noun} from “{Path(path).name}” "
        f"(numbers {stored[0].id} to {stored[-1].id}); they change {changed:,} "
        f"mention{'s' if changed != 1 else ''} in the library."
    )
