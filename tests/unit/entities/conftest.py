from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ruler_nlp():
    """A blank English pipeline whose entity ruler knows a few names: fast and predictable."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Sergei Lavrov"},
            {"label": "ORG", "pattern": "Lavrov"},  # the small model's usual mistake
            {"label": "GPE", "pattern": "Geneva"},
            {"label": "ORG", "pattern": "United Nations"},
            {"label": "DATE", "pattern": "Monday"},
            {"label": "NORP", "pattern": "Swiss"},
        ]
    )
    return nlp
