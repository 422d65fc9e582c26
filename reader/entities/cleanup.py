"""Sane spans: where a name starts and ends, whatever the model said.

The small model's spans often carry what is not the name: "the", a possessive (also a spaced
one, "South Africa 's"), a word that starts the sentence ("Behind Kutuzov", "Sometimes
Pierre"), a title ("Count Rostov"), affiliation marks ("Andreas Gal∗+"), or two names glued
across a line or sentence break, a comma or a preposition ("Bagration to Rostov"). Each model
span becomes zero or more clean pieces here, with nothing but the text around it to go on.
What needs the whole document (a name known elsewhere, a headline) is in ``refine.py``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from reader.entities.kinds import Kind
from reader.entities.wordlists import (
    ABBREVIATIONS,
    ADDRESS_WORDS,
    ERA_MARKERS,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORGANIZATION_HEADS,
    OTHER_HEADS,
    PERSON_ADJECTIVES,
    PERSON_BREAKERS,
    PLACE_HEADS,
    POST_NOMINALS,
    PRONOUNS,
    TITLES,
)


class Piece(NamedTuple):
    """A cleaned span: offsets into the canonical text, the model's kind and label."""

    start: int
    end: int
    kind: Kind
    label: str
    titled: bool  # a title or honorific stands right before it: evidence of a person


# Characters never at the edge of a name. The full stop is handled apart: it ends "U.S.",
# "Inc." and "J." but not "Uzbekistan." at the end of a sentence.
_LEAD_CHARS = " \t\n\r\"'“”‘’«»()[]{}<>,;:!?*_/\\|-–—•·∗†‡§¶+~=^"
_TRAIL_CHARS = _LEAD_CHARS + "¹²³⁴⁵⁶⁷⁸⁹⁰"
_POSSESSIVES = ("'s", "’s", "'S", "’S")
# Where a span is cut in two: a line break, clause punctuation, brackets, slashes, dashes
# standing alone, and the space after a sentence end (checked against abbreviations below).
_CUT = re.compile(r"\n|[,;:|/()\[\]{}]|\s[-–—]+\s|(?P<stop>(?<=[.!?])[\"'”’)]*\s)")
_WORD = re.compile(r"\S+")
# Honorifics that only ever come before a person's name: stripped whatever the model's label,
# unlike "General" (General Motors) or "Prince" (Prince Edward Island).
_HONORIFICS = frozenset(
    "mr mrs ms mx dr prof monsieur madame mme mademoiselle mlle messrs herr frau señor "
    "senor señora senora signor signora".split()
)
_CURRENCY = re.compile(r"[A-Z]{3}")
_NUMBER_BEFORE = re.compile(r"\d[\d,.]*\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")
_CONTRACTION = re.compile(r"^I['’]|n['’]t$|['’](?:ll|re|ve|d|m)$")
_SIMPLE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
# Capitalised words that never end a name ("Washington D.C. The"); not "May" or "Will".
_TRAILING_JUNK = NAME_PARTICLES | frozenset("a an in at to by with from as or but".split())
_AFFILIATION = re.compile(r",\d|[∗*†‡§¶]")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d[a-z]?")
_CAPTION_LABELS = frozenset("image photo picture credit credits caption illustration".split())
# Words that send a plain span ("Sergei Lavrov") the slow way, where they may be cut: at the
# start (titles, function words) or at the end (a weekday or a caption label after a name).
_LEADING_CHECKS = (
    FUNCTION_WORDS
    | TITLES
    | PERSON_ADJECTIVES
    | ADDRESS_WORDS
    | PRONOUNS
    | {w.lower().rstrip(".") for w in NAME_SUFFIXES | POST_NOMINALS}
    | _WEEKDAYS
    | _CAPTION_LABELS
)
_COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest northern southern eastern "
    "western central".split()
)
_OPENING = "\"'“‘«([{"


def at_sentence_start(text: str, position: int) -> bool:
    """Whether a capital at ``position`` says nothing: a sentence, line or quote begins there."""
    i = position - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    char = text[i]
    if char in "“‘«([{":
        return True
    if char in "\"'":  # an opening quote follows a space or begins the line
        return i == 0 or text[i - 1] in " \t\n(["
    if char in ".!?…:":
        # "Mr. Pierre" and "U.S. Pierre" do not start a sentence at Pierre.
        return char != "." or not is_abbreviation(text, i)
    return False


def is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends an abbreviation or an initial, not a sentence."""
    begin = stop
    while begin > 0 and not text[begin - 1].isspace() and text[begin - 1] not in _OPENING:
        begin -= 1
    word = text[begin:stop]
    if not word:
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) == 1 or "." in word or word.lower() in ABBREVIATIONS


def _capitalised_before(text: str, position: int) -> bool:
    before = text[max(0, position - 40) : position].split()
    return bool(before) and before[-1][:1].isupper()


def _strips_title(text: str, words: list[tuple[int, int]], bare: str, kind: Kind) -> bool:
    """Whether the first word is a title before a name ("Prince Andrew", "King of Prussia").

    Any honorific goes; a title that also begins names of places and organizations
    ("Prince Edward Island", "General Motors") goes from a person's name, or from another
    kind's when what follows is not headed by a place or organization word.
    """
    second = text[words[1][0] : words[1][1]]
    if not (second[0].isupper() or second == "of"):
        return False
    if bare in _HONORIFICS or (bare in TITLES and kind is Kind.PERSON):
        return True
    if bare not in TITLES:
        return False
    last = text[words[-1][0] : words[-1][1]].lower().rstrip(".")
    return last not in PLACE_HEADS and last not in ORGANIZATION_HEADS and last not in OTHER_HEADS


def is_acronym(text: str, start: int, word: str) -> bool:
    """ "US", "WHO", "IT": capitals only, in a line that is not all capitals. An acronym is
    never the pronoun or function word it spells."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return any(c.islower() for c in line)


def _is_lower_word(word: str) -> bool:
    """A word with lower-case letters and no capital: "the", "said", not "iPhone" or "1990"."""
    return not any(c.isupper() for c in word) and any(c.islower() for c in word)


def _bare(word: str) -> str:
    return word.lower().rstrip(".")


def clean_span(text: str, start: int, end: int, label: str, kind: Kind) -> list[Piece]:
    """The clean pieces of one model span (none when nothing in it is a name)."""
    if _SIMPLE.fullmatch(text, start, end):
        # Most spans are plain capitalised words ("Pierre", "Sergei Lavrov"): nothing to cut
        # unless one of the words is a title, a function word or the like.
        words = text[start:end].lower().split(" ")
        if _LEADING_CHECKS.isdisjoint(words) and len(set(words)) == len(words):
            return [Piece(start, end, kind, label, _title_before(text, start))]
    pieces: list[Piece] = []
    cursor = start
    for match in _CUT.finditer(text, start, end):
        cut_start, cut_end = match.span()
        if (
            match.lastgroup == "stop"
            and text[cut_start - 1] == "."
            and is_abbreviation(text, cut_start - 1)
        ):
            continue  # "U.S. Navy", "Mr. Smith": not a sentence end
        _pieces_of(text, cursor, cut_start, label, kind, pieces)
        cursor = cut_end
    _pieces_of(text, cursor, end, label, kind, pieces)
    return pieces


def _trim_chars(text: str, start: int, end: int, kind: Kind) -> tuple[int, int]:
    """Strip edge punctuation, marks and possessives until nothing changes."""
    while True:
        old = (start, end)
        while start < end and text[start] in _LEAD_CHARS:
            start += 1
        while end > start and text[end - 1] in _TRAIL_CHARS:
            end -= 1
        if end - start > 2 and text[end - 2 : end] in _POSSESSIVES:
            end -= 2
        elif end - start > 2 and text[end - 1] in "'’" and text[end - 2] in "sS":
            end -= 1  # "the Brothers'"
        if end > start and text[end - 1] == "." and not is_abbreviation(text, end - 1):
            end -= 1
        if kind is Kind.PERSON and _AFFILIATION.match(text, end):
            # Affiliation marks glued to an author: "Gal1,2", "Eich1∗".
            stripped = end
            while stripped > start and text[stripped - 1].isdigit():
                stripped -= 1
            if 0 < end - stripped <= 2 and stripped > start and text[stripped - 1].isalpha():
                end = stripped
        if (start, end) == old:
            return start, end


def _pieces_of(text: str, start: int, end: int, label: str, kind: Kind, out: list[Piece]) -> None:
    start, end = _trim_chars(text, start, end, kind)
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    titled = False
    # Leading words that are not part of a name.
    while words:
        word = text[words[0][0] : words[0][1]]
        bare = _bare(word)
        lower = _is_lower_word(word)
        if (lower and bare not in NAME_PARTICLES) or (
            bare in FUNCTION_WORDS
            and (lower or bare == "the" or at_sentence_start(text, words[0][0]))
            and not is_acronym(text, words[0][0], word)
        ):
            words.pop(0)
        elif len(words) > 2 and bare in _COMPASS and text[words[1][0] : words[1][1]] == "of":
            words.pop(0)  # "Northeast of Temescal": a direction, then the name
        elif len(words) > 1 and _strips_title(text, words, bare, kind):
            words.pop(0)
            titled = True
        elif (
            len(words) > 1
            and kind is Kind.PERSON
            and bare in PERSON_ADJECTIVES
            and at_sentence_start(text, words[0][0])
        ):
            words.pop(0)
        else:
            break
    if not titled and words:
        titled = _title_before(text, words[0][0])
    # Inside a name, a lower-case word that is not a particle ("Bagration to Rostov") cuts
    # it. In a person's name so does a joiner ("Marx and Engels"; what follows "of" or "the"
    # is not a person: "Napoleon the Order of St. Andrew") and a title ("Hetzelsdorf Prince
    # Andrew" is a place and a prince).
    runs: list[tuple[list[tuple[int, int]], bool]] = [([], titled)]
    for index, span in enumerate(words):
        word = text[span[0] : span[1]]
        bare = _bare(word)
        if kind is Kind.PERSON and bare in PERSON_BREAKERS:
            if bare in ("and", "&", "or"):
                runs.append(([], False))
                continue
            break
        if (_is_lower_word(word) and bare not in NAME_PARTICLES) or (
            word == "the" and runs[-1][0] and _capitalised_before(text, span[0])
        ):
            # "Rathbun the Scientology": "the" after a capitalised word starts another name
            # ("Bank of the West" keeps its "the").
            runs.append(([], False))
        elif (
            kind is Kind.PERSON
            and runs[-1][0]
            and bare in TITLES
            and word[0].isupper()
            and index + 1 < len(words)
            and text[words[index + 1][0]].isupper()
            and text[words[index + 1][0] : words[index + 1][1]] not in NAME_SUFFIXES
        ):
            runs.append(([], True))
        else:
            runs[-1][0].append(span)
    for run, run_titled in runs:
        piece = _finish(text, run, label, kind, run_titled)
        if piece is not None:
            out.append(piece)


def _finish(
    text: str, words: list[tuple[int, int]], label: str, kind: Kind, titled: bool
) -> Piece | None:
    """Trailing non-name words off, then the junk filters; None if nothing is left."""
    while words:
        word = text[words[-1][0] : words[-1][1]]
        bare = _bare(word)
        if (
            _is_lower_word(word)
            or word in POST_NOMINALS
            or (len(words) > 1 and (bare in _TRAILING_JUNK or _is_trailing_label(text, word)))
        ):
            words.pop()
        else:
            break
    while words and _is_lower_word(text[words[0][0] : words[0][1]]):
        words.pop(0)  # a particle left at the front by a cut: "of Rostov"
    if not words:
        return None
    start, end = _trim_chars(text, words[0][0], words[-1][1], kind)
    if end - start < 2:
        return None
    form = text[start:end]
    if _is_junk(text, start, end, form):
        return None
    return Piece(start, end, kind, label, titled)


def _is_trailing_label(text: str, word: str) -> bool:
    """A weekday, a year or a caption label after a name: "Wikinews Saturday", "Turano
    2011", "Ahmed Mohamed Image: …"."""
    bare = _bare(word)
    return bare in _WEEKDAYS or bool(_YEAR.fullmatch(word)) or bare in _CAPTION_LABELS


def _is_junk(text: str, start: int, end: int, form: str) -> bool:
    if not any(c.isalpha() for c in form):
        return True
    if not any(c.isupper() for c in form) and any(c.islower() for c in form):
        return True
    if _CONTRACTION.search(form):  # "I'll", "Don't": speech, not a name
        return True
    if "@" in form or "://" in form or form.lower().startswith("www.") or form[0] == "#":
        return True
    tokens = form.split()
    if len(tokens) > 1 and len(set(tokens)) == 1:  # "Linked Linked Linked"
        return True
    if all(_bare(t) in NAME_PARTICLES for t in tokens):
        return True
    if all(_bare(t) in TITLES or _bare(t) in NAME_PARTICLES for t in tokens) and len(tokens) > 1:
        return True  # "Grand Duke", "Prime Minister": a role, not a name
    if len(tokens) == 1:
        bare = _bare(form)
        # An acronym ("US", "WHO") is not the pronoun or function word it spells.
        word_like = not is_acronym(text, start, form)
        if word_like and (bare in ADDRESS_WORDS or bare in PRONOUNS):
            return True
        if form in ERA_MARKERS or form in NAME_SUFFIXES or form in POST_NOMINALS:
            return True
        if word_like and bare in FUNCTION_WORDS and at_sentence_start(text, start):
            return True
        if _CURRENCY.fullmatch(form) and (
            _NUMBER_BEFORE.search(text, max(0, start - 12), start) or _NUMBER_AFTER.match(text, end)
        ):
            return True  # "CUC 25", "250 MXN": a currency, not an organization
    return False


_TITLE_BEFORE = re.compile(r"([A-Z][a-z]*\.?)\s+$")


def _title_before(text: str, start: int) -> bool:
    """ "Mr. Roberts", "Prince Andrew": the word just before the name is a title."""
    match = _TITLE_BEFORE.search(text, max(0, start - 16), start)
    return match is not None and _bare(match.group(1)) in TITLES
