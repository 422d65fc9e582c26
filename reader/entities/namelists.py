"""The name lists the reader ships: places (GeoNames) and common given names (US Census).

Both are small gzip files in ``resources/names/``, built by ``packaging/make_name_lists.py``
and read once per process. They are evidence for a name's kind, never a verdict: "Paris" is
a place in the list and a person in "Paris said", and a missing file only makes the kinds a
little less sure, never an error.
"""

from __future__ import annotations

import gzip
import logging
from functools import cache
from pathlib import Path

from reader import paths

log = logging.getLogger(__name__)


def _read(name: str) -> dict[str, frozenset[str]]:
    """The sections of a list file: {"major": ..., "towns": ...}, empty when unreadable.

    The file is a comment line, then sections each under a "# name" line, one name a line.
    Split with C-level string methods: a Python loop over 40,000 lines would hold the
    interpreter lock in the GUI process for a noticeable moment.
    """
    path: Path = paths.resources_dir() / "names" / name
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        log.warning("Name list %s could not be read (%s); kinds rely on context alone", path, exc)
        return {}
    sections: dict[str, frozenset[str]] = {}
    for block in text.split("\n# ")[1:]:
        title, _, names = block.partition("\n")
        sections[title.strip()] = frozenset(names.split("\n")) - {""}
    return sections


@cache
def _places() -> tuple[frozenset[str], frozenset[str]]:
    sections = _read("places.txt.gz")
    major = sections.get("major", frozenset())
    return major | sections.get("towns", frozenset()), major


def place_names() -> frozenset[str]:
    """Countries, capitals, continents, US states and cities of 15,000 people or more."""
    return _places()[0]


def major_place_names() -> frozenset[str]:
    """Countries, their capitals, continents, US states and their usual English variants."""
    return _places()[1]


@cache
def given_names() -> frozenset[str]:
    """Common given names ("Sonya", "Brock"), capitalised."""
    return _read("given_names.txt.gz").get("given", frozenset())
