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


def _read(name: str) -> frozenset[str]:
    path: Path = paths.resources_dir() / "names" / name
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return frozenset(
                line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")
            )
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        log.warning("Name list %s could not be read (%s); kinds rely on context alone", path, exc)
        return frozenset()


@cache
def _places() -> tuple[frozenset[str], frozenset[str]]:
    lines = _read("places.txt.gz")
    major = frozenset(line[1:] for line in lines if line.startswith("*"))
    return frozenset(line.lstrip("*") for line in lines), major


def place_names() -> frozenset[str]:
    """Countries, capitals, continents, US states and cities of 15,000 people or more."""
    return _places()[0]


def major_place_names() -> frozenset[str]:
    """Countries, their capitals, continents, US states and their usual English variants."""
    return _places()[1]


@cache
def given_names() -> frozenset[str]:
    """Common given names ("Sonya", "Brock"), capitalised."""
    return _read("given_names.txt.gz")
