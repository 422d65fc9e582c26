"""Kinds decided on evidence that holds across genres: what the text itself says.

Each test writes a short text of its own in the way a genre writes (a citation, a film
list, a guide's address) and gives the model's spans by hand, mistakes included; what a
reader sees is each mention's text and kind.
"""

from __future__ import annotations

from reader.entities.consistency import apply_consistency
from reader.entities.kinds import Kind
from reader.entities.spans import Mention, RawSpan


def span(text: str, phrase: str, label: str, occurrence: int = 0) -> RawSpan:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return (start, start + len(phrase), label)


def every(text: str, phrase: str, label: str) -> list[RawSpan]:
    return [span(text, phrase, label, i) for i in range(text.count(phrase))]


def kinds(mentions: list[Mention]) -> dict[str, set[Kind]]:
    found: dict[str, set[Kind]] = {}
    for mention in mentions:
        found.setdefault(mention.text, set()).add(mention.kind)
    return found


def test_a_year_in_brackets_after_a_place_dates_a_stay_and_does_not_cite_an_author() -> None:
    text = (
        "He lectured at the academy in Florence (1927). Martel (1964) described the metre; "
        "later work (Martel, 1970) refined it."
    )
    raw = [
        span(text, "Florence", "GPE"),
        span(text, "Martel", "ORG"),
        span(text, "Martel", "ORG", 1),
    ]

    found = kinds(apply_consistency(text, raw))

    assert found["Florence"] == {Kind.PLACE}
    assert found["Martel"] == {Kind.PERSON}


def test_a_plural_of_a_nationality_is_a_people_not_a_person() -> None:
    text = (
        "Thai food is spicy. Most Thais eat rice. Among Thais, elders come first. "
        "Thais bow. Sarah Davis met the Davises."
    )
    raw = [span(text, "Thai", "NORP"), *every(text, "Thais", "PERSON")]
    raw += [span(text, "Sarah Davis", "PERSON")]

    found = kinds(apply_consistency(text, raw))

    assert found["Thais"] == {Kind.OTHER}
    assert found["Sarah Davis"] == {Kind.PERSON}
