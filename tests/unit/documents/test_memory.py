"""A file too large for the free memory is refused with a sentence before it is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import cli
from reader.documents import memory
from reader.documents.loader import load_document
from reader.errors import DocumentError


def test_a_file_that_would_not_fit_is_refused_before_reading(monkeypatch, tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 400_000)  # 2 MB
    monkeypatch.setattr(memory, "available_bytes", lambda: 5_000_000)
    with pytest.raises(DocumentError) as caught:
        load_document(big)
    assert caught.value.message == (
        "“big.txt” is 2 MB; reading it needs about 24 MB of memory and only 5 MB are free, "
        "so reader did not open it (it would have made the computer swap). Close other "
        "programs, or split the file into parts."
    )


def test_the_import_skips_it_and_goes_on(monkeypatch, tmp_path, capsys) -> None:
    (tmp_path / "big.txt").write_text("word " * 400_000)
    (tmp_path / "small.txt").write_text("A small article.\n")
    monkeypatch.setattr(memory, "available_bytes", lambda: 5_000_000)
    assert cli.main(["import", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "big.txt: failed: “big.txt” is 2 MB; reading it needs about 24 MB" in out
    assert "small.txt: imported" in out


def test_free_memory_is_known_on_this_machine() -> None:
    free = memory.available_bytes()
    assert free is None or free > 0
    if Path("/proc/meminfo").exists():
        assert free is not None
