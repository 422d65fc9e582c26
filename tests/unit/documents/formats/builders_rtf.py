r"""RTF as Word, WordPad and other writers save lists and nested tables.

Word 97 and later define lists in ``\listtable`` and ``\listoverridetable`` and also draw
each number as ``{\listtext …}`` for older readers; WordPad (and Word 95) writes only
``{\pntext …}`` with an old-style ``{\*\pn …}`` definition. A nested table is written with
``\nestcell``/``\nestrow`` and, for readers without nested tables, a ``{\nonesttables …}``
copy of its text. The lists' words are made up for these tests.
"""

from __future__ import annotations

HEADER = (
    r"{\rtf1\ansi\ansicpg1252\deff0\deflang2057"
    r"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f3\fbidi\ftech\fcharset2 Symbol;}"
    r"{\f10\fbidi\fnil\fcharset2 Wingdings;}}"
)


def _level(nfc: int, pattern: str, numbers: str, indent: int, start: int = 1) -> str:
    """One ``\\listlevel`` as Word writes it; ``pattern`` is the escaped \\leveltext."""
    return (
        rf"{{\listlevel\levelnfc{nfc}\levelnfcn{nfc}\leveljc0\leveljcn0\levelfollow0"
        rf"\levelstartat{start}\levelspace360\levelindent0{{\leveltext\leveltemplateid67698703"
        rf"{pattern};}}{{\levelnumbers{numbers};}}\rtlch\fcs1 \af0 \ltrch\fcs0 "
        rf"\fi-360\li{720 * indent}\lin{720 * indent} }}"
    )


# list 1001: "1." / "a)" / "i."   list 1002: bullets
WORD_LIST_TABLES = (
    r"{\*\listtable"
    r"{\list\listtemplateid-1426823374\listhybrid"
    + _level(0, r"\'02\'00.", r"\'01", 1)
    + _level(4, r"\'02\'01)", r"\'01", 2)
    + _level(2, r"\'02\'02.", r"\'01", 3)
    + r"{\listname ;}\listid1001}"
    r"{\list\listtemplateid-2012345678\listhybrid"
    + _level(23, r"\'01\u-3913 ?", "", 1).replace(r"\ltrch\fcs0 ", r"\ltrch\fcs0 \f3\fbias0 ")
    + _level(23, r"\'01o", "", 2)
    + r"{\listname ;}\listid1002}}"
    r"{\*\listoverridetable"
    r"{\listoverride\listid1001\listoverridecount0\ls1}"
    r"{\listoverride\listid1002\listoverridecount0\ls2}"
    r"{\listoverride\listid1001\listoverridecount1{\lfolevel\listoverridestartat"
    r"\levelstartat1}\ls3}}"
)


def word_item(text: str, ls: int, level: int, drawn: str | None) -> str:
    r"""A list paragraph as Word writes it: the ``\listtext`` drawing (if any), then the
    paragraph's properties, its text in a group, and ``\par`` in another."""
    listtext = (
        rf"{{\listtext\pard\plain\ltrpar \rtlch\fcs1 \af0 \ltrch\fcs0 \f0\insrsid9 {drawn}\tab}}"
        if drawn is not None
        else ""
    )
    return (
        f"{listtext}\\pard \\ltrpar\\ql \\fi-360\\li{720 * (level + 1)}\\ri0\\widctlpar"
        f"\\ls{ls}\\ilvl{level}\\adjustright\\rin0\\lin{720 * (level + 1)}\\itap0 "
        rf"{{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid9 {text}}}{{\rtlch\fcs1 \af0 \ltrch\fcs0 "
        r"\insrsid9 \par }"
        "\n"
    )


def word_paragraph(text: str) -> str:
    return rf"\pard \ltrpar\ql \li0\ri0\widctlpar\itap0 {{\insrsid9 {text}\par }}" + "\n"


def word_rtf(body: str, *, tables: str = WORD_LIST_TABLES) -> bytes:
    return (HEADER + tables + "\n" + body + "}").encode("ascii")


def wordpad_item(text: str, number: int) -> str:
    """A numbered paragraph as WordPad saves it: ``\\pntext`` and an old-style ``\\pn``."""
    return (
        rf"{{\pntext\f0 {number}.\tab}}{{\*\pn\pnlvlbody\pnf0\pnindent0\pnstart1\pndec"
        rf"{{\pntxta.}}}}\pard\fi-360\li720\sa200\sl276\slmult1 {text}\par" + "\n"
    )


def nested_table_row() -> str:
    """An outer row whose second cell holds a one-row table, with Word's fallback copy."""
    return (
        r"\trowd\cellx3000\cellx6000\pard\intbl\itap1 Crossings\cell"
        r"\pard\intbl\itap2 Morning\nestcell Evening\nestcell"
        r"{\*\nesttableprops\trowd\cellx4000\cellx5000\nestrow}"
        r"{\nonesttables Morning Evening\par}"
        r"\pard\intbl\itap1\cell\row"
    )
