"""How a PDF's positioned lines become the article's paragraphs: pure geometry, no pdfium.

``pdf`` measures each line once (its text, left and right edges, baseline, font size, the
width of its first word, a trailing soft hyphen, boldness); everything from there on is
decided here from those numbers alone. Running headers, footers and page numbers are dropped
first: left in, they would interrupt sentences and NER would read them as names. Then lines
join into paragraphs by the line pitch, first-line indents and short last lines, paragraphs
that a page or column break split are joined again (undoing the hyphenation where the hyphen
was the break's, as an English word list says), and short lines in a larger or bold font
become headings. Kept apart from the pdfium calls so that the rules can be read, and
changed, without the C interface in view.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from reader.documents.model import BlockKind
from reader.documents.wordlist import english_words

_BAND = 0.1  # share of the page height, top and bottom, where running heads and folios sit
_REPEAT_SHARE = 0.4  # alternating left/right running heads each repeat on half the pages
_MIN_REPEATS = 3
_HEADING_RATIO = 1.15  # font size relative to the body text that makes a short block a heading
_SAME_SIZE = 0.12  # relative size difference still read as the same font size

_SENTENCE_END = re.compile(r"[.!?…:][\"'”’»)\]]*$")
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    r"[\s\-–—|•·(\[]*(?:(?:page|p\.|pg\.?|seite|pagina|página)\s*)?"
    rf"(?:\d{{1,5}}|{_ROMAN})(?:\s*(?:of|/|von|de|sur)\s*\d{{1,5}})?[\s\-–—|•·)\]]*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_EDGE_NUMBER = re.compile(r"^\d{1,5}\b|\b\d{1,5}$")  # "12 Journal of X", "Chapter 2: Y 37"
_BULLET = re.compile(r"[•◦▪▫■□●○‣⁃∙]\s*")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    x1: float
    y: float  # baseline, in PDF units (y grows upwards)
    size: float  # height of the font's box: compares sizes across fonts well enough
    first_word: float  # width of the first word: would it have fitted on the line before?
    soft_hyphen: bool  # ends with a discretionary hyphen that is no part of the word
    bold: bool
    unreadable: bool = False  # drawn in a font that does not say which letters it draws


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    box: tuple[float, float, float, float]  # left, bottom, right, top
    lines: list[Line]


@dataclass(slots=True)
class Paragraph:
    page: int
    text: str
    size: float
    bold: bool
    indented: bool  # its first line starts right of its column's left edge
    after_jump: bool  # starts a page or a column, so it may continue the paragraph before
    soft_end: bool
    lines: int = 1
    kind: BlockKind = "paragraph"
    level: int = 0


def drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and lines that repeat near the top or bottom of many pages."""

    def in_band(page: Page, line: Line) -> bool:
        _, bottom, _, top = page.box
        return not bottom + _BAND * (top - bottom) <= line.y <= top - _BAND * (top - bottom)

    def key(line: Line) -> str:
        return _DIGITS.sub("#", line.text.casefold())

    def folio(page: Page, line: Line) -> int | None:
        """How far a number at either end of the line is from the page's number."""
        match = _EDGE_NUMBER.search(line.text)
        return int(match.group()) - page.number if match else None

    band = [(p, ln) for p in pages for ln in p.lines if in_band(p, ln)]
    seen = Counter(k for p in pages for k in {key(ln) for ln in p.lines if in_band(p, ln)})
    needed = max(_MIN_REPEATS, math.ceil(_REPEAT_SHARE * len(pages)))
    # A chapter's running head changes with the chapter, but its page number keeps step
    # with the page: "Chapter 2: Naming 3" on page 6, "Chapter 3: Use 7" on page 10.
    offsets = Counter(folio(p, ln) for p, ln in band)
    offsets.pop(None, None)
    offset, hits = offsets.most_common(1)[0] if offsets else (None, 0)
    running = {
        id(ln)
        for p, ln in band
        if _PAGE_NUMBER.fullmatch(ln.text)
        or seen[key(ln)] >= needed
        or (hits >= needed and folio(p, ln) == offset)
    }
    for page in pages:
        page.lines = [ln for ln in page.lines if ln.text and id(ln) not in running]


def paragraphs(pages: list[Page]) -> list[Paragraph]:
    """Group lines into paragraphs, then join paragraphs a page or column break split."""
    lines = [ln for p in pages for ln in p.lines]
    if not lines:
        return []
    weights = Counter[float]()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)
    body = weights.most_common(1)[0][0] or 1.0
    vocabulary = set(_WORDS.findall("\n".join(ln.text for ln in lines).casefold()))
    gaps = Counter[float]()
    for page in pages:
        for a, b in itertools.pairwise(page.lines):
            if _same_size(a.size, body) and _same_size(b.size, body) and 0 < a.y - b.y < 3 * body:
                gaps[round(a.y - b.y, 1)] += 1
    pitch = gaps.most_common(1)[0][0] if gaps else body
    paras = [p for page in pages for p in _page_paragraphs(page, body, pitch, vocabulary)]
    bold_body = sum(len(ln.text) for ln in lines if ln.bold) > sum(len(ln.text) for ln in lines) / 2
    for para in paras:
        big = para.size >= _HEADING_RATIO * body and para.lines <= 3 and len(para.text) <= 200
        bold = para.bold and not bold_body and para.lines == 1 and len(para.text) <= 100
        bullet = _BULLET.match(para.text)
        if big or (bold and para.text[-1] not in ".,;"):
            para.kind = "heading"
        elif bullet and bullet.end() < len(para.text):
            para.kind, para.level, para.text = "list_item", 1, para.text[bullet.end() :]
    joined: list[Paragraph] = []
    for para in paras:
        if joined and para.after_jump and _continues(joined[-1], para):
            last = joined[-1]
            last.text = _join(last.text, para.text, last.soft_end, vocabulary)
            last.soft_end, last.lines = para.soft_end, last.lines + para.lines
        else:
            joined.append(para)
    return joined


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= _SAME_SIZE * max(min(a, b), 0.1)


def _page_paragraphs(page: Page, body: float, pitch: float, vocab: set[str]) -> list[Paragraph]:
    lines = page.lines
    if not lines:
        return []
    # Column left edges: the leftmost of the x positions many lines start at, skipping those
    # an indent or a bullet away; only a position far to the right starts another column.
    counts = Counter(round(ln.x0) for ln in lines)
    lefts: list[int] = []
    for x in sorted(x for x, n in counts.items() if n >= max(2, 0.1 * len(lines))):
        if not lefts or x - lefts[-1] > 0.25 * (page.box[2] - page.box[0]):
            lefts.append(x)
    lefts = lefts or [min(counts)]
    column = [max((x for x in lefts if x <= ln.x0 + ln.size), default=lefts[0]) for ln in lines]
    ends: dict[int, list[float]] = {}
    for ln, left in zip(lines, column, strict=True):
        ends.setdefault(left, []).append(ln.x1)
    right = {left: sorted(xs)[int(0.9 * (len(xs) - 1))] for left, xs in ends.items()}

    def start(n: int, after_jump: bool) -> Paragraph:
        line = lines[n]
        indented = line.x0 - column[n] > 0.8 * line.size
        return Paragraph(page.number, line.text, line.size, line.bold, indented, after_jump, False)

    paras = [start(0, True)]
    for n, (a, b) in enumerate(itertools.pairwise(lines)):
        paras[-1].soft_end = a.soft_hyphen
        gap = a.y - b.y
        expected = pitch * max(a.size, b.size) / body
        jump = gap <= 0.3 * expected  # moved up or sideways: the next column
        room = right[column[n]] - a.x1  # space left at the end of line a
        if (
            jump
            or gap > 1.3 * expected
            or not _same_size(a.size, b.size)
            or _BULLET.match(b.text)
            or (
                abs(a.x0 - column[n]) < 0.5 * a.size
                and b.x0 - a.x0 > 0.8 * b.size
                and not _BULLET.match(paras[-1].text)  # a hanging indent goes on with an item
            )
            or (_SENTENCE_END.search(a.text) and room > b.first_word + 0.5 * b.size)
        ):
            paras.append(start(n + 1, jump))
        else:
            para = paras[-1]
            para.text = _join(para.text, b.text, para.soft_end, vocab)
            para.lines += 1
            para.bold = para.bold and b.bold
    paras[-1].soft_end = lines[-1].soft_hyphen
    return paras


def _continues(a: Paragraph, b: Paragraph) -> bool:
    """Whether ``b``, after a page or column break, goes on with the sentence ``a`` left open."""
    if a.kind == "heading" or b.kind != "paragraph" or b.indented:
        return False
    if not _same_size(a.size, b.size):
        return False
    if a.soft_end:
        return True
    if _SENTENCE_END.search(a.text) or not b.text[0].isalpha():
        return False
    return b.text[0].islower() or a.text[-1] in ",;-–—" or a.text[-1].isalpha()


def _join(a: str, b: str, soft: bool, vocab: set[str]) -> str:
    """Join two lines of one paragraph, undoing hyphenation where the hyphen was the break's."""
    if soft:
        return a + b
    if a.endswith("-") and len(a) > 1 and not a[-2].isspace():
        fragment = _LAST_WORD.search(a[:-1])
        word = _FIRST_WORD.match(b)
        if fragment and word and b[0].islower():
            head, tail = fragment.group().casefold(), word.group().casefold()
            compound = a[: fragment.start()].endswith("-")  # "well-to-" + "do"
            if not compound and not _hyphenated(head, tail, vocab):
                return a[:-1] + b
        return a + b  # "Franco-" + "German", "1990-" + "2000"
    if a.endswith("—") and len(a) > 1 and not a[-2].isspace():
        return a + b
    return f"{a} {b}"


def _hyphenated(head: str, tail: str, vocab: set[str]) -> bool:
    """Whether "head-" + "tail" at a line break is a hyphenated word, not one word split.

    The document's own spelling decides first ("e-mail" or "email" elsewhere in it), then
    the English word list: "example" is a word, so "ex-ample" was split by the typesetter;
    "exwife" is not while "ex" and "wife" are, so "ex-wife" keeps its hyphen. Words the
    list does not know (names, terms of art) are joined: most line-end hyphens are breaks.
    """
    joined = head + tail
    if f"{head}-{tail}" in vocab and joined not in vocab:
        return True
    if joined in vocab:
        return False
    words = english_words()
    if joined in words:
        return False
    return head in words and tail in words


def mark_headings(paras: list[Paragraph], known_title: str) -> str:
    """Pick the title block and number heading levels; return the title block's text."""
    headings = [p for p in paras if p.kind == "heading"]
    title = ""
    if headings:
        top = max(headings, key=lambda p: p.size)
        first = [p for p in headings if p.page == paras[0].page and _same_size(p.size, top.size)]
        if first and (not known_title or first[0].text.casefold() == known_title.casefold()):
            first[0].kind = "title"
            title = first[0].text
    sizes = sorted({round(p.size) for p in paras if p.kind == "heading"}, reverse=True)
    for para in paras:
        if para.kind == "heading":
            para.level = min(sizes.index(round(para.size)) + 1, 6)
    return title
