"""Printing figures, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_print.py

An annotated PDF of the sample article (goal: at most 1 s) and of War and Peace (3.2 MB;
goal: at most 60 s; skipped when the corpus is absent), in pages per second, against a
baseline measured in the same run: Qt's own ``QTextDocument.print_`` of the same plain text,
no highlights, notes, index or footnotes, to a PDF of the same paper at the same
resolution. The book's names are its capitalised words inside sentences (a stand-in for
the model's names, which take a minute to find and are not what is measured); its notes
are 300 passages spread over the text.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pypdfium2 as pdfium
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from reader.documents.loader import load_document
from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import PrintOptions, render_pdf
from reader.printing.painting import prepare_printer
from reader.printing.styles import body_font

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "summit-in-geneva.md"
BOOK = ROOT.parent / "shared" / "corpus" / "war_and_peace.txt"
SAMPLE_GOAL, BOOK_GOAL = 1.0, 60.0
OPTIONS = PrintOptions(page_size="A4", printed_at=datetime(2026, 1, 1))

KINDS = (Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION)
NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{3,}(?: [A-Z][a-z]+)?")


def sample_material() -> tuple[Document, list[Mention], list[Note]]:
    import spacy

    from reader.entities.engine import EntityEngine
    from tests.gui.conftest import PATTERNS

    nlp = spacy.blank("en")
    patterns = [{"label": label, "pattern": text} for label, text in PATTERNS]
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    document = load_document(SAMPLE)
    mentions = EntityEngine(nlp=nlp).analyse_text(document.text)
    notes = [
        passage(document, 1, "a joint monitoring station on the Syr Darya", "Who pays?"),
        passage(document, 2, "the Aral Sea researcher Timur Bekov", "Read his report."),
    ]
    return document, mentions, notes


def book_material() -> tuple[Document, list[Mention], list[Note]]:
    document = load_document(BOOK)
    text = document.text
    mentions = [
        Mention(m.start(), m.end(), KINDS[len(m.group(0)) % 3], "X", m.group(0), m.group(0))
        for m in NAME.finditer(text)
    ]
    step = len(document.blocks) // 300
    notes = []
    for number, block in enumerate(document.blocks[::step][:300]):
        end = min(block.end, block.start + 120)
        notes.append(
            Note(
                number,
                "passage",
                1,
                f"Note {number}: on this passage. " * 3,
                (),
                quote=text[block.start : end],
                start=block.start,
                end=end,
            )
        )
    return document, mentions, notes


def passage(document: Document, ident: int, quote: str, body: str) -> Note:
    start = document.text.index(quote)
    return Note(ident, "passage", 1, body, (), quote=quote, start=start, end=start + len(quote))


def baseline(document: Document, path: Path) -> tuple[float, int, bool]:
    """Qt's own printing of the plain text, same paper, font and resolution."""
    started = time.perf_counter()
    qdoc = QTextDocument()
    qdoc.setUndoRedoEnabled(False)
    qdoc.setDefaultFont(body_font(OPTIONS))
    qdoc.setPlainText(document.text)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    prepare_printer(printer, OPTIONS)
    printer.setFullPage(False)
    qdoc.print_(printer)
    seconds = time.perf_counter() - started
    pdf = pdfium.PdfDocument(str(path))
    pages = len(pdf)
    last_words = " ".join(document.text.split()[-4:])
    complete = last_words in " ".join(pdf[pages - 1].get_textpage().get_text_range().split())
    pdf.close()
    return seconds, pages, complete


def measure(name: str, material, goal: float, folder: Path, repeat: int) -> None:
    document, mentions, notes = material
    best, report = float("inf"), None
    for _ in range(repeat):
        report = render_pdf(document, mentions, notes, [], OPTIONS, folder / f"{name}.pdf")
        best = min(best, report.seconds)
    base = min(baseline(document, folder / f"{name}-plain.pdf") for _ in range(repeat))
    pages = report.pages
    verdict = "ok" if best <= goal else "OVER GOAL"
    seconds, plain_pages, complete = base
    print(f"{name}: {len(document.text):,} characters, {len(mentions):,} names, {len(notes)} notes")
    print(
        f"  annotated PDF  {best:7.2f} s  {pages:5d} pages  {pages / best:7.1f} pages/s  "
        f"(goal <= {goal:.0f} s: {verdict})"
    )
    print(
        f"  plain print_   {seconds:7.2f} s  {plain_pages:5d} pages  "
        f"{plain_pages / seconds:7.1f} pages/s  (Qt's QTextDocument.print_, no annotations)"
    )
    if not complete:
        print(
            "                 Qt stopped before the end of the text: one QTextDocument lays "
            "out no further than ~8.4 million device units (~600 pages at 1200 dpi)"
        )
    print(
        f"  ratio          {best / seconds:7.2f}x the plain print's time, "
        f"{(plain_pages / seconds) / (pages / best):.2f}x its time per page"
    )


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        measure("sample article", sample_material(), SAMPLE_GOAL, Path(folder), repeat=5)
        if BOOK.exists():
            measure("War and Peace", book_material(), BOOK_GOAL, Path(folder), repeat=1)
        else:
            print(f"War and Peace: skipped, {BOOK} is not there")
    del app


if __name__ == "__main__":
    main()
