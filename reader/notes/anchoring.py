"""Finding a noted passage again after the article's text changed.

A passage note keeps a text-quote selector (the exact quote with ``CONTEXT_CHARS`` of text
before and after) and its position, as the W3C Web Annotation model does: the position is
a hint, the quote is the truth. ``anchor`` places one selector, in this order:

1. the stored position still holds the quote with its context: keep it;
2. the quote occurs elsewhere (exactly, or with different white space): the occurrence
   whose surrounding text best matches the stored context, ties to the nearest;
3. the quote's words were edited: the most similar passage (``fuzzy``), if similar enough;
4. otherwise None: the note is an orphan, kept and shown for the user to re-attach.

A short quote ("Pierre") found with none of its context is not trusted (it would land on
some other Pierre); a quote of ``DISTINCTIVE_CHARS`` or more is trusted on its own.

``reanchor`` does the same for many notes after an edit, fast: offsets before the first
and after the last changed character are mapped without searching, and the others are
looked for first in a window around where their neighbours went, so a 3 MB book costs
a few ``str.find`` calls per note rather than a scan of the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reader.notes import fuzzy
from reader.notes.model import Note, NoteError, normalise_tags
from reader.notes.textdiff import common_prefix_length, common_suffix_length

CONTEXT_CHARS = 32
"""Characters of context kept before and after a quote."""

DISTINCTIVE_CHARS = 20
"""A quote at least this long is trusted without its context."""

MIN_CONTEXT_CHARS = 6
"""A shorter quote needs this much of its stored context around it (white space ignored)."""

WINDOW_CHARS = 512
MAX_WINDOW_CHARS = 8192
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Selector:
    """W3C TextQuoteSelector (``exact``, ``prefix``, ``suffix``) plus TextPositionSelector."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


class QuoteNotFoundError(NoteError):
    """The quote the user gave is not in the article."""


class AmbiguousQuoteError(NoteError):
    """The quote occurs more than once and the user did not say which occurrence."""

    def __init__(self, message: str, occurrences: list[tuple[int, int]]) -> None:
        super().__init__(message)
        self.occurrences = occurrences


def selector_for(text: str, start: int, end: int) -> Selector:
    """The selector of ``text[start:end]``; raises ValueError for an empty or bad span."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is not inside a text of {len(text)} characters")
    return Selector(
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
        start,
        end,
    )


def find_occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Start offsets of every occurrence of ``quote`` (overlapping ones too)."""
    if not quote:
        return []
    hi = len(text) if hi is None else hi
    found: list[int] = []
    position = text.find(quote, lo, hi)
    while position >= 0:
        found.append(position)
        position = text.find(quote, position + 1, hi)
    return found


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text)


_LOOSE_MARKS = {c: "['‘’]" for c in "'‘’"} | {c: '["“”]' for c in '"“”'}


def _quote_pattern(quote: str, *, lenient_quotes: bool = False) -> re.Pattern[str] | None:
    """The quote with any run of white space matching any other (and "'" matching "’")."""
    words = quote.split()
    if not words:
        return None
    if lenient_quotes:
        escaped = ["".join(_LOOSE_MARKS.get(c) or re.escape(c) for c in w) for w in words]
    else:
        escaped = [re.escape(word) for word in words]
    return re.compile(r"\s+".join(escaped))


class _Quote:
    """One selector, with what the searches need computed once."""

    __slots__ = ("_pattern", "distinctive", "full", "prefix", "selector", "suffix")

    def __init__(self, selector: Selector) -> None:
        self.selector = selector
        self.prefix = _squash(selector.prefix)
        self.suffix = _squash(selector.suffix)
        self.full = len(self.prefix) + len(self.suffix)
        self.distinctive = len(selector.exact.strip()) >= DISTINCTIVE_CHARS
        self._pattern: re.Pattern[str] | bool | None = False

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is False:
            self._pattern = _quote_pattern(self.selector.exact)
        return self._pattern  # type: ignore[return-value]

    def exact_context(self, text: str, start: int, end: int) -> bool:
        """The stored context surrounds ``start..end`` character for character."""
        prefix, suffix = self.selector.prefix, self.selector.suffix
        return (
            start >= len(prefix)
            and text.startswith(prefix, start - len(prefix))
            and text.startswith(suffix, end)
        )

    def context_score(self, text: str, start: int, end: int) -> int:
        """How many characters of the stored context surround ``start..end`` (white space
        runs count as one space, so re-wrapped text still matches)."""
        if self.exact_context(text, start, end):
            return self.full
        score = 0
        if self.prefix:
            have = _squash(text[max(0, start - 2 * len(self.prefix) - 2) : start])
            score += _common_suffix(self.prefix, have)
        if self.suffix:
            have = _squash(text[end : end + 2 * len(self.suffix) + 2])
            score += _common_prefix(self.suffix, have)
        return score

    def choose(
        self, text: str, spans: Sequence[tuple[int, int]], hint: int | None
    ) -> tuple[int, int] | None:
        """The span whose context matches best (ties: nearest ``hint``), if trustworthy."""
        best: tuple[tuple[int, int], tuple[int, int]] | None = None
        for start, end in spans:
            distance = -abs(start - hint) if hint is not None else 0
            key = (self.context_score(text, start, end), distance)
            if best is None or key > best[0]:
                best = (key, (start, end))
        if best is None:
            return None
        (score, _), span = best
        if span[0] == hint or self.distinctive or score >= min(MIN_CONTEXT_CHARS, self.full):
            return span
        return None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _place(
    text: str, quote: _Quote, hint: int | None, windows: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Steps 1 to 3 of the module docstring; windows are searched before the whole text."""
    exact = quote.selector.exact
    if not exact:
        return None
    if (
        hint is not None
        and hint >= 0
        and text.startswith(exact, hint)
        and quote.exact_context(text, hint, hint + len(exact))
    ):
        return hint, hint + len(exact)
    areas = [*windows, (0, len(text))]
    for lo, hi in areas:
        lo, hi = max(0, lo), min(len(text), hi)
        spans = [(p, p + len(exact)) for p in find_occurrences(text, exact, lo, hi)]
        found = quote.choose(text, spans, hint)
        if found is None and (pattern := quote.pattern()) is not None and len(exact.split()) > 1:
            spans = [m.span() for m in pattern.finditer(text, lo, hi)]
            found = quote.choose(text, spans, hint)
        if found is not None:
            return found
    sel = quote.selector
    scans = [(lo, hi, True) for lo, hi in windows] + [(0, len(text), False)]
    for lo, hi, scan in scans:
        for similarity, start, end in fuzzy.fuzzy_candidates(
            text, exact, sel.prefix, sel.suffix, lo, hi, hint, scan=scan
        ):
            if similarity >= fuzzy.FUZZY_ALONE or quote.context_score(text, start, end) >= min(
                MIN_CONTEXT_CHARS, quote.full
            ):
                return start, end
    return None


def _window(estimate: int, length: int, distance: int) -> tuple[int, int]:
    """Where to look first: the further the nearest known point, the wider."""
    width = min(WINDOW_CHARS + abs(distance) // 8, MAX_WINDOW_CHARS)
    return estimate - width, estimate + length + width


def anchor(text: str, selector: Selector) -> tuple[int, int] | None:
    """Where ``selector``'s passage is in ``text`` now, or None (an orphan)."""
    hint = selector.start
    windows = []
    if hint is not None:
        windows.append(_window(hint, len(selector.exact), 0))
    return _place(text, _Quote(selector), hint, windows)


def _holds(text: str, selector: Selector) -> bool:
    start, end = selector.start, selector.end
    return (
        start is not None
        and end is not None
        and 0 <= start <= end <= len(text)
        and text.startswith(selector.exact, start)
        and end - start == len(selector.exact)
    )


def reanchor(
    old_text: str | None, new_text: str, selectors: list[Selector]
) -> list[tuple[int, int] | None]:
    """New spans for ``selectors`` (in the same order) after the text became ``new_text``.

    With ``old_text`` (the text the selectors were made on), positions outside the
    changed stretch are mapped by the length difference, without any search. Every other
    note is looked for near where its neighbours went (see the module docstring).
    """
    results: list[tuple[int, int] | None] = [None] * len(selectors)
    known_old, known_new = [0], [0]
    pending: list[int] = []
    valid = [True] * len(selectors)
    if old_text is not None:
        head = common_prefix_length(old_text, new_text)
        limit = min(len(old_text), len(new_text)) - head
        tail = common_suffix_length(old_text, new_text, limit)
        delta = len(new_text) - len(old_text)
        tail_start = len(old_text) - tail
        for i, sel in enumerate(selectors):
            valid[i] = _holds(old_text, sel)
            start, end = sel.start or 0, sel.end or 0
            if valid[i] and end <= head:
                results[i] = (start, end)
            elif valid[i] and start >= tail_start:
                results[i] = (start + delta, end + delta)
            else:
                pending.append(i)
        known_old += [head, tail_start, len(old_text)]
        known_new += [head, tail_start + delta, len(new_text)]
    else:
        pending = list(range(len(selectors)))

    def position(i: int) -> tuple[bool, int]:
        start = selectors[i].start
        return (start is None or not valid[i], start or 0)

    for i in sorted(pending, key=position):
        sel = selectors[i]
        old = sel.start if valid[i] else None
        hint, windows = None, []
        if old is not None:
            k = bisect_right(known_old, old) - 1
            hint = known_new[k] + (old - known_old[k])
            windows.append(_window(hint, len(sel.exact), old - known_old[k]))
            if k + 1 < len(known_old):
                other = known_new[k + 1] - (known_old[k + 1] - old)
                if abs(other - hint) > WINDOW_CHARS:
                    windows.append(_window(other, len(sel.exact), known_old[k + 1] - old))
        found = _place(new_text, _Quote(sel), hint, windows)
        results[i] = found
        if found is not None and old is not None:
            k = bisect_right(known_old, old)
            if known_new[k - 1] <= found[0] and (k == len(known_new) or found[0] <= known_new[k]):
                known_old.insert(k, old)
                known_new.insert(k, found[0])
    return results


def locate_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Where a quote typed by the user is, for a new note (the command line's ``--quote``).

    Exact first; failing that, white space and straight or curly quotation marks are
    matched loosely. More than one occurrence needs ``occurrence`` (counted from 1).
    """
    quote = quote.strip()
    if not quote:
        raise QuoteNotFoundError("The quote is empty; give the words of the passage to note.")
    spans = [(p, p + len(quote)) for p in find_occurrences(text, quote)]
    if not spans and (pattern := _quote_pattern(quote, lenient_quotes=True)) is not None:
        spans = [m.span() for m in pattern.finditer(text)]
    if not spans:
        raise QuoteNotFoundError(
            f"“{_short(quote)}” is not in the article's text; check the spelling, or copy "
            "the passage from `reader text FILE`."
        )
    if occurrence is None:
        if len(spans) == 1:
            return spans[0]
        raise AmbiguousQuoteError(
            f"“{_short(quote)}” occurs {len(spans)} times in the article; say which one "
            f"(1 to {len(spans)}), or quote a longer passage.",
            spans,
        )
    if not 1 <= occurrence <= len(spans):
        raise QuoteNotFoundError(
            f"“{_short(quote)}” occurs {len(spans)} time{'s' if len(spans) != 1 else ''} in "
            f"the article, so there is no occurrence {occurrence}."
        )
    return spans[occurrence - 1]


def _short(quote: str, limit: int = 60) -> str:
    quote = _squash(quote)
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


def passage_note(
    text: str,
    document_id: int,
    start: int,
    end: int,
    body: str = "",
    tags: tuple[str, ...] = (),
) -> Note:
    """A new passage note on ``text[start:end]``, with its selector, ready for ``add_note``."""
    selector = selector_for(text, start, end)
    return Note(
        id=None,
        kind="passage",
        document_id=document_id,
        body=body,
        tags=normalise_tags(tags),
        quote=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=start,
        end=end,
    )


def anchored_at(note: Note, selector: Selector, start: int, end: int, **changes: Any) -> Note:
    """``note`` anchored at ``start``–``end`` with ``selector``'s quote and context."""
    return replace(
        note,
        quote=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=start,
        end=end,
        orphaned=False,
        **changes,
    )
