"""Decoding the encodings researchers' files actually come in, and spotting binary data."""

from __future__ import annotations

import codecs

import pytest

from reader.documents.encoding import decode_bytes, looks_binary

SAMPLE = "A naïve “quoted” remark — from Zoë in Besançon."


def test_plain_ascii_is_utf8() -> None:
    assert decode_bytes(b"Hello world") == ("Hello world", "utf-8")


def test_utf8_without_bom() -> None:
    assert decode_bytes(SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")


def test_utf8_bom_is_stripped() -> None:
    text, encoding = decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert text == SAMPLE
    assert encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_bom_with_native_byte_order(codec: str) -> None:
    text, encoding = decode_bytes(SAMPLE.encode(codec))  # Python writes a BOM for these
    assert text == SAMPLE
    assert encoding.startswith(codec)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_every_bom(bom: bytes, codec: str) -> None:
    assert decode_bytes(bom + SAMPLE.encode(codec)) == (SAMPLE, codec)


def test_utf16_le_bom_then_nul_character_is_not_mistaken_for_utf32() -> None:
    # FF FE 00 00 is also the UTF-32-LE BOM; the text must still come out.
    data = codecs.BOM_UTF16_LE + "\0ab".encode("utf-16-le")
    assert decode_bytes(data) == ("\0ab", "utf-16-le")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom(codec: str) -> None:
    assert decode_bytes(SAMPLE.encode(codec)) == (SAMPLE, codec)


def test_short_cp1252_with_curly_quotes() -> None:
    # charset-normalizer alone reads this as cp1250; the order of guesses fixes that.
    data = "naïve “quoted” — dash".encode("cp1252")
    assert decode_bytes(data) == ("naïve “quoted” — dash", "cp1252")


def test_longer_cp1252_article() -> None:
    text = (SAMPLE + " The price was 5€. ") * 20
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_latin1_accents() -> None:
    text = "Ünïcödé ß, déjà vu à Besançon"
    decoded, encoding = decode_bytes(text.encode("latin-1"))
    assert decoded == text
    assert encoding in ("cp1252", "iso8859-1")


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    data = "caf\xe9 ".encode("latin-1") + b"\x81\x8d\x8f\x90\x9d"
    text, _ = decode_bytes(data)
    assert text.startswith("café")
    assert len(text) == len(data)


def test_never_fails_on_random_bytes() -> None:
    data = bytes(range(256)) * 4
    text, encoding = decode_bytes(data)
    assert text
    assert codecs.lookup(encoding)


def test_empty() -> None:
    assert decode_bytes(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b"Just text.\nWith lines.\r\n\tIndented.",
        SAMPLE.encode("utf-8"),
        SAMPLE.encode("cp1252"),
        SAMPLE.encode("utf-16"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("utf-32-be"),
        b"",
        b"page one\x0cpage two",
    ],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert not looks_binary(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
        b"abc\0def\0\0\0ghi\x01\x02",
        bytes(range(1, 32)) * 10,  # control characters without a single NUL
    ],
)
def test_binary_is_binary(data: bytes) -> None:
    assert looks_binary(data)


def test_a_few_stray_controls_do_not_make_text_binary() -> None:
    assert not looks_binary(b"An ordinary line of text\x1a" * 2 + b"x" * 200)
