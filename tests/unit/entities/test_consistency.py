"""Document-level consistency, with spans built by hand: no model, no Qt."""

from __future__ import annotations

import itertools
import random

from reader.entities.consistency import ConsistencyState, apply_consistency, canonical_form
from reader.entities.kinds import Kind
from reader.entities.spans import Mention, RawSpan, group_entities
from tests.unit.entities.conftest import span


def by_text(mentions: list[Mention]) -> list[tuple[str, Kind, str, str]]:
    return [(m.text, m.kind, m.label, m.canonical) for m in mentions]


def test_surname_after_full_name_is_that_person() -> None:
    text = "Sergei Lavrov met reporters. Lavrov said no. Later Lavrov's aides left."
    raw = [
        span(text, "Sergei Lavrov", "PERSON"),
        span(text, "Lavrov", "ORG", 1),
        span(text, "Lavrov's", "GPE"),
    ]
    mentions = apply_consistency(text, raw)

    assert by_text(mentions) == [
        ("Sergei Lavrov", Kind.PERSON, "PERSON", "Sergei Lavrov"),
        ("Lavrov", Kind.PERSON, "PERSON", "Sergei Lavrov"),
        ("Lavrov", Kind.PERSON, "PERSON", "Sergei Lavrov"),
    ]
    # The possessive is cut off the highlight, not only off the name.
    assert text[mentions[2].end :].startswith("'s aides")
    [entity] = group_entities(mentions)
    assert (entity.kind, entity.canonical, entity.count) == (Kind.PERSON, "Sergei Lavrov", 3)
    assert entity.other_forms == ["Lavrov"]


def test_lone_surname_before_the_full_name_joins_the_only_person_of_that_name() -> None:
    text = "Lavrov warns the West. Foreign Minister Sergei Lavrov spoke."
    raw = [span(text, "Lavrov", "ORG"), span(text, "Sergei Lavrov", "PERSON")]

    first, second = apply_consistency(text, raw)

    # One kind per name: the full name says "Lavrov" is a person's surname, so the headline's
    # ORG becomes a person too, and the text has one Lavrov: the headline is about him.
    assert (first.kind, first.canonical) == (Kind.PERSON, "Sergei Lavrov")
    assert second.canonical == "Sergei Lavrov"


def test_nearest_preceding_full_name_wins() -> None:
    text = "Bill Clinton spoke. Clinton left. Hillary Clinton arrived. Clinton smiled."
    raw = [
        span(text, "Bill Clinton", "PERSON"),
        span(text, "Clinton", "ORG", 1),
        span(text, "Hillary Clinton", "PERSON"),
        span(text, "Clinton", "GPE", 3),
    ]

    canonicals = [m.canonical for m in apply_consistency(text, raw)]

    assert canonicals == ["Bill Clinton", "Bill Clinton", "Hillary Clinton", "Hillary Clinton"]


def test_lone_first_name_is_not_linked() -> None:
    text = "John Smith wrote. John replied."
    raw = [span(text, "John Smith", "PERSON"), span(text, "John", "PERSON", 1)]

    assert [m.canonical for m in apply_consistency(text, raw)] == ["John Smith", "John"]


def test_suffix_is_not_a_surname() -> None:
    text = "Martin Luther King Jr. marched. King spoke."
    raw = [span(text, "Martin Luther King Jr.", "PERSON"), span(text, "King", "ORG", 1)]

    last = apply_consistency(text, raw)[-1]

    assert (last.kind, last.canonical) == (Kind.PERSON, "Martin Luther King Jr.")


def test_clear_majority_sets_the_kind_of_a_form() -> None:
    text = "Paris. Paris. Paris. Paris."
    raw = [
        span(text, "Paris", "GPE", 0),
        span(text, "Paris", "GPE", 1),
        span(text, "Paris", "LOC", 2),
        span(text, "Paris", "ORG", 3),
    ]

    result = [(m.kind, m.label) for m in apply_consistency(text, raw)]

    # Three of four say "place": the ORG takes the place kind and its most common label;
    # the LOC already has the right kind and keeps its label.
    assert result == [
        (Kind.PLACE, "GPE"),
        (Kind.PLACE, "GPE"),
        (Kind.PLACE, "LOC"),
        (Kind.PLACE, "GPE"),
    ]
    [entity] = group_entities(apply_consistency(text, raw))
    assert (entity.kind, entity.count) == (Kind.PLACE, 4)


def test_a_tie_is_decided_one_way_for_every_mention() -> None:
    text = "Jordan scored. Jordan protested."
    raw = [span(text, "Jordan", "PERSON", 0), span(text, "Jordan", "GPE", 1)]

    # One name, one kind: never left split as the model said.
    assert len({m.kind for m in apply_consistency(text, raw)}) == 1


def test_context_outweighs_the_models_majority() -> None:
    text = (
        'Sonya came in. Sonya sat down. Sonya looked up. "Sonya, wait!" said Natasha. '
        "Sonya smiled. Then Sonya left."
    )
    raw = [span(text, "Sonya", "GPE", i) for i in range(6)]
    raw.append(span(text, "Natasha", "PERSON"))

    mentions = apply_consistency(text, raw)

    # Six GPE labels, but one is spoken to and one smiles: Sonya is a person everywhere.
    assert {m.kind for m in mentions if m.text == "Sonya"} == {Kind.PERSON}


def test_full_person_names_are_evidence_for_their_surname() -> None:
    text = "Lavrov warns. Sergei Lavrov spoke. Then Sergei Lavrov left."
    raw = [
        span(text, "Lavrov", "ORG"),
        span(text, "Sergei Lavrov", "PERSON", 0),
        span(text, "Sergei Lavrov", "PERSON", 1),
    ]

    first = apply_consistency(text, raw)[0]

    # Two full names outvote one ORG; the lone word before them is that one person.
    assert (first.kind, first.label, first.canonical) == (Kind.PERSON, "PERSON", "Sergei Lavrov")


def test_a_lone_surname_before_two_people_of_that_name_stays_apart() -> None:
    text = "Clinton wins. Bill Clinton spoke. Hillary Clinton spoke."
    raw = [
        span(text, "Clinton", "PERSON"),
        span(text, "Bill Clinton", "PERSON"),
        span(text, "Hillary Clinton", "PERSON"),
    ]

    first = apply_consistency(text, raw)[0]

    assert (first.kind, first.canonical) == (Kind.PERSON, "Clinton")


def test_organization_containing_a_place_is_no_evidence() -> None:
    text = "Georgia Tech won. Georgia Tech cheered. Georgia Tech partied. Georgia was quiet."
    raw = [span(text, "Georgia Tech", "ORG", i) for i in range(3)]
    raw.append(span(text, "Georgia", "GPE", 3))

    mentions = apply_consistency(text, raw)

    assert (mentions[-1].kind, mentions[-1].canonical) == (Kind.PLACE, "Georgia")


def test_ignored_labels_and_empty_spans_are_dropped() -> None:
    text = "On 3 March 2024 Ada Lovelace spoke to   1,000 people."
    raw = [
        span(text, "3 March 2024", "DATE"),
        span(text, "Ada Lovelace", "PERSON"),
        span(text, "1,000", "CARDINAL"),
        span(text, "   ", "ORG"),
        (5, 5, "GPE"),
    ]

    assert by_text(apply_consistency(text, raw)) == [
        ("Ada Lovelace", Kind.PERSON, "PERSON", "Ada Lovelace")
    ]


def test_overlapping_spans_keep_the_longer() -> None:
    text = "The Bank of England raised rates in New York City today."
    raw = [
        span(text, "England", "GPE"),
        span(text, "Bank of England", "ORG"),
        span(text, "New York", "GPE"),
        span(text, "New York City", "GPE"),
        span(text, "New York City", "GPE"),  # the same span twice counts once
        span(text, "York City today", "DATE"),  # ignored labels never hide a name
    ]

    assert [m.text for m in apply_consistency(text, raw)] == ["Bank of England", "New York City"]


def test_the_and_possessive_are_trimmed_from_the_span_and_the_name() -> None:
    text = "the United Nations met. The Kremlin’s reply reached United  Nations staff."
    raw = [
        span(text, "the United Nations", "ORG"),
        span(text, "The Kremlin’s", "ORG"),
        span(text, "United  Nations", "ORG"),
    ]

    mentions = apply_consistency(text, raw)

    # "the" and the possessive are left out of the highlight itself, not only the name.
    assert [(m.text, m.canonical) for m in mentions] == [
        ("United Nations", "United Nations"),
        ("Kremlin", "Kremlin"),
        ("United  Nations", "United Nations"),
    ]
    [un, _kremlin] = group_entities(mentions)
    assert un.count == 2
    assert un.other_forms == ["United  Nations"]


def test_canonical_form_strips_edge_punctuation_but_keeps_abbreviations() -> None:
    assert canonical_form("“Lavrov’s”,") == "Lavrov"
    assert canonical_form("(the U.S.)") == "U.S."
    assert canonical_form("  Acme   Inc. ") == "Acme Inc."


def _document() -> tuple[str, list[list[RawSpan]]]:
    """Four paragraphs and their spans, chunked by paragraph as the analysis worker sends them."""
    paragraphs = [
        "Lavrov warns. Sergei Lavrov spoke in Paris.",
        "Lavrov left Paris. Bill Clinton arrived. Clinton waved.",
        "Hillary Clinton spoke. Clinton and Lavrov met in Paris.",
        "Sergei Lavrov and Clinton left the United Nations.",
    ]
    labels = [
        [("Lavrov", "ORG"), ("Sergei Lavrov", "PERSON"), ("Paris", "ORG")],
        [("Lavrov", "GPE"), ("Paris", "GPE"), ("Bill Clinton", "PERSON"), ("Clinton", "ORG")],
        [("Hillary Clinton", "PERSON"), ("Clinton", "GPE"), ("Lavrov", "ORG"), ("Paris", "GPE")],
        [("Sergei Lavrov", "PERSON"), ("Clinton", "ORG"), ("the United Nations", "ORG")],
    ]
    text = "\n\n".join(paragraphs)
    chunks: list[list[RawSpan]] = []
    offset = 0
    for paragraph, paragraph_labels in zip(paragraphs, labels, strict=True):
        chunk: list[RawSpan] = []
        position = 0
        for phrase, label in paragraph_labels:
            start = paragraph.index(phrase, position)
            position = start + len(phrase)
            chunk.append((offset + start, offset + position, label))
        chunks.append(chunk)
        offset += len(paragraph) + 2
    return text, chunks


def test_state_finish_equals_apply_consistency_in_any_chunk_order() -> None:
    text, chunks = _document()
    expected = apply_consistency(text, [s for chunk in chunks for s in chunk])

    for order in itertools.permutations(chunks):
        state = ConsistencyState()
        for chunk in order:
            added = state.add(text, chunk)
            # One mention per span of the chunk, inside it ("the" trimmed off).
            assert len(added) == len(chunk)
            for mention, (start, end, _label) in zip(added, sorted(chunk), strict=True):
                assert start <= mention.start < mention.end <= end
        assert state.finish(text) == expected


def test_state_links_surnames_with_full_names_seen_so_far() -> None:
    text, chunks = _document()
    state = ConsistencyState()

    # The visible part comes first: paragraph 3 knows only its own Hillary Clinton.
    third = state.add(text, chunks[2])
    assert [m.canonical for m in third][:2] == ["Hillary Clinton", "Hillary Clinton"]
    assert third[2].canonical == "Lavrov"  # Sergei Lavrov has not been seen yet

    # Paragraph 4's lone Clinton follows Hillary Clinton, seen in an earlier call.
    fourth = state.add(text, chunks[3])
    assert fourth[1].canonical == "Hillary Clinton"

    state.add(text, chunks[0])
    state.add(text, chunks[1])
    final = state.finish(text)
    assert [m.canonical for m in final if m.text == "Lavrov"][1:] == ["Sergei Lavrov"] * 2
    # The headline "Lavrov" before any full name: its own ORG vote loses to the full names,
    # and it joins the only Lavrov of the text.
    assert (final[0].kind, final[0].canonical) == (Kind.PERSON, "Sergei Lavrov")
    paris = {(m.kind, m.label) for m in final if m.text == "Paris"}
    assert paris == {(Kind.PLACE, "GPE")}


def test_apply_consistency_with_known_state_adds_to_it() -> None:
    text, chunks = _document()
    state = ConsistencyState()
    state.add(text, chunks[0])

    second = apply_consistency(text, chunks[1], known=state)

    assert second[0].canonical == "Sergei Lavrov"
    assert state.finish(text) == apply_consistency(text, chunks[0] + chunks[1])


def test_sixty_thousand_spans() -> None:
    people = [(f"Given{i}", f"Sur{i}") for i in range(300)]
    places = [f"Town{i}" for i in range(100)]
    rng = random.Random(7)
    parts: list[str] = []
    raw: list[RawSpan] = []
    position = 0

    def put(phrase: str, label: str | None) -> None:
        nonlocal position
        if label is not None:
            raw.append((position, position + len(phrase), label))
        parts.append(phrase)
        position += len(phrase)

    # Every person is introduced in full first; then sentences mention surnames (tagged ORG,
    # as the small model often does) and towns (mostly GPE, sometimes ORG).
    for given, surname in people:
        put(f"{given} {surname}", "PERSON")
        put(" arrived.\n", None)
    while len(raw) < 60_000:
        _given, surname = rng.choice(people)
        put(surname, "ORG")
        put(" went to ", None)
        put(rng.choice(places), "ORG" if rng.random() < 0.2 else "GPE")
        put(".\n", None)
    text = "".join(parts)

    mentions = apply_consistency(text, raw)

    assert len(mentions) == len(raw)
    surnames = {surname: f"{given} {surname}" for given, surname in people}
    for mention in mentions:
        if mention.text in surnames:
            assert (mention.kind, mention.canonical) == (Kind.PERSON, surnames[mention.text])
        elif mention.text.startswith("Town"):
            assert (mention.kind, mention.label) == (Kind.PLACE, "GPE")

    # Chunked in a shuffled order, the state ends with the same answer.
    chunks = [raw[i : i + 500] for i in range(0, len(raw), 500)]
    rng.shuffle(chunks)
    state = ConsistencyState()
    for chunk in chunks:
        state.add(text, chunk)
    assert state.finish(text) == mentions


def test_a_surname_the_model_missed_after_the_full_name_is_found() -> None:
    text = (
        "Claudia Brunner chaired the talks in Uzbekistan. Brunner told reporters. "
        "Mrs Brunner smiled."
    )
    start = text.index("Claudia Brunner")
    mentions = apply_consistency(text, [(start, start + len("Claudia Brunner"), "PERSON")])
    found = [(text[m.start : m.end], m.kind, m.canonical) for m in mentions]
    assert found == [
        ("Claudia Brunner", Kind.PERSON, "Claudia Brunner"),
        ("Brunner", Kind.PERSON, "Claudia Brunner"),
        ("Brunner", Kind.PERSON, "Claudia Brunner"),
    ]


def test_missed_surnames_are_not_invented_where_they_would_mislead() -> None:
    text = (
        "Brunner opened. Claudia Brunner chaired. Hans Brunner left. Brunner Group paid. "
        "George Bush spoke near a bush. Bush left. Theresa May came in May."
    )
    raw = [
        (text.index(name), text.index(name) + len(name), "PERSON")
        for name in ("Claudia Brunner", "Hans Brunner", "George Bush", "Theresa May")
    ]
    mentions = apply_consistency(text, raw)
    added = {(m.start, m.text) for m in mentions} - {(s, text[s:e]) for s, e, _ in raw}
    # Before the full name, part of another name ("Brunner Group"), a word also used in lower
    # case ("bush") and a month ("May") are all left alone.
    assert added == set()
