"""Cutting a canonical text into pieces the model can take, and ordering the work.

Paragraphs are the unit: the canonical text separates blocks with a blank line, so
splitting on it gives exactly the paragraphs the reader shows. A paragraph longer than
``max_piece`` (spaCy refuses texts over ``nlp.max_length``) is cut at a sentence end or a
space near the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reader.documents.model import BLOCK_SEPARATOR

Range = tuple[int, int]

DEFAULT_MAX_PIECE = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?\s")


def paragraph_ranges(text: str, max_piece: int = DEFAULT_MAX_PIECE) -> list[Range]:
    return list(iter_paragraph_ranges(text, max_piece))


def iter_paragraph_ranges(text: str, max_piece: int = DEFAULT_MAX_PIECE) -> Iterator[Range]:
    """``paragraph_ranges`` one at a time: a million short paragraphs need no list."""
    start = 0
    while start < len(text):
        end = text.find(BLOCK_SEPARATOR, start)
        if end == -1:
            end = len(text)
        if not text[start:end].isspace() and end > start:
            yield from _split_long(text, start, end, max_piece)
        start = end + len(BLOCK_SEPARATOR)


def _split_long(text: str, start: int, end: int, max_piece: int) -> list[Range]:
    pieces: list[Range] = []
    while end - start > max_piece:
        window = text[start + max_piece // 2 : start + max_piece]
        cut = -1
        for match in _SENTENCE_END.finditer(window):
            cut = match.end()
        if cut == -1:
            cut = window.rfind(" ") + 1
        cut = start + max_piece // 2 + cut if cut > 0 else start + max_piece
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def group_ranges(ranges: list[Range], target_chars: int) -> list[list[Range]]:
    """Consecutive paragraphs grouped into chunks of about ``target_chars`` characters."""
    chunks: list[list[Range]] = []
    current: list[Range] = []
    size = 0
    for rng in ranges:
        current.append(rng)
        size += rng[1] - rng[0]
        if size >= target_chars:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def order_from(chunks: list[list[Range]], offset: int) -> list[list[Range]]:
    """The chunk holding ``offset`` first, then the ones after it, then the ones before.

    That is the order a reader needs: what is on screen, what they will scroll to next,
    and last what they have already scrolled past.
    """
    first = 0
    for index, chunk in enumerate(chunks):
        if chunk[-1][1] >= offset:
            first = index
            break
    else:
        first = max(len(chunks) - 1, 0)
    return chunks[first:] + chunks[:first]
