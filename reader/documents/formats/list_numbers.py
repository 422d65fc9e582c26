"""List numbers as the reader of a page sees them: "3.", "b)", "iv.", "2.1".

Word, LibreOffice and RTF writers do not store a numbered list's numbers in the text: they
store a definition per list level (the format, the start value, a pattern such as "%1.%2.")
and let the word processor count. The readers count here the same way, so "1." and "a)" in
front of an item survive into the canonical text, where a researcher quoting "item 3" finds
it. Bullets are not numbers: the reading view draws its own disc for a list item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

NumberFormat = str  # one of FORMATS' keys, or "bullet" / "none"

MAX_LEVELS = 9  # Word and RTF have nine list levels; ODF allows ten, the tenth is rare
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def roman(value: int) -> str:
    """Lower-case roman numerals; beyond 3999 the number is written in digits."""
    if not 0 < value < 4000:
        return str(value)
    out = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)


def letters(value: int, *, repeat: bool = True) -> str:
    """ "a".."z", then "aa", "bb" (Word, ``repeat``) or "aa", "ab" (ODF's default)."""
    if value <= 0:
        return str(value)
    if repeat:
        count, index = divmod(value - 1, 26)
        return chr(ord("a") + index) * (count + 1)
    out = ""
    while value > 0:
        value, index = divmod(value - 1, 26)
        out = chr(ord("a") + index) + out
    return out


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimal-zero": lambda n: f"{n:02d}" if 0 <= n < 10 else str(n),
    "lower-letter": letters,
    "upper-letter": lambda n: letters(n).upper(),
    "lower-letter-sequence": lambda n: letters(n, repeat=False),
    "upper-letter-sequence": lambda n: letters(n, repeat=False).upper(),
    "lower-roman": roman,
    "upper-roman": lambda n: roman(n).upper(),
}


def format_number(value: int, number_format: NumberFormat) -> str:
    """``value`` written in ``number_format``; "" for bullets and unnumbered levels."""
    if number_format in ("bullet", "none", ""):
        return ""
    return FORMATS.get(number_format, str)(value)


def finished_label(label: str, separator: str = " ") -> str:
    """``label`` with its separator, or "" when it holds no number or letter: a level whose
    format is "none" leaves only its punctuation ("."), which is not a number to show."""
    label = label.strip()
    return label + separator if any(c.isalnum() for c in label) else ""


@dataclass(slots=True)
class Counters:
    """The running counts of one list, level by level, as a word processor keeps them.

    Counting an item at a level resets the levels below it, so "1. a) b) 2. a)" starts the
    letters again under the second number.
    """

    values: list[int] = field(default_factory=lambda: [0] * MAX_LEVELS)
    started: list[bool] = field(default_factory=lambda: [False] * MAX_LEVELS)

    def count(self, level: int, start: int, *, restart_below: bool = True) -> int:
        """Count one item at ``level`` (0-based) and return its number."""
        level = min(max(level, 0), MAX_LEVELS - 1)
        if self.started[level]:
            self.values[level] += 1
        else:
            self.values[level] = start
            self.started[level] = True
        if restart_below:
            for deeper in range(level + 1, MAX_LEVELS):
                self.started[deeper] = False
        return self.values[level]

    def value(self, level: int, start: int) -> int:
        """The current number at ``level``: its start value while it has not been used."""
        return self.values[level] if self.started[level] else start

    def restart(self, level: int) -> None:
        """The next item at ``level`` starts again from the level's start value."""
        self.started[min(max(level, 0), MAX_LEVELS - 1)] = False


def whole_number(value: str | None, default: int) -> int:
    """A start value or level from a file's numbering attributes; ``default`` for junk."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
