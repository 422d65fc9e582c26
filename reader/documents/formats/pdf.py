"""PDF articles: the text of every page, with its paragraphs rebuilt from the page geometry.

A PDF stores positioned glyphs, not paragraphs, and pdfium's own line breaks cannot be
trusted (in PDFs printed by Qt whole paragraphs come out glued together, line ends turned
into spaces). So lines are found from where the characters sit, and paragraphs from the line
pitch, first-line indents and short last lines. Running headers, footers and page numbers are
dropped: left in, they would interrupt sentences and NER would read them as names.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import itertools
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from reader.documents.model import BlockDraft, BlockKind, Document, Metadata, assemble
from reader.errors import DocumentError

# pdfium is not thread-safe; a loader may run on a worker thread while another opens a file.
_PDFIUM_LOCK = threading.Lock()

_BAND = 0.1  # share of the page height, top and bottom, where running heads and folios sit
_REPEAT_SHARE = 0.4  # alternating left/right running heads each repeat on half the pages
_MIN_REPEATS = 3
_HEADING_RATIO = 1.15  # font size relative to the body text that makes a short block a heading
_SAME_SIZE = 0.12  # relative size difference still read as the same font size

_SENTENCE_END = re.compile(r"[.!?…:][\"'”’»)\]]*$")
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    r"[\s\-–—|•·(\[]*(?:(?:page|p\.|pg\.?|seite|pagina|página)\s*)?"
    rf"(?:\d{{1,5}}|{_ROMAN})(?:\s*(?:of|/|von|de|sur)\s*\d{{1,5}})?[\s\-–—|•·)\]]*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_EDGE_NUMBER = re.compile(r"^\d{1,5}\b|\b\d{1,5}$")  # "12 Journal of X", "Chapter 2: Y 37"
_BULLET = re.compile(r"[•◦▪▫■□●○‣⁃∙]\s*")
# Control characters, separators a text widget draws as line breaks, lone surrogates and
# non-characters: none belongs in a one-line block, and surrogates cannot even be hashed.
_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[^\S\u00a0]+")  # NBSP binds "10\u00a0km" on purpose: keep it
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# Prefixes whose hyphen stays when a line break falls after it ("self-\nemployed").
_KEEP_HYPHEN = frozenset({"self", "ex", "all", "half", "well", "quasi", "cross"})
_FILE_TITLE = re.compile(r"^microsoft \w+ - |\.(?:docx?|odt|rtf|pdf|tex|indd|pptx?|txt)$", re.I)
_PDF_DATE = re.compile(r"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    y: float  # baseline, in PDF units (y grows upwards)
    size: float  # height of the font's box: compares sizes across fonts well enough
    first_word: float  # width of the first word: would it have fitted on the line before?
    soft_hyphen: bool  # ends with a discretionary hyphen that is no part of the word
    bold: bool


@dataclass(slots=True)
class _Page:
    number: int  # 1-based
    box: tuple[float, float, float, float]  # left, bottom, right, top
    lines: list[_Line]


@dataclass(slots=True)
class _Para:
    page: int
    text: str
    size: float
    bold: bool
    indented: bool  # its first line starts right of its column's left edge
    after_jump: bool  # starts a page or a column, so it may continue the paragraph before
    soft_end: bool
    lines: int = 1
    kind: BlockKind = "paragraph"
    level: int = 0


def read_pdf(data: bytes, metadata: Metadata) -> Document:
    """Read a PDF's text layer into a ``Document``, or raise ``DocumentError``."""
    label = f"“{Path(metadata.path).name}”" if Path(metadata.path).name else "This PDF"
    with _PDFIUM_LOCK:
        pages, info, image_pages, broken_pages = _extract(data, label)
    text_pages = [page for page in pages if page.lines]
    if not text_pages and image_pages:
        raise DocumentError(
            f"{label} has no text layer: it looks like a scanned image of the pages. "
            "Run it through OCR (text recognition) first, then open the recognised copy."
        )
    if not text_pages and broken_pages:
        raise _damaged(label)
    _drop_running_lines(text_pages)
    paras = _paragraphs(text_pages)
    if not paras:
        raise DocumentError(
            f"{label} contains no text that can be read: its pages are blank, or their letters "
            "are drawn as shapes. If a PDF viewer shows text, run the file through OCR first."
        )
    info_title = _clean(info.get("Title", ""))
    if _FILE_TITLE.search(info_title):
        info_title = ""  # "Microsoft Word - draft3.docx" names a file, not the article
    known_title = metadata.title or info_title  # a caller's title is kept as it is
    title = _mark_headings(paras, known_title)
    first_heading = next((p.text for p in paras if p.kind == "heading"), "")
    meta = replace(
        metadata,
        format="pdf",
        page_count=len(pages),
        title=known_title or title or first_heading,
        author=metadata.author or _clean(info.get("Author", "")),
        date=metadata.date or _pdf_date(info.get("CreationDate") or info.get("ModDate") or ""),
        notice=metadata.notice or _notice(image_pages, broken_pages),
    )
    drafts = [BlockDraft(p.kind, p.text, level=p.level, page=p.page) for p in paras]
    return assemble(drafts, meta)


def _extract(data: bytes, label: str) -> tuple[list[_Page], dict[str, str], list[int], list[int]]:
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
    pages: list[_Page] = []
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
                pages.append(_Page(index + 1, page.get_bbox(), _page_lines(page)))
                if not pages[-1].lines and _has_images(page):
                    image_pages.append(index + 1)
            finally:
                page.close()
    except Exception as error:  # pdfium found the file broken half-way through
        raise _damaged(label) from error
    finally:
        pdf.close()
    pages += [_Page(n, (0, 0, 0, 0), []) for n in broken_pages]
    return pages, info, image_pages, broken_pages


def _damaged(label: str) -> DocumentError:
    return DocumentError(
        f"{label} is damaged or incomplete and cannot be read as a PDF. If it was downloaded, "
        "download it again; otherwise open it in a PDF viewer and save a new copy."
    )


def _page_lines(page: pdfium.PdfPage) -> list[_Line]:
    """The page's lines, measuring only a handful of characters per line (speed)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters outside UCS-2, or pdfium inserted some
            codes = (pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count))
            text = "".join(chr(c) if 0 < c < 0x110000 else " " for c in codes)
        spans = _line_spans(raw, text)
        return [_measure(raw, text, *span) for span in spans if _visible(raw, *span)]
    finally:
        textpage.close()


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


def _measure(raw: object, text: str, start: int, end: int, y: float) -> _Line:
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
    return _Line(clean, first[0], last[2], y, size, word_right - first[0], soft, bold)


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
    text = _JUNK.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _has_images(page: pdfium.PdfPage) -> bool:
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) in kinds
        for i in range(min(count, 10_000))
    )


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and lines that repeat near the top or bottom of many pages."""

    def in_band(page: _Page, line: _Line) -> bool:
        _, bottom, _, top = page.box
        return not bottom + _BAND * (top - bottom) <= line.y <= top - _BAND * (top - bottom)

    def key(line: _Line) -> str:
        return _DIGITS.sub("#", line.text.casefold())

    def folio(page: _Page, line: _Line) -> int | None:
        """How far a number at either end of the line is from the page's number."""
        match = _EDGE_NUMBER.search(line.text)
        return int(match.group()) - page.number if match else None

    band = [(p, ln) for p in pages for ln in p.lines if in_band(p, ln)]
    seen = Counter(k for p in pages for k in {key(ln) for ln in p.lines if in_band(p, ln)})
    needed = max(_MIN_REPEATS, math.ceil(_REPEAT_SHARE * len(pages)))
    # A chapter's running head changes with the chapter, but its page number keeps step
    # with the page: "Chapter 2: Naming 3" on page 6, "Chapter 3: Use 7" on page 10.
    offsets = Counter(folio(p, ln) for p, ln in band)
    offsets.pop(None, None)
    offset, hits = offsets.most_common(1)[0] if offsets else (None, 0)
    running = {
        id(ln)
        for p, ln in band
        if _PAGE_NUMBER.fullmatch(ln.text)
        or seen[key(ln)] >= needed
        or (hits >= needed and folio(p, ln) == offset)
    }
    for page in pages:
        page.lines = [ln for ln in page.lines if ln.text and id(ln) not in running]


def _paragraphs(pages: list[_Page]) -> list[_Para]:
    """Group lines into paragraphs, then join paragraphs a page or column break split."""
    lines = [ln for p in pages for ln in p.lines]
    if not lines:
        return []
    weights = Counter[float]()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)
    body = weights.most_common(1)[0][0] or 1.0
    vocabulary = set(_WORDS.findall("\n".join(ln.text for ln in lines).casefold()))
    gaps = Counter[float]()
    for page in pages:
        for a, b in itertools.pairwise(page.lines):
            if _same_size(a.size, body) and _same_size(b.size, body) and 0 < a.y - b.y < 3 * body:
                gaps[round(a.y - b.y, 1)] += 1
    pitch = gaps.most_common(1)[0][0] if gaps else body
    paras = [p for page in pages for p in _page_paragraphs(page, body, pitch, vocabulary)]
    bold_body = sum(len(ln.text) for ln in lines if ln.bold) > sum(len(ln.text) for ln in lines) / 2
    for para in paras:
        big = para.size >= _HEADING_RATIO * body and para.lines <= 3 and len(para.text) <= 200
        bold = para.bold and not bold_body and para.lines == 1 and len(para.text) <= 100
        bullet = _BULLET.match(para.text)
        if big or (bold and para.text[-1] not in ".,;"):
            para.kind = "heading"
        elif bullet and bullet.end() < len(para.text):
            para.kind, para.level, para.text = "list_item", 1, para.text[bullet.end() :]
    joined: list[_Para] = []
    for para in paras:
        if joined and para.after_jump and _continues(joined[-1], para):
            last = joined[-1]
            last.text = _join(last.text, para.text, last.soft_end, vocabulary)
            last.soft_end, last.lines = para.soft_end, last.lines + para.lines
        else:
            joined.append(para)
    return joined


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= _SAME_SIZE * max(min(a, b), 0.1)


def _page_paragraphs(page: _Page, body: float, pitch: float, vocab: set[str]) -> list[_Para]:
    lines = page.lines
    if not lines:
        return []
    # Column left edges: the leftmost of the x positions many lines start at, skipping those
    # an indent or a bullet away; only a position far to the right starts another column.
    counts = Counter(round(ln.x0) for ln in lines)
    lefts: list[int] = []
    for x in sorted(x for x, n in counts.items() if n >= max(2, 0.1 * len(lines))):
        if not lefts or x - lefts[-1] > 0.25 * (page.box[2] - page.box[0]):
            lefts.append(x)
    lefts = lefts or [min(counts)]
    column = [max((x for x in lefts if x <= ln.x0 + ln.size), default=lefts[0]) for ln in lines]
    ends: dict[int, list[float]] = {}
    for ln, left in zip(lines, column, strict=True):
        ends.setdefault(left, []).append(ln.x1)
    right = {left: sorted(xs)[int(0.9 * (len(xs) - 1))] for left, xs in ends.items()}

    def start(n: int, after_jump: bool) -> _Para:
        line = lines[n]
        indented = line.x0 - column[n] > 0.8 * line.size
        return _Para(page.number, line.text, line.size, line.bold, indented, after_jump, False)

    paras = [start(0, True)]
    for n, (a, b) in enumerate(itertools.pairwise(lines)):
        paras[-1].soft_end = a.soft_hyphen
        gap = a.y - b.y
        expected = pitch * max(a.size, b.size) / body
        jump = gap <= 0.3 * expected  # moved up or sideways: the next column
        room = right[column[n]] - a.x1  # space left at the end of line a
        if (
            jump
            or gap > 1.3 * expected
            or not _same_size(a.size, b.size)
            or _BULLET.match(b.text)
            or (
                abs(a.x0 - column[n]) < 0.5 * a.size
                and b.x0 - a.x0 > 0.8 * b.size
                and not _BULLET.match(paras[-1].text)  # a hanging indent goes on with an item
            )
            or (_SENTENCE_END.search(a.text) and room > b.first_word + 0.5 * b.size)
        ):
            paras.append(start(n + 1, jump))
        else:
            para = paras[-1]
            para.text = _join(para.text, b.text, para.soft_end, vocab)
            para.lines += 1
            para.bold = para.bold and b.bold
    paras[-1].soft_end = lines[-1].soft_hyphen
    return paras


def _continues(a: _Para, b: _Para) -> bool:
    """Whether ``b``, after a page or column break, goes on with the sentence ``a`` left open."""
    if a.kind == "heading" or b.kind != "paragraph" or b.indented:
        return False
    if not _same_size(a.size, b.size):
        return False
    if a.soft_end:
        return True
    if _SENTENCE_END.search(a.text) or not b.text[0].isalpha():
        return False
    return b.text[0].islower() or a.text[-1] in ",;-–—" or a.text[-1].isalpha()


def _join(a: str, b: str, soft: bool, vocab: set[str]) -> str:
    """Join two lines of one paragraph, undoing hyphenation where the hyphen was the break's."""
    if soft:
        return a + b
    if a.endswith("-") and len(a) > 1 and not a[-2].isspace():
        fragment = _LAST_WORD.search(a[:-1])
        word = _FIRST_WORD.match(b)
        if fragment and word and b[0].islower():
            head, tail = fragment.group().casefold(), word.group().casefold()
            compound = a[: fragment.start()].endswith("-")  # "well-to-" + "do"
            known = f"{head}-{tail}" in vocab and f"{head}{tail}" not in vocab
            if not (compound or known or head in _KEEP_HYPHEN):
                return a[:-1] + b
        return a + b  # "Franco-" + "German", "1990-" + "2000"
    if a.endswith("—") and len(a) > 1 and not a[-2].isspace():
        return a + b
    return f"{a} {b}"


def _mark_headings(paras: list[_Para], known_title: str) -> str:
    """Pick the title block and number heading levels; return the title block's text."""
    headings = [p for p in paras if p.kind == "heading"]
    title = ""
    if headings:
        top = max(headings, key=lambda p: p.size)
        first = [p for p in headings if p.page == paras[0].page and _same_size(p.size, top.size)]
        if first and (not known_title or first[0].text.casefold() == known_title.casefold()):
            first[0].kind = "title"
            title = first[0].text
    sizes = sorted({round(p.size) for p in paras if p.kind == "heading"}, reverse=True)
    for para in paras:
        if para.kind == "heading":
            para.level = min(sizes.index(round(para.size)) + 1, 6)
    return title


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


def _notice(image_pages: list[int], broken_pages: list[int]) -> str:
    """Tell the researcher which pages are missing from the text, and why."""

    def pages(numbers: list[int]) -> str:
        shown = ", ".join(map(str, numbers[:10])) + (", …" if len(numbers) > 10 else "")
        return f"Pages {shown} have" if len(numbers) > 1 else f"Page {shown} has"

    images = f"{pages(image_pages)} only images (probably scans) and no text; run the PDF "
    images += "through OCR (text recognition) to read them."
    damage = f"{pages(broken_pages)} damage and could not be read."
    return " ".join(text for text, n in ((images, image_pages), (damage, broken_pages)) if n)
