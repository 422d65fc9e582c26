"""Whether a list item carries its own number: "1. Ropes", "b) Tents", "iv. Stoves".

The Word, OpenDocument, RTF and EPUB readers put a numbered list's numbers into the text, so
that a researcher quoting "item 3" finds it. Whoever draws the list (the reading view, the
printed copy, the HTML export) must then not add a bullet of its own before the number, and
an HTML list of such items is an ordered one.
"""

from __future__ import annotations

import re

from reader.documents.model import Block

# A number, a letter or a roman numeral with its punctuation ("1.", "2.1", "a)", "(iv)",
# "IV."), then white space. A lone capital without punctuation is a word ("A cat"), and so
# is a number without it ("2024 was"), so both need their dot or bracket.
_LABEL = re.compile(
    r"""(?:
        \d{1,4}(?:\.\d{1,4})+\.?          # 2.1, 2.1.3.
      | \d{1,4}[.)]                       # 1.  3)
      | \(\d{1,4}\)                       # (3)
      | \(?[a-zA-Z][.)]                   # a.  b)  (c)
      | \([a-zA-Z]\)
      | \(?[ivxlcdmIVXLCDM]{1,7}[.)]      # iv.  (xii)
      | \([ivxlcdmIVXLCDM]{1,7}\)
    )(?=\s)""",
    re.VERBOSE,
)
_LOOK_CHARS = 16  # a label is short: never scan more of an item than this


def list_label(text: str) -> str:
    """The number that starts a list item's text ("1.", "b)"), or "" when it has none."""
    match = _LABEL.match(text[:_LOOK_CHARS])
    return match.group(0) if match else ""


def item_label(text: str, block: Block) -> str:
    """The number a list item's text begins with; "" for an item without one, or a block
    that is not a list item."""
    if block.kind != "list_item":
        return ""
    return list_label(text[block.start : block.start + _LOOK_CHARS])


def is_numbered(text: str, block: Block) -> bool:
    """A list item whose text begins with its own number."""
    return bool(item_label(text, block))
