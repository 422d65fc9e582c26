"""Converting canonical-text offsets to the positions of a rendered text, and back.

The reading view shows each block of the canonical text as one paragraph, after a header
of ``base`` positions. Canonical offsets are Python string indices; the rendered text's
positions count UTF-16 code units (Qt's), and blocks are separated by one position instead
of the canonical blank line. This is the one place that knows both, so it is pure Python
and unit-tested: an emoji before a name shifts every later Qt position by one.
"""

from __future__ import annotations

from bisect import bisect_right

from reader.documents.model import Document


def utf16_length(text: str) -> int:
    """Code units in UTF-16: characters outside the Basic Multilingual Plane count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class PositionMap:
    def __init__(self, document: Document, base: int = 0) -> None:
        self._text = document.text
        self._starts = [block.start for block in document.blocks]
        self._ends = [block.end for block in document.blocks]
        self._wide = [
            not document.text[b.start : b.end].isascii()
            and _has_astral(document.text[b.start : b.end])
            for b in document.blocks
        ]
        self._qt_starts: list[int] = []
        position = base
        for block, wide in zip(document.blocks, self._wide, strict=True):
            self._qt_starts.append(position)
            block_text = document.text[block.start : block.end]
            position += (utf16_length(block_text) if wide else len(block_text)) + 1
        self.base = base
        self.qt_end = position - 1 if self._qt_starts else base

    def block_index(self, offset: int) -> int:
        """The block containing (or, in a gap, preceding) canonical ``offset``."""
        return max(bisect_right(self._starts, offset) - 1, 0)

    def to_qt(self, offset: int) -> int:
        if not self._starts:
            return self.base
        i = self.block_index(offset)
        offset = min(max(offset, self._starts[i]), self._ends[i])
        if not self._wide[i]:
            return self._qt_starts[i] + offset - self._starts[i]
        return self._qt_starts[i] + utf16_length(self._text[self._starts[i] : offset])

    def from_qt(self, position: int) -> int:
        """The canonical offset at a Qt position (header positions map to 0)."""
        if not self._starts or position < self.base:
            return 0
        i = max(bisect_right(self._qt_starts, position) - 1, 0)
        within = position - self._qt_starts[i]
        length = self._ends[i] - self._starts[i]
        if not self._wide[i]:
            return self._starts[i] + min(within, length)
        units = 0
        for index, ch in enumerate(self._text[self._starts[i] : self._ends[i]]):
            if units >= within:
                return self._starts[i] + index
            units += 2 if ord(ch) > 0xFFFF else 1
        return self._ends[i]


def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)
