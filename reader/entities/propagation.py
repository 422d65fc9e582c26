"""Names the model missed: once a name is known in a document, its other occurrences count.

The small model often misses a lone "Brunner" three lines after "Claudia Brunner", or tags
"Scientology" in one paragraph and not in the next. A researcher expects every occurrence of
a name to be marked, so after the kinds are decided the text is scanned once for the known
names. An occurrence is added only where that is safe: not inside or beside another
capitalised word (part of a longer name), and, for a single word, not a word the text also
uses in lower case ("Bush" and "bush") and not a month or weekday.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.entities.wordlists import FUNCTION_WORDS, GENERIC_NAMES, TITLES

CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]*")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w.'’-]*) +$")
_WORD_AFTER = re.compile(r" +[^\W\d_a-z]")
_LOWERCASE_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_A-Z][^\W\d_]*(?![^\W\d_])")
_POSSESSIVE = ("'s", "’s")


def lowercase_words(text: str, slice_chars: int = 65_536) -> set[str]:
    """Every lower-case word of ``text``, read a slice at a time.

    One findall() over a book holds the interpreter lock for a seventh of a second, freezing
    the GUI thread that shares it; slices (ending at a space, so no word is cut) let the lock
    change hands.
    """
    words: set[str] = set()
    start = 0
    while start < len(text):
        end = text.find(" ", start + slice_chars)
        end = len(text) if end == -1 else end
        words.update(_LOWERCASE_WORD.findall(text, start, end))
        start = end
    # The pattern leaves out A-Z only: drop the few words with another capital ("Łódź").
    return {w for w in words if w.islower()}


def _is_alone(text: str, start: int, end: int) -> bool:
    """Not part of a longer capitalised name: "Brunner" but not "Hans Brunner" or "Brunner
    Group". A title before it ("Mrs Brunner"), a sentence end ("Uzbekistan. Brunner") or a
    capitalised function word ("When Brunner") leaves it alone."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before and before.group(1)[0].isupper():
        word = before.group(1)
        bare = word.lower().rstrip(".")
        if bare not in TITLES and bare not in FUNCTION_WORDS and not _ends_sentence(word):
            return False
    return not _WORD_AFTER.match(text, end)


def _ends_sentence(word: str) -> bool:
    """ "Uzbekistan." ends a sentence; "Mr." and "U.S." do not end one we can be sure of."""
    return word[-1] in ".!?" and word.lower().rstrip(".") not in TITLES and word.count(".") == 1


def find_occurrences(
    text: str, taken: list[tuple[int, int]], forms: Iterable[str], lowercase: set[str]
) -> list[tuple[int, int, str]]:
    """Where ``forms`` occur outside ``taken`` (sorted, disjoint spans): (start, end, form).

    Only occurrences that stand alone (see ``_is_alone``), of forms safe to look for.
    """
    safe = [form for form in forms if _safe(form, lowercase)]
    if not safe:
        return []
    by_first: dict[str, list[str]] = {}
    for form in sorted(safe, key=len, reverse=True):
        by_first.setdefault(form.split(" ")[0], []).append(form)
    starts = [start for start, _ in taken]
    found: list[tuple[int, int, str]] = []
    taken_until = -1
    for match in _CAPITALISED_WORD.finditer(text):
        start = match.start()
        if start < taken_until:
            continue
        word = match.group()
        candidates = by_first.get(word)
        if candidates is None and word.endswith(_POSSESSIVE):
            candidates = by_first.get(word[:-2])
        if not candidates:
            continue
        for form in candidates:
            end = start + len(form)
            if not text.startswith(form, start) or (end < len(text) and text[end].isalnum()):
                continue
            index = bisect_left(starts, end)  # first taken span starting at or after the end
            if index and taken[index - 1][1] > start:
                break  # already (part of) a mention
            if _is_alone(text, start, end):
                found.append((start, end, form))
                taken_until = end
            break
    return found


def find_missed_surnames(
    text: str,
    mentions: list[Mention],
    surnames: dict[str, list[tuple[int, str]]],
    lowercase: set[str],
) -> list[Mention]:
    """Lone surnames the model never tagged, after their person's full name."""
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for start, end, form in find_occurrences(text, taken, surnames, lowercase):
        names = surnames[form]
        position = bisect_left(names, start, key=lambda item: item[0])
        if position:
            canonical = names[position - 1][1]
            found.append(Mention(start, end, Kind.PERSON, "PERSON", text[start:end], canonical))
    return found


def _safe(form: str, lowercase: set[str]) -> bool:
    if len(form) < 3:
        return False
    if " " in form:
        return True
    bare = form.lower().rstrip(".")
    return not (
        bare in lowercase
        or form in CALENDAR_WORDS
        or bare in FUNCTION_WORDS
        or bare in TITLES
        or bare in GENERIC_NAMES
        # Two-letter acronyms ("IT", "UN") are too often something else.
        or (len(form) < 3 and not any(c.islower() for c in form))
    )


def merge(mentions: list[Mention], found: Iterable[Mention]) -> list[Mention]:
    added = list(found)
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start)
