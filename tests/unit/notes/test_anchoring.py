"""Anchoring: a noted passage is found again after edits, or honestly reported as lost."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.notes.anchoring import (
    CONTEXT_CHARS,
    AmbiguousQuoteError,
    QuoteNotFoundError,
    Selector,
    anchor,
    find_occurrences,
    locate_quote,
    passage_note,
    reanchor,
    selector_for,
)
from reader.notes.textdiff import common_prefix_length, common_suffix_length

TEXT = (
    "The delegations met in Geneva on Monday.\n\n"
    "Sergei Lavrov said the talks on the river treaty had been useful, and that a second "
    "round would follow in the spring.\n\n"
    "The minister of water did not comment. Farmers in the valley said the canal would "
    "change everything for them.\n\n"
    "In the evening the talks continued. In the evening the talks continued.\n\n"
    "A spokesman promised a draft agreement before the deadline."
)
QUOTE = "the talks on the river treaty had been useful"


def selector(text: str = TEXT, quote: str = QUOTE, nth: int = 0) -> Selector:
    start = find_occurrences(text, quote)[nth]
    return selector_for(text, start, start + len(quote))


def placed(text: str, span: tuple[int, int] | None) -> str | None:
    return text[span[0] : span[1]] if span is not None else None


def both(old: str, new: str, sel: Selector) -> list[tuple[int, int] | None]:
    """``anchor`` alone and ``reanchor`` with and without the old text: all must agree."""
    return [anchor(new, sel), reanchor(old, new, [sel])[0], reanchor(None, new, [sel])[0]]


def test_selector_keeps_context_either_side():
    sel = selector()
    assert sel.exact == QUOTE
    assert len(sel.prefix) == len(sel.suffix) == CONTEXT_CHARS
    assert TEXT[sel.start - CONTEXT_CHARS : sel.end + CONTEXT_CHARS] == (
        sel.prefix + sel.exact + sel.suffix
    )
    at_start = selector_for(TEXT, 0, 3)
    assert (at_start.prefix, at_start.exact) == ("", "The")
    with pytest.raises(ValueError):
        selector_for(TEXT, 5, 5)
    with pytest.raises(ValueError):
        selector_for(TEXT, 0, len(TEXT) + 1)


def test_find_occurrences_includes_overlaps():
    assert find_occurrences("aaaa", "aa") == [0, 1, 2]
    assert find_occurrences("abc", "") == []
    assert find_occurrences(TEXT, "In the evening") == [TEXT.index("In the"), TEXT.rindex("In the")]


def test_unchanged_text_keeps_the_position():
    sel = selector()
    assert both(TEXT, TEXT, sel) == [(sel.start, sel.end)] * 3


def test_insertion_before_the_quote():
    sel = selector()
    new = "BREAKING: an update was added at the top.\n\n" + TEXT
    for span in both(TEXT, new, sel):
        assert placed(new, span) == QUOTE
        assert span[0] == sel.start + len(new) - len(TEXT)


def test_insertion_after_the_quote():
    sel = selector()
    new = TEXT.replace("spring.", "spring, officials said.")
    assert both(TEXT, new, sel) == [(sel.start, sel.end)] * 3


def test_a_word_inserted_inside_the_quote_is_found_fuzzily():
    sel = selector()
    new = TEXT.replace("had been useful", "had been very useful")
    for span in both(TEXT, new, sel):
        assert placed(new, span) == "the talks on the river treaty had been very useful"


def test_a_word_changed_or_deleted_inside_the_quote():
    sel = selector()
    for edited in (
        "the talks on the water treaty had been useful",
        "the talks on the treaty had been useful",
        "the negotiations on the river treaty had been useful",
        "the talks on the river treaty were useful",
    ):
        new = TEXT.replace(QUOTE, edited)
        for span in both(TEXT, new, sel):
            assert placed(new, span) == edited


def test_the_whole_passage_deleted_makes_an_orphan():
    sel = selector()
    paragraph = TEXT[TEXT.index("Sergei") : TEXT.index("spring.") + len("spring.\n\n")]
    new = TEXT.replace(paragraph, "")
    assert both(TEXT, new, sel) == [None] * 3


def test_a_passage_rewritten_beyond_recognition_is_an_orphan():
    sel = selector()
    new = TEXT.replace(QUOTE, "nobody wanted to discuss anything about water at all")
    assert both(TEXT, new, sel) == [None] * 3


def test_a_repeated_quote_is_decided_by_its_context():
    text = (
        "First, in Geneva: the talks continued late. Everyone was tired.\n\n"
        "Then, in Vienna: the talks continued late. Nobody was tired."
    )
    second = selector(text, "the talks continued late", nth=1)
    first = selector(text, "the talks continued late", nth=0)
    new = "A new opening paragraph moves everything along a little.\n\n" + text
    for sel, city in ((first, "Geneva"), (second, "Vienna")):
        for span in both(text, new, sel):
            assert placed(new, span) == sel.exact
            assert city in new[span[0] - 20 : span[0]]


def test_a_repeated_quote_moved_past_its_twin_follows_the_context():
    alpha = "Alpha, for the northern group, said: we agree, but only with conditions attached."
    beta = "Beta, for the southern group, said: we agree, and without any conditions at all."
    text = f"{alpha} {beta}"
    sel = selector(text, "we agree", nth=1)  # Beta's
    new = f"{beta} {alpha}"
    for span in both(text, new, sel):
        assert span == (new.index("we agree"), new.index("we agree") + len("we agree"))


def test_context_changed_but_quote_intact_is_kept():
    sel = selector()
    new = TEXT.replace("Sergei Lavrov said", "The Russian foreign minister declared that").replace(
        ", and that a second round", ". A second round"
    )
    for span in both(TEXT, new, sel):
        assert placed(new, span) == QUOTE


def test_a_short_quote_without_its_context_is_not_trusted():
    text = "Pierre went home. The end of the chapter came with no surprise at all."
    sel = selector(text, "Pierre")
    new = "The chapter ended. Much later, someone called Pierre appeared elsewhere."
    assert anchor(new, sel) is None
    # … but with some of its context it is.
    new = "Pierre went home, tired."
    assert placed(new, anchor(new, sel)) == "Pierre"


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("\n\n", "\n"),
        lambda t: t.replace(" ", "  "),
        lambda t: t.replace("river treaty", "river\ntreaty"),
        lambda t: t.replace("\n\n", "\n\n\n").replace("Lavrov said", "Lavrov  said"),
    ],
)
def test_whitespace_only_changes(edit):
    sel = selector()
    new = edit(TEXT)
    for span in both(TEXT, new, sel):
        assert span is not None
        assert " ".join(placed(new, span).split()) == QUOTE


def test_stale_position_without_old_text_still_finds_the_quote():
    sel = selector()
    shifted = Selector(sel.exact, sel.prefix, sel.suffix, sel.start + 500, sel.end + 500)
    assert anchor(TEXT, shifted) == (sel.start, sel.end)
    no_position = Selector(sel.exact, sel.prefix, sel.suffix)
    assert anchor(TEXT, no_position) == (sel.start, sel.end)


def test_emoji_and_accents_count_as_one_position():
    text = "Café 🎉 in Genève: the talks on the river treaty had been useful, said Ana."
    sel = selector(text)
    new = "🎉🎉 " + text
    assert placed(new, anchor(new, sel)) == QUOTE
    assert reanchor(text, new, [sel])[0] == (sel.start + 3, sel.end + 3)


def test_reanchor_keeps_the_order_of_its_input():
    quotes = ["Sergei Lavrov said", "minister of water", "A spokesman promised", QUOTE]
    selectors = [selector(TEXT, q) for q in quotes]
    selectors.append(Selector("not in the text at all, anywhere", "", "", 10, 42))
    selectors.append(Selector(""))
    new = TEXT.replace("Monday", "Tuesday morning")
    spans = reanchor(TEXT, new, selectors)
    assert [placed(new, s) for s in spans] == [*quotes, None, None]


def slow_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


@pytest.mark.parametrize(("a", "b"), [("", ""), ("abc", "abc"), ("abc", "abd"), ("x", "")])
def test_common_prefix_and_suffix_small(a: str, b: str):
    assert common_prefix_length(a, b) == slow_prefix(a, b)
    assert common_suffix_length(a, b) == slow_prefix(a[::-1], b[::-1])


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab\n é🎉", max_size=20_000),
    st.integers(0, 20_000),
    st.text(alphabet="abc", max_size=30),
    st.integers(0, 50),
)
def test_common_prefix_and_suffix_match_a_slow_reference(text, at, inserted, removed):
    at = min(at, len(text))
    other = text[:at] + inserted + text[at + removed :]
    assert common_prefix_length(text, other) == slow_prefix(text, other)
    suffix = slow_prefix(text[::-1], other[::-1])
    assert common_suffix_length(text, other) == suffix
    assert common_suffix_length(text, other, 3) == min(suffix, 3)


def test_many_notes_survive_many_scattered_edits():
    """Property-like: random edits outside the quotes never lose or move a note wrongly."""
    rng = random.Random(7)
    words = "river water treaty delegation minister basin canal harvest summer winter".split()
    paragraphs = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(120)]
    for i in range(0, 120, 3):
        paragraphs[i] += f" Statement number {i} was recorded by the clerk."
    text = "\n\n".join(paragraphs)
    quotes = [f"Statement number {i} was recorded" for i in range(0, 120, 3)]
    selectors = [selector(text, q) for q in quotes]
    new = text
    for _ in range(40):  # edits in the filler words only
        at = rng.randrange(len(new))
        if "Statement" in new[max(0, at - 60) : at + 60]:
            continue
        cut = at + rng.randint(0, 5)
        new = new[:at] + rng.choice([" inserted words ", "", "\n\n"]) + new[cut:]
    for spans in (reanchor(text, new, selectors), reanchor(None, new, selectors)):
        assert [placed(new, s) for s in spans] == quotes


def test_locate_quote_for_the_command_line():
    start = TEXT.index("Sergei")
    assert locate_quote(TEXT, "Sergei Lavrov said") == (start, start + len("Sergei Lavrov said"))
    # White space and straight quotes are matched loosely.
    text = "He said “yes”, and  it’s done."
    assert placed(text, locate_quote(text, 'said "yes", and it\'s')) == "said “yes”, and  it’s"
    with pytest.raises(QuoteNotFoundError, match="is not in the article's text"):
        locate_quote(TEXT, "Lavrov sang")
    with pytest.raises(AmbiguousQuoteError, match="occurs 2 times") as caught:
        locate_quote(TEXT, "In the evening")
    assert len(caught.value.occurrences) == 2
    second = locate_quote(TEXT, "In the evening", occurrence=2)
    assert second[0] == TEXT.rindex("In the evening")
    with pytest.raises(QuoteNotFoundError, match="no occurrence 3"):
        locate_quote(TEXT, "In the evening", occurrence=3)
    with pytest.raises(QuoteNotFoundError, match="empty"):
        locate_quote(TEXT, "  ")


def test_passage_note_builds_the_selector():
    start = TEXT.index(QUOTE)
    note = passage_note(TEXT, 7, start, start + len(QUOTE), "useful?", ("#talks",))
    assert (note.kind, note.document_id, note.quote, note.tags) == ("passage", 7, QUOTE, ("talks",))
    assert TEXT[: note.start].endswith(note.prefix) and TEXT[note.end :].startswith(note.suffix)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="ab .\n🎉é", min_size=1, max_size=400),
    st.lists(st.tuples(st.integers(0, 400), st.integers(1, 40)), min_size=1, max_size=5),
    st.text(alphabet="ab .\n🎉é", max_size=400),
)
def test_reanchor_never_fails_and_stays_inside_the_text(old, spans, new):
    selectors = []
    for start, length in spans:
        start = min(start, len(old) - 1)
        selectors.append(selector_for(old, start, min(len(old), start + length)))
    for result in (reanchor(old, new, selectors), reanchor(None, new, selectors)):
        assert len(result) == len(selectors)
        for span in result:
            assert span is None or 0 <= span[0] < span[1] <= len(new)
    unchanged = reanchor(old, old, selectors)
    assert unchanged == [(s.start, s.end) for s in selectors]
