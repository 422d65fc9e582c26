"""Document-level consistency: sane spans, one kind per name, one canonical form per entity.

spaCy's small model labels every occurrence on its own: "Sergei Lavrov" is a PERSON, but the
lone "Lavrov" three lines later is often an ORG or a GPE; "Sonya" is a place 436 times in War
and Peace; "Moscow Pierre" is one person. A reader wants every name marked where it is, with
one kind and one entry per entity, so this module reconciles the model's spans over the
whole document:

1. sane spans (``cleanup.py``, then ``refine.py`` with the whole document in view): no
   edge punctuation, "the", possessive, sentence-start word or title in a span; names glued
   across a break are split; headlines, defined terms and generic words are not names;
   overlaps keep the longer span;
2. one kind per form, decided on evidence (``evidence.py``): the model's share of votes,
   context cues, the shipped name lists, and whether a lone word is a person's surname;
3. "surname": a lone word after a full person name ending in it is that person (nearest
   preceding full name wins); a lone first name is not linked (every John in a novel would
   become one person);
4. for the whole document only, occurrences of known names the model missed are added
   (``propagation.py``);
5. canonical names: the clean surface form, or the full name a surname belongs to.

No Qt and no spaCy here: spans in, plain ``Mention`` objects out.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from reader.entities.cleanup import Piece, clean_span
from reader.entities.evidence import FormEvidence, decide, is_team, label_for, mention_cues
from reader.entities.kinds import Kind, kind_for_label
from reader.entities.namelists import given_names, place_names
from reader.entities.propagation import (
    find_missed_surnames,
    find_occurrences,
    lowercase_words,
    merge,
)
from reader.entities.refine import (
    defined_terms,
    drop_non_names,
    form_of,
    mark_species,
    mark_versions,
    resolve_headlines,
    split_cited_pairs,
    split_glued,
)
from reader.entities.spans import Mention, RawSpan
from reader.entities.wordlists import (
    FUNCTION_WORDS,
    NAME_SUFFIXES,
    PERSON_ADJECTIVES,
    PLACE_HEADS,
    TITLES,
)

_EDGE_CHARS = " \t\n\r\"'“”‘’«»()[]{}<>,;:!?*_/\\|-–—"
_POSSESSIVES = ("'s", "’s")
_ARTICLES = ("the ", "The ")
_PERSON_LABEL = "PERSON"
# A full name claims later lone mentions of its last word only if that word was used on its
# own (not linked) at most this often before: a headline "Lavrov" may precede "Sergei Lavrov".
SURNAME_ALONE_LIMIT = 3
# An untagged occurrence of a one-word name is added when the model tagged that word at
# least once for every this many untagged occurrences.
PROPAGATION_RATIO = 4


def canonical_form(surface: str) -> str:
    """The name a reader would file a mention under: "the United Nations's" -> "United Nations"."""
    name = " ".join(surface.split()).strip(_EDGE_CHARS)
    if name.startswith(_ARTICLES):
        name = name[4:].lstrip(_EDGE_CHARS)
    if len(name) > 2 and name.endswith(_POSSESSIVES):
        name = name[:-2].rstrip(_EDGE_CHARS)
    return name


def clean_pieces(text: str, raw: Iterable[RawSpan]) -> list[Piece]:
    """Every model span cleaned (``cleanup.py``), without overlaps, sorted by start."""
    pieces: list[Piece] = []
    for start, end, label in raw:
        kind = kind_for_label(label)
        if kind is None:  # dropped before overlaps, so a long DATE never hides a name
            continue
        pieces.extend(clean_span(text, start, end, label, kind))
    # Longest first at equal starts, then by label, so the result does not depend on order.
    pieces.sort(key=lambda p: (p.start, -p.end, p.label, p.titled))
    kept: list[Piece] = []
    for piece in pieces:
        if kept and piece.start < kept[-1].end:
            # Overlap: keep the longer span; on a tie the earlier one stays. Replacing the last
            # kept span is safe: anything before it ended before it started.
            if piece.end - piece.start <= kept[-1].end - kept[-1].start:
                continue
            kept.pop()
        kept.append(piece)
    return kept


def _looks_like_full_name(form: str, kinds: dict[str, Kind]) -> bool:
    """ "Sergei Lavrov", not "Great God", "Saint Nicholas" or "Vienna Kutuzov"."""
    first = form.split(" ")[0]
    bare = first.lower().rstrip(".")
    if bare in FUNCTION_WORDS or bare in TITLES or bare in PERSON_ADJECTIVES:
        return False
    if bare in ("saint", "st", "san", "santa", "sainte"):
        return False
    if kinds.get(first, Kind.PERSON) is not Kind.PERSON:
        return False
    return not (first in place_names() and first not in given_names())


def _common_word_kind(form: str, evidence: FormEvidence) -> Kind:
    """A "person" whose name the text also uses as an ordinary word ("Array" and "array",
    "Iodine" and "iodine"), with nothing around it that only people have: a term or a
    product, kept among the other names."""
    if evidence.person_cues or evidence.pronoun_cues or evidence.surname_of_person:
        return Kind.PERSON
    if form in given_names():
        return Kind.PERSON
    return Kind.OTHER


def surname_of(form: str) -> str | None:
    """The last name of a multi-word name, or None: "Martin Luther King Jr." -> "King"."""
    words = form.split(" ")
    while words and words[-1] in NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return None
    return words[-1]


class ConsistencyState:
    """Consistency for spans that arrive chunk by chunk, visible text first.

    ``add`` resolves one chunk against what is known so far, touching only that chunk and a few
    dictionaries, so highlights can appear as the analysis progresses. Its answers are an
    approximation: a full name analysed later does not relink mentions already returned, and
    the document-wide checks (headlines, ordinary words, missed names) wait for the end.
    ``finish`` gives the exact document-level answer once everything has been added.
    A new revision of the text needs a new state: spans are never removed.
    """

    def __init__(self) -> None:
        self._raw: list[RawSpan] = []
        self._evidence: dict[str, FormEvidence] = defaultdict(FormEvidence)
        # surname -> sorted (start, canonical full name) of full names decided to be people
        self._full_names: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._counts: Counter[str] = Counter()
        self._alone: Counter[str] = Counter()  # lone person words not linked to a full name

    @property
    def raw(self) -> list[RawSpan]:
        """Every span added so far, as the model gave them."""
        return self._raw

    def add(self, text: str, raw_chunk: Iterable[RawSpan]) -> list[Mention]:
        """Mentions for this chunk (offsets into the whole ``text``), sorted by start."""
        chunk = list(raw_chunk)
        self._raw.extend(chunk)
        pieces = clean_pieces(text, chunk)
        self._counts.update(form_of(text, p) for p in pieces)
        pieces = split_glued(text, pieces, self._counts)
        surnames = set(self._full_names)
        pieces = drop_non_names(text, pieces, lambda _word: False, surnames, set())
        return self.resolve(text, pieces)

    def finish(self, text: str) -> list[Mention]:
        """The exact answer for everything added, whatever the order of the chunks."""
        return apply_consistency(text, self._raw)

    def resolve(
        self,
        text: str,
        pieces: list[Piece],
        occurrences: Iterable[tuple[int, int, str]] = (),
        is_common_word: Callable[[str], bool] = lambda _word: False,
    ) -> list[Mention]:
        """Decide kinds and canonical names for ``pieces``, adding them to what is known.

        ``occurrences`` are places where a form of ``pieces`` occurs untagged: their context
        is evidence too, and they become mentions of that form (unless it is "other").
        """
        pieces = sorted(pieces)
        forms = [form_of(text, p) for p in pieces]
        for piece, form in zip(pieces, forms, strict=True):
            cues = mention_cues(text, piece.start, piece.end, piece.titled)
            self._evidence[form].add(piece.kind, piece.label, cues)
        extra = [o for o in occurrences if o[2] in self._evidence]
        for start, end, form in extra:
            self._evidence[form].add_cues(mention_cues(text, start, end, False))

        # Full names first: whether "Holt" is a person depends on whether "Brock Holt" is.
        kinds: dict[str, Kind] = {}
        for form in forms:
            if form not in kinds and " " in form:
                kinds[form] = kind = decide(form, self._evidence[form])
                surname = surname_of(form)
                if kind is Kind.PERSON and surname is not None:
                    self._evidence[surname].surname_of_person = True
                self._mark_telling_part(form, kind)
        for form in forms:
            if form not in kinds:
                kinds[form] = decide(form, self._evidence[form])
                if kinds[form] is Kind.PERSON and is_common_word(form):
                    kinds[form] = _common_word_kind(form, self._evidence[form])
                if self._is_group(form):
                    kinds[form] = Kind.OTHER

        spans = [(p.start, p.end, f, p.label) for p, f in zip(pieces, forms, strict=True)]
        spans.extend((s, e, f, "") for s, e, f in extra if kinds[f] is not Kind.OTHER)
        spans.sort()
        mentions: list[Mention] = []
        for start, end, form, label in spans:
            kind = kinds[form]
            if kind_for_label(label) is not kind:
                label = label_for(kind, self._evidence[form].labels)
            canonical = form
            if kind is Kind.PERSON:
                canonical = self._link(form, start, kinds)
            mentions.append(Mention(start, end, kind, label, text[start:end], canonical))
        return self._link_backwards(mentions)

    def _link_backwards(self, mentions: list[Mention]) -> list[Mention]:
        """A lone surname before any full name ("Brunner in Tashkent", a headline) is filed
        under the full name that follows, when the text has only one person by that name."""
        result = mentions
        for index, mention in enumerate(mentions):
            if mention.kind is not Kind.PERSON or mention.canonical != mention.text:
                continue
            full = {name for _, name in self._full_names.get(mention.text, ())}
            if len(full) == 1:
                if result is mentions:
                    result = list(mentions)
                m = mention
                result[index] = Mention(m.start, m.end, m.kind, m.label, m.text, full.pop())
        return result

    def _is_group(self, form: str) -> bool:
        """ "Thais" where the text calls "Thai" a nationality: a people, not a person's name
        (nor a place or an organization)."""
        if " " in form or not form.endswith("s") or form.endswith("ss"):
            return False
        singular = self._evidence.get(form[:-1])
        return singular is not None and singular.labels["NORP"] > 0

    def _mark_telling_part(self, form: str, kind: Kind) -> None:
        """A one-word name that is the telling part of a longer one shares its kind: the
        plural of a team ("Pirates"), the name before a place noun ("Socotra Island")."""
        words = form.split(" ")
        if kind is Kind.ORGANIZATION and is_team(words):
            part = words[-1]
        elif kind is Kind.PLACE and len(words) == 2 and words[1].lower() in PLACE_HEADS:
            part = words[0]
        else:
            return
        if part in self._evidence:
            self._evidence[part].part_of_kind = kind

    def _link(self, form: str, start: int, kinds: dict[str, Kind]) -> str:
        """A person's canonical name: a lone surname is filed under the full name before it.

        A full name registers only when it looks like one (not "Ponds Pierre" after "the
        Patriarch's", not "Saint Nicholas") and when its last word has not already been used
        on its own as someone's name: a lone "Pierre" seen a hundred times is not a surname
        that a later "Moscow Pierre" can claim.
        """
        surname = surname_of(form)
        if surname is None:
            linked = self._full_name_before(form, start)
            if linked is None:
                self._alone[form] += 1
                return form
            return linked
        if self._alone[surname] <= SURNAME_ALONE_LIMIT and _looks_like_full_name(form, kinds):
            insort(self._full_names[surname], (start, form))
        return form

    @property
    def full_names(self) -> dict[str, list[tuple[int, str]]]:
        return self._full_names

    def _full_name_before(self, word: str, start: int) -> str | None:
        """The nearest preceding full name whose last word is this lone word, if any."""
        full_names = self._full_names.get(word)
        if not full_names:
            return None
        index = bisect_left(full_names, start, key=lambda item: item[0])
        return full_names[index - 1][1] if index else None


def apply_consistency(
    text: str, raw: Iterable[RawSpan], known: ConsistencyState | None = None
) -> list[Mention]:
    """Reconcile the model's spans over the whole ``text``; mentions sorted by start.

    With ``known``, the spans are one more chunk for that state (an approximation, see
    ``ConsistencyState``); without, this is the exact document-level answer.
    """
    if known is not None:
        return known.add(text, raw)
    raw = list(raw)
    pieces = clean_pieces(text, raw)
    lowercase = lowercase_words(text)

    def is_common_word(word: str) -> bool:
        return word.lower() in lowercase

    counts = Counter(form_of(text, p) for p in pieces)
    pieces = split_glued(text, pieces, counts)
    pieces = split_cited_pairs(text, pieces, is_common_word)
    pieces = mark_species(text, pieces)
    pieces = mark_versions(text, pieces)
    pieces = resolve_headlines(text, pieces, is_common_word)
    surnames = {s for p in pieces if p.kind is Kind.PERSON and (s := surname_of(form_of(text, p)))}
    terms = defined_terms(text, is_common_word)
    pieces = drop_non_names(text, pieces, is_common_word, surnames, terms)
    pieces.sort()
    tagged = Counter(form_of(text, p) for p in pieces)
    occurrences = find_occurrences(text, [(p.start, p.end) for p in pieces], tagged, lowercase)
    untagged = Counter(form for _, _, form in occurrences)
    # A single word tagged twice and found untagged two hundred times ("I'll") is the
    # model's slip, not a name the model missed.
    occurrences = [
        o for o in occurrences if " " in o[2] or PROPAGATION_RATIO * tagged[o[2]] >= untagged[o[2]]
    ]
    state = ConsistencyState()
    state._raw = raw
    mentions = state.resolve(text, pieces, occurrences, is_common_word)
    missed = find_missed_surnames(text, mentions, state.full_names, lowercase)
    return merge(mentions, missed)


MentionTuple = tuple[int, int, str, str, str, str]
"""A mention as built-in values, cheap to send between processes and machines:
``(start, end, kind, label, text, canonical)``."""


def mention_tuples(mentions: Iterable[Mention]) -> list[MentionTuple]:
    return [(m.start, m.end, m.kind.value, m.label, m.text, m.canonical) for m in mentions]


def mentions_from_tuples(tuples: Iterable[MentionTuple]) -> list[Mention]:
    return [
        Mention(start, end, Kind(kind), label, text, canonical)
        for start, end, kind, label, text, canonical in tuples
    ]


def final_mention_tuples(text: str, raw: list[RawSpan]) -> list[MentionTuple]:
    """``apply_consistency`` as built-in tuples, cheap to send between processes."""
    return mention_tuples(apply_consistency(text, raw))
