"""Details of the printed copy a careful reader notices: no empty footnote rule, no last
words alone on a page, the article's date and source in every head, the PDF's author, note
numbers after the closing quotation mark, index headings repeated where a group goes on,
and numbered lists with one number each."""

from __future__ import annotations

import re
from datetime import datetime

import pypdfium2 as pdfium
import pytest

from reader.documents.model import Block, Document, Metadata
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import PrintOptions, render_html, render_pdf
from reader.printing.compose import compose
from reader.printing.front_matter import readable_date, running_head
from reader.printing.painting import page_size_points
from tests.gui.test_printing import long_document, pages_with, pdf_texts

PRINTED_AT = datetime(2026, 3, 1, 9, 30)
URL = "https://www.example.org/news/2026/water-talks-geneva"


def options(**changes) -> PrintOptions:
    values = {"page_size": "A4", "printed_at": PRINTED_AT, **changes}
    return PrintOptions(**values)


def document_of(pieces: list[tuple[str, str]], **meta: str) -> Document:
    """Blocks of the given kinds and texts, separated as in every canonical text."""
    text, blocks = "", []
    for kind, words in pieces:
        text += "\n\n" if text else ""
        blocks.append(Block(kind, len(text), len(text) + len(words), level=1))  # type: ignore[arg-type]
        text += words
    return Document(text, blocks, Metadata(**meta))


def note_on(document: Document, number: int, quote: str, body: str) -> Note:
    start = document.text.index(quote)
    return Note(number, "passage", 1, body, (), quote=quote, start=start, end=start + len(quote))


# -- the foot of the page ---------------------------------------------------------------------


def test_endnotes_leave_no_footnote_rule_at_the_foot_of_a_page(qapp, tmp_path) -> None:
    document = document_of(
        [("title", "A short dispatch"), ("paragraph", "The talks ended with a promise.")],
        title="A short dispatch",
    )
    notes = [note_on(document, 1, "a promise", "Which promise?")]
    chosen = options(page_size="Letter", notes="endnotes", include_index=False)
    layout = compose(document, [], notes, [], chosen, page_size_points(chosen))
    assert all(not page.notes for page in layout.pages)  # endnotes are not footnotes
    path = tmp_path / "endnotes.pdf"
    render_pdf(document, [], notes, [], chosen, path)
    pdf = pdfium.PdfDocument(str(path))
    try:
        pixels = pdf[0].render(scale=1).to_numpy()
    finally:
        pdf.close()
    height = pixels.shape[0]
    # Below the text, down to the footer: nothing but paper (the rule was drawn there).
    assert pixels[height // 3 : height - 60, :, :3].min() > 240


def tail_document(paragraphs: int) -> Document:
    document, _ = long_document(paragraphs=paragraphs)
    text, blocks = document.text, list(document.blocks)
    for words in ("Original address:", URL):
        text += "\n\n"
        blocks.append(Block("paragraph", len(text), len(text) + len(words)))
        text += words
    return Document(text, blocks, Metadata(title="A long test document"))


def test_a_short_last_paragraph_is_never_alone_on_a_page(qapp) -> None:
    checked = 0
    for paragraphs in range(20, 62):
        for size in (10, 11):
            chosen = options(font_size=size, include_index=False)
            layout = compose(
                tail_document(paragraphs), [], [], [], chosen, page_size_points(chosen)
            )
            body = [page for page in layout.pages if page.role == "body"]
            if len(body) < 2:
                continue
            frame = body[-1].frames[-1]
            lines = frame.flow.lines[frame.first_line :]
            on_last_page = [line for line in lines if line.bottom <= frame.bottom + 1]
            # The label and the address, and the end of the paragraph before them.
            assert len(on_last_page) >= 4, (paragraphs, size)
            checked += 1
    assert checked > 40


def test_a_label_goes_over_the_page_with_what_it_labels(qapp, tmp_path) -> None:
    for paragraphs in (23, 28, 35, 42):
        path = tmp_path / f"label-{paragraphs}.pdf"
        render_pdf(tail_document(paragraphs), [], [], [], options(include_index=False), path)
        texts = pdf_texts(path)
        assert pages_with(texts, "Original address:") == pages_with(texts, URL)


# -- heads, metadata ------------------------------------------------------------------------


def test_every_later_page_names_the_date_and_source_and_the_pdf_its_author(qapp, tmp_path) -> None:
    document, _ = long_document(paragraphs=80)
    document.metadata = Metadata(
        title="A long test document", author="Maria Keller", date="2020-01-06", source_url=URL
    )
    path = tmp_path / "dated.pdf"
    report = render_pdf(document, [], [], [], options(include_index=False), path)
    texts = pdf_texts(path)
    assert report.pages >= 3
    assert "Maria Keller · 6 January 2020" in texts[0]  # the header under the title
    assert URL in texts[0]
    for text in texts[1:]:
        assert "6 January 2020 · example.org" in text
    pdf = pdfium.PdfDocument(str(path))
    try:
        metadata = pdf.get_metadata_dict()
    finally:
        pdf.close()
    assert metadata["Author"] == "Maria Keller"
    assert metadata["Title"] == "A long test document"


def test_dates_read_as_dates_and_sources_as_sites() -> None:
    assert readable_date("2020-01-06") == "6 January 2020"
    assert readable_date("2020-01-06T14:03:00Z") == "6 January 2020"
    assert readable_date("Spring 2020") == "Spring 2020"
    assert readable_date("2020-02-31") == "2020-02-31"
    with_site = Document("x", [], Metadata(site_name="The Gazette", source_url=URL))
    assert running_head(with_site) == "The Gazette"
    assert running_head(Document("x", [], Metadata(date="2021-12-24", source_url=URL))) == (
        "24 December 2021 · example.org"
    )
    assert running_head(Document("x", [], Metadata())) == ""


# -- note markers -----------------------------------------------------------------------------


FIASCO = (
    'The minister called the summit a "fiasco" and left early. Lavrov\'s deputy stayed on '
    "to the end, and the talks went on (for a while)."
)


def test_note_numbers_follow_closing_quotation_marks_and_punctuation(qapp, tmp_path) -> None:
    document = document_of([("paragraph", FIASCO)], title="Summit")
    notes = [
        note_on(document, 1, "fiasco", "His word."),
        note_on(document, 2, "Lavrov", "Sergei Lavrov."),
        note_on(document, 3, "for a while", "How long?"),
    ]
    chosen = options(include_index=False, notes="endnotes")
    html = render_html(document, [], notes, [], chosen)
    assert 'fiasco</span>&quot;<sup class="ref">' in html
    assert 'Lavrov</span><sup class="ref">' in html  # not after the apostrophe of "'s"
    assert 'for a while</span>).<sup class="ref">' in html
    path = tmp_path / "markers.pdf"
    render_pdf(document, [], notes, [], chosen, path)
    text = pdf_texts(path)[0]  # pdfium may set a superscript apart with a space
    assert re.search(r'"fiasco" ?1 and left', text), text
    assert re.search(r"Lavrov ?2 ?'s deputy", text), text
    assert re.search(r"\(for a while\)\. ?3", text), text


# -- the index ------------------------------------------------------------------------------


def crowded_index(count: int = 200) -> tuple[Document, list[Mention]]:
    kinds = [Kind.PERSON] * (count * 7 // 20) + [Kind.PLACE] * (count * 9 // 20)
    kinds += [Kind.ORGANIZATION] * (count - len(kinds))
    parts, blocks, mentions, offset = [], [], [], 0
    for number, kind in enumerate(kinds):
        name = f"{kind.singular} Name{number:03d}"
        text = f"In paragraph {number} the text speaks of {name} at some length."
        start = offset + text.index(name)
        mentions.append(Mention(start, start + len(name), kind, "X", name, name))
        blocks.append(Block("paragraph", offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 2
    return Document("\n\n".join(parts), blocks, Metadata(title="Many names")), mentions


def test_an_index_group_going_on_repeats_its_heading(qapp, tmp_path) -> None:
    document, mentions = crowded_index()
    path = tmp_path / "index.pdf"
    render_pdf(document, mentions, [], [], options(), path)
    texts = pdf_texts(path)
    first = next(n for n, t in enumerate(texts) if t.startswith("Index"))
    index_pages = texts[first:]
    assert len(index_pages) >= 2
    assert any("People (continued)" in t for t in index_pages)
    assert any(t.startswith("Places (continued)") for t in index_pages[1:])  # a new page
    # Where the index begins, its title is said once: not again in the running head.
    assert index_pages[0].count("Index") == 1
    assert all("Index" in t for t in index_pages[1:])  # the head of the pages it goes on


def test_a_repeated_heading_only_where_a_group_goes_on(qapp) -> None:
    document, mentions = crowded_index()
    chosen = options()
    layout = compose(document, mentions, [], [], chosen, page_size_points(chosen))
    frames = [f for page in layout.pages if page.role == "index" for f in page.frames]
    repeated = [f for f in frames if f.heading is not None]
    assert repeated
    for frame in frames:
        first = frame.flow.lines[frame.first_line]
        # A column that starts with a group's own heading gets no second one.
        assert (frame.heading is not None) == bool(first.continued and frame.first_line > 0)
        if frame.heading is not None:
            assert frame.heading.toPlainText().endswith("(continued)")
            assert frame.y > frame.heading_y  # the lines start below it


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_index_entries_are_all_printed_once(qapp, tmp_path, page_size) -> None:
    document, mentions = crowded_index()
    path = tmp_path / "all.pdf"
    render_pdf(document, mentions, [], [], options(page_size=page_size), path)
    texts = pdf_texts(path)
    first = next(n for n, t in enumerate(texts) if t.startswith("Index"))
    index = " ".join(texts[first:])
    for mention in mentions:
        assert index.count(mention.canonical + " ") == 1, mention.canonical


# -- numbered lists in the HTML copy --------------------------------------------------------


def test_the_html_copy_uses_an_ordered_list_for_numbered_items(qapp) -> None:
    document = document_of(
        [
            ("paragraph", "What to bring:"),
            ("list_item", "1. Ropes"),
            ("list_item", "2. Tents"),
            ("paragraph", "And to eat:"),
            ("list_item", "apples"),
        ],
        title="Kit",
    )
    html = render_html(document, [], [], [], options())
    assert '<ol class="numbered">\n<li>1. Ropes\n</li>\n<li>2. Tents\n</li></ol>' in html
    assert "<ul>\n<li>apples\n</li></ul>" in html
    assert "ol.numbered { list-style: none;" in html  # the number is the text's own
