"""One kind per name in a document, decided on evidence.

The small model labels each occurrence on its own, and its mistakes about one name are not
independent: it calls "Sonya" a place 436 times out of 448 in War and Peace. So its labels
count as *one* piece of evidence, the share of each kind among a name's mentions, and are
weighed against evidence that does not share its blind spots:

* context cues around each mention: a title before it ("Prince Andrew"), a speech verb
  before it ('said Sonya'), a verb only people do after it ("Natasha smiled"), a vocative
  ('"Sonya, wait'), a place preposition before it ("in Athens"), a noun that introduces a
  work or a thing ("the film Watchmen", "a robot named Tinker", "X is a space probe");
* what the name is made of: its head noun ("Carnegie Hall", "Bank of England"), a given name
  in front ("Brock Holt"), its last word being the surname of a person in the text;
* the shipped lists: places from GeoNames and common given names (``namelists.py``).

Cues are counted as a *rate* over the name's mentions, so a single odd context cannot flip
a name that occurs a hundred times, and a clear pattern is not drowned by the model's count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from reader.entities.kinds import Kind, kind_for_label
from reader.entities.namelists import given_names, major_place_names, place_names
from reader.entities.wordlists import (
    HUMAN_VERBS,
    ORGANIZATION_FOLLOWERS,
    ORGANIZATION_HEADS,
    OTHER_HEADS,
    PLACE_HEADS,
    PLACE_PREPOSITIONS,
    SPEECH_VERBS,
)

DEFAULT_LABELS = {
    Kind.PERSON: "PERSON",
    Kind.PLACE: "GPE",
    Kind.ORGANIZATION: "ORG",
    Kind.OTHER: "MISC",
}

# How much each kind of evidence weighs against the model's share (which sums to 1).
CUE_SMOOTHING = 2  # cue rates are counted over the mentions plus this
PERSON_CUE_WEIGHT = 8.0  # times the rate of mentions with a person cue...
PERSON_CUE_CAP = 2.0  # ...up to this much
PRONOUN_CUE_WEIGHT = 1.0
PRONOUN_CUE_CAP = 0.5
PLACE_CUE_WEIGHT = 1.5
PLACE_CUE_CAP = 1.0
ORG_CUE_WEIGHT = 3.0
ORG_CUE_CAP = 1.0
THING_CUE_WEIGHT = 6.0  # "the film X", "X is a spacecraft": a title or a thing, not a name
THING_CUE_CAP = 1.5
PLACE_LIST_WEIGHT = 0.5  # a town of the list
MAJOR_PLACE_WEIGHT = 1.2  # a country, capital, continent or US state
GIVEN_NAME_WEIGHT = 0.3  # a lone "Sonya"
GIVEN_NAME_FIRST_WEIGHT = 1.2  # "Brock Holt"
SURNAME_WEIGHT = 1.5  # "Holt" after "Brock Holt", a person
PART_WEIGHT = 0.5  # "Pirates" of "Pittsburgh Pirates", "Socotra" of "Socotra Island"
HEAD_WEIGHT = 1.5

# The word right before or after a mention, with nothing but spaces between.
_WORD_BEFORE = re.compile(r"(?<![\w'’-])([^\W\d_]+) +$")
_WORD_AFTER = re.compile(r" +([^\W\d_]+)(?![\w'’-])")
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:the|a|an|The|A|An) +$")
_WHO_AFTER = re.compile(r",? who\b")
_CITATION_AFTER = re.compile(
    r"(?:['’]s?)?(?:\s*\((?:19|20)\d\d[a-z]?[),:;]|,\s*(?:19|20)\d\d[a-z]?\s*[);:,]|\s+et\s+al\b)"
)
_SENTENCE_REST = re.compile(r"[^.!?\n]*")
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b")
_MOTION_BEFORE = re.compile(
    r"\b(?:go|goes|went|going|come|came|travel\w*|fly|flew|flights?|drive|drove|move[ds]?|"
    r"return\w*|arriv\w*|head\w*|sail\w*|trips?|journey|visit\w*|reach\w*|left|leave|"
    r"born|lives?|lived|living|settled|bus|buses|train|trains|ferry|ferries|boat|taxi|road|"
    r"roads|route|ride|drive|way)\s+(?:back\s+)?(?:to|from|in|at|on)?\s*$"
)
# "X is a (small coastal) town": what the text says a name is, right after it.
_IS_A = r",?\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
_IS_A_PLACE = re.compile(
    _IS_A + r"(?:city|town|island|village|country|region|province|state|capital|port|district|"
    r"neighbou?rhood|suburb|municipality|county|archipelago|peninsula|resort|republic|kingdom|"
    r"river|lake|mountain|destination)\b"
)
_IS_AN_ORGANIZATION = re.compile(
    _IS_A + r"(?:company|firm|corporation|organi[sz]ation|group|party|agency|charity|newspaper|"
    r"network|website|band|team|club|university|school|institute|foundation|association|union|"
    r"movement|church|publisher)\b"
)
# Nouns that introduce the title of a work or the name of a thing right after them ("the
# film Watchmen", "his book Hydrodynamica", "the TV series, Supernatural"). Not nouns that
# are also verbs before a person ("show", "play"): "to play Hamlet" names a role.
_WORK_NOUNS = (
    "film films movie movies series sitcom miniseries drama comedy thriller documentary "
    "cartoon musical opera novel novels novella book books memoir biography poem poems "
    "album albums song songs painting paintings sculpture game games episode "
    "software program programme app browser spacecraft probe capsule satellite telescope "
    "rocket comet asteroid ship vessel robot language project"
).split()
_WORK_NOUN_SET = frozenset(_WORK_NOUNS) - {"game", "games"}  # "video game", not "the game"
_NAMING_VERBS = frozenset("called named dubbed titled entitled".split())
_OPENING_MARKS = "\"“‘'"
_IS_A_THING = re.compile(
    f"{_IS_A}(?:{'|'.join(_WORK_NOUNS)}"
    r"|mission|product|device|brand|model|framework|operating system)\b"
)
_PLACE_AFTER = re.compile(r",\s+([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?)")
_PLACE_BEFORE = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?),\s+$")


class Cues(NamedTuple):
    """What the words around one mention say about it."""

    person: bool  # a title, a speech verb, a human verb, a vocative, "who", a citation
    pronoun: bool  # "he", "she", "his", "her" follow in the same sentence (weak)
    place: int  # 1 for "in Athens"; 2 for "flights to Sharjah", "Exeter, Devon", "X is a city"
    organization: bool  # "Scientology officials", "Twitter account", "X is a company"
    thing: bool  # "the film Watchmen", "Stardust is a spacecraft": a work or a thing
    article: bool  # "the Frenchman", "a Cossack": a common noun, if it is a person


@dataclass(slots=True)
class FormEvidence:
    """What one document says about one surface form."""

    votes: Counter[Kind] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    occurrences: int = 0  # tagged or not: what the cue rates are counted over
    person_cues: int = 0
    pronoun_cues: int = 0
    place_cues: int = 0
    organization_cues: int = 0
    thing_cues: int = 0
    article_cues: int = 0
    surname_of_person: bool = False
    part_of_kind: Kind | None = None  # the kind of a longer name it is the telling part of

    @property
    def count(self) -> int:
        return sum(self.votes.values())

    def add(self, kind: Kind, label: str, cues: Cues) -> None:
        self.votes[kind] += 1
        self.labels[label] += 1
        self.add_cues(cues)

    def add_cues(self, cues: Cues) -> None:
        self.occurrences += 1
        self.person_cues += cues.person
        self.pronoun_cues += cues.pronoun
        self.place_cues += cues.place
        self.organization_cues += cues.organization
        self.thing_cues += cues.thing
        self.article_cues += cues.article


def mention_cues(text: str, start: int, end: int, titled: bool) -> Cues:
    """The context cues of one mention, from the words right around it."""
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    after = _WORD_AFTER.match(text, end, min(len(text), end + 24))
    before_word = before.group(1).lower() if before else ""
    after_word = after.group(1).lower() if after else ""
    if text.startswith(("'s", "’s"), end):  # "Scientology's officials"
        after = _WORD_AFTER.match(text, end + 2, min(len(text), end + 26))
        after_word = after.group(1).lower() if after else ""
    sentence_rest = _SENTENCE_REST.match(text, end, min(len(text), end + 80))
    pronoun = sentence_rest is not None and _PRONOUN.search(sentence_rest.group()) is not None
    # "in X" is a weak cue ("in Congress", "in Scientology"); travel, "X is a town" and a
    # listed place beside it ("Exeter, Devon") count twice.
    place = 0
    if (
        _MOTION_BEFORE.search(text, max(0, start - 40), start) is not None
        or _IS_A_PLACE.match(text, end) is not None
        or _listed_place_beside(text, start, end)
    ):
        place = 2
    elif before_word in PLACE_PREPOSITIONS:
        place = 1
    thing = _work_noun_before(text, start) or _IS_A_THING.match(text, end) is not None
    person = (
        titled
        or before_word in SPEECH_VERBS  # 'said Sonya'
        or after_word in HUMAN_VERBS  # 'Natasha smiled'
        or _is_vocative(text, start, end)
        or _WHO_AFTER.match(text, end) is not None  # "Holt, who"
        or (not place and not thing and _cites_author(text, end))
    )
    organization = after_word in ORGANIZATION_FOLLOWERS or bool(
        _IS_AN_ORGANIZATION.match(text, end)
    )
    article = _ARTICLE_BEFORE.search(text, max(0, start - 5), start) is not None
    return Cues(person, pronoun, place, organization, thing, article)


def _work_noun_before(text: str, start: int) -> bool:
    """ "the film X", "a robot named "X", "the drama series The X", "a pilot titled X"."""
    words = text[max(0, start - 40) : start].split()
    if words and words[-1].strip(_OPENING_MARKS) in ("The", "A", ""):
        words.pop()  # "The Crown", or an opening quote on its own
    if words and words[-1].lower() in _NAMING_VERBS:
        if words[-1].lower() in ("titled", "entitled"):
            return True  # people are not titled
        words.pop()
    if not words:
        return False
    last = words[-1].rstrip(",").lower()
    if last in _WORK_NOUN_SET:
        return True
    return last in ("game", "games") and len(words) > 1 and words[-2].lower() == "video"


def _cites_author(text: str, end: int) -> bool:
    """ "Quilis (1964)", "Parry et al.": an author cited. The callers leave out "the
    Sorbonne in Paris (1927)" (a place cue wins) and "the film Watchmen (2009)" (a work)."""
    return _CITATION_AFTER.match(text, end) is not None


def _is_vocative(text: str, start: int, end: int) -> bool:
    """'"Sonya, wait', 'Wait, Sonya!', 'darling Sonya!"': someone is being spoken to."""
    after = text[end : end + 2]
    if after[:1] == "!" or after in (',"', ",”"):
        return True
    before = text[max(0, start - 1) : start]
    return before in ('"', "“") and after[:1] == ","


def _listed_place_beside(text: str, start: int, end: int) -> bool:
    places = place_names()
    after = _PLACE_AFTER.match(text, end)
    if after and (after.group(1) in places or after.group(1).split(" ")[0] in places):
        return True
    before = _PLACE_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and (
        before.group(1) in places or before.group(1).split(" ")[-1] in places
    )


def head_word(form: str) -> str:
    """The word that says what a name names: "Bank" of "Bank of England", "Hall" of "Carnegie
    Hall"."""
    words = form.split(" ")
    if " of " in form:
        words = form.split(" of ")[0].split(" ")
    return words[-1].lower().rstrip(".")


def decide(form: str, evidence: FormEvidence) -> Kind:
    """The kind of ``form`` across the document, weighing every piece of evidence."""
    scores = _scores(form, evidence)
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    # A tie: the model's most frequent kind among the tied ones, then a fixed order.
    kind = max(winners, key=lambda k: (evidence.votes[k], -list(Kind).index(k)))
    if (
        kind is Kind.PERSON
        and " " not in form
        and 2 * evidence.article_cues >= evidence.occurrences
        and not evidence.surname_of_person
    ):
        # "the Frenchman", "a Cossack", "the Rostovs": someone, but not by name.
        return Kind.OTHER
    return kind


def _scores(form: str, evidence: FormEvidence) -> dict[Kind, float]:
    n = evidence.count or 1
    scores = {kind: evidence.votes[kind] / n for kind in Kind}
    # Smoothed rates: one cue among two mentions is less sure than ten among twenty.
    smoothed = evidence.occurrences + CUE_SMOOTHING
    for kind, cues, weight, cap in (
        (Kind.PERSON, evidence.person_cues, PERSON_CUE_WEIGHT, PERSON_CUE_CAP),
        (Kind.PERSON, evidence.pronoun_cues, PRONOUN_CUE_WEIGHT, PRONOUN_CUE_CAP),
        (Kind.PLACE, evidence.place_cues, PLACE_CUE_WEIGHT, PLACE_CUE_CAP),
        (Kind.ORGANIZATION, evidence.organization_cues, ORG_CUE_WEIGHT, ORG_CUE_CAP),
        (Kind.OTHER, evidence.thing_cues, THING_CUE_WEIGHT, THING_CUE_CAP),
    ):
        scores[kind] += min(cap, weight * cues / smoothed)
    words = form.split(" ")
    place = place_weight(form)
    if len(words) == 1:
        given = form in given_names()
        scores[Kind.PLACE] += place / (2 if given else 1)
        if given:
            scores[Kind.PERSON] += GIVEN_NAME_WEIGHT / (2 if place else 1)
    else:
        scores[Kind.PLACE] += place
        head = head_word(form)
        if head in PLACE_HEADS:
            scores[Kind.PLACE] += HEAD_WEIGHT
        elif head in ORGANIZATION_HEADS:
            scores[Kind.ORGANIZATION] += HEAD_WEIGHT
        elif head in OTHER_HEADS:
            scores[Kind.OTHER] += HEAD_WEIGHT
        elif is_team(words):
            scores[Kind.ORGANIZATION] += HEAD_WEIGHT
        elif words[0] in given_names() and all(w[:1].isupper() for w in words):
            scores[Kind.PERSON] += GIVEN_NAME_FIRST_WEIGHT
    if evidence.surname_of_person:
        scores[Kind.PERSON] += SURNAME_WEIGHT
    if evidence.part_of_kind is not None:
        # "Pirates" of "Pittsburgh Pirates", "Socotra" of "Socotra Island".
        scores[evidence.part_of_kind] += PART_WEIGHT
    return scores


def is_team(words: list[str]) -> bool:
    """ "Pittsburgh Pirates", "Leeds Rhinos": a place, then a plural: a team or a club."""
    last = words[-1]
    plural = last[:1].isupper() and last.endswith("s") and not last.endswith("ss")
    if not plural:
        return False
    places = place_names()
    return any(" ".join(words[:i]) in places for i in range(1, len(words)))


def place_weight(form: str) -> float:
    """How much the place lists say ``form`` is a place: a country more than a town."""
    if form in major_place_names():
        return MAJOR_PLACE_WEIGHT
    return PLACE_LIST_WEIGHT if form in place_names() else 0.0


def label_for(kind: Kind, labels: Counter[str]) -> str:
    """The most common model label of ``kind`` for a form, else that kind's usual label."""
    fitting = [label for label in labels if kind_for_label(label) is kind]
    if not fitting:
        return DEFAULT_LABELS[kind]
    return min(fitting, key=lambda label: (-labels[label], label))
