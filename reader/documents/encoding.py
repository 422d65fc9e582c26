"""Turning a file's bytes into text, and refusing bytes that are not text.

Articles saved by researchers come from everywhere: UTF-8 from the web, cp1252 from old
Windows editors, UTF-16 from Notepad's "Unicode" option. The order of guesses matters more
than any single detector: charset-normalizer alone misreads short cp1252 text (it took
"naïve" for cp1250), so unambiguous evidence (a BOM, valid UTF-8, the NUL pattern of
UTF-16) is tried first and the detector only gets the leftovers, restricted to likely
encodings.
"""

from __future__ import annotations

import codecs

import charset_normalizer

SAMPLE_BYTES = 8192

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that ordinary text files do contain.
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1b")
_MAX_CONTROL_SHARE = 0.05
_DETECTOR_ENCODINGS = ["utf_8", "cp1252", "utf_16"]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; never fails.

    The encoding is a Python codec name. A leading BOM character is removed from the text.
    """
    text, encoding = _decode(data)
    return text.removeprefix("\ufeff"), codecs.lookup(encoding).name


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is probably not text at all (an image, an archive, a program).

    NUL bytes are normal in UTF-16/32 text, so they count against a file only when neither a
    BOM nor the NUL pattern of those encodings explains them.
    """
    sample = data[:SAMPLE_BYTES]
    if not sample:
        return False
    if b"\0" in sample:
        bom, encoding = _bom(sample)
        encoding = encoding or _wide_encoding(sample)
        if encoding is None:
            return True
        chars = sample[len(bom) :].decode(encoding, errors="replace")
    else:
        chars = sample.decode("latin-1")
    controls = sum(1 for ch in chars if _is_control(ch))
    return controls > _MAX_CONTROL_SHARE * len(chars)


def _decode(data: bytes) -> tuple[str, str]:
    bom, encoding = _bom(data)
    if encoding is not None:
        return _decode_with_bom(data, bom, encoding)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    wide = _wide_encoding(data[:SAMPLE_BYTES])
    if wide is not None:
        # The NUL pattern is strong evidence; a truncated last character is no reason to
        # fall back to a single-byte guess that would show every other character as NUL.
        return data.decode(wide, errors="replace"), wide
    match = charset_normalizer.from_bytes(data, cp_isolation=_DETECTOR_ENCODINGS).best()
    if match is not None:
        return str(match), match.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _decode_with_bom(data: bytes, bom: bytes, encoding: str) -> tuple[str, str]:
    """Decode after a BOM; a UTF-32-LE BOM may really be UTF-16-LE text starting with NUL."""
    candidates = [(b, e) for b, e in _BOMS if data.startswith(b)]
    for candidate_bom, candidate in candidates:
        try:
            return data[len(candidate_bom) :].decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data[len(bom) :].decode(encoding, errors="replace"), encoding


def _bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", None


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, recognised by where the NUL bytes fall.

    Mostly-Latin text in UTF-16-LE is "a\\0b\\0c\\0": NULs at odd offsets and almost none at
    even ones. UTF-32 has two or three NULs in every group of four. Text in other scripts has
    few NULs; the detector gets a chance at it later.
    """
    size = len(sample) - len(sample) % 4
    if size < 4:
        return None
    counts = [sample[i:size:4].count(0) / (size // 4) for i in range(4)]
    if counts[2] > 0.9 and counts[3] > 0.9 and counts[0] < 0.1:
        candidate = "utf-32-le"
    elif counts[0] > 0.9 and counts[1] > 0.9 and counts[3] < 0.1:
        candidate = "utf-32-be"
    else:
        even, odd = (counts[0] + counts[2]) / 2, (counts[1] + counts[3]) / 2
        if odd > 0.3 and even < 0.05:
            candidate = "utf-16-le"
        elif even > 0.3 and odd < 0.05:
            candidate = "utf-16-be"
        else:
            return None
    try:
        sample[:size].decode(candidate)
    except UnicodeDecodeError:
        # A cut surrogate pair at the end of the sample is fine; garbage elsewhere is not.
        if size <= 4:
            return None
        try:
            sample[: size - 4].decode(candidate)
        except UnicodeDecodeError:
            return None
    return candidate


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 or code == 0x7F) and ch not in _ALLOWED_CONTROLS
