from __future__ import annotations

from reader.documents.model import BlockDraft, Metadata, assemble
from reader.documents.offsets import PositionMap, utf16_length


def make(*paragraphs: str):
    return assemble([BlockDraft("paragraph", p) for p in paragraphs], Metadata())


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("abc") == 3
    assert utf16_length("café") == 4
    assert utf16_length("a😀b") == 4


def test_ascii_blocks_map_one_to_one_after_the_header() -> None:
    doc = make("Hello Geneva.", "Second paragraph.")
    pmap = PositionMap(doc, base=10)
    assert pmap.to_qt(0) == 10
    second = doc.text.index("Second")
    # Qt separates blocks with one position, the canonical text with a blank line (two).
    assert pmap.to_qt(second) == 10 + len("Hello Geneva.") + 1
    assert pmap.from_qt(pmap.to_qt(second)) == second


def test_an_emoji_shifts_later_qt_positions_by_one() -> None:
    doc = make("Wow 😀 Lavrov spoke.", "Then Geneva.")
    pmap = PositionMap(doc)
    lavrov = doc.text.index("Lavrov")
    assert pmap.to_qt(lavrov) == lavrov + 1
    geneva = doc.text.index("Geneva")
    assert pmap.to_qt(geneva) == len("Wow 😀 Lavrov spoke.") + 1 + 1 + len("Then ")
    for offset in (0, lavrov, lavrov + 3, geneva, len(doc.text)):
        assert pmap.from_qt(pmap.to_qt(offset)) == offset


def test_positions_in_the_header_map_to_the_start() -> None:
    pmap = PositionMap(make("Text"), base=5)
    assert pmap.from_qt(2) == 0


def test_offsets_in_the_blank_line_between_blocks_clamp_to_the_block_end() -> None:
    doc = make("One", "Two")
    pmap = PositionMap(doc)
    assert pmap.to_qt(4) == pmap.to_qt(3)
