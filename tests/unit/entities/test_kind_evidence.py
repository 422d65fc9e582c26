"""Kinds decided on evidence that holds across genres: what the text itself says.

Each test writes a short text of its own in the way a genre writes (a citation, a film
list, a guide's address) and gives the model's spans by hand, mistakes included; what a
reader sees is each mention's text and kind.
"""

from __future__ import annotations

from reader.entities.consistency import apply_consistency
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from tests.unit.entities.conftest import every, span


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


def test_titles_of_works_and_names_of_things_are_other_names() -> None:
    text = (
        "Jon Hale starred in the TV series Harbour Lights and in the film Cold Rain. "
        "Harbour Lights ran for years. Later he voiced a robot named Tinker. "
        "Vela is a NASA space probe. Vela reached the comet."
    )
    raw = [span(text, "Jon Hale", "PERSON"), *every(text, "Harbour Lights", "ORG")]
    raw += [span(text, "Cold Rain", "PERSON"), span(text, "Tinker", "PERSON")]
    raw += every(text, "Vela", "PERSON")

    found = kinds(apply_consistency(text, raw))

    assert found["Jon Hale"] == {Kind.PERSON}
    assert found["Harbour Lights"] == {Kind.OTHER}
    assert found["Cold Rain"] == {Kind.OTHER}
    assert found["Tinker"] == {Kind.OTHER}
    assert found["Vela"] == {Kind.OTHER}


def test_a_person_to_play_or_to_show_is_still_a_person() -> None:
    text = "She was cast to play Hamlet. Then she would show Martin Stone the stage."
    raw = [span(text, "Hamlet", "PERSON"), span(text, "Martin Stone", "PERSON")]

    found = kinds(apply_consistency(text, raw))

    assert found == {"Hamlet": {Kind.PERSON}, "Martin Stone": {Kind.PERSON}}


def test_two_authors_of_a_citation_are_two_people() -> None:
    text = (
        "The cycle is well studied (Okafor & Lindqvist 2014; Brandt and Moreno, 2011). "
        "His book Growth, Development and Decline (1922) sold well; development was slow."
    )
    raw = [
        span(text, "Okafor & Lindqvist", "ORG"),
        span(text, "Brandt and Moreno", "PERSON"),
        span(text, "Development and Decline", "ORG"),
    ]

    mentions = apply_consistency(text, raw)

    # The title's words are ordinary words of the text ("development"): not two authors.
    assert [m.text for m in mentions] == [
        "Okafor",
        "Lindqvist",
        "Brandt",
        "Moreno",
        "Development and Decline",
    ]
    assert {m.kind for m in mentions[:4]} == {Kind.PERSON}


def test_a_genus_before_a_latin_species_name_is_another_name() -> None:
    text = (
        "The team used Myrmica ruginodis from the forest. Myrmica ruginodis nests in wood. "
        "Some were infected with Beauveria bassiana. Andrew lui parla. Andrew smiled. "
        "Andrew left. Paris is big."
    )
    raw = [*every(text, "Myrmica", "PERSON"), span(text, "Beauveria", "GPE")]
    raw += [*every(text, "Andrew", "PERSON"), span(text, "Paris", "GPE")]

    found = kinds(apply_consistency(text, raw))

    assert found == {
        "Myrmica": {Kind.OTHER},
        "Beauveria": {Kind.OTHER},
        "Andrew": {Kind.PERSON},
        "Paris": {Kind.PLACE},
    }


def test_a_year_after_a_work_dates_the_work_and_does_not_cite_an_author() -> None:
    text = "He starred in the period drama Winter Orchard (2006) and in Winter Orchard II."
    raw = [span(text, "Winter Orchard", "PERSON")]

    found = kinds(apply_consistency(text, raw))

    assert found["Winter Orchard"] == {Kind.OTHER}


def test_numbered_versions_of_one_thing_are_other_names() -> None:
    text = (
        "Users of QB6 should move to QB9. QB6 has many flaws, and QB keeps losing users. "
        "The band U2 played Dublin."
    )
    raw = [*every(text, "QB6", "GPE"), span(text, "QB9", "ORG"), span(text, "U2", "ORG")]

    found = kinds(apply_consistency(text, raw))

    assert found == {"QB6": {Kind.OTHER}, "QB9": {Kind.OTHER}, "U2": {Kind.ORGANIZATION}}
