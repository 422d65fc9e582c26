"""Sane spans, with the whole document in view.

``cleanup.py`` cleans each model span from the text around it. Some mistakes only show
against the rest of the document:

* two names glued where a comma was missing ("When he returned to Moscow Pierre was
  handed a letter"): "Moscow Pierre" occurs once, "Moscow" and "Pierre" hundreds of times;
* title-case headlines ("Russia Hosts Taliban Talks as It Seeks Regional Influence"), where
  capitals say nothing: only the parts that are names elsewhere in the text are kept;
* technical terms written as acronyms of ordinary words ("sea surface salinity (SSS)",
  "System Under Test (SUT)" where the text writes "system" and "test" in lower case);
* two authors of a citation taken for one organization ("Okafor & Lindqvist 2014");
* a genus before a Latin species name ("Beauveria bassiana") and numbered versions of one
  product ("IE6", "IE9" beside "IE"): other names, not people, places or organizations;
* generic words used as short names ("the Court", "the West") and titles on their own;
* ordinary words capitalised only because they start a sentence ("Iodine deficiency is...").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from reader.documents.wordlist import english_words
from reader.entities.cleanup import Piece, at_sentence_start
from reader.entities.kinds import Kind
from reader.entities.namelists import given_names, place_names
from reader.entities.wordlists import (
    FUNCTION_WORDS,
    GENERIC_NAMES,
    NAME_PARTICLES,
    ORGANIZATION_HEADS,
    OTHER_HEADS,
    PLACE_HEADS,
    TITLES,
)

# A glued name is split when its parts occur on their own this many times more than the whole.
GLUED_RATIO = 5
_LINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Za-z]{1,7}?)s?\)")
_WORDS_BEFORE = re.compile(r"((?:[\w'’-]+[ -]){1,10})$")


def form_of(text: str, piece: Piece) -> str:
    return " ".join(text[piece.start : piece.end].split())


def split_glued(text: str, pieces: list[Piece], counts: Counter[str]) -> list[Piece]:
    """Split a rare person's name made of two names that are frequent on their own.

    "Natasha Pierre" (once) where "Natasha" and "Pierre" occur hundreds of times, or "Moscow
    Pierre" where "Moscow" is a place: a comma was missing. "Nicholas Rostov" stays whole:
    it is frequent itself.
    """
    place_forms = {form_of(text, p) for p in pieces if p.kind is Kind.PLACE}
    result: list[Piece] = []
    for piece in pieces:
        form = form_of(text, piece)
        if " " not in form or piece.kind is not Kind.PERSON:
            result.append(piece)
            continue
        whole = counts[form]
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[piece.start : piece.end])]
        for index in range(1, len(words)):
            left = " ".join(text[piece.start + s : piece.start + e] for s, e in words[:index])
            right = " ".join(text[piece.start + s : piece.start + e] for s, e in words[index:])
            frequent_right = counts[right] >= GLUED_RATIO * whole
            if frequent_right and (
                counts[left] >= GLUED_RATIO * whole or _is_place_word(left, place_forms)
            ):
                cut_left = piece.start + words[index - 1][1]
                cut_right = piece.start + words[index][0]
                result.append(piece._replace(end=cut_left))
                result.append(piece._replace(start=cut_right, titled=False))
                break
        else:
            result.append(piece)
    return result


def _is_place_word(word: str, place_forms: set[str]) -> bool:
    if " " in word:
        return False
    return word in place_forms or (word in place_names() and word not in given_names())


_TWO_AUTHORS = re.compile(r"([A-Z][\w'’-]+) (?:&|and) ([A-Z][\w'’-]+)")
_CITED_YEAR = re.compile(r"(?:,?\s*|\s*\()(?:1[6-9]|20)\d\d[a-z]?(?=[\s),;:.]|$)")


def split_cited_pairs(
    text: str, pieces: list[Piece], is_common_word: Callable[[str], bool]
) -> list[Piece]:
    """ "Baron & Beresford 2014", "Smith and Jones (2010)": a citation names two authors,
    whatever the model took the pair for. Not a title's words ("Nature, Development and
    Origin (1922)"), which the text also writes in lower case."""
    result: list[Piece] = []
    for piece in pieces:
        pair = _TWO_AUTHORS.fullmatch(text, piece.start, piece.end)
        if (
            pair is None
            or not _CITED_YEAR.match(text, piece.end)
            or is_common_word(pair.group(1))
            or is_common_word(pair.group(2))
        ):
            result.append(piece)
            continue
        result.append(Piece(pair.start(1), pair.end(1), Kind.PERSON, "PERSON", False))
        result.append(Piece(pair.start(2), pair.end(2), Kind.PERSON, "PERSON", False))
    return result


# A species' second word: lower case, Latin-looking ("Formica fusca", "Escherichia coli").
_EPITHET = re.compile(r" ([a-z]{3,}(?:a|ae|i|o|us|um|is|es|ens|ix|ax|ex))\b(?!['’-])")


def mark_species(text: str, pieces: list[Piece]) -> list[Piece]:
    """A capitalised word before a Latin species name ("Beauveria bassiana") is a genus,
    in every mention: another name, not a person, place or organization. The second word
    must not be English ("Paris is", "Bolton area"), and a genus is written so in most of
    its mentions: a foreign word after a few of a thousand "Andrew"s does not count."""
    words = english_words()
    if not words:
        return pieces
    seen: Counter[str] = Counter()
    before_epithet: Counter[str] = Counter()
    for piece in pieces:
        form = form_of(text, piece)
        if " " in form or not form[:1].isupper() or not form[1:].islower():
            continue
        seen[form] += 1
        epithet = _EPITHET.match(text, piece.end)
        if epithet is not None and epithet.group(1) not in words:
            before_epithet[form] += 1
    genera = {
        form
        for form, count in before_epithet.items()
        if 2 * count >= seen[form] and form not in given_names()
    }
    if not genera:
        return pieces
    return [
        p._replace(kind=Kind.OTHER, label="MISC") if form_of(text, p) in genera else p
        for p in pieces
    ]


_NUMBERED = re.compile(r"([A-Z][A-Za-z]*?)(\d{1,3})")
_NUMBERED_WORD = re.compile(r"(?<![\w-])([A-Z][A-Za-z]*?)(\d{1,3})(?![\w-])")


def mark_versions(text: str, pieces: list[Piece]) -> list[Piece]:
    """Numbered versions of one thing ("IE6" and "IE9" beside "IE"): products, other names.

    Only when the text numbers the same word at least twice and also writes it alone, so
    "U2", "G20" or "Cloud9" on their own are left as the model said."""
    numbered = [_NUMBERED.fullmatch(text, p.start, p.end) for p in pieces]
    wanted = {match.group(1) for match in numbered if match is not None}
    if not wanted:
        return pieces  # the usual case: no text scan
    numbers: dict[str, set[str]] = defaultdict(set)
    for match in _NUMBERED_WORD.finditer(text):
        if match.group(1) in wanted:  # only the prefixes of numbered names can matter
            numbers[match.group(1)].add(match.group(2))
    families = {
        prefix
        for prefix, found in numbers.items()
        if len(found) > 1 and re.search(rf"(?<![\w-]){re.escape(prefix)}(?![\w-])", text)
    }
    if not families:
        return pieces
    return [
        piece._replace(kind=Kind.OTHER, label="PRODUCT")
        if match is not None and match.group(1) in families
        else piece
        for piece, match in zip(pieces, numbered, strict=True)
    ]


def is_title_case_line(line: str) -> bool:
    """A headline in title case: capitals there say nothing about names."""
    if line.rstrip().endswith((".", "?", "!", ":")) and not line.rstrip().endswith("..."):
        return False
    content = [w for w in _LINE_WORD.findall(line) if w.lower() not in FUNCTION_WORDS]
    content = [w for w in content if w.lower() not in NAME_PARTICLES]
    if len(content) < 3:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised == len(content)


def headline_lines(text: str, pieces: list[Piece]) -> set[int]:
    """Start offsets of the title-case lines that hold a piece."""
    starts: set[int] = set()
    checked: dict[int, bool] = {}
    for piece in pieces:
        line_start = text.rfind("\n", 0, piece.start) + 1
        if line_start not in checked:
            line_end = text.find("\n", piece.start)
            line = text[line_start : line_end if line_end != -1 else len(text)]
            checked[line_start] = len(line) < 300 and is_title_case_line(line)
        if checked[line_start]:
            starts.add(line_start)
    return starts


def resolve_headlines(
    text: str, pieces: list[Piece], is_common_word: Callable[[str], bool]
) -> list[Piece]:
    """In title-case lines keep only names the rest of the document confirms."""
    lines = headline_lines(text, pieces)
    if not lines:
        return pieces

    def line_of(piece: Piece) -> int:
        return text.rfind("\n", 0, piece.start) + 1

    in_headline = [line_of(p) in lines for p in pieces]
    known = {form_of(text, p): p.kind for p, h in zip(pieces, in_headline, strict=True) if not h}
    result: list[Piece] = []
    for piece, headline in zip(pieces, in_headline, strict=True):
        form = form_of(text, piece)
        if not headline or form in known:
            result.append(piece)
            continue
        parts = _known_parts(text, piece, known)
        if parts:
            result.extend(parts)
        elif not any(is_common_word(w) for w in form.split(" ")):
            result.append(piece)  # nothing says it is not a name: as the model said
    return result


def _known_parts(text: str, piece: Piece, known: dict[str, Kind]) -> list[Piece]:
    """The longest runs of words in ``piece`` that are names elsewhere, left to right."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[piece.start : piece.end])]
    words = [(piece.start + s, piece.start + e) for s, e in words]
    found: list[Piece] = []
    index = 0
    while index < len(words):
        for stop in range(len(words), index, -1):
            form = " ".join(text[s:e] for s, e in words[index:stop])
            if form in known:
                found.append(
                    Piece(words[index][0], words[stop - 1][1], known[form], piece.label, False)
                )
                index = stop
                break
        else:
            index += 1
    return found


def defined_terms(text: str, is_common_word: Callable[[str], bool] = lambda _w: False) -> set[str]:
    """Acronyms the text defines with ordinary words: "sea surface salinity (SSS)", "System
    Under Test (SUT)" where the text also writes "system", "under" and "test" in lower case.

    A definition headed by a word that names an organization or a place ("World Health
    Organisation (WHO)", "Bank of England (BoE)") is a name, whatever its words.
    """
    terms: set[str] = set()
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        acronym = match.group(1)
        before = _WORDS_BEFORE.search(text, max(0, match.start() - 120), match.start())
        if before is None:
            continue
        words = [w for w in re.split(r"[ -]", before.group(1)) if w]
        words = [w for w in words if w.lower() not in NAME_PARTICLES]
        letters = acronym.upper()
        if len(words) < len(letters):
            continue
        defining = words[-len(letters) :]
        if "".join(w[0].upper() for w in defining) != letters:
            continue
        if all(w[0].islower() for w in defining) or _is_term(defining, is_common_word):
            terms.add(acronym)
    return terms


def _is_term(words: list[str], is_common_word: Callable[[str], bool]) -> bool:
    """Capitalised words that the text also uses as ordinary words, under no name's head."""
    head = words[-1].lower()
    if head in ORGANIZATION_HEADS or head in PLACE_HEADS or head in OTHER_HEADS:
        return False
    if any(w in place_names() or w in given_names() for w in words):
        return False
    return all(is_common_word(w) or w.lower() in FUNCTION_WORDS for w in words)


def drop_non_names(
    text: str,
    pieces: list[Piece],
    is_common_word: Callable[[str], bool],
    surnames: set[str],
    terms: set[str],
) -> list[Piece]:
    """Generic words, lone titles, defined terms, and words capitalised only by position."""
    informative: dict[str, bool] = defaultdict(bool)  # form -> capitalised where it tells
    for piece in pieces:
        form = form_of(text, piece)
        if " " not in form and not at_sentence_start(text, piece.start):
            informative[form] = True
    kept: list[Piece] = []
    for piece in pieces:
        form = form_of(text, piece)
        if form in terms:
            continue
        if " " not in form:
            bare = form.lower().rstrip(".")
            if bare in GENERIC_NAMES:
                continue
            if bare in TITLES and form not in surnames:
                continue
            if not informative[form] and is_common_word(form):
                continue
        kept.append(piece)
    return kept
