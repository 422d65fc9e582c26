"""Correction rules applied to cached mentions: no model, no store, no Qt."""

from __future__ import annotations

import json

import pytest

from reader.entities.corrections import (
    Action,
    CorrectionError,
    Rule,
    RuleSet,
    apply_corrections,
    check_new_rule,
    check_rules,
    make_rule,
)
from reader.entities.corrections_exchange import rules_from_json, rules_to_json
from reader.entities.kinds import Kind
from reader.entities.spans import Mention

TEXT = (
    "Sergei Lavrov met Antony Blinken in Geneva. Lavrov said the talks were useful. "
    "TASS reported that Lavrov left Geneva. Reporters from TASS and from the West waited. "
    "The West said little."
)


def mention(phrase: str, kind: Kind, label: str, canonical: str = "", occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return Mention(start, start + len(phrase), kind, label, phrase, canonical or phrase)


def cached() -> list[Mention]:
    """What the analysis cache holds for TEXT: the model's mistakes included."""
    return [
        mention("Sergei Lavrov", Kind.PERSON, "PERSON"),
        mention("Antony Blinken", Kind.PERSON, "PERSON"),
        mention("Geneva", Kind.PLACE, "GPE"),
        mention("Lavrov", Kind.ORGANIZATION, "ORG", "Lavrov", 1),
        mention("Lavrov", Kind.ORGANIZATION, "ORG", "Lavrov", 2),
        mention("Geneva", Kind.PLACE, "GPE", "Geneva", 1),
        mention("West", Kind.PLACE, "LOC", "West", 0),
        mention("West", Kind.PLACE, "LOC", "West", 1),
    ]


def rule(rule_id: int, action: str, form: str, **kwargs: object) -> Rule:
    return make_rule(action, form, rule_id=rule_id, **kwargs)  # type: ignore[arg-type]


def shown(mentions: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind.value, m.canonical) for m in mentions]


def test_no_rules_returns_the_cached_mentions_untouched() -> None:
    mentions = cached()
    result = apply_corrections(mentions, [], TEXT)
    assert result.mentions == mentions
    assert all(a is b for a, b in zip(result.mentions, mentions, strict=True))
    assert result.changes == {}


def test_not_a_name_removes_every_mention_of_the_form() -> None:
    result = apply_corrections(cached(), [rule(1, "not-a-name", "West")], TEXT)

    assert "West" not in [m.text for m in result.mentions]
    assert len(result.mentions) == 6
    assert result.changes == {1: 2}


def test_not_a_name_in_one_article_leaves_the_others_alone() -> None:
    rules = RuleSet([rule(1, "not-a-name", "West", document="hash-a")])

    in_a = rules.apply(cached(), TEXT, document="hash-a")
    in_b = rules.apply(cached(), TEXT, document="hash-b")

    assert "West" not in [m.text for m in in_a.mentions]
    assert [m.text for m in in_b.mentions].count("West") == 2
    assert in_b.changes == {}


def test_kind_relabels_the_form_and_regroups_it() -> None:
    result = apply_corrections(cached(), [rule(1, "kind", "Lavrov", kind="person")], TEXT)

    lavrovs = [m for m in result.mentions if m.text == "Lavrov"]
    assert {(m.kind, m.label) for m in lavrovs} == {(Kind.PERSON, "PERSON")}
    assert result.changes == {1: 2}
    people = {e.canonical: e.count for e in result.entities if e.kind is Kind.PERSON}
    assert people == {"Sergei Lavrov": 1, "Antony Blinken": 1, "Lavrov": 2}


def test_same_as_files_the_form_under_the_other_name_and_takes_its_kind() -> None:
    result = apply_corrections(cached(), [rule(1, "same-as", "Lavrov", target="Sergei Lavrov")])

    [lavrov] = [e for e in result.entities if e.canonical == "Sergei Lavrov"]
    assert (lavrov.kind, lavrov.count) == (Kind.PERSON, 3)
    assert lavrov.other_forms == ["Lavrov"]
    assert not [e for e in result.entities if e.kind is Kind.ORGANIZATION]
    assert result.changes == {1: 2}


def test_aliases_chain_whatever_their_order() -> None:
    rules = [
        rule(1, "same-as", "Sergei Lavrov", target="Sergey Lavrov"),
        rule(2, "same-as", "Lavrov", target="Sergei Lavrov"),
    ]
    result = apply_corrections(cached(), rules)

    canonicals = {m.canonical for m in result.mentions if "Lavrov" in m.text}
    assert canonicals == {"Sergey Lavrov"}


def test_split_undoes_a_grouping() -> None:
    grouped = cached()
    grouped[3] = mention("Lavrov", Kind.PERSON, "PERSON", "Sergei Lavrov", 1)

    result = apply_corrections(grouped, [rule(1, "split", "Lavrov")])

    assert [m.canonical for m in result.mentions if m.text == "Lavrov"] == ["Lavrov", "Lavrov"]
    assert result.changes == {1: 1}


def test_a_later_rule_wins() -> None:
    relabel = [rule(1, "kind", "West", kind="organization"), rule(2, "kind", "West", kind="place")]
    assert {m.kind for m in apply_corrections(cached(), relabel).mentions if m.text == "West"} == {
        Kind.PLACE
    }

    removed_then_added = [
        rule(1, "not-a-name", "West"),
        rule(2, "add", "West", kind="place"),
    ]
    result = apply_corrections(cached(), removed_then_added, TEXT)
    assert [m.text for m in result.mentions].count("West") == 2

    added_then_removed = list(
        reversed([rule(2, "not-a-name", "West"), rule(1, "add", "West", kind="place")])
    )
    result = apply_corrections(cached(), added_then_removed, TEXT)
    assert "West" not in [m.text for m in result.mentions]

    split_then_merged = [
        rule(1, "split", "Lavrov"),
        rule(2, "same-as", "Lavrov", target="Sergei Lavrov"),
    ]
    result = apply_corrections(cached(), split_then_merged)
    assert {m.canonical for m in result.mentions if m.text == "Lavrov"} == {"Sergei Lavrov"}


def test_rules_apply_in_id_order_not_list_order() -> None:
    rules = [rule(2, "kind", "West", kind="place"), rule(1, "kind", "West", kind="organization")]
    result = apply_corrections(cached(), rules)
    assert {m.kind for m in result.mentions if m.text == "West"} == {Kind.PLACE}


def test_add_marks_every_whole_word_occurrence() -> None:
    result = apply_corrections(cached(), [rule(1, "add", "TASS", kind="organization")], TEXT)

    tass = [m for m in result.mentions if m.text == "TASS"]
    assert [(TEXT[m.start : m.end], m.kind, m.label) for m in tass] == [
        ("TASS", Kind.ORGANIZATION, "ORG")
    ] * 2
    assert result.changes == {1: 2}
    assert [m.start for m in result.mentions] == sorted(m.start for m in result.mentions)


def test_add_is_case_sensitive_unless_asked() -> None:
    text = "The Reuters desk and the reuters feed."
    sensitive = apply_corrections([], [rule(1, "add", "Reuters", kind="organization")], text)
    assert [m.text for m in sensitive.mentions] == ["Reuters"]

    insensitive = apply_corrections(
        [], [rule(1, "add", "Reuters", kind="organization", case_sensitive=False)], text
    )
    assert [m.text for m in insensitive.mentions] == ["Reuters", "reuters"]
    assert {m.canonical for m in insensitive.mentions} == {"Reuters"}


def test_add_needs_whole_words_and_leaves_longer_names_alone() -> None:
    text = "New York and York, Yorkshire and York."
    new_york = Mention(0, 8, Kind.PLACE, "GPE", "New York", "New York")

    result = apply_corrections([new_york], [rule(1, "add", "York", kind="place")], text)

    assert [(m.start, m.text) for m in result.mentions] == [
        (0, "New York"),
        (13, "York"),
        (33, "York"),
    ]


def test_add_replaces_a_model_span_it_overlaps() -> None:
    text = "Mayor of London Sadiq Khan spoke."
    glued = Mention(9, 21, Kind.PERSON, "PERSON", "London Sadiq", "London Sadiq")

    result = apply_corrections([glued], [rule(1, "add", "Sadiq Khan", kind="person")], text)

    assert shown(result.mentions) == [("Sadiq Khan", "person", "Sadiq Khan")]
    assert result.changes == {1: 2}  # one span gave way, one was added


def test_add_without_the_text_changes_nothing() -> None:
    result = apply_corrections(cached(), [rule(1, "add", "TASS", kind="organization")])
    assert result.mentions == cached()


def test_a_rule_on_an_entity_name_reaches_all_its_forms() -> None:
    grouped = cached()
    grouped[3] = mention("Lavrov", Kind.PERSON, "PERSON", "Sergei Lavrov", 1)

    result = apply_corrections(grouped, [rule(1, "not-a-name", "Sergei Lavrov")])

    assert [m.text for m in result.mentions if "Lavrov" in m.text] == ["Lavrov"]


def test_engine_tuples_are_accepted() -> None:
    tuples = [(m.start, m.end, m.kind.value, m.label, m.text, m.canonical) for m in cached()]
    result = apply_corrections(tuples, [rule(1, "kind", "West", kind="organization")])
    assert {m.kind for m in result.mentions if m.text == "West"} == {Kind.ORGANIZATION}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not-a-name", ""), "empty"),
        (("not-a-name", "   \n "), "empty"),
        (("kind", "West"), "what kind"),
        (("frobnicate", "West"), "not a kind of correction"),
        (("same-as", "West"), "empty"),
        (("not-a-name", "x" * 500), "at most 200"),
    ],
)
def test_bad_rules_are_refused_with_one_sentence(args: tuple[str, str], message: str) -> None:
    with pytest.raises(CorrectionError) as error:
        make_rule(*args)
    assert message in error.value.message
    assert error.value.message.endswith(".")
    assert "\n" not in error.value.message


def test_unknown_kind_and_alias_to_itself_are_refused() -> None:
    with pytest.raises(CorrectionError, match="not a kind of name; use one of person"):
        make_rule("kind", "West", kind="planet")
    with pytest.raises(CorrectionError, match="cannot be the same as itself"):
        make_rule("same-as", "Lavrov", target=" Lavrov ")


def test_kind_words_are_forgiving() -> None:
    assert make_rule("kind", "UN", kind="org").kind is Kind.ORGANIZATION
    assert make_rule("add", "Kazan", kind="Places").kind is Kind.PLACE
    assert make_rule("kind", "  Sergei   Lavrov ", kind="person").form == "Sergei Lavrov"


def test_a_cycle_of_aliases_is_refused() -> None:
    existing = [rule(1, "same-as", "A", target="B"), rule(2, "same-as", "B", target="C")]
    with pytest.raises(CorrectionError, match=r"circle of names \(C = A = B = C\)"):
        check_new_rule(existing, rule(3, "same-as", "C", target="A"))
    # A split of "B" breaks the chain, and aliases in other articles cannot meet.
    check_new_rule([*existing, rule(3, "split", "B")], rule(4, "same-as", "C", target="A"))
    scoped = [rule(1, "same-as", "A", target="B", document="one")]
    check_new_rule(scoped, rule(2, "same-as", "B", target="A", document="two"))
    with pytest.raises(CorrectionError):
        check_rules([*scoped, rule(2, "same-as", "B", target="A")])


def test_rules_describe_themselves() -> None:
    assert rule(1, "same-as", "Lavrov", target="Sergei Lavrov").describe() == (
        "“Lavrov” is the same as “Sergei Lavrov”"
    )
    assert rule(2, "not-a-name", "West", document="h").describe() == (
        "“West” is not a name in one article"
    )
    assert rule(3, "add", "TASS", kind="organization").describe() == (
        "“TASS” is an organization wherever it occurs"
    )
    assert rule(4, "kind", "Sonya", kind="person").describe() == "“Sonya” is a person"


def test_exchange_format_round_trips() -> None:
    rules = [
        rule(1, "same-as", "Lavrov", target="Sergei Lavrov"),
        rule(2, "kind", "Sonya", kind="person"),
        rule(3, "add", "TASS", kind="organization", case_sensitive=False),
        rule(4, "not-a-name", "West", document="abc"),
        rule(5, "split", "Pierre"),
    ]
    data = json.loads(json.dumps(rules_to_json(rules)))

    assert data["format"] == "reader-corrections"
    assert rules_from_json(data) == rules


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a corrections file"),
        ({"format": "notes"}, "not a corrections file"),
        ({"format": "reader-corrections", "version": 9, "rules": []}, "version 9"),
        ({"format": "reader-corrections", "version": 1, "rules": {}}, "no list of rules"),
        ({"format": "reader-corrections", "version": 1, "rules": [7]}, "Rule 1: a rule must be"),
        (
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [{"action": "kind", "text": "X", "kind": "moon"}],
            },
            "Rule 1: “moon” is not a kind of name",
        ),
        (
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [{"action": "split", "text": ["X"]}],
            },
            'Rule 1: "text" must be text',
        ),
        (
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [{"action": "split", "text": "X", "evil": 1}],
            },
            "unknown field “evil”",
        ),
        (
            {
                "format": "reader-corrections",
                "version": 1,
                "rules": [
                    {"action": "same-as", "text": "A", "as": "B"},
                    {"action": "same-as", "text": "B", "as": "A"},
                ],
            },
            "circle of names",
        ),
    ],
)
def test_a_malformed_or_hostile_file_is_refused_whole(data: object, message: str) -> None:
    with pytest.raises(CorrectionError) as error:
        rules_from_json(data)
    assert message in error.value.message


def test_a_rule_set_counts_changes_across_articles() -> None:
    rules = RuleSet(
        [rule(1, "kind", "West", kind="organization"), rule(2, "add", "TASS", kind="organization")]
    )
    total: dict[int, int] = {}
    for _ in range(3):
        result = rules.apply(cached(), TEXT)
        for rule_id, count in result.changes.items():
            total[rule_id] = total.get(rule_id, 0) + count
    assert total == {1: 6, 2: 6}
    assert rules.rules_for(None)[0].action is Action.KIND
