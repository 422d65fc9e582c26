"""Shared helpers for the store tests: a real SQLite file in a temporary folder."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.documents.loader import load_document
from reader.documents.model import BlockDraft, Document, Metadata, assemble
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.store import Store, open_store

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "summit-in-geneva.md"

_WORDS = (
    "river water treaty delegation minister basin canal harvest reservoir summer winter "
    "monitoring station agreement draft capital loan engineer farmer valley mountain snow "
    "talks deadline promise border government spokesman researcher salt field flow"
).split()


def make_document(
    *paragraphs: str, title: str = "", path: str = "", author: str = "", **metadata: str
) -> Document:
    """A document assembled the way loaders do, from a title and paragraphs."""
    drafts = [BlockDraft("title", title)] if title else []
    drafts += [BlockDraft("paragraph", p) for p in paragraphs]
    return assemble(drafts, Metadata(title=title, path=path, author=author, **metadata))


def generated_document(seed: int, words: int = 600, prefix: str = "doc") -> Document:
    """A distinct article of ``words`` words, reproducible from ``seed``."""
    rng = random.Random(seed)
    paragraphs = []
    remaining = words
    while remaining > 0:
        n = min(remaining, rng.randint(40, 90))
        paragraphs.append(" ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + ".")
        remaining -= n
    return make_document(
        *paragraphs, title=f"{prefix} {seed}", path=f"/articles/{prefix}-{seed}.txt"
    )


def mention(
    text: str, name: str, kind: Kind = Kind.PERSON, canonical: str = "", nth: int = 0
) -> Mention:
    """A mention of the ``nth`` occurrence of ``name`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    label = {Kind.PERSON: "PERSON", Kind.PLACE: "GPE", Kind.ORGANIZATION: "ORG"}.get(kind, "NORP")
    return Mention(start, start + len(name), kind, label, name, canonical or name)


@pytest.fixture
def sample() -> Document:
    return load_document(SAMPLE)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


OpenStore = Callable[..., Store]


@pytest.fixture
def open_closing() -> Iterator[OpenStore]:
    """``open_store`` whose stores are all closed at the end of the test."""
    opened: list[Store] = []

    def opener(*args: object, **kwargs: object) -> Store:
        store = open_store(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()
