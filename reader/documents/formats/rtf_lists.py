r"""RTF list numbers: the "1.", "a)" and "iii." that Word counts from ``\listtable``.

Word 97 and later define each list in ``{\*\listtable {\list {\listlevel …}… \listidN}}``:
per level a number format (``\levelnfcN``), a start (``\levelstartatN``) and a pattern
(``{\leveltext \'02\'00.;}``: a length, then characters, where codes 0-8 stand for the
numbers of levels 0-8). ``{\*\listoverridetable {\listoverride \listidN \lsM}}`` maps the
``\lsM`` a paragraph names to a list; a ``\lfolevel`` there may restart a level.
Paragraphs also carry the number as the writer drew it (``{\listtext 1.\tab}``, or
``{\pntext …}`` from Word 95 and WordPad) for readers without list support: that text is
used only when no definition is found, and only when it looks like a number, not a bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.documents.formats.list_numbers import (
    MAX_LEVELS,
    Counters,
    finished_label,
    format_number,
)

_FORMATS = {
    0: "decimal",
    1: "upper-roman",
    2: "lower-roman",
    3: "upper-letter",
    4: "lower-letter",
    22: "decimal-zero",
    23: "bullet",
    255: "none",
}
# "1.", "12)", "(3)", "2.1", "a)", "B.", "iv." — not "o", "·" or "§" (bullets).
_NUMBER_LIKE = re.compile(
    r"[(\[]?(?:\d{1,4}(?:\.\d{1,4})*[.)\]:]?|(?:[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})[.)\]:])"
)


def number_like(text: str) -> str:
    """``text`` (a ``\\listtext`` or ``\\pntext``) when it is a list number, else ""."""
    text = " ".join(text.split())
    return text if _NUMBER_LIKE.fullmatch(text) else ""


@dataclass(slots=True)
class _Level:
    number_format: str = "decimal"
    start: int = 1
    pattern: str = ""  # \leveltext without its length prefix and closing ";"
    separator: str = " "  # \levelfollow2 is "nothing"
    legal: bool = False


@dataclass(slots=True)
class _Override:
    list_id: int | None = None
    starts: dict[int, int] = field(default_factory=dict)


class RtfLists:
    """List definitions as the interpreter reads them, and the counting of paragraphs."""

    def __init__(self) -> None:
        self._lists: dict[int, list[_Level]] = {}
        self._building: list[_Level] = []
        self._override = _Override()
        self._lfo_level = -1  # the \lfolevel being read inside a \listoverride
        self._in_override = False
        self._overrides: dict[int, _Override] = {}
        self._counters: dict[int, Counters] = {}
        self._used: set[int] = set()
        self._pattern: list[str] = []

    # -- reading the tables -------------------------------------------------------------------

    def word(self, word: str, value: int | None) -> None:
        r"""A control word inside ``\listtable`` or ``\listoverridetable``."""
        if word == "list":
            self._building, self._in_override = [], False
        elif word == "listlevel":
            self._building.append(_Level())
        elif word == "listid" and value is not None:
            if self._in_override:
                self._override.list_id = value
            else:
                self._lists.setdefault(value, self._building[:MAX_LEVELS])
        elif word == "listoverride":
            self._override, self._lfo_level, self._in_override = _Override(), -1, True
        elif word == "lfolevel":
            self._lfo_level += 1
        elif word == "ls" and value is not None and self._in_override:
            self._overrides.setdefault(value, self._override)
        elif word == "levelstartat" and value is not None:
            if self._in_override and self._lfo_level >= 0:
                self._override.starts[self._lfo_level] = value
            elif self._building:
                self._building[-1].start = value
        elif self._building and not self._in_override:
            level = self._building[-1]
            if word in ("levelnfc", "levelnfcn") and value is not None:
                level.number_format = _FORMATS.get(value, "decimal")
            elif word == "levelfollow":
                level.separator = "" if value == 2 else " "
            elif word == "levellegal":
                level.legal = value != 0

    def level_text(self, text: str) -> None:
        r"""Characters of a ``\leveltext`` group."""
        self._pattern.append(text)

    def end_level_text(self) -> None:
        if self._building and not self._in_override:
            raw = "".join(self._pattern)
            length = ord(raw[0]) if raw else 0
            self._building[-1].pattern = raw[1 : 1 + length]
        self._pattern = []

    # -- numbering paragraphs -----------------------------------------------------------------

    def label(self, ls: int, index: int) -> str | None:
        """Count a paragraph of list ``\\lsN`` at level ``index``; None without a definition."""
        override = self._overrides.get(ls)
        levels = self._lists.get(override.list_id) if override and override.list_id else None
        if not levels or override is None:
            return None
        index = min(max(index, 0), len(levels) - 1)
        list_id = override.list_id or 0
        counters = self._counters.setdefault(list_id, Counters())
        if ls not in self._used:
            self._used.add(ls)
            for restarted in override.starts:
                counters.restart(restarted)

        def start(i: int) -> int:
            return override.starts.get(i, levels[i].start if i < len(levels) else 1)

        level = levels[index]
        counters.count(index, start(index))
        if level.number_format in ("bullet", "none"):
            return ""
        out = []
        for char in level.pattern:
            code = ord(char)
            if code < MAX_LEVELS and code < len(levels):
                number_format = "decimal" if level.legal else levels[code].number_format
                out.append(format_number(counters.value(code, start(code)), number_format))
            elif code >= 0x20:
                out.append(char)
        return finished_label("".join(out), level.separator)
