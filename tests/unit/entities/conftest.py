from __future__ import annotations

import pytest

from tests.rulers import ruler_pipeline


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
