"""Plain text articles: paragraphs, a title, headings and a byline from bare lines.

A .txt file carries no markup, so structure is guessed from layout: blank lines separate
paragraphs, a short first line is a title, "CHAPTER IV" is a heading. The guesses are
deliberately conservative: a wrong heading only changes how a line looks, but joining or
splitting prose wrongly would hurt the entity recogniser, which works on sentences.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import NamedTuple

from reader.documents.cleanup import (
    byline_author,
    collapse_spaces,
    fallback_title,
    normalise_newlines,
    split_date_line,
    split_source_line,
)
from reader.documents.model import BlockDraft, Document, Metadata, assemble

# Hard-wrapped files (e-mail, Project Gutenberg, fixed-width editors) wrap at 60-80 columns.
HARD_WRAP_LINE_CHARS = 100
TITLE_MAX_CHARS = 150
HEADING_MAX_CHARS = 100
CAPS_HEADING_MAX_CHARS = 60

_SENTENCE_END = ".!?,;:"
_NUMERAL = (
    r"(?:[ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
)
_KEYWORD_HEADING = re.compile(
    rf"^(?:chapter|book|part|section|volume|act|scene|canto|stave|letter)\s+{_NUMERAL}\b"
    rf"(?P<bare>[.:]?$)?",
    re.IGNORECASE,
)
_NAMED_HEADING = re.compile(
    r"^(?:prologue|epilogue|preface|foreword|afterword|introduction|conclusion|contents"
    r"|table of contents|acknowledge?ments|notes|references|bibliography|appendix(?: \w+)?)$",
    re.IGNORECASE,
)
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\.?$")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,3}[.)])\s+")
_WRAPPED_HYPHEN = re.compile(r"[^\W\d_]-$")


class _Paragraph(NamedTuple):
    text: str
    lines: int  # how many source lines it was joined from


def parse_plain_text(text: str, metadata: Metadata) -> Document:
    """Build a ``Document`` from plain text; ``metadata`` is copied, not changed.

    Title, author and source URL found in the text fill only fields ``metadata`` leaves
    empty, so what a caller already knows wins.
    """
    meta = replace(metadata, format="text")
    text, url = split_source_line(normalise_newlines(text))
    text, date = split_date_line(text)
    meta.source_url = meta.source_url or url
    meta.date = meta.date or date
    drafts = _classify(_paragraphs(text.split("\n")), meta)
    meta.title = meta.title or fallback_title(text, meta.path)
    return assemble(drafts, meta)


def _paragraphs(lines: list[str]) -> list[_Paragraph]:
    if _is_hard_wrapped(lines):
        return _join_wrapped(lines)
    return [_Paragraph(collapse_spaces(line), 1) for line in lines if line.strip()]


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Blank lines between paragraphs and mostly short lines: line ends are only wrapping.

    Decided once per document: a file is either wrapped by an editor or written one
    paragraph per line, and mixing both readings would split sentences arbitrarily.
    """
    content = [i for i, line in enumerate(lines) if line.strip()]
    if not content:
        return False
    has_blank = any(not line.strip() for line in lines[content[0] : content[-1]])
    short = sum(len(lines[i].strip()) <= HARD_WRAP_LINE_CHARS for i in content)
    return has_blank and short * 2 > len(content)


def _join_wrapped(lines: list[str]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(_Paragraph(collapse_spaces(_join_lines(current)), len(current)))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        if _BULLET.match(line):  # a list keeps one item per paragraph even when wrapped
            flush()
        elif not paragraphs and len(current) == 1 and byline_author(line):
            flush()  # "Title\nBy Jane Doe": a title and a byline, not one wrapped sentence
            current.append(line.strip())
            flush()
            continue
        current.append(line.strip())
    flush()
    return paragraphs


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines with a space, except after a hyphen the wrap split a word at.

    "Jean-\\nPierre" must stay one token for the entity recogniser; keeping the hyphen is
    right for compounds and merely old-fashioned for syllable breaks ("exam-ple").
    """
    parts = [lines[0]]
    for previous, line in pairwise(lines):
        parts.append(line if _WRAPPED_HYPHEN.search(previous[-2:]) else " " + line)
    return "".join(parts)


def _classify(paragraphs: list[_Paragraph], meta: Metadata) -> list[BlockDraft]:
    drafts = [BlockDraft("paragraph", p.text) for p in paragraphs]
    first = 0
    if len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        drafts[0] = BlockDraft("title", paragraphs[0].text, level=1)
        meta.title = meta.title or paragraphs[0].text
        first = 1
        author = byline_author(paragraphs[1].text) if paragraphs[1].lines == 1 else ""
        if author:
            meta.author = meta.author or author
            first = 2  # the byline stays a paragraph, even in capitals
    for i in range(first, len(paragraphs)):
        if paragraphs[i].lines == 1 and _looks_like_heading(paragraphs[i].text):
            drafts[i] = BlockDraft("heading", paragraphs[i].text, level=2)
    return drafts


def _looks_like_title(paragraph: _Paragraph) -> bool:
    text = paragraph.text
    return (
        paragraph.lines == 1
        and 0 < len(text) <= TITLE_MAX_CHARS
        and (text[-1] not in ".,;:" or text.endswith("..."))
    )


def _looks_like_heading(text: str) -> bool:
    """Chapter and part markers, standalone section names, short lines in capitals."""
    if not text or len(text) > HEADING_MAX_CHARS:
        return False
    ends_sentence = text[-1] in _SENTENCE_END
    keyword = _KEYWORD_HEADING.match(text)
    if keyword is not None:
        return keyword.group("bare") is not None or not ends_sentence
    if _NAMED_HEADING.match(text) or _ROMAN_HEADING.match(text):
        return True
    if ends_sentence or len(text) > CAPS_HEADING_MAX_CHARS:
        return False
    # Two words at least: a lone capitalised word is as often a letter's signature
    # ("JULIE" in War and Peace) or a shout as it is a heading.
    upper = sum(ch.isupper() for ch in text)
    return upper >= 2 and " " in text and not any(ch.islower() for ch in text)
