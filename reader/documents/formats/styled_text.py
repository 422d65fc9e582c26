"""One block's text as it streams out of a format reader, with its emphasis and links.

Every markup reader (DOCX, ODT, EPUB, RTF, the HTML article) meets a paragraph's text in
many small pieces (XML text nodes and tails, runs and spans, RTF runs between control
words) whose whitespace is only layout: newlines inside a source paragraph, indentation,
runs of spaces, tabs. A block of the canonical text is one stripped line, so whitespace is
collapsed here, once, and the inline styles recorded against the raw pieces are moved to
the collapsed text. Doing it per piece instead would get the offsets wrong wherever a space
run straddles two pieces; doing it in each reader made five slightly different answers.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reader.documents.model import BlockDraft, BlockKind, InlineStyle, InlineStyleKind

StyleKey = tuple[InlineStyleKind, str]  # (style, link target or "")
NO_STYLES: frozenset[StyleKey] = frozenset()
BOLD: StyleKey = ("bold", "")
ITALIC: StyleKey = ("italic", "")

# Whitespace other than the no-break spaces (kept on purpose, as in cleanup.collapse_spaces:
# "10\u00a0km"), or characters that must never reach a text widget: C0/C1 controls, the
# byte-order mark and lone surrogates (which cannot even be encoded for the document's hash).
_SPACE_CLASS = r"[^\S\u00a0\u2007\u202f]+"
_CONTROL_CLASS = r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff]"
_NOISE = re.compile(rf"(?P<space>{_SPACE_CLASS})|{_CONTROL_CLASS}")
_SPACES = re.compile(_SPACE_CLASS)
_CONTROLS = re.compile(_CONTROL_CLASS)


def emphasis(bold: bool | None, italic: bool | None, link: str = "") -> frozenset[StyleKey]:
    """The style keys of a run whose formatting says bold, italic and (maybe) a link."""
    keys: list[StyleKey] = []
    if bold:
        keys.append(BOLD)
    if italic:
        keys.append(ITALIC)
    if link:
        keys.append(("link", link))
    return frozenset(keys)


def with_label(draft: BlockDraft, label: str) -> BlockDraft:
    """``draft`` with a list number put before its text ("2. ", "b) "), styles moved on."""
    if not label:
        return draft
    shift = len(label)
    draft.text = label + draft.text
    draft.styles = [
        InlineStyle(s.start + shift, s.end + shift, s.style, s.target) for s in draft.styles
    ]
    return draft


class StyledText:
    """The text of one block being read, plus the styles active over each piece."""

    __slots__ = ("_length", "_nonblank", "_open", "_parts", "_pending_separator", "_spans")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._open: dict[StyleKey, int] = {}
        self._spans: list[tuple[int, int, StyleKey]] = []
        self._nonblank = False
        self._pending_separator = ""

    @property
    def has_text(self) -> bool:
        """Whether anything but whitespace has been added."""
        return self._nonblank

    def separate(self, separator: str) -> None:
        """Put ``separator`` before the next non-blank text (table cells: " | ").

        Deferred so that an empty last cell, or a row's first cell, adds no dangling bar.
        """
        if self._nonblank:
            self._pending_separator = separator

    def space(self) -> None:
        """A word break (a tab, a line break, the gap between two paragraphs of a cell).

        It leaves the open styles alone: a tab inside a bold run does not split the run.
        """
        self._parts.append(" ")
        self._length += 1

    def append(self, text: str, styles: frozenset[StyleKey] = NO_STYLES) -> None:
        if not text:
            return
        nonblank = not text.isspace()
        if self._pending_separator and nonblank:
            separator, self._pending_separator = self._pending_separator, ""
            self.append(separator)
        if styles or self._open:
            self._switch_styles(styles)
        self._parts.append(text)
        self._length += len(text)
        self._nonblank = self._nonblank or nonblank

    def _switch_styles(self, styles: frozenset[StyleKey]) -> None:
        for key in [k for k in self._open if k not in styles]:
            start = self._open.pop(key)
            if start < self._length:
                self._spans.append((start, self._length, key))
        for key in styles:
            if key not in self._open:
                self._open[key] = self._length

    def draft(self, kind: BlockKind, level: int = 0) -> BlockDraft | None:
        """The finished block, or None when it holds no text; the builder is spent after."""
        if not self._nonblank:
            return None
        if self._open:
            self._switch_styles(NO_STYLES)
        raw = "".join(self._parts)
        if not self._spans:  # the common case: no offsets to carry over
            text = _SPACES.sub(" ", _CONTROLS.sub("", raw)).strip()
            return BlockDraft(kind, text, level) if text else None
        text, raw_starts, new_starts, ends = _collapse(raw)
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            return None
        styles: list[InlineStyle] = []
        for raw_start, raw_end, (style, target) in sorted(self._spans):
            start = _map(raw_start, raw_starts, new_starts, ends, at_end=False) - lead
            end = _map(raw_end, raw_starts, new_starts, ends, at_end=True) - lead
            start, end = max(start, 0), min(end, len(text))
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                styles.append(InlineStyle(start, end, style, target))
        return BlockDraft(kind, text, level, styles=_merge(styles, text))


def _collapse(raw: str) -> tuple[str, list[int], list[int], list[int]]:
    """Collapse whitespace and drop noise; also return where each kept segment went.

    Segments are the stretches of ``raw`` copied unchanged: ``raw_starts[i]`` is where
    segment i starts in ``raw``, ``new_starts[i]`` where it starts in the result and
    ``ends[i]`` where it ends in ``raw``.
    """
    out: list[str] = []
    raw_starts: list[int] = []
    new_starts: list[int] = []
    ends: list[int] = []
    position = 0
    length = 0
    last_space = True  # nothing emitted yet: a leading space would be stripped anyway
    for match in _NOISE.finditer(raw):
        if match.start() > position:
            raw_starts.append(position)
            new_starts.append(length)
            ends.append(match.start())
            out.append(raw[position : match.start()])
            length += match.start() - position
            last_space = False
        if match.group("space") is not None and not last_space:
            out.append(" ")
            length += 1
            last_space = True
        position = match.end()
    if position < len(raw):
        raw_starts.append(position)
        new_starts.append(length)
        ends.append(len(raw))
        out.append(raw[position:])
    return "".join(out), raw_starts, new_starts, ends


def _map(
    offset: int,
    raw_starts: list[int],
    new_starts: list[int],
    ends: list[int],
    *,
    at_end: bool,
) -> int:
    """Where raw ``offset`` lands in the collapsed text.

    An offset inside removed whitespace moves to the nearest kept text on the style's
    inner side, so a style never starts or ends on a collapsed space.
    """
    index = bisect_right(raw_starts, offset) - 1
    if index < 0:
        return 0
    if offset <= ends[index]:
        return new_starts[index] + offset - raw_starts[index]
    if at_end:
        return new_starts[index] + ends[index] - raw_starts[index]
    if index + 1 < len(new_starts):
        return new_starts[index + 1]
    return new_starts[index] + ends[index] - raw_starts[index]


def _merge(styles: list[InlineStyle], text: str) -> list[InlineStyle]:
    """Join spans of one style that touch, overlap or are apart by whitespace only.

    "<i>a</i><i>b</i>" is one span, and so is "**Margaret** **Thatcher**": one bold name
    to a reader, however the writer's runs happened to be cut.
    """
    merged: list[InlineStyle] = []
    last: dict[StyleKey, int] = {}
    for style in sorted(styles, key=lambda s: (s.start, s.end)):
        key = (style.style, style.target)
        index = last.get(key)
        if index is not None and (
            merged[index].end >= style.start or text[merged[index].end : style.start].isspace()
        ):
            previous = merged[index]
            merged[index] = InlineStyle(
                previous.start, max(previous.end, style.end), style.style, style.target
            )
            continue
        last[key] = len(merged)
        merged.append(style)
    merged.sort(key=lambda s: (s.start, s.end, s.style, s.target))
    return merged
