"""PDF fixtures made by the tests themselves: printed with Qt, or written by hand.

Qt prints the way the app's own "print to PDF" does (one text object per glyph, clipped
pages), which is the hardest case for rebuilding paragraphs. Hand-written PDFs cover what Qt
cannot produce: an info dictionary with an author and a date, and encryption.
"""

from __future__ import annotations

import hashlib
import html
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

Kind = str  # "h1", "h2", "b" (a bold line of body size) or "p"


@dataclass(frozen=True)
class PrintedBlock:
    kind: Kind
    text: str  # as given: "\u00ad" marks a soft hyphen, "\n" a forced line break
    first_page: int  # 1-based page of its first line, as Qt laid it out
    last_page: int


@dataclass(frozen=True)
class PrintedPdf:
    data: bytes
    page_count: int
    blocks: list[PrintedBlock]
    soft_breaks: int  # lines Qt ended at a soft hyphen, drawing a "-" that is no part of a word


MakePdf = Callable[..., PrintedPdf]


def print_pdf(
    path: Path,
    blocks: Sequence[tuple[Kind, str]],
    *,
    title: str = "",
    header: str = "",
    footer: str = "Page {page} of {pages}",
    font_size: float = 13,
) -> PrintedPdf:
    """Print ``blocks`` to a PDF at ``path`` with a running header and footer on every page.

    The document is laid out page by page (as ``QTextDocument.print_`` does) so that the
    header and footer can be drawn in the margins. A ``QApplication`` must exist.
    """
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    printer.setDocName(title)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(printer)
    document.setDefaultFont(QFont("DejaVu Serif", font_size))
    tags = {"h1": "h1", "h2": "h2", "b": "p><b", "p": "p"}
    closing = {"h1": "h1", "h2": "h2", "b": "b></p", "p": "p"}
    document.setHtml(
        "".join(
            f"<{tags[kind]}>{html.escape(text).replace(chr(10), '<br>')}</{closing[kind]}>"
            for kind, text in blocks
        )
    )
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    band = page.height() * 0.06
    body = page.height() - 2 * band
    document.setPageSize(QSizeF(page.width(), body))
    pages = document.pageCount()

    printed = []
    soft_breaks = 0
    block = document.begin()
    for kind, text in blocks:
        layout = block.layout()
        top = layout.position().y()
        first = top + layout.lineAt(0).y()
        last = top + layout.lineAt(layout.lineCount() - 1).y()
        printed.append(PrintedBlock(kind, text, int(first // body) + 1, int(last // body) + 1))
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            soft_breaks += block.text()[line.textStart() + line.textLength() - 1] == "\u00ad"
        block = block.next()

    painter = QPainter(printer)
    try:
        painter.setFont(QFont("DejaVu Sans", 8))
        for index in range(pages):
            if index:
                printer.newPage()
            painter.save()
            if header:
                painter.drawText(QRectF(0, 0, page.width(), band), 0, header)
            if footer:
                painter.drawText(
                    QRectF(0, page.height() - band, page.width(), band),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    footer.format(page=index + 1, pages=pages),
                )
            painter.translate(0, band - index * body)
            document.drawContents(painter, QRectF(0, index * body, page.width(), body))
            painter.restore()
    finally:
        painter.end()
    return PrintedPdf(path.read_bytes(), pages, printed, soft_breaks)


def print_scan(path: Path) -> bytes:
    """A PDF holding only a picture of text, as a scanner without OCR makes it."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPrintSupport import QPrinter

    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    bars = QPainter(image)
    for y in range(40, 180, 20):  # black bars where the lines of text would be
        bars.fillRect(20, y, 360, 8, QColor("black"))
    bars.end()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    painter = QPainter(printer)
    try:
        painter.drawImage(QRect(0, 0, 4000, 2000), image)
    finally:
        painter.end()
    return path.read_bytes()


@pytest.fixture
def make_pdf(qapp, tmp_path: Path) -> MakePdf:
    """Print blocks to a PDF in ``tmp_path``; see ``print_pdf`` for the arguments."""
    counter = iter(range(1_000_000))

    def make(blocks: Sequence[tuple[Kind, str]], **options: Any) -> PrintedPdf:
        return print_pdf(tmp_path / f"printed-{next(counter)}.pdf", blocks, **options)

    return make


# --- hand-written PDFs -------------------------------------------------------------------

_PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = bytes(range(16))


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


# A ToUnicode map as producers write it for a font whose codes 0x21-0x23 draw characters
# beyond the Basic Multilingual Plane: a mathematical italic x, a wave emoji and a flag (two
# regional indicators), each written as UTF-16 surrogate pairs. Other codes map to ASCII.
ASTRAL_CODES = {"!": "\U0001d465", '"': "\U0001f30a", "#": "\U0001f1eb\U0001f1f7"}


def _utf16_hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


_ASTRAL_CMAP = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
    b"1 begincodespacerange <00> <FF> endcodespacerange\n"
    b"3 beginbfchar\n"
    + b"".join(
        b"<%02X> <%s>\n" % (ord(code), _utf16_hex(text)) for code, text in ASTRAL_CODES.items()
    )
    + b"endbfchar\n2 beginbfrange\n<20> <20> <0020>\n<24> <7E> <0024>\nendbfrange\n"
    b"endcmap CMapName currentdict /CMap defineresource pop end end"
)

# A subset font with made-up glyph names and no ToUnicode map, as some typesetters embed
# them: its text can be drawn but not read (pdfium falls back on the codes: "!", "\"", …).
_SOUP_FONT = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /QXHTRA+MinionPro-Regular /FirstChar 32 "
    b"/LastChar 126 /Encoding << /Type /Encoding /Differences [33 "
    + b" ".join(b"/g%d" % n for n in range(1, 95))
    + b"] >> >>"
)


def handmade_pdf(
    pages: Sequence[Sequence[tuple[Any, ...]] | None],
    *,
    info: dict[str, str] | None = None,
    user_password: str = "",
    trim_box: tuple[float, float, float, float] | None = None,
) -> bytes:
    """A small US Letter PDF of Helvetica lines ``(size, text)``, top to bottom, one list a page.

    ``(size, text, y)`` puts a line's baseline at ``y`` points from the bottom instead, and
    ``(size, text, y, x)`` also starts it ``x`` points from the left instead of 72 (``None``
    keeps either default). A fifth item names the font: "F1" Helvetica (the default), "F2"
    Helvetica whose ToUnicode map turns the codes of ``ASTRAL_CODES`` into characters beyond
    the BMP, "F3" a subset font whose glyphs have no Unicode mapping at all. ``trim_box``
    gives every page a TrimBox inside its MediaBox, as for a page printed with crop marks.

    ``None`` makes a page that holds only an image. A ``user_password`` encrypts the file
    with the standard security handler (RC4, 40-bit key, revision 2), computed as the PDF
    specification's algorithms 2 and 3 say, so a reader must ask for the password.
    """
    key = b""
    encrypt = b""
    if user_password:
        user = (user_password.encode() + _PADDING)[:32]
        owner_key = hashlib.md5((b"owner" + _PADDING)[:32]).digest()[:5]
        owner_entry = _rc4(owner_key, user)
        permissions = -44
        key = hashlib.md5(user + owner_entry + struct.pack("<i", permissions) + _FILE_ID).digest()
        key = key[:5]
        encrypt = (
            b"<< /Filter /Standard /V 1 /R 2 /O <" + owner_entry.hex().encode() + b"> /U <"
            + _rc4(key, _PADDING).hex().encode() + b"> /P " + str(permissions).encode() + b" >>"
        )  # fmt: skip

    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(number: int, content: bytes, extra: bytes = b"") -> bytes:
        if key:
            object_key = hashlib.md5(key + struct.pack("<i", number)[:3] + b"\0\0").digest()
            content = _rc4(object_key[:10], content)
        return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), extra, content)

    catalog, page_tree = add(b"<< /Type /Catalog /Pages 2 0 R >>"), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    cmap = add(b"")
    objects[cmap - 1] = stream(cmap, _ASTRAL_CMAP)
    astral_font = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
        b"/ToUnicode %d 0 R >>" % cmap
    )
    soup_font = add(_SOUP_FONT)
    fonts = b"/F1 %d 0 R /F2 %d 0 R /F3 %d 0 R" % (font, astral_font, soup_font)
    boxes = b" /TrimBox [%g %g %g %g]" % trim_box if trim_box else b""
    image = add(b"")
    objects[image - 1] = stream(
        image, b"\x80", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 "
        b"/ColorSpace /DeviceGray /BitsPerComponent 8 ",
    )  # fmt: skip
    kids = []
    for lines in pages:
        if lines is None:
            content = b"q 400 0 0 600 100 100 cm /Im0 Do Q"
        else:
            parts, y = [], 780.0
            for size, text, *at in lines:
                y = at[0] if at and at[0] is not None else y - size * 1.25
                x = at[1] if len(at) > 1 and at[1] is not None else 72
                face = (at[2] if len(at) > 2 else "F1").encode()
                parts.append(
                    b"BT /%s %g Tf %g %g Td %s Tj ET" % (face, size, x, y, _pdf_string(text))
                )
            content = b"\n".join(parts)
        number = add(b"")
        objects[number - 1] = stream(number, content)
        kids.append(
            add(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]%s /Contents %d 0 R "
                b"/Resources << /Font << %s >> /XObject << /Im0 %d 0 R >> >> >>"
                % (boxes, number, fonts, image)
            )
        )
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    file_id = _FILE_ID.hex().encode()
    trailer = b"/Root %d 0 R /ID [<%s> <%s>]" % (catalog, file_id, file_id)
    if info:
        if key:
            raise ValueError("info strings would need encrypting too")
        entries = b" ".join(b"/%s %s" % (k.encode(), _pdf_string(v)) for k, v in info.items())
        trailer += b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % add(encrypt)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
