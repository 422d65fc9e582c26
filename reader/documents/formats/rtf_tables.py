r"""What RTF's control words mean, and the per-group state they change.

Kept apart from the interpreter in ``rtf`` so its loop reads as logic, and so honouring
one more control word is a one-line change here.
"""

from __future__ import annotations

import codecs
import re

from reader.documents.formats.office_text import style_heading_level
from reader.documents.model import BlockKind

# Control words that stand for one character.
CHARACTERS: dict[str, str] = {
    "emdash": "\u2014",
    "endash": "\u2013",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "bullet": "\u2022",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
    "tab": " ",
    "line": " ",
    "zwj": "\u200d",
    "zwnj": "\u200c",
}

# Control symbols (a backslash and one non-letter) that stand for text.
SYMBOLS: dict[str, str] = {
    "~": "\u00a0",  # no-break space
    "-": "",  # optional hyphen: only a hint where a word may be split
    "_": "\u2011",  # non-breaking hyphen
    "{": "{",
    "}": "}",
    "\\": "\\",
    "\t": " ",
}

# Groups whose text is not part of the article: tables of fonts, colours, styles and lists
# are read for what they define, the rest (pictures, embedded objects, headers and footers,
# comments, revision tables, index and TOC entries, old-style list definitions, and the
# flattened copy of nested tables written for readers without them) is skipped without
# being interpreted.
SKIPPED_DESTINATIONS = frozenset(
    {"aftncn", "aftnsep", "aftnsepc", "annotation", "atnauthor", "atnid", "atndate"}
    | {"atnicn", "atnparent", "atnref", "atntime", "atrfend", "atrfstart", "bkmkend"}
    | {"bkmkstart", "colortbl", "datastore", "docvar", "falt", "filetbl", "footer"}
    | {"footerf", "footerl", "footerr", "ftncn", "ftnsep", "ftnsepc", "generator", "header"}
    | {"headerf", "headerl", "headerr", "latentstyles", "listname", "levelnumbers"}
    | {"mmathPr", "nonesttables", "nonshppict", "object", "objdata", "panose", "pgdsctbl"}
    | {"pict", "pn", "pntxta", "pntxtb", "private", "revtbl", "rsidtbl", "rxe", "shpinst"}
    | {"tc", "template", "themedata", "colorschememapping", "txe", "userprops", "xe"}
    | {"xmlnstbl", "xmlopen", "xmlclose", "fldtype", "formfield", "passwordhash"}
)

# Character sets of the font table (\fcharsetN) and the code pages they imply.
CHARSET_CODEPAGES: dict[int, int] = {
    77: 10000,  # Mac Roman
    128: 932,  # Shift-JIS
    129: 949,  # Korean
    130: 1361,  # Johab
    134: 936,  # Simplified Chinese
    136: 950,  # Traditional Chinese
    161: 1253,  # Greek
    162: 1254,  # Turkish
    163: 1258,  # Vietnamese
    177: 1255,  # Hebrew
    178: 1256,  # Arabic
    186: 1257,  # Baltic
    204: 1251,  # Cyrillic
    222: 874,  # Thai
    238: 1250,  # Central European
    255: 437,  # OEM
}

_HYPERLINK = re.compile(r'HYPERLINK\s+(?:"([^"]*)"|(\S+))')
_WEB_URL = re.compile(r"https?://\S+", re.IGNORECASE)

_CODEPAGE_NAMES = {10000: "mac_roman", 65001: "utf-8", 20127: "ascii", 28591: "latin-1"}
DEFAULT_CODEC = "cp1252"


def codec_for_codepage(codepage: int) -> str:
    """A Python codec for a Windows code page number; cp1252 for one Python lacks."""
    name = _CODEPAGE_NAMES.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return DEFAULT_CODEC


# Destinations: where a group's text goes.
BODY, NOTE, INFO, TITLE, AUTHOR, DATE, FONTS, STYLES, STYLE, FIELD = range(10)
LISTS, LEVEL_TEXT, NUMBER_TEXT = range(10, 13)  # list tables, a level's pattern, a list number
IGNORED = 13  # text read for nothing: a list number drawn inside a footnote
DESTINATIONS = {
    "footnote": NOTE,
    "info": INFO,
    "title": TITLE,
    "author": AUTHOR,
    "creatim": DATE,
    "fonttbl": FONTS,
    "stylesheet": STYLES,
    "fldinst": FIELD,
    "listtable": LISTS,
    "listoverridetable": LISTS,
    "leveltext": LEVEL_TEXT,
    "listtext": NUMBER_TEXT,
    "pntext": NUMBER_TEXT,
}
# Starred destinations (``{\*\word …}``) that are read; any other starred group is skipped.
STARRED = {b"fldinst": FIELD, b"listtable": LISTS, b"listoverridetable": LISTS}
# The words that describe lists inside the list tables (see ``rtf_lists``).
LIST_WORDS = frozenset(
    {"list", "listlevel", "listid", "listoverride", "lfolevel", "ls", "levelstartat"}
    | {"levelnfc", "levelnfcn", "levelfollow", "levellegal"}
)
TEXT_DESTINATIONS = frozenset({BODY, NOTE})
PARAGRAPH: tuple[BlockKind, int] = ("paragraph", 0)
# The control words the interpreter acts on, by their bytes; most words in a real file are
# layout (sizes, colours, spacing, revision ids) and are passed over without decoding.
HANDLED = {
    word.encode("ascii"): word
    for word in (
        {"ansicpg", "b", "cell", "column", "cpg", "cs", "deff", "ds", "dy", "f", "fcharset", "i"}
        | {"ilvl", "intbl", "itap", "ls", "mac", "mo", "nestcell", "nestrow", "outlinelevel"}
        | {"page", "par", "pard", "pc", "pca", "plain", "row", "s", "sect", "ts", "u", "uc", "v"}
        | {"yr"}
        | LIST_WORDS
        | set(CHARACTERS)
        | set(DESTINATIONS)
    )
}
SKIPPED_WORDS = frozenset(word.encode("ascii") for word in SKIPPED_DESTINATIONS)


class GroupState:
    """Formatting that a group inherits and its closing brace restores."""

    __slots__ = (
        "bold",
        "dest",
        "font",
        "hidden",
        "intbl",
        "italic",
        "link",
        "list_level",
        "ls",
        "outline",
        "style",
        "uc",
    )

    def __init__(self) -> None:
        self.dest = BODY
        self.uc = 1  # how many fallback characters follow each \uN
        self.bold = self.italic = self.hidden = self.intbl = False
        self.font = -1
        self.link = ""
        self.style = 0
        self.outline = -1  # \outlinelevelN: 0-8 are headings, 9 is body text
        self.list_level = 0
        self.ls = 0  # \lsN: the list (through the override table) a paragraph belongs to

    def copy(self) -> GroupState:
        state = GroupState.__new__(GroupState)
        state.dest, state.uc, state.font, state.link = self.dest, self.uc, self.font, self.link
        state.bold, state.italic, state.hidden = self.bold, self.italic, self.hidden
        state.intbl, state.style, state.outline = self.intbl, self.style, self.outline
        state.list_level, state.ls = self.list_level, self.ls
        return state


def style_kind(name: str) -> tuple[BlockKind, int] | None:
    """The block kind a paragraph style's name implies ("heading 2", "Title"), if any.

    Only English names are recognised; a localised heading style ("Überschrift 1") is still
    found through the \\outlinelevel that Word and LibreOffice write into heading styles.
    """
    name = " ".join(name.split()).rstrip(";").strip()
    if level := style_heading_level(name):
        return "heading", level
    if name.casefold() == "title":
        return "title", 0
    return None


def hyperlink_target(instruction: str) -> str:
    """The web address of a HYPERLINK field instruction; "" for anything else."""
    found = _HYPERLINK.search(instruction)
    url = (found.group(1) or found.group(2) or "").strip() if found else ""
    return url if _WEB_URL.fullmatch(url) else ""
