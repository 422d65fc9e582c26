"""Formats are recognised by content: renamed and suffix-less files open as what they are."""

from __future__ import annotations

import io
import zipfile

import pytest

from reader.documents.loader import load_document
from reader.errors import DocumentError
from tests.unit.documents.conftest import WriteFile
from tests.unit.documents.formats.builders_office import build_docx, build_odt
from tests.unit.documents.formats.builders_web import news_page


@pytest.mark.parametrize(
    ("name", "build", "expected_format"),
    [
        ("ferry.zip", build_docx, "docx"),
        ("ferry", build_docx, "docx"),
        ("ferry.txt", build_odt, "odt"),
        ("ferry.docx", build_odt, "odt"),  # mislabelled the other way round
    ],
)
def test_office_files_by_content(
    write_file: WriteFile, name: str, build: object, expected_format: str
) -> None:
    document = load_document(write_file(name, build()))  # type: ignore[operator]
    assert document.metadata.format == expected_format
    assert "Kestrel Bay" in document.text


def test_web_page_without_suffix(write_file: WriteFile) -> None:
    document = load_document(write_file("saved-page", news_page().encode("utf-8")))
    assert document.metadata.format == "html"
    assert "Cookie" not in document.text


def test_markdown_stays_markdown_even_with_inline_html(write_file: WriteFile) -> None:
    document = load_document(write_file("notes.md", b"# Heading\n\nSome <b>bold</b> text.\n"))
    assert document.metadata.format == "markdown"


def test_zip_of_other_files_names_the_supported_formats(write_file: WriteFile) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/holiday.jpg", b"\xff\xd8\xff" + bytes(100))
    with pytest.raises(DocumentError) as error:
        load_document(write_file("photos.zip", buffer.getvalue()))
    message = error.value.message
    assert "ZIP archive of other files" in message
    assert "Word (.docx)" in message and "EPUB (.epub)" in message and "PDF (.pdf)" in message


def test_binary_suffix_on_text_says_it_may_be_damaged(write_file: WriteFile) -> None:
    with pytest.raises(DocumentError, match="named like a Word file but contains text"):
        load_document(write_file("report.docx", b"Just some words, not a Word file.\n"))


def test_unknown_binary_lists_the_formats(write_file: WriteFile) -> None:
    with pytest.raises(DocumentError) as error:
        load_document(write_file("data.bin", bytes(range(256)) * 20))
    assert "does not contain text" in error.value.message
    assert "RTF (.rtf)" in error.value.message
