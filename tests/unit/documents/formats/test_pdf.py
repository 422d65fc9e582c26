"""Reading PDFs: paragraphs rebuilt, running heads dropped, clear errors for what cannot be read.

The article is printed by Qt the way the app prints, so the tests see what a researcher's
own "print to PDF" produces. Qt also reports where it laid out each block, which is the
truth the page numbers are checked against.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents.formats.pdf import read_pdf
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError

from ..conftest import check_invariants
from .conftest import MakePdf, PrintedPdf, handmade_pdf, print_pdf, print_scan

HEADER = "The Alder Gazette · Tuesday 12 March 2024 · Local news"
TITLE = "Harbour Council Backs Electric Ferry to Kessling Island"

# (kind, text as printed, text expected back). "\u00ad" is a soft hyphen Qt may break at;
# "\n" forces a line break, here right after a hyphen the author typed.
ARTICLE: list[tuple[str, str, str]] = [
    ("h1", TITLE, TITLE),
    ("p", "By Marta Olsen, Port Alder", "By Marta Olsen, Port Alder"),
    (
        "p",
        "The council of Port Alder voted by nine votes to four on Tuesday evening to pay for an "
        "electric ferry between the old harbour and Kessling Island, ending a decade of argument "
        "in which three mayors, two shipping companies and the regional government in Vestby had "
        "each promised a crossing and each, for reasons of money or politics, quietly dropped it.",
        "",
    ),
    (
        "p",
        "Mayor Ilse Brandt, who has made the ferry the centre of her second term, told a packed "
        "chamber that the inter-\nnational partnership with the Nordic Shipping Union would bring "
        "forty permanent jobs to the harbour, and that the Franco-\nGerman consortium Atlantis "
        "Marine had agreed to build two battery-powered vessels at its yard in Bremerhaven.",
        "Mayor Ilse Brandt, who has made the ferry the centre of her second term, told a packed "
        "chamber that the international partnership with the Nordic Shipping Union would bring "
        "forty permanent jobs to the harbour, and that the Franco-German consortium Atlantis "
        "Marine had agreed to build two battery-powered vessels at its yard in Bremerhaven.",
    ),
    (
        "p",
        "According to the council's own environ\u00admental assessment, the electri\u00adfication "
        "of the crossing would save roughly 1,200 tonnes of diesel a year, although the report, "
        "prepared by the engineering firm Halvorsen & Dahl, warns that the infra\u00adstructure "
        "needed to charge the vessels at both ends of the route has not yet been costed.",
        "",
    ),
    ("h2", "Opposition from the islanders", "Opposition from the islanders"),
    (
        "p",
        "Not everyone on Kessling Island is pleased, and Jonas Eklund, a self-\nemployed "
        "fisherman who chairs the Kessling Residents' Association, said that the islanders had "
        "been consulted only after the decision was made, and that nobody had explained who "
        "would carry the responsi\u00adbility if the batteries failed in a winter storm.",
        "Not everyone on Kessling Island is pleased, and Jonas Eklund, a self-employed "
        "fisherman who chairs the Kessling Residents' Association, said that the islanders had "
        "been consulted only after the decision was made, and that nobody had explained who "
        "would carry the responsibility if the batteries failed in a winter storm.",
    ),
    (
        "p",
        "His association has collected more than six hundred signatures against the plan, a "
        "remarkable number on an island of barely two thousand people, and on Monday it wrote to "
        "the Ministry of Transport in Vestby asking for an independent review of the "
        "tele\u00adcommunications and safety systems proposed for the vessels, which it says "
        "were copied from a design used on the sheltered lakes of Switzerland.",
        "",
    ),
    (
        "p",
        "Brandt rejected the criticism, saying that the council had held eleven public meetings "
        "since March, four of them on the island itself, and that the Ministry had approved the "
        "design in principle after a visit by its chief inspector, Dr Amara Nwosu, whose report "
        "described the harbour's charging plan as ambitious but achievable.",
        "",
    ),
    ("h2", "Money and timetable", "Money and timetable"),
    (
        "p",
        "The ferry will cost an estimated 48 million euros, of which the European Union is "
        "expected to pay roughly a third, the regional government of Vestby another third, and "
        "the council the remainder, financed by a loan from the Nordic Investment Bank that the "
        "council's finance committee approved last month over the objections of its two Green "
        "Party members.",
        "",
    ),
    (
        "p",
        "Under the timetable agreed with Atlantis Marine, the first vessel, provisionally named "
        "Kessling Star, will be launched in Bremerhaven in the spring of 2026 and sail to Port "
        "Alder for trials in the autumn, with eighteen crossings a day from January 2027.",
        "",
    ),
    ("b", "What happens next", "What happens next"),
    (
        "p",
        "The decision must still be confirmed by the regional assembly in Vestby, which meets on "
        "14 May, and by the harbour authority, whose director, Per Lindqvist, said on Wednesday "
        "that he expected no difficulty but would want to see the final drawings of the new pier "
        "before giving his approval.",
        "",
    ),
    (
        "p",
        "For the islanders who have waited for a reliable crossing since the old diesel ferry "
        "Margit was withdrawn in 2014, the vote was a moment of cautious hope, and at the quay in "
        "Kessling village on Wednesday morning Astrid Holm, a retired teacher, said only that she "
        "would believe in the ferry when she could buy a ticket for it.",
        "",
    ),
]
EXPECTED = [expected or printed.replace("\u00ad", "") for _, printed, expected in ARTICLE]


@pytest.fixture(scope="module")
def printed(qapp, tmp_path_factory: pytest.TempPathFactory) -> PrintedPdf:
    path = tmp_path_factory.mktemp("pdf") / "ferry.pdf"
    pdf = print_pdf(path, [(kind, text) for kind, text, _ in ARTICLE], title=TITLE, header=HEADER)
    # The fixture must exercise what it is meant to, whatever fonts the machine has.
    assert pdf.page_count >= 3
    assert pdf.soft_breaks >= 1
    assert any(b.first_page < b.last_page for b in pdf.blocks if b.kind == "p")
    with pdfium.PdfDocument(pdf.data) as document:
        raw = document.get_page(1).get_textpage().get_text_range()
    assert "Gazette" in raw and "Page 2 of" in raw
    return pdf


@pytest.fixture(scope="module")
def article(printed: PrintedPdf) -> Document:
    return read_pdf(printed.data, Metadata(path="/home/ana/articles/ferry.pdf"))


def test_every_paragraph_comes_back_whole_and_in_order(article: Document) -> None:
    check_invariants(article)
    assert [article.block_text(b) for b in article.blocks] == EXPECTED


def test_running_header_and_page_numbers_are_dropped(article: Document) -> None:
    assert "Gazette" not in article.text
    assert not re.search(r"Page \d+ of \d+", article.text)
    assert not any(article.block_text(b).isdigit() for b in article.blocks)


def test_line_end_hyphens_are_undone_but_real_hyphens_kept(article: Document) -> None:
    words = ("environmental", "electrification", "infrastructure", "telecommunications")
    for word in (*words, "responsibility", "international"):
        assert word in article.text
    assert "Franco-German" in article.text
    assert "self-employed" in article.text
    assert not re.search(r"\w- \w", article.text)  # no "tele- communications"


def test_blocks_know_their_kind_level_and_page(article: Document, printed: PrintedPdf) -> None:
    kinds = [(b.kind, b.level) for b in article.blocks]
    meaning = {"h1": ("title", 0), "h2": ("heading", 1), "b": ("heading", 2), "p": ("paragraph", 0)}
    assert kinds == [meaning[kind] for kind, _, _ in ARTICLE]
    assert [b.page for b in article.blocks] == [b.first_page for b in printed.blocks]


def test_paragraph_across_a_page_break_is_one_block_on_its_first_page(
    article: Document, printed: PrintedPdf
) -> None:
    for index, block in enumerate(printed.blocks):
        if block.first_page < block.last_page:
            assert article.block_text(article.blocks[index]) == EXPECTED[index]
            assert article.blocks[index].page == block.first_page


def test_metadata_comes_from_the_pdf(article: Document, printed: PrintedPdf) -> None:
    meta = article.metadata
    assert meta.format == "pdf"
    assert meta.page_count == printed.page_count
    assert meta.title == TITLE  # Qt writes the printer's document name as /Title
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date)
    assert meta.path == "/home/ana/articles/ferry.pdf"
    assert meta.notice == ""


def test_fields_the_caller_filled_are_kept(printed: PrintedPdf) -> None:
    known = Metadata(path="ferry.pdf", title="Ferry vote", author="M. Olsen", date="2024-03-12")
    doc = read_pdf(printed.data, known)
    assert (doc.metadata.title, doc.metadata.author, doc.metadata.date) == (
        "Ferry vote",
        "M. Olsen",
        "2024-03-12",
    )
    # The big first line is not this title, so it is only a heading.
    assert doc.blocks[0].kind == "heading"


@pytest.mark.parametrize(
    ("creation", "date"),
    [
        ("D:20240301093000+01'00'", "2024-03-01"),
        ("D:202403", "2024-03"),
        ("D:20241399", "2024"),
        ("yesterday", ""),
    ],
)
def test_info_dictionary_gives_author_and_date(creation: str, date: str) -> None:
    pages = [[(11, "Ferry link approved by the council.")]]
    data = handmade_pdf(pages, info={"Author": "Marta Olsen", "CreationDate": creation})
    meta = read_pdf(data, Metadata(path="info.pdf")).metadata
    assert (meta.author, meta.date) == ("Marta Olsen", date)


def test_without_a_title_the_largest_first_line_becomes_it() -> None:
    lines = [(24, "Ferry Link Approved"), (11, "The council voted on Tuesday"), (11, "to pay.")]
    doc = read_pdf(handmade_pdf([lines]), Metadata(path="untitled.pdf"))
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        ("title", "Ferry Link Approved"),
        ("paragraph", "The council voted on Tuesday to pay."),
    ]
    assert doc.metadata.title == "Ferry Link Approved"


def test_a_file_name_in_the_info_title_is_not_taken_for_the_title() -> None:
    lines = [(24, "Ferry Link Approved"), (11, "The council of Port Alder voted on Tuesday.")]
    data = handmade_pdf([lines], info={"Title": "Microsoft Word - ferry_draft3.docx"})
    assert read_pdf(data, Metadata(path="ferry.pdf")).metadata.title == "Ferry Link Approved"


def test_page_numbers_alone_are_dropped_even_in_a_short_pdf() -> None:
    body = [(11, f"Line {n} of the council's statement on the ferry.") for n in range(30)]
    pages = [[*body, (9, f"- {n} -", 40)] for n in (1, 2)]
    doc = read_pdf(handmade_pdf(pages), Metadata(path="short.pdf"))
    assert "- 1 -" not in doc.text and "- 2 -" not in doc.text
    assert all(b.page in (1, 2) for b in doc.blocks)


def test_pages_without_text_are_named_in_a_notice() -> None:
    data = handmade_pdf([[(11, "The council voted on the ferry.")], None])
    doc = read_pdf(data, Metadata(path="mixed.pdf"))
    assert doc.text == "The council voted on the ferry."
    assert "Page 2" in doc.metadata.notice and "OCR" in doc.metadata.notice


def test_password_protected_pdf_says_so() -> None:
    data = handmade_pdf([[(11, "Confidential ferry budget.")]], user_password="harbour")
    with pdfium.PdfDocument(data, password="harbour") as pdf:  # a real, readable PDF
        assert pdf.get_page(0).get_textpage().get_text_range() == "Confidential ferry budget."
    with pytest.raises(DocumentError, match=r"“budget\.pdf” is protected by a password"):
        read_pdf(data, Metadata(path="/tmp/budget.pdf"))


def test_scanned_pdf_asks_for_ocr(qapp, tmp_path: Path) -> None:
    data = print_scan(tmp_path / "scan.pdf")
    with pytest.raises(DocumentError, match=r"“scan\.pdf” has no text layer.*OCR"):
        read_pdf(data, Metadata(path=str(tmp_path / "scan.pdf")))


def test_truncated_pdf_is_reported_as_damaged(printed: PrintedPdf) -> None:
    with pytest.raises(DocumentError, match=r"“ferry\.pdf” is damaged or incomplete"):
        read_pdf(printed.data[: len(printed.data) // 2], Metadata(path="ferry.pdf"))


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + os.urandom(4000), b"%PDF-", b""])
def test_garbage_is_reported_as_damaged(data: bytes) -> None:
    with pytest.raises(DocumentError, match="damaged or incomplete"):
        read_pdf(data, Metadata(path="junk.pdf"))


def test_a_short_pdf_from_qt(make_pdf: MakePdf) -> None:
    pdf = make_pdf([("p", "A single paragraph about the ferry.")], footer="", font_size=11)
    doc = read_pdf(pdf.data, Metadata())
    assert doc.text == "A single paragraph about the ferry."
    assert doc.blocks[0].page == 1


_MUTATION = st.tuples(
    st.sampled_from(["flip", "delete", "insert"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.integers(min_value=0, max_value=255),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # fixtures are only read
)
@given(st.lists(_MUTATION, min_size=1, max_size=8))
def test_mutated_pdf_gives_a_document_or_a_clear_error(
    printed: PrintedPdf, mutations: list[tuple[str, float, int]]
) -> None:
    data = bytearray(printed.data)
    for kind, where, value in mutations:
        at = int(where * len(data))
        if kind == "flip":
            data[at] ^= value or 1
        elif kind == "delete":
            del data[at : at + value]
        else:
            data[at:at] = bytes([value]) * (value % 7 + 1)
    try:
        doc = read_pdf(bytes(data), Metadata(path="mutated.pdf"))
    except DocumentError as error:
        assert "mutated.pdf" in str(error)
    else:
        check_invariants(doc)
        assert all(b.page is not None for b in doc.blocks)


def test_two_columns_are_read_column_by_column() -> None:
    left = [
        "The harbour authority met on Monday",
        "to discuss the new pier for the ferry.",
        "Its director, Per Lindqvist, said that",
        "the drawings would be ready in May and",
        "sent to the regional assembly in",
    ]
    right = [
        "Vestby for approval before the summer.",
        "    Critics on Kessling Island said the",
        "timetable was far too optimistic, and",
        "that the islanders had not been asked",
        "about the new pier at all.",
    ]
    lines = [(10, text, 700 - 12 * n, 72) for n, text in enumerate(left[:2])]
    lines += [(10, text, 670 - 12 * n, 72) for n, text in enumerate(left[2:])]
    lines += [(10, text, 700 - 12 * n, 320) for n, text in enumerate(right)]
    doc = read_pdf(handmade_pdf([lines]), Metadata(path="columns.pdf"))
    assert [doc.block_text(b) for b in doc.blocks] == [
        "The harbour authority met on Monday to discuss the new pier for the ferry.",
        "Its director, Per Lindqvist, said that the drawings would be ready in May and sent to "
        "the regional assembly in Vestby for approval before the summer.",
        "Critics on Kessling Island said the timetable was far too optimistic, and that the "
        "islanders had not been asked about the new pier at all.",
    ]
