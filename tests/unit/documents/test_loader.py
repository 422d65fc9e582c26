"""Opening real files: encodings, formats, metadata and every way a file can be refused."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest

from reader.documents import loader
from reader.documents.loader import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    file_dialog_filter,
    load_document,
)
from reader.errors import DocumentError

from .conftest import WriteFile, check_invariants

ARTICLE = "A Naïve Visit\n\n“Quoted,” said Zoë — then left for Besançon.\n"


def test_utf8_text_file_and_its_metadata(write_file: WriteFile) -> None:
    data = ARTICLE.encode("utf-8")
    path = write_file("visit.txt", data)
    doc = load_document(path)
    check_invariants(doc)
    assert doc.text == "A Naïve Visit\n\n“Quoted,” said Zoë — then left for Besançon."
    assert doc.metadata.path == os.path.abspath(path)
    assert Path(doc.metadata.path).is_absolute()
    assert doc.metadata.file_hash == hashlib.sha256(data).hexdigest()
    assert doc.metadata.encoding == "utf-8"
    assert doc.metadata.format == "text"
    assert doc.metadata.title == "A Naïve Visit"


def test_relative_path_is_made_absolute(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_file("visit.txt", ARTICLE.encode("utf-8"))
    monkeypatch.chdir(path.parent)
    assert load_document("visit.txt").metadata.path == str(path)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (ARTICLE.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
    ],
    ids=["cp1252", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "cp1252-crlf"],
)
def test_encodings_give_the_same_text(write_file: WriteFile, data: bytes, encoding: str) -> None:
    doc = load_document(write_file("visit.txt", data))
    assert doc.text == "A Naïve Visit\n\n“Quoted,” said Zoë — then left for Besançon."
    assert not doc.text.startswith("\ufeff")
    assert doc.metadata.encoding == encoding


def test_latin1_file(write_file: WriteFile) -> None:
    doc = load_document(write_file("old.txt", "Ünïcödé ß, déjà vu à Besançon".encode("latin-1")))
    assert doc.text == "Ünïcödé ß, déjà vu à Besançon"


def test_same_text_same_identity_whatever_the_encoding(write_file: WriteFile) -> None:
    a = load_document(write_file("a.txt", ARTICLE.encode("utf-8")))
    b = load_document(write_file("b.txt", ARTICLE.replace("\n", "\r\n").encode("utf-16")))
    assert a.text_hash == b.text_hash
    assert a.metadata.file_hash != b.metadata.file_hash


@pytest.mark.parametrize("suffix", [".md", ".markdown", ".mdown", ".MD"])
def test_markdown_suffixes(write_file: WriteFile, suffix: str) -> None:
    doc = load_document(write_file(f"note{suffix}", b"# Title\n\nSome **bold** text.\n"))
    assert doc.metadata.format == "markdown"
    assert doc.text == "Title\n\nSome bold text."


@pytest.mark.parametrize("name", ["note.txt", "note.text", "README", "article.log", "x.md.txt"])
def test_everything_else_is_plain_text(write_file: WriteFile, name: str) -> None:
    doc = load_document(write_file(name, b"# Not a heading\n\nSome **literal** stars.\n"))
    assert doc.metadata.format == "text"
    assert "**literal**" in doc.text


def test_source_line_recorded_through_loader(write_file: WriteFile) -> None:
    data = b"Title\n\nText about Paris.\n\nOriginal url: https://example.com/p\n"
    doc = load_document(write_file("a.txt", data))
    assert doc.metadata.source_url == "https://example.com/p"
    assert "example.com" not in doc.text


def refused(path: str | os.PathLike[str]) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path)
    return str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    message = refused(tmp_path / "gone.txt")
    assert "“gone.txt” does not exist" in message
    assert "moved" in message
    assert str(tmp_path) not in message  # the name, not a long path


def test_missing_folder_in_path(write_file: WriteFile) -> None:
    path = write_file("file.txt", b"x")
    assert "does not exist" in refused(path / "inside.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    message = refused(folder)
    assert "“articles” is a folder" in message
    assert "inside it" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert "not an ordinary file" in refused(pipe)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(write_file: WriteFile) -> None:
    path = write_file("secret.txt", b"text")
    path.chmod(0)
    try:
        message = refused(path)
    finally:
        path.chmod(0o644)
    assert "permission to read “secret.txt”" in message


def test_permission_error_message(write_file: WriteFile, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as root too: the message is checked by making open() refuse."""
    path = write_file("secret.txt", b"text")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    message = refused(path)
    assert "permission to read “secret.txt”" in message
    assert "permissions" in message


def test_other_read_error(write_file: WriteFile, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_file("flaky.txt", b"text")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "open", fail)
    message = refused(path)
    assert "“flaky.txt” could not be read (Input/output error)" in message
    assert "try again" in message


def test_empty_file(write_file: WriteFile) -> None:
    message = refused(write_file("empty.txt", b""))
    assert "“empty.txt” is empty" in message


@pytest.mark.parametrize("data", [b"  \n\n\t\r\n", "\u00a0\n".encode(), codecs.BOM_UTF8])
def test_blank_file(write_file: WriteFile, data: bytes) -> None:
    message = refused(write_file("blank.txt", data))
    assert "blank" in message
    assert "text" in message


def test_markdown_with_nothing_readable(write_file: WriteFile) -> None:
    message = refused(write_file("pic.md", b"![just a picture](pic.png)\n"))
    assert "“pic.md” has no readable text" in message


def test_too_large_is_refused_before_reading(write_file: WriteFile) -> None:
    path = write_file("huge.txt", b"")
    with path.open("r+b") as file:
        file.truncate(MAX_FILE_BYTES + 5 * 1024 * 1024)  # sparse: costs no disk space
    message = refused(path)
    assert "“huge.txt” is 205.0 MB" in message
    assert "200 MB" in message
    assert "split" in message


def test_limit_is_read_at_call_time(write_file: WriteFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 10)
    assert "MB" in refused(write_file("small.txt", b"more than ten bytes"))


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("book.epub", b"PK\x03\x04\x14\x00\x00\x00", "is a damaged or incomplete ZIP archive"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "is an old-style Microsoft"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is an image file"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00", "is an image file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "is an image file"),
    ],
)
def test_known_binary_formats(write_file: WriteFile, name: str, data: bytes, what: str) -> None:
    message = refused(write_file(name, data))
    assert f"“{name}” {what}" in message


def test_unknown_binary(write_file: WriteFile) -> None:
    message = refused(write_file("program.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20))
    assert "“program.txt” does not contain text" in message
    assert "plain text (.txt), Markdown (.md)" in message
    assert "PDF (.pdf)" in message and "EPUB (.epub)" in message


def test_supported_suffixes_and_dialog_filter() -> None:
    assert {".txt", ".md", ".markdown", ".text", ".mdown"} <= set(SUPPORTED_SUFFIXES)
    dialog = file_dialog_filter()
    rows = dialog.split(";;")
    assert rows[0].startswith("Articles (")
    for suffix in SUPPORTED_SUFFIXES:
        assert f"*{suffix}" in rows[0]
    assert rows[-1] == "All files (*)"


ROOT = Path(__file__).resolve().parents[3]
CORPUS_BOOK = ROOT.parent / "shared" / "corpus" / "war_and_peace.txt"
SAMPLE_ARTICLE = ROOT / "resources" / "samples" / "summit-in-geneva.md"


@pytest.mark.skipif(not CORPUS_BOOK.exists(), reason="benchmark corpus not present")
def test_book_length_file() -> None:
    doc = load_document(CORPUS_BOOK)
    check_invariants(doc)
    assert doc.metadata.encoding == "utf-8-sig"
    assert doc.text.startswith('"Well, Prince, so Genoa and Lucca')
    assert doc.word_count > 500_000
    headings = [doc.block_text(b) for b in doc.blocks if b.kind == "heading"]
    assert "BOOK TWO: 1805" in headings
    assert "JULIE" not in headings  # a letter's signature


@pytest.mark.skipif(not SAMPLE_ARTICLE.exists(), reason="sample article not present")
def test_sample_article() -> None:
    doc = load_document(SAMPLE_ARTICLE)
    check_invariants(doc)
    assert doc.blocks[0].kind == "title"
    assert doc.metadata.title == doc.block_text(doc.blocks[0])
    assert doc.metadata.source_url.startswith("https://")
    assert doc.metadata.author
    assert "*" not in doc.text
    assert "Original url" not in doc.text


def _missing_web_page_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web page reader as it fails when lxml_html_clean is not installed."""
    real_import = loader.importlib.import_module

    def import_module(name: str, package: str | None = None):
        if name.endswith(".formats.html"):
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        return real_import(name, package)

    monkeypatch.setattr(loader.importlib, "import_module", import_module)


def test_a_missing_library_is_a_sentence_not_an_import_error(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    _missing_web_page_library(monkeypatch)
    path = write_file("page.html", b"<html><body><p>Text of the page.</p></body></html>")
    message = refused(path)
    assert message.startswith("“page.html” could not be opened.")
    assert "lxml_html_clean" in message
    assert "install the reader again" in message


def test_the_command_line_prints_one_line_for_a_missing_library(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader import cli

    _missing_web_page_library(monkeypatch)
    path = write_file("page.html", b"<html><body><p>Text of the page.</p></body></html>")
    assert cli.main(["text", str(path)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "lxml_html_clean" in err


def test_web_pages_need_lxml_html_clean_declared() -> None:
    # justext, used by trafilatura, imports lxml.html.clean: a separate package since lxml 5.2,
    # which the pip of a fresh venv (23.x) does not install through lxml's "html_clean" extra.
    import tomllib

    project = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text("utf-8"))
    names = [
        d.split(">")[0].split("=")[0].split(";")[0].strip().lower().replace("-", "_")
        for d in project["project"]["dependencies"]
    ]
    assert "lxml_html_clean" in names
