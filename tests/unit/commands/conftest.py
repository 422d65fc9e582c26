"""In-process command tests: a blank spaCy pipeline with an entity ruler instead of a model."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ruler_nlp():
    """Knows three names, loads in milliseconds, and never changes its mind."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Sergei Lavrov"},
            {"label": "GPE", "pattern": "Genève"},
            {"label": "ORG", "pattern": "United Nations"},
        ]
    )
    return nlp


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
