"""Case- and diacritic-insensitive matching in Python, to agree with FTS5's tokenizer.

FTS5 (``unicode61 remove_diacritics 2``) says *which* documents match "geneve"; the GUI
also needs *where* in the canonical text, as a Python string offset. Folding the whole
text would cost a Python loop over every character of a book, so instead the query term
is turned into a regular expression whose letters accept every accented and capital form
("e" becomes ``[eEéÉèÈ…]`` followed by optional combining marks), and ``re`` scans the
original text in C. Offsets then need no mapping back.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks that may follow a base letter in decomposed (NFD) text.
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"
# A token character as FTS5's unicode61 sees it: a letter or a number (not "_").
_TOKEN_CHAR = r"[^\W_]"
_NOT_TOKEN = r"[\W_]"


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "  Genève " and "GENEVE" both give "geneve"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def has_token_chars(text: str) -> bool:
    """True when FTS5 would find at least one token in ``text``."""
    return any(c.isalnum() for c in text)


def tokens(text: str) -> list[str]:
    """``text`` folded and split the way unicode61 splits it (letters and digits only)."""
    return [t for t in re.split(_NOT_TOKEN + "+", fold(text)) if t]


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Every precomposed character that folds to a single letter, grouped by that letter.

    Covers Latin, Greek and Cyrillic with their extensions and Latin Extended Additional
    (U+0000-U+24FF); built once, in a few milliseconds.
    """
    groups: dict[str, set[str]] = {}
    for code in range(0x2500):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isalnum():
            groups.setdefault(folded, {folded}).add(char)
            groups[folded].update({char.upper(), char.lower()} - {""})
    return {base: "".join(sorted(chars)) for base, chars in groups.items()}


def _letter_pattern(letter: str) -> str:
    variants = _variants().get(letter, letter)
    matcher = "[" + re.escape(variants) + "]" if len(variants) > 1 else re.escape(letter)
    return matcher + _COMBINING


def term_pattern(term: str, *, prefix: bool = False) -> str | None:
    """A regex matching ``term`` (a word or a phrase) as FTS5 would, or None if it has no token.

    A phrase's words may be separated by any run of non-token characters; a prefix term
    may continue with more letters; otherwise the match must end at a token boundary.
    """
    words = tokens(term)
    if not words:
        return None
    body = (_NOT_TOKEN + "+").join(
        "".join(_letter_pattern(letter) for letter in word) for word in words
    )
    end = _TOKEN_CHAR + "*" if prefix else "(?!" + _TOKEN_CHAR + ")"
    return "(?<!" + _TOKEN_CHAR + ")" + body + end


def first_match(pattern: re.Pattern[str] | None, text: str) -> tuple[int, int] | None:
    """Where ``pattern`` first matches ``text``, as Python string offsets."""
    if pattern is None:
        return None
    match = pattern.search(text)
    return match.span() if match else None
