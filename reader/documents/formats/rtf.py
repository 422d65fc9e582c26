r"""RTF documents: a small tokenizer and interpreter, in one pass and linear time.

RTF is a stream of groups ``{...}``, control words (``\par``, ``\b0``, ``\u8220``) and
text; character and paragraph formatting live in a per-group state that a closing brace
restores. The interpreter keeps those states on an explicit stack (no recursion, with a
depth cap) so a hostile file of ``{{{{…`` cannot exhaust the Python stack, and skips
unwanted groups (pictures, headers, embedded objects) with a brace scan instead of
interpreting them. A regular-expression lexer hands out one token at a time, so the work
is proportional to the file's length. Truncated files keep what was read before the cut:
a damaged RTF usually still holds readable text, and a researcher would rather have it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from reader.documents.cleanup import fallback_title
from reader.documents.formats.rtf_lists import RtfLists, number_like
from reader.documents.formats.rtf_output import RtfOutput, creation_date
from reader.documents.formats.rtf_tables import (
    AUTHOR,
    BODY,
    CHARACTERS,
    CHARSET_CODEPAGES,
    DATE,
    DEFAULT_CODEC,
    DESTINATIONS,
    FIELD,
    FONTS,
    HANDLED,
    IGNORED,
    LEVEL_TEXT,
    LIST_WORDS,
    LISTS,
    NOTE,
    NUMBER_TEXT,
    PARAGRAPH,
    SKIPPED_WORDS,
    STARRED,
    STYLE,
    STYLES,
    SYMBOLS,
    TEXT_DESTINATIONS,
    TITLE,
    GroupState,
    codec_for_codepage,
    hyperlink_target,
    style_kind,
)
from reader.documents.model import BlockKind, Document, Metadata, assemble
from reader.errors import DocumentError

MAX_DEPTH = 1000

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 1, 2: control word and its parameter
    rb"|\\'([0-9a-fA-F]{2})"  # 3: a byte in hex
    rb"|\\(.)"  # 4: control symbol
    rb"|([{}])"  # 5: group start or end
    rb"|([^\\{}\r\n]+)"  # 6: text
    rb"|[\r\n]+|\\",  # line ends (ignored by the format) and a trailing backslash
    re.DOTALL,
)
_HEADLESS_START = re.compile(rb"\s*(?:\{\s*)?\\(?:\*\\)?[a-z]{1,32}")
_RTF_WORDS = re.compile(
    rb"\\(par|pard|plain|fonttbl|colortbl|stylesheet|ansi|ansicpg|deff|fs|f|cf|ql|qj|b|i)"
    rb"(?:-?\d+)?(?![a-zA-Z])"
)
_SKIP_SCAN = re.compile(rb"\\bin(-?\d{1,10}) ?|\\[\\{}]|[{}]")


def looks_like_rtf(data: bytes) -> bool:
    """Whether ``data`` starts with the RTF signature (after a stray BOM or blank lines)."""
    return data[:64].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{\\rtf")


def looks_like_headless_rtf(data: bytes) -> bool:
    """RTF without its ``{\\rtf1`` opening: cut off at the start, or a copied fragment.

    It starts with a control word (perhaps in a group) and uses words only RTF has.
    """
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    return bool(_HEADLESS_START.match(head)) and len(set(_RTF_WORDS.findall(head))) >= 2


HEADLESS_NOTICE = (
    "This file lacks the “{\\rtf1” line every RTF file starts with, so it may have been cut "
    "off at the start: the text shown is what could be read. Ask for a complete copy."
)


def read_rtf(data: bytes, metadata: Metadata) -> Document:
    """Read an RTF document; fields ``metadata`` already has are kept."""
    name = Path(metadata.path).name or "this RTF file"
    notice = ""
    if not looks_like_rtf(data):
        if not looks_like_headless_rtf(data):
            raise DocumentError(
                f"“{name}” is not an RTF file: it does not start with “{{\\rtf1” as every "
                "RTF file does and holds no RTF formatting; if it is plain text, rename it "
                "to .txt and open it again."
            )
        data, notice = b"{\\rtf1 " + data.removeprefix(b"\xef\xbb\xbf") + b"}", HEADLESS_NOTICE
    reader = _Interpreter(name)
    reader.run(data, start=data.index(b"{\\rtf"))
    drafts = reader.out.drafts()
    meta = replace(metadata, format="rtf", notice=metadata.notice or notice)
    meta.author = meta.author or reader.info.get(AUTHOR, "")
    meta.date = meta.date or creation_date(reader.created)
    document = assemble(drafts, meta)
    if not document.text.strip():
        raise DocumentError(
            f"“{name}” contains no text reader can show (it may hold only pictures or be "
            "damaged); open it in a word processor to check what it contains."
        )
    first_heading = next((d.text for d in drafts if d.kind in ("title", "heading")), "")
    meta.title = (
        meta.title
        or reader.info.get(TITLE, "")
        or first_heading
        or fallback_title(document.text, meta.path)
    )
    return document


class _Interpreter:
    """Turns the token stream into block drafts, notes and document information."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.state = GroupState()
        self.stack: list[GroupState] = []
        self.codec = DEFAULT_CODEC
        self.default_font = -1
        self.font_codecs: dict[int, str] = {}
        self.font_defining = 0
        self.styles: dict[int, tuple[BlockKind, int]] = {}
        self.entry: list[str] = []  # the style being defined: its name so far
        self.entry_style = 0
        self.entry_kind: tuple[BlockKind, int] | None = None
        self.info: dict[int, str] = {}
        self.info_parts: list[str] = []
        self.created: dict[str, int] = {}
        self.field: list[str] = []
        self.pending = bytearray()  # text bytes not yet decoded (a DBCS pair may be split)
        self.skip = 0  # fallback characters still to skip after \uN
        self.high = ""  # a high surrogate waiting for its low half
        self.star = False
        self.out = RtfOutput()
        self.lists = RtfLists()
        self.number_text: list[str] = []  # the number a \listtext or \pntext group draws

    # -- the token loop -------------------------------------------------------------------

    def run(self, data: bytes, start: int = 0) -> None:
        match = _TOKEN.match
        pending = self.pending  # the same bytearray throughout: flush_bytes() clears it
        end = len(data)
        pos = start
        opened_at = -1  # where the newest group's content starts: \* counts only there
        while pos < end:
            token = match(data, pos)
            if token is None:  # cannot happen: the last alternatives match any byte
                break
            pos = token.end()
            kind = token.lastindex
            if kind == 6:
                chunk = token.group(6)
                if self.skip:
                    dropped = min(self.skip, len(chunk))
                    self.skip -= dropped
                    chunk = chunk[dropped:]
                pending += chunk
                self.star = False
            elif kind == 3:
                if self.skip:
                    self.skip -= 1
                else:
                    pending.append(int(token.group(3), 16))
                self.star = False
            elif kind == 5:
                if pending:
                    self.flush_bytes()
                self.skip = 0
                if token.group(5) == b"{":
                    self.open_group()
                    opened_at = pos
                elif not self.close_group():
                    break
            elif kind is None:
                continue  # a line end (layout only) or a backslash at the very end
            elif kind == 4:
                if pending:
                    self.flush_bytes()
                if self.skip:
                    self.skip -= 1
                elif token.group(4) == b"*":
                    self.star = token.start() == opened_at
                else:
                    self.symbol(token.group(4).decode("latin-1"))
            else:
                if pending:
                    self.flush_bytes()
                raw = token.group(1)
                if self.skip:
                    self.skip -= 1
                elif raw == b"bin":
                    pos += max(int(token.group(2) or 0), 0)  # raw binary data follows
                elif self.star and raw in STARRED:
                    self.star = False
                    self.begin(STARRED[raw])
                elif self.star or (raw in SKIPPED_WORDS and len(self.stack) > 1):
                    # Skipped whole, but never the document's own group: a stray \pict
                    # there would otherwise hide the rest of the text.
                    pos = self.skip_group(data, pos)  # its closing brace is the next token
                elif (word := HANDLED.get(raw)) is not None:
                    param = token.group(2)
                    self.control(word, int(param) if param is not None else None)
        self.flush_bytes()
        self.out.end_note_paragraph()  # a file cut off inside a footnote
        self.out.end_paragraph(self.paragraph_kind(), self.list_label())

    def open_group(self) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise DocumentError(
                f"“{self.name}” nests its groups more than {MAX_DEPTH:,} levels deep, which "
                "no real document does; it is damaged or was made to crash programs."
            )
        self.stack.append(self.state)
        self.state = self.state.copy()
        self.star = False
        if self.state.dest == STYLES:
            self.state.dest = STYLE
            self.entry, self.entry_style, self.entry_kind = [], 0, None

    def close_group(self) -> bool:
        """Restore the enclosing group's state; False once the document's group has closed."""
        self.star = False
        if not self.stack:
            return False
        closed, self.state = self.state, self.stack.pop()
        if closed.dest == self.state.dest:
            return bool(self.stack)
        if closed.dest == STYLE:
            self.define_style()
        elif closed.dest == FIELD:
            self.state.link = hyperlink_target("".join(self.field))
        elif closed.dest == NOTE:
            self.out.end_note_paragraph()
        elif closed.dest in (TITLE, AUTHOR):
            self.info[closed.dest] = " ".join("".join(self.info_parts).split())
        elif closed.dest == LEVEL_TEXT:
            self.lists.end_level_text()
        return bool(self.stack)

    def skip_group(self, data: bytes, pos: int) -> int:
        """The position just after the current group's closing brace (or the data's end)."""
        depth = 1
        while (found := _SKIP_SCAN.search(data, pos)) is not None:
            pos = found.end()
            token = found.group()
            if token == b"{":
                depth += 1
            elif token == b"}":
                depth -= 1
                if depth == 0:
                    return pos - 1  # the caller's close_group consumes the brace
            elif found.group(1) is not None:
                pos += max(int(found.group(1)), 0)
        return len(data)

    def begin(self, dest: int) -> None:
        """The current group is a destination: its text goes somewhere else."""
        if dest == self.state.dest:
            return
        if dest == NOTE:
            if self.state.dest != BODY:
                return
            self.out.start_note()
        elif dest in (TITLE, AUTHOR):
            self.info_parts = []
        elif dest == FIELD:
            self.field = []
        elif dest == NUMBER_TEXT:
            if self.state.dest != BODY:  # numbers of a note's lists are not the body's
                dest = IGNORED
            self.number_text = []
        self.state.dest = dest

    # -- control words and symbols ---------------------------------------------------------

    def symbol(self, char: str) -> None:
        self.star = False
        if char in "\r\n":
            self.end_paragraph()  # "\" at a line end is an old spelling of \par
        elif char in SYMBOLS:
            self.emit(SYMBOLS[char])

    def control(self, word: str, value: int | None) -> None:
        state = self.state
        on = value != 0
        if state.dest == LISTS and word in LIST_WORDS:
            self.lists.word(word, value)
        elif word in CHARACTERS:
            self.emit(CHARACTERS[word])
        elif word in DESTINATIONS:
            self.begin(DESTINATIONS[word])
        elif word == "par" or word == "sect" or word == "page" or word == "column":
            if state.intbl and word == "par":
                self.emit(" ")  # a paragraph inside a table cell
            else:
                self.end_paragraph()
        elif word == "u" and value is not None:
            # A signed 16-bit number; some writers put astral code points there directly.
            self.unicode(value + 65536 if -32768 <= value < 0 else value)
            self.skip = state.uc
        elif word == "uc" and value is not None:
            state.uc = min(max(value, 0), 16)
        elif word == "b":
            state.bold = on
        elif word == "i":
            state.italic = on
        elif word == "v":
            state.hidden = on
        elif word == "plain":
            state.bold = state.italic = state.hidden = False
            state.font = self.default_font
        elif word == "pard":
            state.style, state.outline, state.list_level, state.intbl = 0, -1, 0, False
            state.ls = 0
        elif word in ("cell", "nestcell", "nestrow"):
            if state.dest in TEXT_DESTINATIONS:
                self.out.separate(" | ", in_note=state.dest == NOTE)
        elif word == "row":
            self.end_paragraph()
            state.intbl = False
        elif word in ("intbl", "itap"):
            state.intbl = value is None or value > 0
        elif word == "f" and value is not None:
            if state.dest == FONTS:
                self.font_defining = value
            else:
                state.font = value
        elif word == "s" and value is not None:
            if state.dest == STYLE:
                self.entry_style = value
            else:
                state.style = value
        elif word in ("cs", "ds", "ts") and state.dest == STYLE:
            self.entry_style = -1  # a character, section or table style: never a block kind
        elif word == "outlinelevel" and value is not None:
            if state.dest == STYLE:
                self.entry_kind = ("heading", min(value + 1, 6)) if 0 <= value < 9 else None
            else:
                state.outline = value
        elif word == "ls" and value:
            state.list_level = max(state.list_level, 1)
            state.ls = value
        elif word == "ilvl" and value is not None:
            state.list_level = min(max(value, 0), 8) + 1
        else:
            self.setting(word, value)

    def setting(self, word: str, value: int | None) -> None:
        """Control words about the document as a whole: code pages, fonts, dates."""
        if word == "ansicpg" and value is not None:
            self.codec = codec_for_codepage(value)
        elif word in ("mac", "pc", "pca"):
            self.codec = codec_for_codepage({"mac": 10000, "pc": 437, "pca": 850}[word])
        elif word == "deff" and value is not None:
            self.default_font = value
            if self.state.font < 0:
                self.state.font = value
        elif word == "fcharset" and value is not None and self.state.dest == FONTS:
            if value in CHARSET_CODEPAGES:
                self.font_codecs[self.font_defining] = codec_for_codepage(CHARSET_CODEPAGES[value])
        elif word == "cpg" and value is not None and self.state.dest == FONTS:
            self.font_codecs[self.font_defining] = codec_for_codepage(value)
        elif word in ("yr", "mo", "dy") and value is not None and self.state.dest == DATE:
            self.created[word] = value

    # -- text ---------------------------------------------------------------------------------

    def flush_bytes(self) -> None:
        if self.pending:
            codec = self.font_codecs.get(self.state.font, self.codec)
            text = self.pending.decode(codec, "replace")
            self.pending.clear()
            self.emit(text)

    def unicode(self, code: int) -> None:
        if 0xD800 <= code < 0xDC00:
            if self.high:
                self.emit("")  # the earlier high surrogate had no partner
            self.high = chr(code)
        elif 0xDC00 <= code < 0xE000 and self.high:
            pair = 0x10000 + ((ord(self.high) - 0xD800) << 10) + (code - 0xDC00)
            self.high = ""
            self.emit(chr(pair))
        elif 0 <= code < 0xD800 or 0xE000 <= code <= 0x10FFFF:
            self.emit(chr(code))
        else:
            self.emit("\ufffd")

    def emit(self, text: str) -> None:
        """Send decoded text wherever the current group's destination says."""
        self.star = False
        if self.high:
            self.high = ""
            text = "\ufffd" + text
        state = self.state
        dest = state.dest
        if dest in TEXT_DESTINATIONS:
            if state.hidden or not text:
                return
            if dest == BODY and self.out.first_kind is None and not text.isspace():
                self.out.first_kind = self.paragraph_kind()
                self.out.first_list = (state.ls, state.list_level)
            self.out.add(text, state, in_note=dest == NOTE)
        elif dest in (TITLE, AUTHOR):
            self.info_parts.append(text)
        elif dest == STYLE:
            self.entry.append(text)
        elif dest == FIELD:
            self.field.append(text)
        elif dest == NUMBER_TEXT:
            self.number_text.append(text)
        elif dest == LEVEL_TEXT:
            self.lists.level_text(text)

    def paragraph_kind(self) -> tuple[BlockKind, int]:
        state = self.state
        if state.intbl:
            return PARAGRAPH
        if 0 <= state.outline < 9:
            return "heading", min(state.outline + 1, 6)
        if state.outline == 9:
            return PARAGRAPH
        if state.style in self.styles:
            return self.styles[state.style]
        if state.list_level:
            return "list_item", state.list_level
        return PARAGRAPH

    def end_paragraph(self) -> None:
        if self.state.dest == NOTE:
            self.out.end_note_paragraph()
        elif self.state.dest == BODY:
            self.out.end_paragraph(self.paragraph_kind(), self.list_label())

    def list_label(self) -> str:
        """The list number of the body paragraph ending now ("3. "), or ""."""
        drawn, self.number_text = number_like("".join(self.number_text)), []
        if self.out.first_list is None:  # an empty paragraph, or a page break after one
            return ""
        ls, level = self.out.first_list
        label = self.lists.label(ls, level - 1) if ls else None
        if label is None:  # no definition: the number as the writer drew it, if any
            label = f"{drawn} " if drawn else ""
        return label

    def define_style(self) -> None:
        kind = self.entry_kind or style_kind("".join(self.entry))
        if kind is not None and self.entry_style >= 0:
            self.styles[self.entry_style] = kind
