"""PDF articles: the text of every page, with its paragraphs rebuilt from the page geometry.

A PDF stores positioned glyphs, not paragraphs, and pdfium's own line breaks cannot be
trusted (in PDFs printed by Qt whole paragraphs come out glued together, line ends turned
into spaces). So lines are found here from where the characters sit, measuring only a few
characters of each through pdfium, and ``pdf_layout`` rebuilds the paragraphs from those
measurements alone: running heads dropped, lines joined by pitch and indents, headings found.

What a printed page does not show as its text is left out here: printer's marks and slugs
outside the trim box, and lines drawn in fonts that do not say which letters their glyphs
are (their "text" is symbol soup such as ``!"#$``); pages of those are named in the notice,
as scanned pages are, so the researcher knows to run OCR.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import re
import threading
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from reader.documents.cleanup import meaningful
from reader.documents.formats.pdf_layout import (
    Line,
    Page,
    drop_running_lines,
    mark_headings,
    paragraphs,
)
from reader.documents.model import BlockDraft, Document, Metadata, assemble
from reader.errors import DocumentError

# pdfium is not thread-safe; a loader may run on a worker thread while another opens a file.
_PDFIUM_LOCK = threading.Lock()

# Control characters, separators a text widget draws as line breaks, lone surrogates and
# non-characters: none belongs in a one-line block, and surrogates cannot even be hashed.
_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[^\S\u00a0]+")  # NBSP binds "10\u00a0km" on purpose: keep it
_FILE_TITLE = re.compile(r"^microsoft \w+ - |\.(?:docx?|odt|rtf|pdf|tex|indd|pptx?|txt)$", re.I)
_PDF_DATE = re.compile(r"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")
# Stands for the second half of a surrogate pair, so that the text keeps one character per
# pdfium character index; a non-character, removed with the line's other junk.
_LOW_HALF = "\ufdd0"
_MAP_ERROR = getattr(pdfium_c, "FPDFText_HasUnicodeMapError", None)
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")


def read_pdf(data: bytes, metadata: Metadata) -> Document:
    """Read a PDF's text layer into a ``Document``, or raise ``DocumentError``."""
    label = f"“{Path(metadata.path).name}”" if Path(metadata.path).name else "This PDF"
    with _PDFIUM_LOCK:
        pages, info, image_pages, broken_pages = _extract(data, label)
    unreadable_pages = _drop_unreadable_lines(pages)
    text_pages = [page for page in pages if page.lines]
    if not text_pages and unreadable_pages:
        raise DocumentError(
            f"{label} has a text layer that cannot be read: its fonts do not say which letters "
            "they draw, so the text comes out as symbols. Run it through OCR (text "
            "recognition) first, then open the recognised copy."
        )
    if not text_pages and image_pages:
        raise DocumentError(
            f"{label} has no text layer: it looks like a scanned image of the pages. "
            "Run it through OCR (text recognition) first, then open the recognised copy."
        )
    if not text_pages and broken_pages:
        raise _damaged(label)
    drop_running_lines(text_pages)
    paras = paragraphs(text_pages)
    if not paras:
        raise DocumentError(
            f"{label} contains no text that can be read: its pages are blank, or their letters "
            "are drawn as shapes. If a PDF viewer shows text, run the file through OCR first."
        )
    info_title = meaningful(_clean(info.get("Title", "")))
    if _FILE_TITLE.search(info_title):
        info_title = ""  # "Microsoft Word - draft3.docx" names a file, not the article
    known_title = metadata.title or info_title  # a caller's title is kept as it is
    title = mark_headings(paras, known_title)
    first_heading = next((p.text for p in paras if p.kind == "heading"), "")
    meta = replace(
        metadata,
        format="pdf",
        page_count=len(pages),
        title=known_title or title or first_heading,
        author=metadata.author or meaningful(_clean(info.get("Author", ""))),
        date=metadata.date or _pdf_date(info.get("CreationDate") or info.get("ModDate") or ""),
        notice=metadata.notice or _notice(image_pages, broken_pages, unreadable_pages),
    )
    drafts = [BlockDraft(p.kind, p.text, level=p.level, page=p.page) for p in paras]
    return assemble(drafts, meta)


def _extract(data: bytes, label: str) -> tuple[list[Page], dict[str, str], list[int], list[int]]:
    """Pages with their lines, the info dictionary, and the pages that are images or broken."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        locked = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
        if getattr(error, "err_code", None) in locked:
            raise DocumentError(
                f"{label} is protected by a password (encrypted), which reader cannot open. "
                "Open it in a PDF viewer, save or print an unprotected copy, and open that."
            ) from None
        raise _damaged(label) from None
    except Exception as error:  # malformed input must never escape as anything else
        raise _damaged(label) from error
    pages: list[Page] = []
    image_pages: list[int] = []
    broken_pages: list[int] = []
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
        for index in range(len(pdf)):
            try:
                page = pdf.get_page(index)
            except pdfium.PdfiumError:
                broken_pages.append(index + 1)
                continue
            try:
                box, lines = _trimmed(page, _page_lines(page))
                pages.append(Page(index + 1, box, lines))
                if not pages[-1].lines and _has_images(page):
                    image_pages.append(index + 1)
            finally:
                page.close()
    except Exception as error:  # pdfium found the file broken half-way through
        raise _damaged(label) from error
    finally:
        pdf.close()
    pages += [Page(n, (0, 0, 0, 0), []) for n in broken_pages]
    return pages, info, image_pages, broken_pages


def _damaged(label: str) -> DocumentError:
    return DocumentError(
        f"{label} is damaged or incomplete and cannot be read as a PDF. If it was downloaded, "
        "download it again; otherwise open it in a PDF viewer and save a new copy."
    )


def _page_lines(page: pdfium.PdfPage) -> list[Line]:
    """The page's lines, measuring only a handful of characters per line (speed)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters outside UCS-2, or pdfium inserted some
            text = _from_codes([pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)])
        spans = _line_spans(raw, text)
        return [_measure(raw, text, *span) for span in spans if _visible(raw, *span)]
    finally:
        textpage.close()


def _from_codes(codes: list[int]) -> str:
    """One character per pdfium character, pairing the UTF-16 halves of astral characters.

    pdfium lists "𝑥" or "🌊" as two characters, a high and a low surrogate; decoded one at a
    time they are lone surrogates, which are junk. The pair becomes the character at the
    first index and ``_LOW_HALF`` at the second, so indices still match pdfium's.
    """
    chars: list[str] = []
    index, count = 0, len(codes)
    while index < count:
        code = codes[index]
        low = codes[index + 1] if index + 1 < count else 0
        if 0xD800 <= code < 0xDC00 and 0xDC00 <= low < 0xE000:
            chars.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
            chars.append(_LOW_HALF)
            index += 2
            continue
        chars.append(chr(code) if 0 < code < 0x110000 else " ")
        index += 1
    return "".join(chars)


Box = tuple[float, float, float, float]


def _trimmed(page: pdfium.PdfPage, lines: list[Line]) -> tuple[Box, list[Line]]:
    """The page's box and the lines inside its trim box, where the printed page is cut.

    A page prepared for a printer carries crop and registration marks, colour bars and a
    slug ("article.indd 3  19/01/2020 10:32") outside the trim box; none is the article.
    A trim box that would cut away most of the text is taken for a mistake and ignored.
    """
    bbox: Box = page.get_bbox()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPage_GetTrimBox(page.raw, left, bottom, right, top):
        return bbox, lines
    trim: Box = (
        min(left.value, right.value),
        min(bottom.value, top.value),
        max(left.value, right.value),
        max(bottom.value, top.value),
    )
    inside = [
        ln
        for ln in lines
        if trim[1] - 1 <= ln.y <= trim[3] + 1 and ln.x1 > trim[0] - 1 and ln.x0 < trim[2] + 1
    ]
    if trim[2] - trim[0] < 1 or sum(len(ln.text) for ln in inside) < 0.5 * sum(
        len(ln.text) for ln in lines
    ):
        return bbox, lines
    return trim, inside


def _drop_unreadable_lines(pages: list[Page]) -> list[int]:
    """Remove lines whose text is symbol soup; return the pages that had any."""
    found = []
    for page in pages:
        kept = [ln for ln in page.lines if not ln.unreadable]
        if len(kept) < len(page.lines):
            found.append(page.number)
            page.lines = kept
    return found


def _looks_like_words(text: str) -> bool:
    """Whether ``text`` reads as words or numbers: mostly letters and digits, with vowels
    among the letters (a font without a map may still use the right codes)."""
    visible = [c for c in text if not c.isspace()]
    letters = [c.casefold() for c in visible if c.isalpha()]
    if sum(c.isalnum() for c in visible) < 0.6 * len(visible):
        return False
    return len(letters) < 10 or sum(c in _VOWELS for c in letters) >= 0.2 * len(letters)


def _line_spans(raw: object, text: str) -> list[tuple[int, int, float]]:
    """``(start, end, baseline)`` of each line, from one pdfium call per character.

    A character off the baseline starts a new line when its font box overlaps the line's by
    less than half: superscripts stay on their line, a small line under a big title does not.
    """
    x, y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    origin = pdfium_c.FPDFText_GetCharOrigin
    spans: list[tuple[int, int, float]] = []
    start = last = -1
    line_y = low = high = 0.0
    for i, ch in enumerate(text):
        if ch.isspace() or not origin(raw, i, px, py):
            continue
        if start < 0 or abs(y.value - line_y) > 0.5:  # off the baseline: measure the box
            _, bottom, _, top = _box(raw, i)
            overlap = min(top, high) - max(bottom, low)
            if start < 0 or overlap < 0.5 * min(top - bottom, high - low):
                if start >= 0:
                    spans.append((start, last + 1, line_y))
                start, line_y, low, high = i, y.value, bottom, top
        last = i
    if start >= 0:
        spans.append((start, last + 1, line_y))
    return spans


_RECT = pdfium_c.FS_RECTF()  # these buffers are only touched while _PDFIUM_LOCK is held
_FONT_NAME = ctypes.create_string_buffer(256)


def _box(raw: object, index: int) -> tuple[float, float, float, float]:
    """``(left, bottom, right, top)`` of the font box around the character at ``index``."""
    if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, _RECT):
        return 0.0, 0.0, 0.0, 0.0
    return _RECT.left, min(_RECT.bottom, _RECT.top), _RECT.right, max(_RECT.bottom, _RECT.top)


def _measure(raw: object, text: str, start: int, end: int, y: float) -> Line:
    span = text[start:end]
    middle = start + (end - start) // 2
    while middle < end - 1 and text[middle].isspace():
        middle += 1
    first, mid, last = _box(raw, start), _box(raw, middle), _box(raw, end - 1)
    size = sorted(box[3] - box[1] for box in (first, mid, last))[1]
    gap = span.find(" ")
    word_right = _box(raw, start + gap - 1)[2] if gap > 0 else last[2]
    _FONT_NAME.value = b""
    pdfium_c.FPDFText_GetFontInfo(raw, middle, _FONT_NAME, len(_FONT_NAME), None)
    bold = any(w in _FONT_NAME.value.lower() for w in (b"bold", b"black", b"heavy"))
    soft = span.endswith("\xad")  # an explicit soft hyphen; pdfium's \ufffe is any line-end "-"
    clean = _clean(span[:-1] if soft else span)
    # A font without a usable character map: pdfium flags the characters it had to guess.
    # A few samples are enough, since a line's glyphs nearly always share one font; the
    # middle one first, so that an ordinary line costs a single call.
    unreadable = False
    if _MAP_ERROR is not None and _MAP_ERROR(raw, middle):
        unmapped = 1 + bool(_MAP_ERROR(raw, start)) + bool(_MAP_ERROR(raw, end - 1))
        unreadable = unmapped >= 2 and not _looks_like_words(clean)
    return Line(clean, first[0], last[2], y, size, word_right - first[0], soft, bold, unreadable)


def _visible(raw: object, start: int, end: int, y: float) -> bool:
    """Whether a line's baseline lies inside the bounding box of its text's clip path.

    Qt's ``QTextDocument`` printing draws the line before a page break again on the next
    page, hidden by a clip; pdfium extracts it anyway, so it would appear twice.
    """
    clip = pdfium_c.FPDFPageObj_GetClipPath(pdfium_c.FPDFText_GetTextObject(raw, start))
    if not clip:
        return True
    point = ctypes.c_float(), ctypes.c_float()
    for path in range(max(pdfium_c.FPDFClipPath_CountPaths(clip), 0)):
        ys = []
        for n in range(max(pdfium_c.FPDFClipPath_CountPathSegments(clip, path), 0)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, n)
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, *point):
                ys.append(point[1].value)
        if ys and not min(ys) - 1 <= y <= max(ys) + 1:
            return False
    return True


def _clean(text: str) -> str:
    """One line of text: no control characters, single spaces, stripped."""
    text = text.replace("\xad", "").replace("\x02", "-").replace("\ufffe", "-")
    text = text.replace(_LOW_HALF, "")
    text = _JUNK.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _has_images(page: pdfium.PdfPage) -> bool:
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) in kinds
        for i in range(min(count, 10_000))
    )


def _pdf_date(value: str) -> str:
    """ "D:20240301093000+01'00'" to "2024-03-01", or as much of it as is valid."""
    match = _PDF_DATE.match(value.strip())
    if not match or int(match[1]) < 1000:
        return ""
    year, month, day = match.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    if day:
        with contextlib.suppress(ValueError):
            return datetime.date(int(year), int(month), int(day)).isoformat()
    return f"{year}-{month}"


def _notice(image_pages: list[int], broken_pages: list[int], unreadable: list[int]) -> str:
    """Tell the researcher which pages are missing from the text, and why."""

    def pages(numbers: list[int]) -> str:
        shown = ", ".join(map(str, numbers[:10])) + (", …" if len(numbers) > 10 else "")
        return f"Pages {shown} have" if len(numbers) > 1 else f"Page {shown} has"

    images = f"{pages(image_pages)} only images (probably scans) and no text; run the PDF "
    images += "through OCR (text recognition) to read them."
    damage = f"{pages(broken_pages)} damage and could not be read."
    symbols = f"{pages(unreadable)} text in fonts that do not say which letters they draw, "
    symbols += "left out because it reads as symbols; run the PDF through OCR to read it."
    parts = ((images, image_pages), (damage, broken_pages), (symbols, unreadable))
    return " ".join(text for text, numbers in parts if numbers)
