"""Sane spans and groups, whatever the model says: the symptoms of issue 13, generalised.

Spans are built by hand as the small model gives them (mistakes included); what a reader
sees is the text of each mention, its kind and the name it is filed under.
"""

from __future__ import annotations

from reader.entities.consistency import apply_consistency
from reader.entities.kinds import Kind
from reader.entities.spans import Mention, group_entities
from tests.unit.entities.conftest import span


def seen(mentions: list[Mention]) -> list[tuple[str, Kind, str]]:
    return [(m.text, m.kind, m.canonical) for m in mentions]


def test_a_spaced_possessive_leaves_no_space_in_the_span() -> None:
    text = "South Africa 's president spoke."
    [mention] = apply_consistency(text, [span(text, "South Africa 's", "GPE")])
    assert mention.text == "South Africa"
    assert text[mention.end] == " "


def test_sentence_start_words_determiners_and_titles_are_not_part_of_a_name() -> None:
    text = (
        "Pierre went out. Behind Kutuzov rode his staff. Sometimes Pierre laughed. "
        "The marshal, a Count Rostov, came. Monsieur Pierre smiled. Kutuzov left."
    )
    raw = [
        span(text, "Pierre", "PERSON"),
        span(text, "Behind Kutuzov", "PERSON"),
        span(text, "Sometimes Pierre", "PERSON"),
        span(text, "a Count Rostov", "PERSON"),
        span(text, "Monsieur Pierre", "PERSON"),
        span(text, "Kutuzov", "PERSON", 1),
    ]

    mentions = apply_consistency(text, raw)

    assert [m.text for m in mentions] == [
        "Pierre",
        "Kutuzov",
        "Pierre",
        "Rostov",
        "Pierre",
        "Kutuzov",
    ]
    # "Monsieur Pierre" and "Pierre" are one person: the title is not part of the name.
    people = {e.canonical: e.count for e in group_entities(mentions)}
    assert people == {"Pierre": 3, "Kutuzov": 2, "Rostov": 1}


def test_names_glued_across_a_missing_comma_or_a_preposition_are_split() -> None:
    sentences = [f"Pierre spoke in Moscow{i}." for i in range(6)]
    text = " ".join(sentences) + " When he returned to Moscow Pierre was handed a letter."
    text += ' "Go!" said Bagration to Rostov.'
    raw = [span(text, "Pierre", "PERSON", i) for i in range(6)]
    raw += [span(text, "Moscow", "GPE", i) for i in range(6)]
    raw += [span(text, "Moscow Pierre", "PERSON"), span(text, "Bagration to Rostov", "PERSON")]

    mentions = apply_consistency(text, raw)
    tail = [m for m in mentions if m.start >= text.index("When he")]

    assert seen(tail) == [
        ("Moscow", Kind.PLACE, "Moscow"),
        ("Pierre", Kind.PERSON, "Pierre"),
        ("Bagration", Kind.PERSON, "Bagration"),
        ("Rostov", Kind.PERSON, "Rostov"),
    ]


def test_a_lone_first_name_is_never_claimed_by_a_junk_full_name() -> None:
    text = (
        " ".join(["Pierre smiled."] * 5) + " At the Patriarch's Ponds Pierre stopped. Pierre ran."
    )
    raw = [span(text, "Pierre", "PERSON", i) for i in range(5)]
    raw += [span(text, "Ponds Pierre", "PERSON"), span(text, "Pierre", "PERSON", 6)]

    last = apply_consistency(text, raw)[-1]

    assert (last.text, last.canonical) == ("Pierre", "Pierre")


def test_a_line_break_separates_names() -> None:
    text = "Brendan Eich\nMozilla Corporation\nAndreas Gal"
    raw = [span(text, "Eich\nMozilla Corporation", "ORG"), span(text, "Brendan", "PERSON")]

    mentions = apply_consistency(text, raw)

    assert "Eich\nMozilla Corporation" not in [m.text for m in mentions]
    assert "Mozilla Corporation" in [m.text for m in mentions]


def test_affiliation_marks_are_cut_from_authors() -> None:
    text = "Brendan Eich∗ and Andreas Gal∗+ and Mason Chang1,2 wrote it."
    raw = [
        span(text, "Brendan Eich∗", "PERSON"),
        span(text, "Andreas Gal∗+", "PERSON"),
        span(text, "Mason Chang1", "PERSON"),
    ]
    assert [m.text for m in apply_consistency(text, raw)] == [
        "Brendan Eich",
        "Andreas Gal",
        "Mason Chang",
    ]


def test_code_citations_and_junk_are_not_names() -> None:
    text = (
        "We compiled mov ecx with crypto-sha1 as Smith et al. showed. "
        "Linked Linked Linked lists grow. I'll go. The Court said so."
    )
    raw = [
        span(text, "mov ecx", "PERSON"),
        span(text, "crypto-sha1", "PERSON"),
        span(text, "al", "PERSON"),
        span(text, "Smith", "PERSON"),
        span(text, "Linked Linked Linked", "PERSON"),
        span(text, "I'll", "GPE"),
        span(text, "The Court", "ORG"),
    ]

    assert [m.text for m in apply_consistency(text, raw)] == ["Smith"]


def test_a_leading_article_is_cut_but_the_product_stays() -> None:
    text = "She bought a MacBook Pro yesterday."
    [mention] = apply_consistency(text, [span(text, "a MacBook Pro", "PERSON")])
    assert mention.text == "MacBook Pro"


def test_a_title_case_headline_keeps_only_names_the_article_confirms() -> None:
    text = (
        "Russia Hosts Taliban Talks as It Seeks Regional Influence\n\n"
        "Russia hosted talks with the Taliban in Kazan. The talks were long. Russia seeks "
        "influence in the region, and the Taliban want recognition."
    )
    raw = [
        span(text, "Russia Hosts Taliban Talks", "ORG"),
        span(text, "Russia", "GPE", 1),
        span(text, "Taliban", "ORG", 1),
        span(text, "Kazan", "GPE"),
        span(text, "Russia", "GPE", 2),
        span(text, "Taliban", "ORG", 2),
    ]

    headline = [m for m in apply_consistency(text, raw) if m.start < text.index("\n")]

    assert [(m.text, m.kind) for m in headline] == [
        ("Russia", Kind.PLACE),
        ("Taliban", Kind.ORGANIZATION),
    ]


def test_a_word_in_a_title_that_the_text_uses_in_lower_case_is_not_a_name() -> None:
    text = (
        "Trace-based Compilation for Dynamic Languages Using Trace Trees\n\n"
        "We record a trace of the loop. Each trace is compiled."
    )
    raw = [span(text, "Trace Trees", "ORG")]
    assert apply_consistency(text, raw) == []


def test_one_kind_per_name_in_a_document() -> None:
    text = (
        "Talks opened in Kazan. Uzbekistan sent a delegation. Officials from Uzbekistan met. "
        "Later, Uzbekistan signed."
    )
    raw = [
        span(text, "Kazan", "GPE"),
        span(text, "Uzbekistan", "ORG", 0),
        span(text, "Uzbekistan", "GPE", 1),
        span(text, "Uzbekistan", "ORG", 2),
    ]
    kinds = {m.kind for m in apply_consistency(text, raw) if m.text == "Uzbekistan"}
    # A country of the place list: a place everywhere, even against a 2-to-1 majority.
    assert kinds == {Kind.PLACE}


def test_a_name_the_model_tagged_elsewhere_is_marked_where_it_missed_it() -> None:
    text = (
        "TASS reported the meeting. The agency TASS said it was useful. Photo: Ivan Petrov / TASS."
    )
    raw = [span(text, "TASS", "ORG", 0), span(text, "TASS", "ORG", 1)]

    mentions = apply_consistency(text, raw)

    assert [(m.text, m.kind) for m in mentions] == [("TASS", Kind.ORGANIZATION)] * 3


def test_generic_words_are_not_names() -> None:
    text = "Sanctions from the West hurt. Moscow blamed the West."
    raw = [span(text, "West", "LOC", 0), span(text, "Moscow", "GPE"), span(text, "West", "LOC", 1)]
    assert [m.text for m in apply_consistency(text, raw)] == ["Moscow"]


def test_head_nouns_and_given_names_decide_kinds() -> None:
    text = "Brock Holt played. Holt batted at Carnegie Hall before the Bank of England closed."
    raw = [
        span(text, "Brock Holt", "ORG"),
        span(text, "Holt", "ORG", 1),
        span(text, "Carnegie Hall", "ORG"),
        span(text, "Bank of England", "GPE"),
    ]

    result = [(m.text, m.kind, m.canonical) for m in apply_consistency(text, raw)]

    assert result == [
        ("Brock Holt", Kind.PERSON, "Brock Holt"),
        ("Holt", Kind.PERSON, "Brock Holt"),
        ("Carnegie Hall", Kind.PLACE, "Carnegie Hall"),
        ("Bank of England", Kind.ORGANIZATION, "Bank of England"),
    ]


def test_a_defined_term_is_not_an_organization() -> None:
    text = "We measured sea surface salinity (SSS) daily. SSS rose in May."
    raw = [span(text, "SSS", "ORG", 0), span(text, "SSS", "ORG", 1)]
    assert apply_consistency(text, raw) == []


def test_a_term_defined_with_capitalised_ordinary_words_is_not_an_organization() -> None:
    text = (
        "A test runs the system. Each System Under Test (SUT) is copied. The SUT fails. "
        "The World Health Organisation (WHO) met; the world health of each organisation varies."
    )
    raw = [span(text, "SUT", "ORG", i) for i in range(2)]
    raw += [span(text, "World Health Organisation", "ORG"), span(text, "WHO", "ORG")]

    mentions = apply_consistency(text, raw)

    assert [m.text for m in mentions] == ["World Health Organisation", "WHO"]


def test_a_common_noun_for_people_is_not_a_name() -> None:
    text = "The Frenchman bowed. The Frenchman smiled. A Frenchman said so."
    raw = [span(text, "Frenchman", "ORG", i) for i in range(3)]
    assert {m.kind for m in apply_consistency(text, raw)} == {Kind.OTHER}


def test_a_person_named_like_an_ordinary_word_of_the_text_is_only_another_name() -> None:
    text = "We store keys in an array. Then Array grows on demand. Each array is sorted in Java."
    raw = [span(text, "Array", "PERSON"), span(text, "Java", "PERSON")]

    kinds = {m.text: m.kind for m in apply_consistency(text, raw)}

    # "array" is an ordinary word here and nothing says Array is someone; Java is left alone.
    assert kinds == {"Array": Kind.OTHER, "Java": Kind.PERSON}


def test_an_acronym_is_not_the_pronoun_or_word_it_spells() -> None:
    text = (
        "He left for the US in 1938. The World Health Organisation (WHO) advises salt. "
        "US troops stayed. Then we saw us."
    )
    raw = [
        span(text, "US", "GPE"),
        span(text, "The World Health Organisation (WHO", "ORG"),
        span(text, "US", "GPE", 1),
    ]

    mentions = apply_consistency(text, raw)

    assert seen(mentions) == [
        ("US", Kind.PLACE, "US"),
        ("World Health Organisation", Kind.ORGANIZATION, "World Health Organisation"),
        ("WHO", Kind.ORGANIZATION, "WHO"),
        ("US", Kind.PLACE, "US"),
    ]


def test_in_a_line_of_capitals_a_capitalised_function_word_is_still_not_a_name() -> None:
    text = "WHO SAID IT\nPierre said it."
    mentions = apply_consistency(text, [span(text, "WHO", "ORG"), span(text, "Pierre", "PERSON")])
    assert [m.text for m in mentions] == ["Pierre"]


def test_a_weekday_or_a_caption_label_after_a_plain_name_is_cut_off() -> None:
    # Plain capitalised words take a shortcut in cleanup: it must not skip these cuts.
    text = "Wikinews Saturday reported it. Ahmed Mohamed Image shows him."
    raw = [span(text, "Wikinews Saturday", "ORG"), span(text, "Ahmed Mohamed Image", "PERSON")]

    mentions = apply_consistency(text, raw)

    assert [m.text for m in mentions] == ["Wikinews", "Ahmed Mohamed"]
