from __future__ import annotations

import pytest

from reader.entities.engine import EntityEngine, load_ner_pipeline
from reader.entities.kinds import Kind
from reader.errors import ModelError

TEXT = (
    "Sergei Lavrov arrived in Geneva on Monday.\n\n"
    "Lavrov met the Swiss delegation at the United Nations."
)


def test_engine_finds_names_with_offsets_into_the_whole_text(ruler_nlp) -> None:
    engine = EntityEngine(nlp=ruler_nlp)
    mentions = engine.analyse_text(TEXT)
    found = [(TEXT[m.start : m.end], m.kind, m.canonical) for m in mentions]
    assert ("Sergei Lavrov", Kind.PERSON, "Sergei Lavrov") in found
    assert ("Geneva", Kind.PLACE, "Geneva") in found
    # Consistency: the lone surname is the person, although the ruler said ORG.
    assert ("Lavrov", Kind.PERSON, "Sergei Lavrov") in found
    assert ("United Nations", Kind.ORGANIZATION, "United Nations") in found
    assert ("Swiss", Kind.OTHER, "Swiss") in found
    assert all(m.label != "DATE" for m in mentions)


def test_texts_longer_than_max_length_are_analysed_in_pieces(ruler_nlp) -> None:
    ruler_nlp.max_length = 2_000
    try:
        paragraph = "Sergei Lavrov spoke in Geneva. " * 200  # one 6,200-character paragraph
        text = paragraph + "\n\n" + paragraph
        mentions = EntityEngine(nlp=ruler_nlp).analyse_text(text)
    finally:
        ruler_nlp.max_length = 1_000_000
    geneva = [m for m in mentions if m.canonical == "Geneva"]
    assert len(geneva) == 400
    assert all(text[m.start : m.end] == "Geneva" for m in geneva)


def test_a_missing_model_names_the_model_and_how_to_install_one() -> None:
    with pytest.raises(ModelError) as caught:
        load_ner_pipeline("en_core_web_nonexistent")
    message = str(caught.value)
    assert "en_core_web_nonexistent" in message
    assert "pip install" in message
