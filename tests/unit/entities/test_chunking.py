from __future__ import annotations

from reader.entities.chunking import group_ranges, order_from, paragraph_ranges


def test_paragraphs_are_the_blocks_of_the_canonical_text() -> None:
    text = "Title\n\nFirst paragraph.\n\nSecond one."
    assert [text[s:e] for s, e in paragraph_ranges(text)] == [
        "Title",
        "First paragraph.",
        "Second one.",
    ]


def test_a_long_paragraph_is_cut_at_a_sentence_end() -> None:
    text = "A short sentence here. " * 100
    ranges = paragraph_ranges(text, max_piece=500)
    assert all(e - s <= 500 for s, e in ranges)
    assert "".join(text[s:e] for s, e in ranges) == text
    assert all(text[e - 2 : e] == ". " for s, e in ranges[:-1])


def test_a_paragraph_without_spaces_is_still_cut() -> None:
    text = "x" * 1200
    ranges = paragraph_ranges(text, max_piece=500)
    assert "".join(text[s:e] for s, e in ranges) == text
    assert all(e - s <= 500 for s, e in ranges)


def test_chunks_group_paragraphs_and_start_where_the_reader_is() -> None:
    ranges = [(i * 10, i * 10 + 8) for i in range(10)]
    chunks = group_ranges(ranges, target_chars=16)
    assert [len(c) for c in chunks] == [2, 2, 2, 2, 2]
    ordered = order_from(chunks, offset=45)
    assert ordered[0] == [(40, 48), (50, 58)]
    assert ordered[-1] == [(20, 28), (30, 38)]
    assert sorted(ordered) == sorted(chunks)
