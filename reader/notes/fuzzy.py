"""Finding a passage whose words were edited: the last resort of anchoring.

``difflib`` is pure Python, so it must never see the whole text: candidate regions are
found first with ``str.find`` (C speed) on distinctive pieces of the quote and of its
stored context, and only those regions, a few hundred characters each, are aligned with
the quote. The alignment is word by word (white space ignored), which is both faster and
closer to what an editor does to a sentence than a character alignment.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

FUZZY_THRESHOLD = 0.75
"""Minimum similarity (difflib ratio, 0..1) between the stored quote and the new passage."""

FUZZY_ALONE = 0.9
"""Similarity at which a passage is trusted even where none of the stored context is."""

FUZZY_MIN_CHARS = 12
"""Shorter quotes are only found exactly: "Pierre" is not "Pierce"."""

PIECE_CHARS = 12
MAX_PIECE_HITS = 40  # a piece found more often than this says nothing about where we are
MAX_REGIONS = 8
EDGE_CHARS = 64  # how far from the aligned words the stored context may end or start
_LONG_QUOTE = 600  # above this, the final similarity is measured on words, not characters

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str, offset: int = 0) -> tuple[list[str], list[int], list[int]]:
    """Words and punctuation marks of ``text`` with their start and end offsets."""
    words, starts, ends = [], [], []
    for match in _TOKEN.finditer(text):
        words.append(match.group())
        starts.append(offset + match.start())
        ends.append(offset + match.end())
    return words, starts, ends


def find_capped(text: str, needle: str, lo: int, hi: int, cap: int) -> list[int] | None:
    """Start offsets of ``needle`` inside ``text[lo:hi]``, or None when there are over ``cap``."""
    found: list[int] = []
    position = text.find(needle, lo, hi)
    while position >= 0:
        found.append(position)
        if len(found) > cap:
            return None
        position = text.find(needle, position + 1, hi)
    return found


def candidate_starts(
    text: str, quote: str, prefix: str, suffix: str, lo: int, hi: int
) -> list[int]:
    """Where the quote may start, voted by pieces of the quote and of its context."""
    length = len(quote)
    pieces: list[tuple[str, int]] = []  # (piece, where the quote starts relative to it)
    tail = prefix[-PIECE_CHARS:]
    if len(tail.strip()) >= 4:
        pieces.append((tail, len(tail)))
    head = suffix[:PIECE_CHARS]
    if len(head.strip()) >= 4:
        pieces.append((head, -length))
    for at in sorted({0, max(0, length // 2 - PIECE_CHARS // 2), max(0, length - PIECE_CHARS)}):
        piece = quote[at : at + PIECE_CHARS]
        if len(piece.strip()) >= 4:
            pieces.append((piece, -at))
    starts: list[int] = []
    for piece, shift in pieces:
        found = find_capped(text, piece, lo, hi, MAX_PIECE_HITS)
        if found:
            starts.extend(position + shift for position in found)
    return starts


def regions(starts: list[int], length: int, hint: int | None) -> list[tuple[int, int]]:
    """Group nearby votes; the best-supported groups first, then those nearest ``hint``."""
    if not starts:
        return []
    starts.sort()
    groups: list[list[int]] = [[starts[0]]]
    for start in starts[1:]:
        if start - groups[-1][-1] <= length // 2 + 8:
            groups[-1].append(start)
        else:
            groups.append([start])
    slack = length // 2 + 16

    def order(group: list[int]) -> tuple[int, int]:
        centre = group[len(group) // 2]
        return (-len(group), abs(centre - hint) if hint is not None else 0)

    chosen = sorted(groups, key=order)[:MAX_REGIONS]
    return [(group[0] - slack, group[-1] + length + slack) for group in chosen]


def best_span(
    text: str, lo: int, hi: int, quote: str, prefix: str, suffix: str
) -> tuple[float, int, int] | None:
    """The passage of ``text[lo:hi]`` most like ``quote``: (similarity, start, end)."""
    lo, hi = max(0, lo), min(len(text), hi)
    if hi <= lo:
        return None
    quote_words = tokens(quote)[0]
    if not quote_words:
        return None
    words, starts, ends = tokens(text[lo:hi], lo)
    matcher = SequenceMatcher(None, words, quote_words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # The run of aligned blocks that covers most of the quote in the least text.
    best = (0.0, 0, 0)
    for i, first in enumerate(blocks):
        matched = 0
        for j in range(i, len(blocks)):
            matched += blocks[j].size
            span = blocks[j].a + blocks[j].size - first.a
            score = 2 * matched / (len(quote_words) + span)
            if score > best[0]:
                best = (score, i, j)
    _, i, j = best
    start = starts[blocks[i].a]
    end = ends[blocks[j].a + blocks[j].size - 1]
    # Words replaced at either end of the quote are not aligned; the stored context,
    # found just outside the aligned words, says where the passage really begins and ends.
    if blocks[i].b > 0 and prefix:
        tail = prefix[-PIECE_CHARS:]
        found = text.rfind(tail, max(0, start - EDGE_CHARS - len(tail)), start)
        if found >= 0:
            start = found + len(tail)
    if blocks[j].b + blocks[j].size < len(quote_words) and suffix:
        head = suffix[:PIECE_CHARS]
        found = text.find(head, end, end + EDGE_CHARS + len(head))
        if found >= 0:
            end = found
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    return similarity(quote, text[start:end]), start, end


def similarity(quote: str, candidate: str) -> float:
    """difflib's ratio, by characters for ordinary quotes and by words for very long ones."""
    if len(quote) <= _LONG_QUOTE and len(candidate) <= 2 * _LONG_QUOTE:
        return SequenceMatcher(None, quote, candidate, autojunk=False).ratio()
    return SequenceMatcher(None, tokens(quote)[0], tokens(candidate)[0], autojunk=False).ratio()


def fuzzy_candidates(
    text: str,
    quote: str,
    prefix: str,
    suffix: str,
    lo: int,
    hi: int,
    hint: int | None,
    *,
    scan: bool,
) -> list[tuple[float, int, int]]:
    """Passages of ``text[lo:hi]`` similar enough to ``quote``: (similarity, start, end),
    most similar first (ties: nearest ``hint``). The caller decides which to trust.

    ``scan=True`` aligns the whole range at once (it must be small: a window around the
    expected position); otherwise regions are located first with ``candidate_starts``.
    """
    if len(quote.strip()) < FUZZY_MIN_CHARS:
        return []
    lo, hi = max(0, lo), min(len(text), hi)
    if scan:
        areas = [(lo, hi)]
    else:
        starts = candidate_starts(text, quote, prefix, suffix, lo, hi)
        areas = regions(starts, len(quote), hint)
    found = []
    for area_lo, area_hi in areas:
        best = best_span(text, max(lo, area_lo), min(hi, area_hi), quote, prefix, suffix)
        if best is not None and best[0] >= FUZZY_THRESHOLD:
            found.append(best)
    found.sort(key=lambda f: (-f[0], -_near(f[1], hint)))
    return found


def _near(position: int, hint: int | None) -> int:
    return -abs(position - hint) if hint is not None else 0
