"""EPUB e-books: a zip holding XHTML chapters, listed in reading order by an OPF package.

Read with ``SafeZip`` and ``parse_xml`` only (no EbookLib: it is AGPL). The path is the
one every reading system takes: ``META-INF/container.xml`` names the package document
(OPF), whose manifest lists the files and whose spine gives their order. Chapters without
a heading of their own get one from the table of contents, because a researcher finds
their way through a book by its chapters. Books locked with DRM cannot be read at all;
saying so plainly beats showing ciphertext or an empty page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from lxml import etree

from reader.documents.cleanup import fallback_title
from reader.documents.formats.epub_content import (
    element_text,
    is_nav_document,
    looks_like_toc,
    nav_entries,
    ncx_entries,
    read_chapter,
)
from reader.documents.model import BlockDraft, Document, Metadata, assemble
from reader.documents.safe_xml import local_name, parse_xml
from reader.documents.safe_zip import SafeZip, resolve
from reader.errors import DocumentError

_KIND = "EPUB e-book"
_MIMETYPE = "application/epub+zip"
_CONTENT_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_CONTENT_SUFFIXES = (".xhtml", ".html", ".htm")
_NCX_TYPE = "application/x-dtbncx+xml"
_OPF_ROLE = "{http://www.idpf.org/2007/opf}role"
_OPF_EVENT = "{http://www.idpf.org/2007/opf}event"
# Font obfuscation (IDPF and Adobe) hides embedded fonts, not text: it is not DRM.
_FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".woff", ".woff2", ".pfb", ".pfm", ".afm")
_DRM_FILES = ("META-INF/rights.xml", "META-INF/sinf.xml")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WEB_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?![\d])")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")
# Labels and <title>s that name a file or a part of the book, not a chapter.
_GENERIC_LABELS = frozenset(
    {"cover", "title", "title page", "titlepage", "copyright", "copyright page", "contents"}
    | {"table of contents", "toc", "start", "begin", "untitled", "unknown", "text", "body"}
)
_FILE_LIKE = re.compile(r"[\w.\-]*\d[\w.\-]*|[\w\-]+\.x?html?")
MAX_LABEL_CHARS = 200


@dataclass(frozen=True, slots=True)
class _Item:
    path: str
    media_type: str
    properties: tuple[str, ...]


def looks_like_epub(data: bytes) -> bool:
    """Whether ``data`` starts the way the EPUB container format requires.

    The first zip entry must be an uncompressed ``mimetype`` file holding
    "application/epub+zip", so the bytes say it without unzipping; a DOCX or ODT is also a
    zip and must not be sent here by its signature alone.
    """
    return (
        data.startswith(b"PK\x03\x04")
        and data[30:38] == b"mimetype"
        and _MIMETYPE.encode() in data[38:160]
    )


def read_epub(data: bytes, metadata: Metadata) -> Document:
    """Read an EPUB 2 or 3 book; fields ``metadata`` already has are kept."""
    name = Path(metadata.path).name or "this e-book"
    book = SafeZip(data, name, _KIND)
    _refuse_drm(book, name)
    opf_path = _package_path(book, name)
    package = parse_xml(book.read(opf_path), name, _KIND, recover=True)
    found = _package_metadata(package)
    manifest, spine, ncx_id = _manifest_and_spine(package, opf_path)
    labels = _toc_labels(book, manifest, ncx_id, name)
    drafts, unreadable = _read_spine(book, spine, labels, found.title, name)

    first_heading = next((d.text for d in drafts if d.kind == "heading"), "")
    if found.title and _fold(first_heading) != _fold(found.title):
        drafts.insert(0, BlockDraft("title", found.title))
    meta = replace(metadata, format="epub")
    meta.title = meta.title or found.title or first_heading
    meta.author = meta.author or found.author
    meta.date = meta.date or found.date
    meta.site_name = meta.site_name or found.site_name
    meta.source_url = meta.source_url or found.source_url
    if unreadable and not meta.notice:
        meta.notice = (
            f"{unreadable} of the {len(spine)} parts of this e-book could not be read "
            "and are missing from the text."
        )
    document = assemble(drafts, meta)
    if not any(b.kind != "title" for b in document.blocks):
        raise DocumentError(
            f"“{name}” contains no text that reader can show: its pages may be pictures only "
            "(a comic or a scanned book). Open it in an e-book reader instead."
        )
    meta.title = meta.title or fallback_title(document.text, meta.path)
    return document


def _read_spine(
    book: SafeZip, spine: list[_Item], labels: dict[str, str], book_title: str, name: str
) -> tuple[list[BlockDraft], int]:
    """The blocks of every chapter in reading order, and how many parts could not be read.

    A part that does not parse is skipped rather than failing the book: one broken chapter
    should not keep a researcher from the other thirty.
    """
    chapter_paths = {item.path for item in spine}
    drafts: list[BlockDraft] = []
    unreadable = 0
    previous_title = ""
    for item in spine:
        if "nav" in item.properties:
            continue  # the EPUB 3 navigation document: the table of contents
        content = book.read_optional(item.path)
        if content is None:
            unreadable += 1
            continue

        def is_chapter_link(href: str, base: str = item.path) -> bool:
            target = None if _SCHEME.match(href) else resolve(base, href)
            return target is not None and target in chapter_paths and target != base

        try:
            root = parse_xml(content, name, _KIND, recover=True)
            if is_nav_document(root) or looks_like_toc(root, is_chapter_link):
                continue
            chapter = read_chapter(root)
        except (DocumentError, UnicodeDecodeError):  # lxml cannot decode what it recovered
            unreadable += 1
            continue
        if chapter.drafts and not chapter.has_heading:
            label = labels.get(item.path, "")
            if not _informative(label, book_title):
                label = chapter.title if chapter.title != previous_title else ""
            if _informative(label, book_title):
                drafts.append(BlockDraft("heading", label, 1))
        previous_title = chapter.title
        drafts.extend(chapter.drafts)
    return drafts, unreadable


def _refuse_drm(book: SafeZip, name: str) -> None:
    """Raise for DRM-locked books: their chapters are ciphertext."""
    locked = any(book.has(path) for path in _DRM_FILES)
    encryption = book.read_optional("META-INF/encryption.xml")
    if not locked and encryption is not None:
        try:
            root = parse_xml(encryption, name, _KIND, recover=True)
        except DocumentError:
            root = None  # unreadable: if the chapters are locked they will not parse either
        for element in root.iter() if root is not None else ():
            if local_name(element) != "EncryptedData":
                continue
            algorithm = uri = ""
            for child in element.iter():
                if local_name(child) == "EncryptionMethod":
                    algorithm = child.get("Algorithm") or ""
                elif local_name(child) == "CipherReference":
                    uri = child.get("URI") or ""
            if algorithm in _FONT_OBFUSCATION or uri.lower().endswith(_FONT_SUFFIXES):
                continue
            locked = True
            break
    if locked:
        raise DocumentError(
            f"“{name}” is protected by DRM (copy protection), so reader cannot open it. "
            "Read it in the application it was bought for, or use a DRM-free edition."
        )


def _package_path(book: SafeZip, name: str) -> str:
    """The OPF path named by ``META-INF/container.xml``."""
    container = book.read_optional("META-INF/container.xml")
    if container is None:
        mimetype = (book.read_optional("mimetype") or b"").decode("ascii", "replace").strip()
        if mimetype and mimetype != _MIMETYPE:
            raise DocumentError(
                f"“{name}” is not an EPUB e-book (it says it holds “{mimetype[:60]}”); "
                "open it in the application it belongs to."
            )
        raise _damaged(name, "its list of contents (META-INF/container.xml) is missing")
    root = parse_xml(container, name, _KIND, recover=True)
    rootfiles = [e for e in root.iter() if local_name(e) == "rootfile" and e.get("full-path")]
    rootfiles.sort(key=lambda e: e.get("media-type") != "application/oebps-package+xml")
    for rootfile in rootfiles:
        path = resolve("", rootfile.get("full-path") or "")
        if path is not None and book.has(path):
            return path
    raise _damaged(name, "its package document (the .opf file listing the chapters) is missing")


def _damaged(name: str, why: str) -> DocumentError:
    return DocumentError(
        f"“{name}” is a damaged EPUB e-book: {why}. "
        "Download it again or ask whoever sent it for a fresh copy."
    )


def _package_metadata(package: etree._Element) -> Metadata:
    """Title, authors, date, publisher and web address from the OPF ``<metadata>``."""
    found = Metadata()
    section = next((e for e in package.iter() if local_name(e) == "metadata"), None)
    if section is None:
        return found
    roles: dict[str, str] = {}  # EPUB 3: <meta refines="#id" property="role">aut</meta>
    creators: list[tuple[str, str, str]] = []  # (element id, EPUB 2 opf:role, name)
    dates: list[tuple[str, str]] = []  # (event, value)
    for element in section.iter():
        tag = local_name(element)
        text = element_text(element)
        if tag == "meta" and element.get("property") == "role":
            roles[(element.get("refines") or "").lstrip("#")] = text
        elif not text:
            continue
        elif tag == "title" and not found.title:
            found.title = text
        elif tag == "creator":
            role = element.get(_OPF_ROLE) or element.get("opf:role") or ""
            creators.append((element.get("id") or "", role, text))
        elif tag == "date":
            dates.append((element.get(_OPF_EVENT) or element.get("opf:event") or "", text))
        elif tag == "publisher" and not found.site_name:
            found.site_name = text
        elif tag in ("source", "identifier") and not found.source_url and _WEB_URL.fullmatch(text):
            found.source_url = text
    # Editors, translators and illustrators are credited too; the author is who wrote it.
    authors = [n for i, r, n in creators if (r or roles.get(i, "")) in ("", "aut")]
    authors = authors or [n for _, _, n in creators]
    found.author = "; ".join(dict.fromkeys(authors))
    if dates:
        order = {"publication": 0, "": 1, "creation": 2}
        dates.sort(key=lambda d: order.get(d[0], 3))
        found.date = _normalise_date(dates[0][1])
    return found


def _normalise_date(value: str) -> str:
    """YYYY-MM-DD when the date says that much, else as much of it as it says."""
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = match.groups()
        try:
            if day:
                return datetime(int(year), int(month), int(day)).strftime("%Y-%m-%d")
            if month:
                return datetime(int(year), int(month), 1).strftime("%Y-%m")
        except ValueError:
            pass
        return year
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return value[:40]


def _manifest_and_spine(
    package: etree._Element, opf_path: str
) -> tuple[dict[str, _Item], list[_Item], str]:
    """Manifest items by id, the readable spine items in order, and the NCX's id."""
    manifest: dict[str, _Item] = {}
    spine_ids: list[str] = []
    ncx_id = ""
    for element in package.iter():
        tag = local_name(element)
        if tag == "item":
            href = (element.get("href") or "").strip()
            path = None if _SCHEME.match(href) else resolve(opf_path, href)
            ident = element.get("id") or ""
            if path is not None and ident:
                properties = tuple((element.get("properties") or "").split())
                manifest.setdefault(ident, _Item(path, element.get("media-type") or "", properties))
        elif tag == "spine":
            ncx_id = element.get("toc") or ""
        elif tag == "itemref" and element.get("idref"):
            spine_ids.append(element.get("idref") or "")
    spine: list[_Item] = []
    seen: set[str] = set()
    for ident in spine_ids:
        item = manifest.get(ident)
        if item is None or item.path in seen or not _is_content(item):
            continue
        seen.add(item.path)
        spine.append(item)
    if not ncx_id:
        ncx_id = next((i for i, item in manifest.items() if item.media_type == _NCX_TYPE), "")
    return manifest, spine, ncx_id


def _is_content(item: _Item) -> bool:
    media_type = item.media_type.split(";")[0].strip().lower()
    if media_type in _CONTENT_TYPES:
        return True
    return media_type in ("", "application/xml", "text/xml") and item.path.lower().endswith(
        _CONTENT_SUFFIXES
    )


def _toc_labels(
    book: SafeZip, manifest: dict[str, _Item], ncx_id: str, name: str
) -> dict[str, str]:
    """The table of contents as {chapter path: its first label}; {} when there is none."""
    labels: dict[str, str] = {}
    nav = next((item for item in manifest.values() if "nav" in item.properties), None)
    ncx = manifest.get(ncx_id)
    for item, entries in ((nav, nav_entries), (ncx, ncx_entries)):
        content = book.read_optional(item.path) if item is not None else None
        if item is None or content is None:
            continue
        try:
            root = parse_xml(content, name, _KIND, recover=True)
        except DocumentError:
            continue
        for href, label in entries(root):
            target = None if _SCHEME.match(href) else resolve(item.path, href)
            if target is not None and label:
                labels.setdefault(target, label)
        if labels:
            break
    return labels


def _informative(label: str, book_title: str) -> bool:
    """Whether a TOC label or <title> can stand as a chapter heading."""
    folded = _fold(label)
    return (
        bool(folded)
        and len(label) <= MAX_LABEL_CHARS
        and folded != _fold(book_title)
        and folded not in _GENERIC_LABELS
        and not (" " not in label and _FILE_LIKE.fullmatch(label) and _file_like(label))
    )


def _file_like(label: str) -> bool:
    """ "index_split_003", "part0007", "ch01.xhtml": names a converter gave a file."""
    return (
        "_" in label
        or "." in label
        or bool(re.search(r"\d{3}", label))
        or (label.islower() and any(c.isalpha() for c in label))
    )


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".:")
