"""A blank English pipeline whose entity ruler knows a few names: what unit and GUI tests use
instead of a model (fast, predictable, and the same code path as the real one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def ruler_pipeline(patterns: Iterable[tuple[str, str]], name: str = "") -> Any:
    """A ``spacy.blank("en")`` pipeline tagging each ``(label, text)``; ``name`` sets its meta
    name ("ruler" and version 1.0.0) where a test needs a model's identity."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in patterns])
    if name:
        nlp.meta["name"], nlp.meta["version"] = name, "1.0.0"
    return nlp
