"""In-process command tests: a blank spaCy pipeline with an entity ruler instead of a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rulers import ruler_pipeline


@pytest.fixture(scope="session")
def ruler_nlp():
    """Knows three names, loads in milliseconds, and never changes its mind."""
    patterns = [("PERSON", "Sergei Lavrov"), ("GPE", "Genève"), ("ORG", "United Nations")]
    return ruler_pipeline(patterns)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two stories, a nested one, a broken one, and files a folder import skips."""
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.md").write_text("# Talks in Genève\n\nSergei Lavrov spoke in Genève.\n")
    (root / "b.txt").write_text("The United Nations met.\n\nSergei Lavrov was not there.\n")
    (root / "sub" / "c.md").write_text("# Harvest\n\nFarmers waited for rain.\n")
    (root / "broken.md").write_bytes(b"")
    (root / ".git" / "HEAD.md").write_text("ref: refs/heads/main\n")
    (root / ".hidden.txt").write_text("hidden\n")
    (root / "~$draft.md").write_text("lock\n")
    (root / "data.csv").write_text("a,b\n")
    return root
