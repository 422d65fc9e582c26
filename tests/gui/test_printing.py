"""Annotated copies as a reader gets them: real PDFs, read back as text and as pixels.

The sample article is printed with names from a blank spaCy pipeline with an entity ruler
(``ruler_engine``), two passage notes, one note on the article and one on a person. Each PDF
is read with pdfium: its text layer page by page, the boxes of its characters, and page 1
rendered to pixels, so every check is about what is on paper, not about our own data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrinter

from reader.documents.loader import load_document
from reader.documents.model import Block, Document, Metadata
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import (
    PrintError,
    PrintOptions,
    default_page_size,
    print_document,
    render_html,
    render_pdf,
)
from reader.printing.compose import compose
from reader.printing.index_section import page_ranges
from reader.printing.painting import page_size_points, prepare_printer
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "summit-in-geneva.md"
PRINTED_AT = datetime(2026, 3, 1, 9, 30)
PASSAGE_1 = "a joint monitoring station on the Syr Darya near Shardara"
PASSAGE_2 = "the Aral Sea researcher Timur Bekov"
NOTE_1 = "First joint station since 1992: ask the ministry for the treaty text."
NOTE_2 = "Bekov also wrote the 2019 report on salt storms."
DOCUMENT_NOTE = "Compare with the 2019 Tashkent talks."
ENTITY_NOTE = "Secretary-General of the United Nations since 2017."
PERSON_TINT = (0xCF, 0xE5, 0xF7)  # settings.DEFAULT_COLOURS["person"]


def passage(document: Document, note_id: int, quote: str, body: str) -> Note:
    start = document.text.index(quote)
    return Note(
        note_id, "passage", 1, body, ("water",), quote=quote, start=start, end=start + len(quote)
    )


@pytest.fixture
def sample(qapp, ruler_engine):
    document = load_document(SAMPLE)
    mentions = ruler_engine.analyse_text(document.text)
    notes = [
        Note(1, "document", 1, DOCUMENT_NOTE, ()),
        passage(document, 2, PASSAGE_1, NOTE_1),
        passage(document, 3, PASSAGE_2, NOTE_2),
    ]
    entity_notes = [
        Note(
            4,
            "entity",
            None,
            ENTITY_NOTE,
            (),
            entity_kind="person",
            entity_canonical="Antonio Guterres",
        ),
    ]
    return document, mentions, notes, entity_notes


def options(**changes) -> PrintOptions:
    return replace(PrintOptions(page_size="A4", printed_at=PRINTED_AT), **changes)


def pdf_texts(path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def pages_with(texts: list[str], phrase: str) -> list[int]:
    return [number for number, text in enumerate(texts, 1) if phrase in text]


def render(sample, tmp_path, name="copy.pdf", **changes):
    path = tmp_path / name
    report = render_pdf(*sample, options(**changes), path)
    return path, report


# -- text ------------------------------------------------------------------------------------


def test_the_pdf_holds_the_header_the_names_and_every_note(sample, tmp_path) -> None:
    path, report = render(sample, tmp_path)
    texts = pdf_texts(path)
    assert report.pages == len(texts) and not report.cancelled
    everything = " ".join(texts)
    document = sample[0]
    for expected in (
        "Water talks in Geneva end with a promise and a deadline",
        "https://example.org/news/2026/water-talks-geneva",
        "summit-in-geneva.md",
        f"sha256:{document.text_hash[:8]}",
        "printed 1 March 2026, 09:30",
        "Antonio Guterres",
        "Claudia Brunner",
        "World Bank",
        NOTE_1,
        NOTE_2,
        DOCUMENT_NOTE,
        ENTITY_NOTE,
        "Index",
    ):
        assert expected in everything, expected
    # Article notes come before the text; the footer counts the pages.
    assert texts[0].index(DOCUMENT_NOTE) < texts[0].index("Delegates from eleven countries")
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text


def test_a_pdf_never_sets_up_a_printer(sample, tmp_path, monkeypatch) -> None:
    """A QPrinter, even one writing a PDF, asks CUPS about printers over TCP (port 631)."""
    from reader.printing import painting

    class NoPrinter:
        def __init__(self, *args: object) -> None:
            raise AssertionError("a QPrinter was set up to write a PDF")

    monkeypatch.setattr(painting, "QPrinter", NoPrinter)
    path, report = render(sample, tmp_path)
    texts = pdf_texts(path)
    assert report.pages == len(texts) >= 2
    assert "Water talks in Geneva" in texts[0] and "Page 1 of" in texts[0]


def test_index_page_numbers_are_the_pages_the_names_are_printed_on(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path, font_size=13)  # bigger type: the text spans pages
    texts = pdf_texts(path)
    index_page = next(n for n, t in enumerate(texts, 1) if t.startswith("Index"))
    assert index_page >= 3
    body = texts[: index_page - 1]
    mentions = sample[1]
    checked = 0
    for name in (
        "Antonio Guterres",
        "Claudia Brunner",
        "Geneva",
        "Tashkent",
        "World Bank",
        "Greenpeace",
    ):
        forms = {m.text for m in mentions if m.canonical == name}
        printed = sorted({p for form in forms for p in pages_with(body, form)})
        entry = re.search(re.escape(name) + r" (\d+(?:(?:, |–)\d+)*)", texts[-1])
        assert entry is not None, (name, texts[-1])
        assert expand(entry.group(1)) == printed, name
        checked += 1
    assert checked == 6
    assert "Note: " + ENTITY_NOTE in texts[-1]  # under its entity, in the index


def expand(pages: str) -> list[int]:
    numbers: list[int] = []
    for part in pages.split(","):
        first, _, last = part.strip().partition("–")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def test_footnotes_are_on_the_page_of_their_passage(qapp, tmp_path) -> None:
    document, notes = long_document(paragraphs=120, notes_every=3)
    path = tmp_path / "long.pdf"
    report = render_pdf(document, [], notes, [], options(include_index=False), path)
    texts = pdf_texts(path)
    assert report.pages >= 8
    for note in notes:
        note_pages = pages_with(texts, note.body)
        passage_pages = pages_with(texts, note.quote)
        assert len(note_pages) == 1, note.body  # printed once
        assert note_pages == passage_pages, note.body


def long_document(paragraphs: int, notes_every: int = 0, heading_every: int = 0):
    """Numbered sentences, so that every phrase is unique and can be found on its page."""
    parts: list[str] = []
    blocks: list[Block] = []
    notes: list[Note] = []
    offset = 0
    for number in range(paragraphs):
        if heading_every and number % heading_every == 0:
            text = f"Section heading number {number}"
            blocks.append(Block("heading", offset, offset + len(text), level=2))
            parts.append(text + "\n\n")
            offset += len(text) + 2
        sentences = [
            f"Paragraph {number} sentence {s} tells of the river and the people who live by it."
            for s in range(1 + number % 6)
        ]
        text = " ".join(sentences)
        blocks.append(Block("paragraph", offset, offset + len(text)))
        if notes_every and number % notes_every == 1:
            quote = f"Paragraph {number} sentence 0"
            start = offset
            notes.append(
                Note(
                    number,
                    "passage",
                    1,
                    f"Footnote body for paragraph {number}.",
                    (),
                    quote=quote,
                    start=start,
                    end=start + len(quote),
                )
            )
        parts.append(text + "\n\n")
        offset += len(text) + 2
    text = "".join(parts).rstrip("\n")
    return Document(text, blocks, Metadata(title="A long test document")), notes


def test_headings_never_end_a_page(qapp) -> None:
    document, _ = long_document(paragraphs=160, heading_every=3)
    checked = 0
    for size in (9, 10, 10.5, 11, 12):  # different cuts, some of them right after a heading
        chosen = options(font_size=size)
        layout = compose(document, [], [], [], chosen, page_size_points(chosen))
        body = [p for p in layout.pages if p.role == "body"]
        for page in body[:-1]:
            frame = page.frames[-1]
            lines = frame.flow.lines
            last = max(i for i, line in enumerate(lines) if line.top < frame.bottom)
            assert not lines[last].keep, (size, layout.pages.index(page) + 1)
            checked += 1
    assert checked >= 30


def test_no_line_is_printed_twice_across_a_page_break(qapp, tmp_path) -> None:
    # QTextLayout draws the line above its clip too; the copy must not carry it in its text.
    document, _ = long_document(paragraphs=200)
    path = tmp_path / "lines.pdf"
    render_pdf(document, [], [], [], options(include_index=False), path)
    everything = " ".join(pdf_texts(path))
    counts = [
        everything.count(f"Paragraph {number} sentence {sentence} tells")
        for number in range(200)
        for sentence in range(1 + number % 6)
    ]
    assert max(counts) == 1
    assert counts.count(1) > 0.9 * len(counts)  # the others are cut by a page break


def test_page_count_suits_the_length_of_the_text(sample, tmp_path) -> None:
    _path, report = render(sample, tmp_path)
    words = sample[0].word_count
    body_pages = report.pages - 1  # the index has a page of its own
    assert words / 700 <= body_pages <= words / 250 + 1  # + the header, legend and notes
    document, _ = long_document(paragraphs=300)
    long_path = tmp_path / "long.pdf"
    long_report = render_pdf(document, [], [], [], options(include_index=False), long_path)
    assert document.word_count / 700 <= long_report.pages <= document.word_count / 250


def test_endnotes_list_the_notes_after_the_text_with_their_pages(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path, notes="endnotes")
    texts = pdf_texts(path)
    notes_page = next(n for n, t in enumerate(texts, 1) if t.startswith("Notes"))
    assert pages_with(texts, NOTE_1) == [notes_page]
    passage_page = pages_with(texts, "near Shardara")[0]
    assert f"page {passage_page}: “{PASSAGE_1}”" in texts[notes_page - 1]


def test_notes_none_prints_no_note(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path, notes="none")
    everything = " ".join(pdf_texts(path))
    for body in (NOTE_1, NOTE_2, DOCUMENT_NOTE, ENTITY_NOTE):
        assert body not in everything
    assert "Claudia Brunner" in everything


# -- pixels ----------------------------------------------------------------------------------


def name_box(path, phrase: str, scale: float):
    """Page 1 as an RGB array and the pixel box of the first ``phrase`` on it."""
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    textpage = page.get_textpage()
    raw = textpage.get_text_range()
    index = raw.index(phrase)
    boxes = [textpage.get_charbox(i) for i in range(index, index + len(phrase))]
    height = page.get_size()[1]
    left = min(b[0] for b in boxes) * scale
    right = max(b[2] for b in boxes) * scale
    top = (height - max(b[3] for b in boxes)) * scale
    bottom = (height - min(b[1] for b in boxes)) * scale
    pixels = page.render(scale=scale).to_numpy()[:, :, ::-1]  # BGR -> RGB
    pdf.close()
    return pixels, (int(left), int(top), int(right), int(bottom))


def test_a_person_is_tinted_in_the_person_colour(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path)
    pixels, (left, top, right, bottom) = name_box(path, "Claudia Brunner", scale=3)
    region = pixels[top:bottom, left:right].reshape(-1, 3).astype(int)
    tinted = (abs(region - PERSON_TINT).max(axis=1) <= 6).mean()
    assert tinted > 0.25  # the letters and their anti-aliased edges cover the rest
    outside = pixels[top:bottom, right + 40 : right + 80].reshape(-1, 3).astype(int)
    assert (abs(outside - PERSON_TINT).max(axis=1) <= 6).mean() < 0.05


def test_greyscale_has_no_colour_but_each_name_is_underlined(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path, greyscale=True)
    pixels, (left, top, right, bottom) = name_box(path, "Claudia Brunner", scale=3)
    channels = pixels.astype(int)
    saturation = channels.max(axis=2) - channels.min(axis=2)
    assert saturation.max() <= 10  # nothing on the page has a colour
    # Below the letters' boxes (the baseline), a dark line runs under most of the name.
    below = channels[bottom - 6 : bottom + 12, left:right].mean(axis=2)
    dark_columns = (below < 110).any(axis=0).mean()
    assert dark_columns > 0.8
    # Greyscale names have no tint: the background inside the box stays white.
    inside = channels[top:bottom, left:right].reshape(-1, 3)
    assert (inside.min(axis=1) > 240).mean() > 0.4


# -- printers, HTML, cancelling, errors ---------------------------------------------------------


def test_a_printer_at_another_resolution_gets_the_same_pages(sample, tmp_path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "screen.pdf"))
    chosen = options()
    prepare_printer(printer, chosen, "Sample")
    report = print_document(printer, *sample, chosen)
    reference, reference_report = render(sample, tmp_path)
    assert report.pages == reference_report.pages
    assert pdf_texts(tmp_path / "screen.pdf") == pdf_texts(reference)


def test_letter_paper_and_the_locale_default(sample, tmp_path) -> None:
    path, _ = render(sample, tmp_path, page_size="Letter")
    pdf = pdfium.PdfDocument(str(path))
    width, height = pdf[0].get_size()
    pdf.close()
    assert (round(width), round(height)) == (612, 792)
    assert default_page_size(QLocale("en_US")) == "Letter"
    assert default_page_size(QLocale("en_CA")) == "Letter"
    assert default_page_size(QLocale("fr_FR")) == "A4"
    assert default_page_size(QLocale("de_CH")) == "A4"


def test_cancelling_stops_and_leaves_no_file(sample, tmp_path) -> None:
    calls: list[int] = []
    path = tmp_path / "cancelled.pdf"
    report = render_pdf(
        *sample,
        options(),
        path,
        progress=lambda done, total: calls.append(done),
        cancelled=lambda: len(calls) >= 1,
    )
    assert report.cancelled and report.pages == 0
    assert list(tmp_path.iterdir()) == []


def test_progress_reaches_the_total(sample, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    render_pdf(*sample, options(), tmp_path / "p.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_an_unwritable_place_is_a_sentence(sample, tmp_path) -> None:
    with pytest.raises(PrintError, match="does not exist"):
        render_pdf(*sample, options(), tmp_path / "missing" / "copy.pdf")
    with pytest.raises(PrintError, match="folder"):
        render_pdf(*sample, options(), tmp_path)


def test_an_existing_file_is_replaced_only_when_the_copy_is_complete(sample, tmp_path) -> None:
    path = tmp_path / "copy.pdf"
    path.write_bytes(b"old")
    render_pdf(*sample, options(), path, cancelled=lambda: True)
    assert path.read_bytes() == b"old"
    render_pdf(*sample, options(), path)
    assert path.read_bytes().startswith(b"%PDF")


def test_html_copy_is_self_contained_with_linked_notes_and_index(sample) -> None:
    html = render_html(*sample, options())
    lowered = html.lower()
    for reference in ("src=", "<link", "url(", "@import", "<script", "<img", "<iframe"):
        assert reference not in lowered
    assert '<span class="entity person" id="' in html
    assert "Claudia Brunner" in html and NOTE_1 in html and ENTITY_NOTE in html
    # Each note number links to its note, and the note back to the text.
    for number in (1, 2):
        assert f'href="#note-{number}" id="ref-{number}"' in html
        assert f'id="note-{number}"><a class="back" href="#ref-{number}"' in html
    # Index links point at ids that exist.
    index = html[html.index('<section class="index">') :]
    for target in re.findall(r'href="#(m\d+)"', index):
        assert f'id="{target}"' in html
    endnotes = render_html(*sample, options(notes="endnotes", greyscale=True))
    assert '<section class="endnotes">' in endnotes and "background: transparent" in endnotes


def test_kinds_not_chosen_are_not_marked(sample, tmp_path) -> None:
    chosen = options(kinds=frozenset({Kind.PLACE}))
    layout = compose(*sample, chosen, page_size_points(chosen))
    assert {entry.kind for entry in layout.index} == {Kind.PLACE}
    html = render_html(*sample, chosen)
    assert 'class="entity person"' not in html.split("</style>")[1]


def test_page_ranges_read_like_an_index() -> None:
    assert page_ranges([1, 2, 4, 5, 6, 9]) == "1, 2, 4–6, 9"
    assert page_ranges([3]) == "3"
    assert page_ranges([]) == ""


def test_a_book_length_text_is_split_into_sections(qapp) -> None:
    # One QTextDocument stops laying out after ~700 pages: a book must be several sections.
    document, _ = long_document(paragraphs=1200)
    mentions = [
        Mention(m.start(), m.end(), Kind.PLACE, "GPE", "river", "river")
        for m in re.finditer("river", document.text)
    ]
    layout = compose(document, mentions, [], [], options(), page_size_points(options()))
    assert len(layout.body.sections) >= 2
    entry = layout.index[0]
    body_pages = sum(1 for p in layout.pages if p.role == "body")
    assert entry.pages == list(range(1, body_pages + 1))


def test_a_note_too_long_for_the_foot_of_a_page_continues_at_the_end(qapp, tmp_path) -> None:
    document, notes = long_document(paragraphs=40, notes_every=10)
    notes[1].body = "Long note. " + "It goes on and on. " * 300 + "The end of the long note."
    path = tmp_path / "long-note.pdf"
    render_pdf(document, [], notes, [], options(include_index=False), path)
    texts = pdf_texts(path)
    end = next(n for n, t in enumerate(texts, 1) if t.startswith("Notes continued"))
    body = texts[: end - 1]
    foot = pages_with(body, "(continued in the notes at the end)")
    assert foot == pages_with(body, notes[1].quote)
    assert pages_with(texts, "The end of the long note.") == [len(texts)]
    assert f"page {foot[0]}: “{notes[1].quote}”" in " ".join(texts[end - 1 :])
    for note in notes[:1] + notes[2:]:  # the others stay at the foot of their page
        assert pages_with(body, note.body) == pages_with(body, note.quote)
