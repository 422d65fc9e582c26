"""The corrections exchange format: a JSON file a team can share.

::

    {"format": "reader-corrections", "version": 1,
     "rules": [{"action": "same-as", "text": "Lavrov", "as": "Sergei Lavrov"},
               {"action": "kind", "text": "Sonya", "kind": "person"},
               {"action": "add", "text": "TASS", "kind": "organization", "case_sensitive": true},
               {"action": "not-a-name", "text": "West", "document": "<SHA-256 of the text>"},
               {"action": "split", "text": "Pierre"}]}

``action`` is one of not-a-name, kind, add, same-as, split; ``text`` the name as written;
``kind`` person, place, organization or other (for kind and add); ``as`` the name a same-as
files it under; ``document`` limits a rule to one article; ``case_sensitive`` (add only)
defaults to true. Rules apply in file order, a later one winning. Reading is all or nothing:
the first problem is reported in one sentence naming the rule, and nothing is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reader.entities.corrections import Action, CorrectionError, Rule, check_rules, make_rule

FORMAT_NAME = "reader-corrections"
FORMAT_VERSION = 1
_RULE_KEYS = frozenset({"action", "text", "kind", "as", "document", "case_sensitive"})
MAX_RULES = 100_000


def rule_to_json(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {"action": rule.action.value, "text": rule.form}
    if rule.kind is not None:
        data["kind"] = rule.kind.value
    if rule.target is not None:
        data["as"] = rule.target
    if rule.document is not None:
        data["document"] = rule.document
    if rule.action is Action.ADD:
        data["case_sensitive"] = rule.case_sensitive
    return data


def rules_to_json(rules: Iterable[Rule]) -> dict[str, Any]:
    ordered = sorted(rules, key=lambda r: r.id)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "rules": [rule_to_json(r) for r in ordered],
    }


def rules_from_json(data: object) -> list[Rule]:
    """Rules from a parsed exchange file, all checked; CorrectionError on the first problem.

    Rules get ids 1, 2, … in file order; whoever stores them gives them their own.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CorrectionError('This is not a corrections file (no "format": "reader-corrections").')
    if data.get("version") != FORMAT_VERSION:
        raise CorrectionError(
            f"This corrections file has version {data.get('version')!r}; this reader reads "
            f"version {FORMAT_VERSION}."
        )
    items = data.get("rules")
    if not isinstance(items, list):
        raise CorrectionError("The corrections file has no list of rules.")
    if len(items) > MAX_RULES:
        raise CorrectionError(
            f"The corrections file has {len(items):,} rules; at most {MAX_RULES:,}."
        )
    rules: list[Rule] = []
    for number, item in enumerate(items, start=1):
        try:
            rules.append(_rule_from_json(item, number))
        except CorrectionError as error:
            raise CorrectionError(f"Rule {number}: {error.message}") from None
    try:
        check_rules(rules)
    except CorrectionError as error:
        raise CorrectionError(f"In the corrections file: {error.message}") from None
    return rules


def _rule_from_json(item: object, number: int) -> Rule:
    if not isinstance(item, dict):
        raise CorrectionError('a rule must be an object with "action" and "text".')
    unknown = sorted(str(k)[:30] for k in item if k not in _RULE_KEYS)
    if unknown:
        raise CorrectionError(f"unknown field “{unknown[0]}”.")
    case = item.get("case_sensitive", True)
    if not isinstance(case, bool):
        raise CorrectionError('"case_sensitive" must be true or false.')
    for key in ("action", "text", "as", "document", "kind"):
        if key in item and item[key] is not None and not isinstance(item[key], str):
            raise CorrectionError(f'"{key}" must be text.')
    return make_rule(
        item.get("action", ""),
        item.get("text", ""),
        kind=item.get("kind"),
        target=item.get("as"),
        document=item.get("document"),
        case_sensitive=case,
        rule_id=number,
    )
