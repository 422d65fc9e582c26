"""Corrections: a researcher's rules about names, applied on top of the model's analysis.

The model is wrong sometimes, and a researcher must be able to say so once and see it
everywhere. A rule says one of five things about a *form* (a name as written):

* ``not-a-name``: the form is never highlighted;
* ``kind``: the form is a person, place, organization or other name;
* ``add``: the form is a name the model missed, wherever it occurs as a whole word
  (case-sensitive unless asked otherwise);
* ``same-as``: the form is the same entity as another ("Lavrov" is "Sergei Lavrov");
  aliases chain ("A" = "B" and "B" = "C" files "A" under "C");
* ``split``: undo a grouping: the form is filed under its own name again.

A rule applies to the whole library, or to one article (its ``document``: the SHA-256 of its
text, the key the analysis cache uses). Rules apply in order, so a later rule wins over an
earlier one about the same form. A rule matches a mention by its surface form or by the
entity name it is filed under, so "not a name" on an entity's name removes the entity.

Corrections work on cached mentions (``Mention`` objects or the tuples the engine sends):
no spaCy, no store, no Qt. ``RuleSet`` compiles a list of rules once and applies it to any
number of articles, counting how many mentions each rule changed. The JSON file a team
shares its rules in is ``corrections_exchange.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from reader.entities.evidence import DEFAULT_LABELS
from reader.entities.kinds import KIND_ORDER, Kind, kind_for_label
from reader.entities.spans import Entity, Mention, group_entities
from reader.errors import ReaderError

MAX_FORM_CHARS = 200

MentionLike = Mention | tuple[int, int, str, str, str, str]


class CorrectionError(ReaderError):
    """A correction that cannot be made; its message says why, in one sentence."""


class Action(StrEnum):
    NOT_A_NAME = "not-a-name"
    KIND = "kind"
    ADD = "add"
    SAME_AS = "same-as"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Rule:
    """One correction. ``id`` orders rules (a later one wins) and names it for undo."""

    id: int
    action: Action
    form: str
    kind: Kind | None = None  # for "kind" and "add"
    target: str | None = None  # for "same-as": the name the form is filed under
    document: str | None = None  # one article's text hash, or None for the whole library
    case_sensitive: bool = True  # for "add"

    def describe(self) -> str:
        """The rule in words, as a list of corrections shows it."""
        where = " in one article" if self.document else ""
        if self.action is Action.NOT_A_NAME:
            return f"“{self.form}” is not a name{where}"
        if self.action is Action.KIND:
            return f"“{self.form}” is {_kind_word(self.kind)}{where}"
        if self.action is Action.ADD:
            case = "" if self.case_sensitive else " (any case)"
            return f"“{self.form}” is {_kind_word(self.kind)} wherever it occurs{case}{where}"
        if self.action is Action.SAME_AS:
            return f"“{self.form}” is the same as “{self.target}”{where}"
        return f"“{self.form}” is its own name{where}"


def _kind_word(kind: Kind | None) -> str:
    """ "a person", "an organization", "a name" (for the other kinds)."""
    if kind is None or kind is Kind.OTHER:
        return "a name"
    return f"an {kind.value}" if kind.value[0] in "aeiou" else f"a {kind.value}"


def normalize_form(text: str) -> str:
    """A form as rules compare it: spaces collapsed, nothing else changed."""
    return " ".join(text.split())


def surface_form(text: str) -> str:
    """The form of a mention's text, the way rules see it."""
    return normalize_form(text)


def parse_kind(value: object) -> Kind:
    """A kind from a user's word ("person", "places", "org"); CorrectionError otherwise."""
    words = {"people": "person", "places": "place", "org": "organization", "orgs": "organization"}
    word = str(value).strip().lower() if isinstance(value, str | Kind) else ""
    try:
        return Kind(words.get(word, word))
    except ValueError:
        valid = ", ".join(k.value for k in KIND_ORDER)
        shown = str(value).strip() if isinstance(value, str) else repr(value)
        raise CorrectionError(
            f"“{shown[:40]}” is not a kind of name; use one of {valid}."
        ) from None


def make_rule(
    action: Action | str,
    form: str,
    *,
    kind: Kind | str | None = None,
    target: str | None = None,
    document: str | None = None,
    case_sensitive: bool = True,
    rule_id: int = 0,
) -> Rule:
    """A checked rule: raises CorrectionError with one sentence for anything wrong."""
    try:
        action = Action(action)
    except ValueError:
        valid = ", ".join(a.value for a in Action)
        raise CorrectionError(
            f"“{str(action)[:40]}” is not a kind of correction; use one of {valid}."
        ) from None
    form = _checked_form(form, "name")
    parsed_kind: Kind | None = None
    if action in (Action.KIND, Action.ADD):
        if kind is None:
            raise CorrectionError(f"Say what kind of name “{form}” is: person, place, ….")
        parsed_kind = parse_kind(kind)
    checked_target: str | None = None
    if action is Action.SAME_AS:
        checked_target = _checked_form(target, "name it is the same as")
        if checked_target == form:
            raise CorrectionError(f"“{form}” cannot be the same as itself; give another name.")
    if document is not None and (not isinstance(document, str) or not document.strip()):
        raise CorrectionError("The article of a correction is missing; give its file.")
    return Rule(rule_id, action, form, parsed_kind, checked_target, document, bool(case_sensitive))


def _checked_form(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CorrectionError(f"The {what} is empty; give the name as it is written.")
    form = normalize_form(value)
    if len(form) > MAX_FORM_CHARS:
        raise CorrectionError(
            f"The {what} is {len(form):,} characters long; a name has at most {MAX_FORM_CHARS}."
        )
    return form


def check_new_rule(existing: Iterable[Rule], rule: Rule) -> None:
    """Refuse a rule that would make a cycle of aliases with the rules already there.

    Aliases meet where they both apply: a library-wide rule meets every article's rules, an
    article's rule meets the library's and that article's.
    """
    if rule.action is not Action.SAME_AS or rule.target is None:
        return
    existing = list(existing)
    scopes: set[str | None] = {rule.document}
    if rule.document is None:
        scopes.update(r.document for r in existing)
    for scope in scopes:
        edges = _alias_edges(r for r in existing if r.document in (None, scope))
        _refuse_cycle(edges, rule)


def _refuse_cycle(edges: dict[str, str], rule: Rule) -> None:
    assert rule.target is not None
    seen = [rule.target]
    current = rule.target
    while current in edges:
        current = edges[current]
        if current == rule.form:
            chain = " = ".join([rule.form, *seen, current])
            raise CorrectionError(
                f"“{rule.form}” cannot be the same as “{rule.target}”: that would make a "
                f"circle of names ({chain})."
            )
        if current in seen:
            break
        seen.append(current)


def check_rules(rules: Sequence[Rule]) -> None:
    """Check a whole list (an import): no cycle of aliases, in order."""
    accepted: list[Rule] = []
    for rule in rules:
        check_new_rule(accepted, rule)
        accepted.append(rule)


def _alias_edges(rules: Iterable[Rule]) -> dict[str, str]:
    """form -> the name it is filed under, by the latest same-as or split about it."""
    edges: dict[str, str] = {}
    for rule in sorted(rules, key=lambda r: r.id):
        if rule.action is Action.SAME_AS and rule.target is not None:
            edges[rule.form] = rule.target
        elif rule.action is Action.SPLIT:
            edges.pop(rule.form, None)
    return edges


@dataclass(slots=True)
class Corrected:
    """One article after the rules: its mentions and how many each rule changed."""

    mentions: list[Mention]
    changes: Counter[int] = field(default_factory=Counter)

    @property
    def entities(self) -> list[Entity]:
        return group_entities(self.mentions)


class _State:
    """A mention while rules apply to it."""

    __slots__ = (
        "alias_rule",
        "aliased",
        "canonical",
        "changed_by",
        "end",
        "form",
        "kind",
        "kind_ruled",
        "label",
        "original",
        "present",
        "start",
        "text",
    )

    def __init__(self, mention: Mention, original: Mention | None) -> None:
        self.start, self.end = mention.start, mention.end
        self.kind, self.label = mention.kind, mention.label
        self.text, self.canonical = mention.text, mention.canonical
        self.form = surface_form(mention.text)
        self.present = True
        self.aliased = False
        self.alias_rule = 0
        self.kind_ruled = False
        self.changed_by: set[int] = set()
        self.original = original  # None for a mention a rule added

    def mention(self) -> Mention:
        original = self.original
        if original is not None and (original.kind, original.label, original.canonical) == (
            self.kind,
            self.label,
            self.canonical,
        ):
            return original
        return Mention(self.start, self.end, self.kind, self.label, self.text, self.canonical)


class RuleSet:
    """Rules compiled once, to apply to one article or a whole library's."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = sorted(rules, key=lambda r: r.id)
        self._library = [r for r in self.rules if r.document is None]
        self._by_document: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            if rule.document is not None:
                self._by_document[rule.document].append(rule)
        self._patterns: dict[int, re.Pattern[str]] = {}
        for rule in self.rules:
            if rule.action is Action.ADD:
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                escaped = r"\s+".join(re.escape(w) for w in rule.form.split(" "))
                self._patterns[rule.id] = re.compile(rf"(?<!\w){escaped}(?!\w)", flags)
        self._library_forms = _forms_of(self._library)
        self._aliases: dict[str | None, dict[str, str]] = {None: _alias_edges(self._library)}

    def adds_names(self, document: str | None) -> bool:
        """Whether an "add" rule applies to ``document`` (only those need its text)."""
        return any(r.action is Action.ADD for r in self.rules_for(document))

    def rules_for(self, document: str | None) -> list[Rule]:
        """The rules that apply to ``document``, in order."""
        scoped = self._by_document.get(document, []) if document is not None else []
        if not scoped:
            return self._library
        return sorted(self._library + scoped, key=lambda r: r.id)

    def apply(
        self,
        mentions: Iterable[MentionLike],
        text: str | None = None,
        document: str | None = None,
        context: Callable[[], Iterable[Mention]] | None = None,
    ) -> Corrected:
        """The article's mentions after the rules. ``text`` is needed by "add" rules only.

        Nothing is copied that no rule touches: an article none of the rules concerns
        comes back as it was, at the cost of one look-up per mention.

        ``context`` gives the article's other mentions, already corrected, when only a part
        of it is corrected (a chunk of a long text as it is analysed): an alias then takes
        the kind of the entity it joins even when that entity is in another part.
        """
        given = [_as_mention(m) for m in mentions]
        rules = self.rules_for(document)
        if not rules:
            return Corrected(given)
        if any(r.action is Action.ADD for r in rules):
            return self._apply(given, rules, text, document, context)  # overlaps anything
        forms = self._library_forms if rules is self._library else _forms_of(rules)
        touched: list[Mention] = []
        untouched: list[Mention] = []
        for m in given:
            if m.canonical in forms or surface_form(m.text) in forms:
                touched.append(m)
            else:
                untouched.append(m)
        if not touched:
            return Corrected(given)
        # Only the mentions a rule names are worked on (a book has tens of thousands); the
        # others pass through, and vote for the kind of an entity an alias joins.
        corrected = self._apply(touched, rules, text, document, context, untouched)
        if untouched:
            corrected.mentions = sorted(corrected.mentions + untouched, key=lambda m: m.start)
        return corrected

    def _apply(
        self,
        given: list[Mention],
        rules: list[Rule],
        text: str | None,
        document: str | None,
        context: Callable[[], Iterable[Mention]] | None = None,
        bystanders: list[Mention] | None = None,
    ) -> Corrected:
        states = [_State(m, m) for m in given]
        by_form: dict[str, list[_State]] = defaultdict(list)
        by_canonical: dict[str, list[_State]] = defaultdict(list)
        for state in states:
            by_form[state.form].append(state)
            by_canonical[state.canonical].append(state)
        aliases = self._aliases_for(document, rules)

        def matching(form: str) -> list[_State]:
            found = {id(s): s for s in by_form.get(form, ()) if s.present}
            found.update({id(s): s for s in by_canonical.get(form, ()) if s.present})
            return list(found.values())

        def refile(state: _State, canonical: str) -> None:
            state.canonical = canonical
            by_canonical[canonical].append(state)

        for rule in rules:
            if rule.action is Action.ADD:
                if text is not None:
                    for state in self._add(rule, text, states, aliases):
                        states.append(state)
                        by_form[state.form].append(state)
                        by_canonical[state.canonical].append(state)
                continue
            for state in matching(rule.form):
                _apply_rule(rule, state, aliases, refile)
        _adopt_target_kinds(states, context, bystanders or ())
        changes: Counter[int] = Counter()
        for state in states:
            changes.update(state.changed_by)
        result = [s.mention() for s in states if s.present]
        result.sort(key=lambda m: m.start)
        return Corrected(result, changes)

    def _add(
        self, rule: Rule, text: str, states: list[_State], aliases: dict[str, str]
    ) -> list[_State]:
        """New mentions for every whole-word occurrence; an occurrence inside a longer
        name ("York" in "New York") is left to it, anything else overlapping it gives way."""
        assert rule.kind is not None
        present = sorted((s for s in states if s.present), key=lambda s: s.start)
        starts = [s.start for s in present]
        added: list[_State] = []
        canonical = _resolve(rule.form, aliases)
        label = DEFAULT_LABELS[rule.kind]
        for match in self._patterns[rule.id].finditer(text):
            start, end = match.span()
            low = max(bisect_left(starts, start) - 1, 0)
            high = bisect_right(starts, end)
            overlapping = [
                s for s in present[low:high] if s.present and s.start < end and start < s.end
            ]
            if any(
                s.start <= start and end <= s.end and s.end > s.start + end - start
                for s in overlapping
            ):
                continue
            for state in overlapping:
                state.present = False
                state.changed_by.add(rule.id)
            mention = Mention(start, end, rule.kind, label, match.group(), canonical)
            state = _State(mention, None)
            state.kind_ruled = True
            state.changed_by.add(rule.id)
            added.append(state)
        return added

    def _aliases_for(self, document: str | None, rules: list[Rule]) -> dict[str, str]:
        # An article without rules of its own shares the library's aliases: one entry per
        # article would recompute them, and keep them, for every article of a library.
        if rules is self._library:
            return self._aliases[None]
        if document not in self._aliases:
            self._aliases[document] = _alias_edges(rules)
        return self._aliases[document]


def _apply_rule(
    rule: Rule,
    state: _State,
    aliases: dict[str, str],
    refile: Callable[[_State, str], None],
) -> None:
    """One rule on one mention that matches it; records whether it changed anything."""
    if rule.action is Action.NOT_A_NAME:
        state.present = False
        state.changed_by.add(rule.id)
    elif rule.action is Action.KIND:
        assert rule.kind is not None
        state.kind_ruled = True
        if state.kind is not rule.kind:
            state.kind = rule.kind
            state.label = DEFAULT_LABELS[rule.kind]
            state.changed_by.add(rule.id)
    elif rule.action is Action.SAME_AS:
        assert rule.target is not None
        canonical = _resolve(rule.target, aliases)
        state.aliased, state.alias_rule, state.kind_ruled = True, rule.id, False
        if state.canonical != canonical:
            refile(state, canonical)
            state.changed_by.add(rule.id)
    elif rule.action is Action.SPLIT:
        state.aliased = False
        if state.canonical != state.form:
            refile(state, state.form)
            state.changed_by.add(rule.id)


def _adopt_target_kinds(
    states: list[_State],
    context: Callable[[], Iterable[Mention]] | None = None,
    bystanders: Iterable[Mention] = (),
) -> None:
    """An alias takes the kind of the entity it joins ("Lavrov", an ORG, joins a person),
    unless a kind rule about it came later. ``bystanders``: mentions no rule touched."""
    aliased = [s for s in states if s.present and s.aliased and not s.kind_ruled]
    if not aliased:
        return
    kinds: dict[str, Counter[Kind]] = defaultdict(Counter)
    for state in states:
        if state.present and not state.aliased:
            kinds[state.canonical][state.kind] += 1
    wanted = {s.canonical for s in aliased}
    for mention in bystanders:
        if mention.canonical in wanted:
            kinds[mention.canonical][mention.kind] += 1
    if context is not None:
        for mention in context():
            if mention.canonical in wanted and mention.canonical == mention.text:
                kinds[mention.canonical][mention.kind] += 1
    for state in aliased:
        votes = kinds.get(state.canonical)
        if not votes:
            continue
        kind = votes.most_common(1)[0][0]
        if kind is not state.kind:
            state.kind = kind
            if kind_for_label(state.label) is not kind:
                state.label = DEFAULT_LABELS[kind]
            state.changed_by.add(state.alias_rule)


def _resolve(name: str, aliases: dict[str, str]) -> str:
    """Follow same-as rules from ``name`` to the name it is finally filed under."""
    seen = {name}
    while name in aliases:
        name = aliases[name]
        if name in seen:  # a cycle slipped past the checks: stop where it closes
            break
        seen.add(name)
    return name


def _forms_of(rules: Iterable[Rule]) -> set[str]:
    forms: set[str] = set()
    for rule in rules:
        forms.add(rule.form)
        if rule.target:
            forms.add(rule.target)
    return forms


def _as_mention(item: MentionLike) -> Mention:
    if isinstance(item, Mention):
        return item
    start, end, kind, label, text, canonical = item
    return Mention(start, end, Kind(kind), label, text, canonical)


def apply_corrections(
    mentions: Iterable[MentionLike],
    rules: Iterable[Rule],
    text: str | None = None,
    document: str | None = None,
) -> Corrected:
    """``RuleSet(rules).apply(...)`` for one article."""
    return RuleSet(rules).apply(mentions, text, document)
