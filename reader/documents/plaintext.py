"""Plain text articles: paragraphs, a title, headings and a byline from bare lines.

A .txt file carries no markup, so structure is guessed from layout: blank lines separate
paragraphs, a short first line is a title, "CHAPTER IV" is a heading. The guesses are
deliberately conservative: a wrong heading only changes how a line looks, but joining or
splitting prose wrongly would hurt the entity recogniser, which works on sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain, islice, pairwise
from typing import NamedTuple

from reader.documents.cleanup import (
    byline_author,
    collapse_spaces,
    fallback_title,
    line_spans,
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
    drafts = _classify(_paragraphs(text), meta)
    meta.title = meta.title or fallback_title(text, meta.path)
    return assemble(drafts, meta)


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    """The paragraphs, one at a time: a text of a million short paragraphs never holds its
    lines or its paragraphs all at once besides its blocks (issue 11's memory budget)."""
    if _is_hard_wrapped(_lines(text)):
        return _join_wrapped(_lines(text))
    return (_Paragraph(collapse_spaces(line), 1) for line in _lines(text) if line.strip())


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, one at a time."""
    return (line for _, line in line_spans(text))


def _is_hard_wrapped(lines: Iterable[str]) -> bool:
    """Blank lines between paragraphs and mostly short lines: line ends are only wrapping.

    Decided once per document: a file is either wrapped by an editor or written one
    paragraph per line, and mixing both readings would split sentences arbitrarily.
    """
    seen_content = blank_pending = has_blank = False
    content = short = 0
    for line in lines:
        stripped = line.strip()
        if stripped:
            has_blank = has_blank or blank_pending
            seen_content, blank_pending = True, False
            content += 1
            short += len(stripped) <= HARD_WRAP_LINE_CHARS
        elif seen_content:
            blank_pending = True
    return content > 0 and has_blank and short * 2 > content


def _join_wrapped(lines: Iterable[str]) -> Iterator[_Paragraph]:
    current: list[str] = []
    first = True

    def flush() -> _Paragraph | None:
        if not current:
            return None
        paragraph = _Paragraph(collapse_spaces(_join_lines(current)), len(current))
        current.clear()
        return paragraph

    for line in lines:
        if not line.strip():
            if (done := flush()) is not None:
                first = False
                yield done
            continue
        if _BULLET.match(line):  # a list keeps one item per paragraph even when wrapped
            if (done := flush()) is not None:
                first = False
                yield done
        elif first and len(current) == 1 and byline_author(line):
            # "Title\nBy Jane Doe": a title and a byline, not one wrapped sentence
            if (done := flush()) is not None:
                yield done
            current.append(line.strip())
            if (done := flush()) is not None:
                first = False
                yield done
            continue
        current.append(line.strip())
    if (done := flush()) is not None:
        yield done


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines with a space, except after a hyphen the wrap split a word at.

    "Jean-\\nPierre" must stay one token for the entity recogniser; keeping the hyphen is
    right for compounds and merely old-fashioned for syllable breaks ("exam-ple").
    """
    parts = [lines[0]]
    for previous, line in pairwise(lines):
        parts.append(line if _WRAPPED_HYPHEN.search(previous[-2:]) else " " + line)
    return "".join(parts)


def _classify(paragraphs: Iterable[_Paragraph], meta: Metadata) -> Iterator[BlockDraft]:
    """Title, byline, headings and paragraphs, one draft at a time (see ``_paragraphs``)."""
    stream = iter(paragraphs)
    head = list(islice(stream, 2))
    first = 0
    if len(head) > 1 and _looks_like_title(head[0]):
        meta.title = meta.title or head[0].text
        first = 1
        author = byline_author(head[1].text) if head[1].lines == 1 else ""
        if author:
            meta.author = meta.author or author
            first = 2  # the byline stays a paragraph, even in capitals
    for index, paragraph in enumerate(chain(head, stream)):
        if index == 0 and first:
            yield BlockDraft("title", paragraph.text, level=1)
        elif index >= first and paragraph.lines == 1 and _looks_like_heading(paragraph.text):
            yield BlockDraft("heading", paragraph.text, level=2)
        else:
            yield BlockDraft("paragraph", paragraph.text)


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
