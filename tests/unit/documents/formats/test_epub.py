"""EPUB books: chapters in spine order, their structure and metadata, and hostile archives."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents.formats.epub import looks_like_epub, read_epub
from reader.documents.loader import load_document
from reader.documents.model import Document, Metadata
from reader.errors import DocumentError
from tests.unit.documents.conftest import blocks, check_invariants
from tests.unit.documents.formats.builders_books import (
    ARCHIVE_URL,
    AUTHOR,
    CHAPTER_TWO,
    CHAPTER_TWO_LABEL,
    CHAPTERS,
    EXPECTED_BLOCKS,
    PUBLISHER,
    SOURCE_URL,
    TITLE,
    build_epub2,
    build_epub3,
    epub_files,
    xhtml,
    zip_epub,
)

NAME = "salt-ledger.epub"


def read(data: bytes, name: str = NAME, **known: str) -> Document:
    document = read_epub(data, Metadata(path=f"/books/{name}", **known))
    check_invariants(document)
    return document


def refused(data: bytes, name: str = NAME) -> str:
    with pytest.raises(DocumentError) as caught:
        read_epub(data, Metadata(path=f"/books/{name}"))
    assert name in str(caught.value)
    return str(caught.value)


@pytest.fixture(scope="module", params=[3, 2], ids=["epub3-nav", "epub2-ncx"])
def book(request: pytest.FixtureRequest) -> Document:
    return read(build_epub3() if request.param == 3 else build_epub2())


def test_chapters_become_blocks_in_spine_order(book: Document) -> None:
    assert blocks(book) == EXPECTED_BLOCKS


def test_navigation_and_contents_pages_are_not_text(book: Document) -> None:
    assert "Contents" not in book.text
    assert "Cover" not in book.text
    assert "text-indent" not in book.text  # <style> in the head


def test_metadata_from_the_package(book: Document) -> None:
    meta = book.metadata
    assert meta.format == "epub"
    assert meta.title == TITLE
    assert meta.author == AUTHOR  # the editor is credited but did not write it
    assert meta.date == "2021-06-14"  # the publication date, not the modification
    assert meta.site_name == PUBLISHER
    assert meta.source_url == SOURCE_URL
    assert meta.path == f"/books/{NAME}"


def test_inline_styles(book: Document) -> None:
    styles = {
        (book.text[s.start : s.end], s.style, s.target) for b in book.blocks for s in b.styles
    }
    assert styles == {
        ("Harbour Trust of Port Ellery", "italic", ""),
        ("Captain Elias Varga", "bold", ""),
        ("Trust's archive", "link", ARCHIVE_URL),
    }


def test_fields_the_caller_filled_are_kept() -> None:
    document = read(build_epub3(), title="My reading copy", author="Someone Else")
    assert document.metadata.title == "My reading copy"
    assert document.metadata.author == "Someone Else"
    assert document.metadata.site_name == PUBLISHER


def test_spine_order_wins_over_manifest_and_archive_order() -> None:
    files = epub_files(3)
    opf = files["OEBPS/content.opf"].decode()
    opf = opf.replace('<itemref idref="c0"/>', "<X/>").replace('<itemref idref="c2"/>', "<Y/>")
    opf = opf.replace("<X/>", '<itemref idref="c2"/>').replace("<Y/>", '<itemref idref="c0"/>')
    files["OEBPS/content.opf"] = opf.encode()
    text = read(zip_epub(files)).text
    assert text.index("Survey's Answer") < text.index("Low Tide") < text.index("The Ledger")


def test_non_linear_items_keep_their_spine_place() -> None:
    files = epub_files(3)
    opf = files["OEBPS/content.opf"].decode()
    opf = opf.replace('<itemref idref="c1"/>', '<itemref idref="c1" linear="no"/>')
    files["OEBPS/content.opf"] = opf.encode()
    assert blocks(read(zip_epub(files))) == EXPECTED_BLOCKS


def test_ncx_label_becomes_the_heading_of_a_chapter_without_one() -> None:
    files = epub_files(2)
    files["OEBPS/toc.ncx"] = files["OEBPS/toc.ncx"].replace(
        CHAPTER_TWO_LABEL.encode(), b"II. The Causeway"
    )
    headings = [t for k, _, t in blocks(read(zip_epub(files))) if k == "heading"]
    assert "II. The Causeway" in headings
    assert CHAPTER_TWO_LABEL not in headings


def test_nav_labels_with_markup_keep_their_word_order() -> None:
    files = epub_files(3)
    files["OEBPS/nav.xhtml"] = files["OEBPS/nav.xhtml"].replace(
        CHAPTER_TWO_LABEL.encode(), b"Chapter <em>Two</em>:\n <span>Low <b>Tide</b></span> again"
    )
    assert ("heading", 1, "Chapter Two: Low Tide again") in blocks(read(zip_epub(files)))


def test_document_title_is_the_heading_when_the_toc_has_no_entry() -> None:
    chapters = [CHAPTERS[0], ("ch2.xhtml", "", CHAPTER_TWO), CHAPTERS[2]]
    files = epub_files(3, chapters=chapters)
    files["OEBPS/text/ch2.xhtml"] = xhtml(CHAPTER_TWO, "The Causeway")
    files["OEBPS/nav.xhtml"] = files["OEBPS/nav.xhtml"].replace(b'<li><a href="text/ch2', b"<li>")
    assert ("heading", 1, "The Causeway") in blocks(read(zip_epub(files)))


@pytest.mark.parametrize("title", [TITLE, "index_split_001", "part0003.xhtml", "Untitled", ""])
def test_uninformative_titles_add_no_heading(title: str) -> None:
    chapters = [CHAPTERS[0], ("ch2.xhtml", "", CHAPTER_TWO), CHAPTERS[2]]
    files = epub_files(3, chapters=chapters)
    files["OEBPS/text/ch2.xhtml"] = xhtml(CHAPTER_TWO, title)
    files["OEBPS/nav.xhtml"] = files["OEBPS/nav.xhtml"].replace(b'<li><a href="text/ch2', b"<li>")
    document = read(zip_epub(files))
    headings = [b for b in document.blocks if b.kind == "heading"]
    assert len(headings) == 2
    assert document.block_text(document.blocks[0]) == TITLE  # only the title block says it


def test_a_navigation_document_without_its_property_is_still_skipped() -> None:
    files = epub_files(3)
    files["OEBPS/content.opf"] = files["OEBPS/content.opf"].replace(b' properties="nav"', b"")
    document = read(zip_epub(files))
    assert "Contents" not in document.text
    assert "Chapter One: The Ledger" in document.text
    assert CHAPTER_TWO_LABEL not in document.text  # no table of contents to label it from


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019", "2019"),
        ("2019-3", "2019-03"),
        ("2019-03-04T10:00:00+01:00", "2019-03-04"),
        ("2019-02-30", "2019"),
        ("March 4, 2019", "2019-03-04"),
        ("4 March 2019", "2019-03-04"),
        ("in the spring", "in the spring"),
    ],
)
def test_publication_dates(written: str, expected: str) -> None:
    files = epub_files(3)
    files["OEBPS/content.opf"] = files["OEBPS/content.opf"].replace(
        b"2021-06-14T09:00:00Z", written.encode()
    )
    assert read(zip_epub(files)).metadata.date == expected


def test_no_title_block_when_the_first_heading_repeats_the_title() -> None:
    chapters = [("title.xhtml", "Title", f"<h1>{TITLE}</h1><p>A story.</p>"), *CHAPTERS]
    document = read(build_epub3(chapters=chapters))
    assert [b.kind for b in document.blocks[:2]] == ["heading", "paragraph"]
    assert document.text.count(TITLE) == 1


def test_sloppy_xhtml_is_recovered_with_html_entities() -> None:
    doctype = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
        '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'
    )
    body = "<h1>Sloppy</h1><p>Caf&eacute;&nbsp;Lumen &mdash; open<p>Second <b>para</p>&#xD800;"
    chapters = [("ch1.xhtml", "Sloppy", body)]
    files = epub_files(3, chapters=chapters)
    files["OEBPS/text/ch1.xhtml"] = xhtml(body, doctype=doctype)
    document = read(zip_epub(files))
    assert "Café\u00a0Lumen — open" in document.text
    assert "Second para" in document.text
    assert "\ufffd" in document.text  # a reference to a lone surrogate, kept visible


def test_xxe_entity_content_never_appears(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LIGHTHOUSE-CODE", encoding="utf-8")
    doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = "<h1>Leak</h1><p>Before &xxe; after.</p>"
    files = epub_files(3, chapters=[("ch1.xhtml", "Leak", body)])
    files["OEBPS/text/ch1.xhtml"] = xhtml(body, doctype=doctype)
    opf = files["OEBPS/content.opf"].decode()
    opf = opf.replace("<package", f"{doctype}<package", 1).replace(TITLE, "Salt &xxe; Ledger")
    files["OEBPS/content.opf"] = opf.encode()
    document = read(zip_epub(files))
    assert "TOP-SECRET" not in document.text
    assert "Before after." in document.text
    assert document.metadata.title == "Salt Ledger"


def test_spine_items_outside_the_archive_are_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "outside.xhtml"
    outside.write_bytes(xhtml("<p>FROM-OUTSIDE-THE-BOOK</p>"))
    climb = "../" * 30
    files = epub_files(
        3,
        extra_spine=[
            ("up", "../../etc/passwd"),
            ("abs", "/etc/passwd"),
            ("far", f"{climb}{outside.as_posix().lstrip('/')}"),
            ("web", "https://example.org/remote.xhtml"),
        ],
    )
    buffer = io.BytesIO(zip_epub(files))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../../etc/passwd", "root:x:0:0:PASSWD-LINE")
    document = read(buffer.getvalue())
    assert "PASSWD" not in document.text
    assert "FROM-OUTSIDE" not in document.text
    assert blocks(document) == EXPECTED_BLOCKS


def test_drm_encrypted_chapters_are_refused() -> None:
    files = epub_files(3)
    files["META-INF/encryption.xml"] = b"""<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
 <enc:EncryptedData>
  <enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/text/ch1.xhtml"/></enc:CipherData>
 </enc:EncryptedData>
</encryption>"""
    message = refused(zip_epub(files))
    assert "DRM" in message
    assert "cannot open it" in message


def test_rights_file_means_drm() -> None:
    files = epub_files(3)
    files["META-INF/rights.xml"] = b"<rights/>"
    assert "DRM" in refused(zip_epub(files))


def test_obfuscated_fonts_are_not_drm() -> None:
    files = epub_files(3)
    files["META-INF/encryption.xml"] = b"""<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
 <enc:EncryptedData>
  <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/Lora.otf"/></enc:CipherData>
 </enc:EncryptedData>
</encryption>"""
    assert blocks(read(zip_epub(files))) == EXPECTED_BLOCKS


def test_missing_container_is_a_damaged_epub() -> None:
    files = epub_files(3)
    del files["META-INF/container.xml"]
    message = refused(zip_epub(files))
    assert "damaged EPUB" in message


def test_missing_package_document_is_a_damaged_epub() -> None:
    files = epub_files(3)
    del files["OEBPS/content.opf"]
    assert "damaged EPUB" in refused(zip_epub(files))


def test_other_zip_formats_are_named() -> None:
    files = {"content.xml": b"<office/>"}
    message = refused(zip_epub(files, mimetype=b"application/vnd.oasis.opendocument.text"))
    assert "not an EPUB" in message


def test_missing_mimetype_is_tolerated() -> None:
    assert blocks(read(zip_epub(epub_files(3), mimetype=None))) == EXPECTED_BLOCKS


def test_a_book_of_pictures_has_no_text() -> None:
    chapters = [("p1.xhtml", "Page 1", '<div><img src="p1.jpg" alt=""/></div>')]
    assert "no text" in refused(build_epub3(chapters=chapters))


def test_an_unreadable_chapter_is_skipped_with_a_notice() -> None:
    files = epub_files(3)
    files["OEBPS/text/ch2.xhtml"] = b"\x00\x01\x02 not xml at all"
    document = read(zip_epub(files))
    assert "Chapter Three" in document.text
    assert "Low Tide" not in document.text
    assert "1 of the" in document.metadata.notice


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_books_are_refused(fraction: float) -> None:
    data = build_epub3()
    refused(data[: int(len(data) * fraction)])


def test_random_bytes_are_refused() -> None:
    refused(bytes(range(256)) * 40)
    refused(b"PK\x03\x04" + bytes(range(200)))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_archives_open_or_fail_cleanly(data: st.DataObject) -> None:
    book = bytearray(build_epub2())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(book) - 1))
        book[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        book = book[: data.draw(st.integers(0, len(book)))]
    with contextlib.suppress(DocumentError):
        check_invariants(read_epub(bytes(book), Metadata(path="/books/mutated.epub")))


_BLOCK_MARKUP = ("<p>", "</p>", "<h2>", "</h2>", "<li>", "<ul>", "</ul>", "<table><tr><td>")
_INLINE_MARKUP = ("<i>", "</i>", "<b>", '<a href="http://x.org/">', "</a>", "<br/>", "&nbsp;")
_ODD_MARKUP = ("</td>", "&bogus;", "&amp;", "<nav>", "</nav>", "<script>", "</script>")
_WORDS = (" ", "\n", "Skarholm", "é", "<", "\u00a0")
_MARKUP = st.sampled_from(_BLOCK_MARKUP + _INLINE_MARKUP + _ODD_MARKUP + _WORDS)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_MARKUP, max_size=60))
def test_mutated_chapter_markup_reads_or_fails_cleanly(pieces: list[str]) -> None:
    body = "".join(pieces)
    files = epub_files(3, chapters=[("ch1.xhtml", "Fuzz", body), CHAPTERS[2]])
    try:
        document = read_epub(zip_epub(files), Metadata(path="/books/fuzz.epub"))
    except DocumentError:
        return
    check_invariants(document)
    assert "Chapter Three" in document.text


def test_epub_signature_is_recognised_from_the_bytes() -> None:
    assert looks_like_epub(build_epub3())
    assert looks_like_epub(build_epub2())
    assert not looks_like_epub(zip_epub(epub_files(3), mimetype=None))
    assert not looks_like_epub(zip_epub({"word/document.xml": b"<w/>"}, mimetype=b"x/docx"))
    assert not looks_like_epub(b"{\\rtf1 not a zip}")


def test_an_entity_bomb_in_the_package_file_is_called_that(tmp_path: Path) -> None:
    bomb = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    files = epub_files(3)
    opf = files["OEBPS/content.opf"].decode()
    opf = opf.replace("<package", f"<!DOCTYPE package [{bomb}]><package", 1)
    files["OEBPS/content.opf"] = opf.replace(TITLE, "Salt &j; Ledger").encode()
    path = tmp_path / "bomb.epub"
    path.write_bytes(zip_epub(files))
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert "entity bomb" in caught.value.message
    assert "pictures" not in caught.value.message
