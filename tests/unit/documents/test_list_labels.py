"""Which list items carry their own number, so that nothing draws a second marker."""

from __future__ import annotations

import pytest

from reader.documents.list_labels import is_numbered, list_label
from reader.documents.model import Block


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("1. Ropes", "1."),
        ("12) Tents", "12)"),
        ("2.1 Stoves", "2.1"),
        ("2.1.3. Pegs", "2.1.3."),
        ("(3) Maps", "(3)"),
        ("a) small ones", "a)"),
        ("B. Second part", "B."),
        ("(c) third", "(c)"),
        ("iv. Fourth", "iv."),
        ("(xii) Twelfth", "(xii)"),
        ("IX.\tNinth", "IX."),
    ],
)
def test_numbers_letters_and_numerals_are_labels(text: str, label: str) -> None:
    assert list_label(text) == label


@pytest.mark.parametrize(
    "text",
    ["apples", "A cat on the mat", "2024 was a dry year", "e.g. pears", "1.", "Lavrov's plan", ""],
)
def test_words_and_bare_numbers_are_not(text: str) -> None:
    assert list_label(text) == ""


def test_only_list_items_are_numbered_items() -> None:
    text = "1. Ropes\n\n1. Not a list"
    assert is_numbered(text, Block("list_item", 0, 8))
    assert not is_numbered(text, Block("paragraph", 10, 23))
