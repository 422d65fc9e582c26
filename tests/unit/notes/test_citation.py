"""Locations and citations: what "Copy as citation" and the exports say about a passage."""

from __future__ import annotations

from reader.documents.model import Block, BlockDraft, Document, Metadata, assemble
from reader.notes.citation import HASH_CHARS, Locator, citation, location

ARTICLE = assemble(
    [
        BlockDraft("title", "Water talks"),
        BlockDraft("paragraph", "The delegations met in Geneva."),
        BlockDraft("heading", "What the minister said about the river basin and its many canals"),
        BlockDraft("paragraph", "Sergei Lavrov said the talks were useful."),
        BlockDraft("list_item", "A second round in spring."),
        BlockDraft("quote", "“We will see,” said a farmer."),
    ],
    Metadata(
        title="Water talks",
        author="Ana Costa",
        date="2024-05-02",
        site_name="The Valley Post",
        source_url="https://example.org/water",
    ),
)


def offset_of(document: Document, words: str) -> int:
    return document.text.index(words)


def test_paragraphs_are_counted_without_title_and_headings():
    assert location(ARTICLE, offset_of(ARTICLE, "delegations")) == "paragraph 1"
    assert location(ARTICLE, offset_of(ARTICLE, "Lavrov")) == "paragraph 2"
    assert location(ARTICLE, offset_of(ARTICLE, "second round")) == "paragraph 3"
    assert location(ARTICLE, offset_of(ARTICLE, "farmer")) == "paragraph 4"
    assert location(ARTICLE, 0) == "title"
    heading = location(ARTICLE, offset_of(ARTICLE, "minister"))
    assert heading.startswith("heading “What the minister said") and heading.endswith("…”")


def test_an_offset_between_blocks_belongs_to_the_next_one():
    end_of_first = ARTICLE.text.index("Geneva.") + len("Geneva.")
    assert location(ARTICLE, end_of_first + 1).startswith("heading")
    assert location(ARTICLE, len(ARTICLE.text)) == "paragraph 4"


def test_pages_restart_the_paragraph_count():
    text = "One.\n\nTwo.\n\nThree.\n\nFour."
    blocks = [
        Block("paragraph", 0, 4, page=1),
        Block("paragraph", 6, 10, page=1),
        Block("heading", 12, 18, page=2),
        Block("paragraph", 20, 25, page=2),
    ]
    pdf = Document(text, blocks, Metadata(format="pdf"))
    locator = Locator(pdf)
    assert locator.location(6) == "page 1, paragraph 2"
    assert locator.location(12) == "page 2, heading “Three.”"
    assert locator.location(21) == "page 2, paragraph 1"


def test_no_blocks_no_location():
    assert location(Document("", []), 0) == ""


def test_citation_reads_as_one_paragraph():
    start = offset_of(ARTICLE, "Sergei")
    end = ARTICLE.text.index(" were useful")
    text = citation(ARTICLE, start, end)
    assert text == (
        "“Sergei Lavrov said the talks” — Ana Costa, Water talks, The Valley Post, 2024-05-02, "
        f"paragraph 2, https://example.org/water, sha256:{ARTICLE.text_hash[:HASH_CHARS]}"
    )


def test_citation_across_paragraphs_and_without_metadata():
    bare = assemble(
        [BlockDraft("paragraph", "First part."), BlockDraft("paragraph", "Second part.")],
        Metadata(path="/notes/field-report.txt"),
    )
    text = citation(bare, 0, len(bare.text))
    assert text == (
        "“First part. Second part.” — field-report, paragraph 1, "
        f"sha256:{bare.text_hash[:HASH_CHARS]}"
    )
