"""Document-level consistency: one name, one kind, one canonical form.

spaCy's small model labels every occurrence on its own: "Sergei Lavrov" is a PERSON, but the
lone "Lavrov" three lines later is often an ORG or a GPE, and "the United Nations" and "United
Nations" look like two organizations. A reader wants one entity with all its mentions, so this
module reconciles the model's spans across the whole document:

1. clean-up: ignored labels (dates, numbers) and empty spans go, overlaps keep the longer span,
   a possessive "'s" is cut off the span;
2. "surname": a lone capitalised word equal to the last word of an earlier multi-word PERSON
   mention is that person (nearest preceding full name wins);
3. "one kind per form": other mentions of one surface form take the kind of the clear majority;
   then, for the whole document only, surnames the model missed after their full name are added
   (unless the surname is also an ordinary word in the text);
4. canonical names: the surface form without "the", possessive, edge punctuation and extra spaces.

No Qt and no spaCy here: spans in, plain ``Mention`` objects out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from reader.entities.kinds import Kind, kind_for_label
from reader.entities.spans import Mention, RawSpan

# Quotes, brackets and separators that a model sometimes drags into a span. The full stop is
# deliberately missing at the end: it belongs to "U.S." and "Inc.".
_EDGE_CHARS = " \t\n\r\"'“”‘’«»()[]{}<>,;:!?*_/\\|-–—"
_POSSESSIVES = ("'s", "’s")
_ARTICLES = ("the ", "The ")
# "Martin Luther King Jr." is referred to later as "King", not "Jr.".
_NAME_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_PERSON_LABEL = "PERSON"


class _Candidate(NamedTuple):
    """A model span that survived clean-up, before the document-level rules."""

    start: int
    end: int
    kind: Kind
    label: str
    text: str
    form: str  # trimmed surface form: the canonical name unless the surname rule links it


def canonical_form(surface: str) -> str:
    """The name a reader would file a mention under: "the United Nations's" -> "United Nations"."""
    name = " ".join(surface.split()).strip(_EDGE_CHARS)
    if name.startswith(_ARTICLES):
        name = name[4:].lstrip(_EDGE_CHARS)
    if len(name) > 2 and name.endswith(_POSSESSIVES):
        name = name[:-2].rstrip(_EDGE_CHARS)
    return name


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut whitespace and a possessive off the span itself, so the highlight stops at the name."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > 2 and text[end - 2 : end] in _POSSESSIVES:
        end -= 2
    return start, end


def _candidates(text: str, raw: Iterable[RawSpan]) -> list[_Candidate]:
    """Shown, non-empty, non-overlapping spans sorted by start."""
    spans: list[tuple[int, int, str, Kind]] = []
    for raw_start, raw_end, label in raw:
        kind = kind_for_label(label)
        if kind is None:  # dropped before overlaps, so a long DATE never hides a name
            continue
        start, end = _trim_span(text, raw_start, raw_end)
        if start < end:
            spans.append((start, -end, label, kind))
    # Longest first at equal starts, then by label, so the result does not depend on input order.
    spans.sort()

    kept: list[_Candidate] = []
    for start, neg_end, label, kind in spans:
        end = -neg_end
        surface = text[start:end]
        form = canonical_form(surface)
        if not form:
            continue
        if kept and start < kept[-1].end:
            # Overlap: keep the longer span; on a tie the earlier one stays. Replacing the last
            # kept span is safe: anything before it ended before it started.
            if end - start <= kept[-1].end - kept[-1].start:
                continue
            kept.pop()
        kept.append(_Candidate(start, end, kind, label, surface, form))
    return kept


def _surname(candidate: _Candidate) -> str | None:
    """The last name of a multi-word PERSON mention, or None if it is not a full name.

    Uses the model's own kind: the surname and majority rules must not feed each other.
    """
    if candidate.kind is not Kind.PERSON:
        return None
    words = candidate.form.split(" ")
    while words and words[-1].rstrip(".,") in _NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return None
    return words[-1].rstrip(",")


def _is_lone_word(form: str) -> bool:
    return " " not in form and form[0].isupper()


def _majority(votes: Counter[str]) -> tuple[Kind, str] | None:
    """The kind (and its most common label) of a clear majority of votes, else None.

    Clear means strictly more than half the votes and at least two: one mention against one
    other is no evidence either way, so a tie leaves each mention as the model said.
    """
    by_kind: Counter[Kind] = Counter()
    for label, count in votes.items():
        kind = kind_for_label(label)
        if kind is not None:
            by_kind[kind] += count
    if len(by_kind) < 2:  # nothing to reconcile
        return None
    kind, count = max(by_kind.items(), key=lambda item: item[1])
    if count < 2 or 2 * count <= sum(by_kind.values()):
        return None
    labels = [label for label in votes if kind_for_label(label) is kind]
    label = min(labels, key=lambda label: (-votes[label], label))
    return kind, label


class ConsistencyState:
    """Consistency for spans that arrive chunk by chunk, visible text first.

    ``add`` resolves one chunk against what is known so far, touching only that chunk and a few
    dictionaries, so highlights can appear as the analysis progresses. Its answers are an
    approximation: a full name analysed later does not relink mentions already returned, and a
    majority vote counts a mention as "not linked" if it was not linked when it arrived.
    ``finish`` gives the exact document-level answer once everything has been added.
    A new revision of the text needs a new state: spans are never removed.
    """

    def __init__(self) -> None:
        self._raw: list[RawSpan] = []
        # surname -> sorted (start, canonical full name) of multi-word PERSON mentions
        self._full_names: dict[str, list[tuple[int, str]]] = defaultdict(list)
        # form -> label -> votes, from mentions not linked by the surname rule
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, text: str, raw_chunk: Iterable[RawSpan]) -> list[Mention]:
        """Mentions for this chunk (offsets into the whole ``text``), sorted by start."""
        chunk = list(raw_chunk)
        self._raw.extend(chunk)
        candidates = _candidates(text, chunk)

        # Register the chunk's full names first, so a surname later in the same chunk finds them.
        for candidate in candidates:
            surname = _surname(candidate)
            if surname is not None:
                insort(self._full_names[surname], (candidate.start, candidate.form))
                # A full name is evidence that its last word names a person, even where the
                # surname rule cannot apply (a headline "Lavrov" before "Sergei Lavrov").
                # Only PERSON full names count: "Georgia Tech" (ORG) says nothing about whether
                # "Georgia" is a place, and "Bank of England" nothing about "England".
                self._votes[surname][_PERSON_LABEL] += 1

        links = [self._full_name_before(candidate) for candidate in candidates]
        for candidate, link in zip(candidates, links, strict=True):
            if link is None:
                self._votes[candidate.form][candidate.label] += 1

        winners: dict[str, tuple[Kind, str] | None] = {}
        mentions: list[Mention] = []
        for candidate, link in zip(candidates, links, strict=True):
            if link is not None:
                mentions.append(
                    Mention(
                        candidate.start,
                        candidate.end,
                        Kind.PERSON,
                        _PERSON_LABEL,
                        candidate.text,
                        link,
                    )
                )
                continue
            if candidate.form not in winners:
                winners[candidate.form] = _majority(self._votes[candidate.form])
            winner = winners[candidate.form]
            kind, label = candidate.kind, candidate.label
            if winner is not None and winner[0] is not kind:
                kind, label = winner
            mentions.append(
                Mention(candidate.start, candidate.end, kind, label, candidate.text, candidate.form)
            )
        return mentions

    @property
    def raw(self) -> list[RawSpan]:
        """Every span added so far, as the model gave them."""
        return self._raw

    def finish(self, text: str) -> list[Mention]:
        """The exact answer for everything added, whatever the order of the chunks."""
        return apply_consistency(text, self._raw)

    def _full_name_before(self, candidate: _Candidate) -> str | None:
        """The nearest preceding full name whose last word is this lone word, if any.

        Only surnames: linking a lone first name ("John") to an earlier "John Smith" would
        merge every John in a novel into one person, so first names are left alone.
        """
        if not _is_lone_word(candidate.form):
            return None
        full_names = self._full_names.get(candidate.form)
        if not full_names:
            return None
        index = bisect_left(full_names, candidate.start, key=lambda item: item[0])
        return full_names[index - 1][1] if index else None


def apply_consistency(
    text: str, raw: Iterable[RawSpan], known: ConsistencyState | None = None
) -> list[Mention]:
    """Reconcile the model's spans over the whole ``text``; mentions sorted by start.

    With ``known``, the spans are added to that state and resolved against everything it has
    seen so far (the progressive case); without it, ``raw`` is taken as the whole document.
    """
    if known is not None:
        return known.add(text, raw)
    state = ConsistencyState()
    # One chunk holding every span resolves against the whole document at once.
    mentions = state.add(text, raw)
    missed = _missed_surnames(text, mentions, state._full_names)
    return sorted(mentions + missed, key=lambda m: m.start) if missed else mentions


MentionTuple = tuple[int, int, str, str, str, str]


def final_mention_tuples(text: str, raw: list[RawSpan]) -> list[MentionTuple]:
    """``apply_consistency`` as built-in tuples, cheap to send between processes."""
    return [
        (m.start, m.end, m.kind.value, m.label, m.text, m.canonical)
        for m in apply_consistency(text, raw)
    ]


# Words that follow a full name as a surname would but name a date, not a person ("May").
_CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
# A capitalised word before a surname makes it part of another name ("Hans Brunner"), unless
# it is a title ("Mrs Brunner", "President Guterres").
_TITLES = frozenset(
    "Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor President Minister Senator General "
    "Colonel Captain Prince Princess Count Countess Judge Mayor Governor Chancellor "
    "Secretary-General Ambassador Sir Lady Lord".split()
)
_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_LOWERCASE_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_A-Z][^\W\d_]*(?![^\W\d_])")
_WORD_BEFORE = re.compile(r"([A-Z][\w.'’-]*) $")
_WORD_AFTER = re.compile(r" [A-Z]")


def _ends_sentence(word: str) -> bool:
    """ "Uzbekistan." ends a sentence; "Mr." and "U.S." do not end one we can be sure of."""
    return word[-1] in ".!?" and word not in _TITLES and word.count(".") == 1


def _lowercase_words(text: str, slice_chars: int = 65_536) -> set[str]:
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
    return words


def _missed_surnames(
    text: str, mentions: list[Mention], full_names: dict[str, list[tuple[int, str]]]
) -> list[Mention]:
    """Mentions of a surname, after its full name, that the model did not tag at all.

    The small model often misses a lone "Brunner" at the start of a sentence three lines
    after "Claudia Brunner". A surname that is also an ordinary word in this text ("Bush"
    and "bush", "Young" and "young") or a month or weekday is left alone: there the risk of
    highlighting a common word outweighs the missed name.
    """
    surnames = {name for name in full_names if len(name) >= 3 and name not in _CALENDAR_WORDS}
    if not surnames:
        return []
    lowercase = {s.lower() for s in surnames}
    common = {w for w in _lowercase_words(text) if w in lowercase}
    surnames -= {w.capitalize() for w in common}
    starts = [m.start for m in mentions]
    found: list[Mention] = []
    for match in _CAPITALISED_WORD.finditer(text):
        word = match.group()
        if word not in surnames:
            continue
        start, end = match.span()
        index = bisect_left(starts, end)  # first mention starting at or after the word's end
        if index and mentions[index - 1].end > start:
            continue  # already part of a mention
        before = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if before and before.group(1) not in _TITLES and not _ends_sentence(before.group(1)):
            continue
        if _WORD_AFTER.match(text, end):
            continue
        names = full_names[word]
        position = bisect_left(names, start, key=lambda item: item[0])
        if position:
            found.append(
                Mention(start, end, Kind.PERSON, _PERSON_LABEL, word, names[position - 1][1])
            )
    return found
