"""Formats benchmark: time to canonical text for a 300-page PDF and the book as HTML and EPUB.

Run from the project root:  python tests/benchmarks/bench_formats.py

Baselines measured in the same run: reading the same book from plain text (our own
plain-text loader), and for the PDF, bare pdfium text extraction of every page with no
paragraph rebuilding. The book parts are skipped when ../shared/corpus/ is absent.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT.parent / "shared" / "corpus" / "war_and_peace.txt"
PDF_PAGES = 300

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["READER_HOME"] = tempfile.mkdtemp(prefix="reader-bench-")
sys.path.insert(0, str(ROOT))


def line(name: str, seconds: float, baseline: float | None = None, note: str = "") -> None:
    parts = [f"{name:<46} {seconds:8.3f} s"]
    if baseline is not None:
        parts.append(f"baseline {baseline:8.3f} s  ratio {seconds / baseline:6.2f}x")
    if note:
        parts.append(note)
    print("  ".join(parts), flush=True)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def book_paragraphs() -> list[str]:
    text = BOOK.read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def is_heading(paragraph: str) -> bool:
    return bool(re.match(r"^(CHAPTER|BOOK|EPILOGUE|FIRST|SECOND)\b", paragraph))


def book_html(paragraphs: list[str]) -> bytes:
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>War and Peace</title>'
        '<meta name="author" content="Leo Tolstoy"></head><body>'
        '<nav><a href="/">Home</a> <a href="/books">Books</a></nav><main><article>'
        "<h1>War and Peace</h1>"
    ]
    for paragraph in paragraphs:
        tag = "h2" if is_heading(paragraph) else "p"
        parts.append(f"<{tag}>{html.escape(paragraph)}</{tag}>")
    parts.append("</article></main><footer>Footer</footer></body></html>")
    return "\n".join(parts).encode("utf-8")


def book_epub(paragraphs: list[str]) -> bytes:
    chapters: list[list[str]] = [[]]
    for paragraph in paragraphs:
        if is_heading(paragraph) and len(chapters[-1]) > 20:
            chapters.append([])
        chapters[-1].append(paragraph)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as epub:
        epub.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        epub.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        manifest, spine = [], []
        for number, chapter in enumerate(chapters, 1):
            body = "".join(
                f"<h2>{html.escape(p)}</h2>" if is_heading(p) else f"<p>{html.escape(p)}</p>"
                for p in chapter
            )
            epub.writestr(
                f"OEBPS/chapter{number}.xhtml",
                '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                f"<head><title>Part {number}</title></head><body>{body}</body></html>",
            )
            manifest.append(
                f'<item id="c{number}" href="chapter{number}.xhtml" '
                'media-type="application/xhtml+xml"/>'
            )
            spine.append(f'<itemref idref="c{number}"/>')
        epub.writestr(
            "OEBPS/book.opf",
            '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
            'version="3.0" unique-identifier="id"><metadata '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:identifier id="id">bench</dc:identifier>'
            "<dc:title>War and Peace</dc:title><dc:creator>Leo Tolstoy</dc:creator>"
            "<dc:language>en</dc:language></metadata>"
            f"<manifest>{''.join(manifest)}</manifest><spine>{''.join(spine)}</spine></package>",
        )
    return buffer.getvalue()


def print_pdf(paragraphs: list[str], path: Path, pages: int) -> int:
    """A PDF printed by Qt with about ``pages`` pages of the book."""
    from PySide6.QtGui import QPageSize, QTextDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    body = "".join(
        f"<h2>{html.escape(p)}</h2>" if is_heading(p) else f"<p>{html.escape(p)}</p>"
        for p in paragraphs[: pages * 18]
    )
    document = QTextDocument()
    document.setHtml(f"<h1>War and Peace</h1>{body}")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(path))
    printer.setDocName("War and Peace")
    document.print_(printer)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def bare_pdfium(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    total = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text_page = page.get_textpage()
            total += len(text_page.get_text_range())
            text_page.close()
            page.close()
    finally:
        pdf.close()
    return total


def main() -> None:
    from reader.documents.loader import read_document

    if not BOOK.exists():
        print(f"skipped: {BOOK} is absent")
        return
    paragraphs = book_paragraphs()
    folder = Path(tempfile.mkdtemp(prefix="reader-formats-"))
    plain = BOOK.read_bytes()
    baseline_doc, baseline = timed(read_document, plain, folder / "book.txt")
    line("book as plain text (baseline)", baseline, note=f"{len(baseline_doc.text):,} chars")

    page = book_html(paragraphs)
    document, seconds = timed(read_document, page, folder / "book.html")
    line("book as a saved web page (HTML)", seconds, baseline, f"{len(document.text):,} chars")

    epub = book_epub(paragraphs)
    document, seconds = timed(read_document, epub, folder / "book.epub")
    line("book as EPUB", seconds, baseline, f"{len(document.text):,} chars")

    pdf_path = folder / "book.pdf"
    pages = print_pdf(paragraphs, pdf_path, PDF_PAGES)
    data = pdf_path.read_bytes()
    _, bare = timed(bare_pdfium, data)
    document, seconds = timed(read_document, data, pdf_path)
    line(
        f"{pages}-page PDF (paragraphs rebuilt)",
        seconds,
        bare,
        f"{pages / seconds:,.0f} pages/s; baseline is bare pdfium text",
    )


if __name__ == "__main__":
    main()
