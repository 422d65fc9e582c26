"""The cluster's parts without a cluster: workers' functions called in-process, a ruler model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cluster import worker
from reader.entities.engine import EntityEngine
from tests.rulers import ruler_pipeline

RULER = "ruler-model"  # the name the tests' engine is known by in the worker's cache


@pytest.fixture(scope="session")
def ruler_nlp():
    patterns = [("PERSON", "Sergei Lavrov"), ("GPE", "Geneva"), ("ORG", "United Nations")]
    return ruler_pipeline(patterns, name="ruler")


@pytest.fixture
def ruler_worker(ruler_nlp) -> Iterator[EntityEngine]:
    """This process plays a worker that has loaded the ruler pipeline as ``RULER``."""
    engine = EntityEngine(nlp=ruler_nlp)
    worker._engines[RULER] = engine
    yield engine
    worker._engines.pop(RULER, None)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "geneva.md").write_text("# Talks in Geneva\n\nSergei Lavrov arrived in Geneva.\n")
    (root / "un.txt").write_text("The United Nations met.\n\nLavrov was not there.\n")
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 8)
    return root
