"""Shared helpers for the document tests: real files in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.documents.model import Document

WriteFile = Callable[[str, bytes], Path]


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write ``data`` to ``tmp_path / name`` and return the path."""

    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def check_invariants(doc: Document) -> None:
    """What every loader promises: ordered, disjoint, one-line blocks inside the text."""
    previous_end = 0
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(doc.text)
        assert block.start >= previous_end
        previous_end = block.end
        assert "\n" not in doc.block_text(block)
        assert doc.block_text(block) == doc.block_text(block).strip()
        for style in block.styles:
            assert block.start <= style.start < style.end <= block.end
    assert "\n\n".join(doc.block_text(b) for b in doc.blocks) == doc.text


def texts(doc: Document) -> list[str]:
    """The text of each block, in order: what a reader sees paragraph by paragraph."""
    return [doc.block_text(b) for b in doc.blocks]


def blocks(doc: Document) -> list[tuple[str, int, str]]:
    """Each block's kind, level and text, in order."""
    return [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks]
