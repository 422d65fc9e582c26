"""Service tests: a real library in a temporary folder and a ruler instead of a model."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from reader.entities.engine import EntityEngine
from tests.rulers import ruler_pipeline


@pytest.fixture(scope="session")
def ruler_nlp():
    return ruler_pipeline([("PERSON", "Sergei Lavrov"), ("GPE", "Geneva")])


@dataclass
class CountingEngines:
    """Makes ruler engines and counts them: a model load is what the cache saves."""

    nlp: object
    made: int = 0

    def __call__(self, model: str) -> EntityEngine:
        self.made += 1
        return EntityEngine(nlp=self.nlp)


@pytest.fixture
def engines(ruler_nlp) -> CountingEngines:
    return CountingEngines(ruler_nlp)
