from __future__ import annotations

import pytest

from reader.entities.spans import RawSpan
from tests.rulers import ruler_pipeline


def span(text: str, phrase: str, label: str, occurrence: int = 0) -> RawSpan:
    """The ``occurrence``-th (0-based) appearance of ``phrase`` in ``text``, as the model says."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return (start, start + len(phrase), label)


def every(text: str, phrase: str, label: str) -> list[RawSpan]:
    """Every appearance of ``phrase`` in ``text``, all with the model's ``label``."""
    return [span(text, phrase, label, i) for i in range(text.count(phrase))]


@pytest.fixture(scope="session")
def ruler_nlp():
    """A blank English pipeline whose entity ruler knows a few names: fast and predictable."""
    patterns = [
        ("PERSON", "Sergei Lavrov"),
        ("ORG", "Lavrov"),  # the small model's usual mistake
        ("GPE", "Geneva"),
        ("ORG", "United Nations"),
        ("DATE", "Monday"),
        ("NORP", "Swiss"),
    ]
    return ruler_pipeline(patterns)
