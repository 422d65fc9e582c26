"""The shipped name lists: present, compact, and read without fuss."""

from __future__ import annotations

import gzip

from reader import paths
from reader.entities import namelists


def test_the_lists_hold_places_and_given_names() -> None:
    places = namelists.place_names()
    major = namelists.major_place_names()
    assert {"France", "Uzbekistan", "Kazan", "Łódź", "Lodz", "England"} <= places
    assert {"France", "Uzbekistan", "England", "Africa", "Texas"} <= major
    assert "Kazan" not in major  # a city, not a country or capital
    assert major <= places
    assert {"Sonya", "Natasha", "Brock", "Pierre"} <= namelists.given_names()


def test_the_lists_are_compact_and_say_where_they_come_from() -> None:
    folder = paths.resources_dir() / "names"
    sizes = {path.name: path.stat().st_size for path in folder.glob("*.gz")}
    assert set(sizes) == {"places.txt.gz", "given_names.txt.gz"}
    assert sum(sizes.values()) < 400_000
    with gzip.open(folder / "places.txt.gz", "rt", encoding="utf-8") as handle:
        header = handle.readline()
    assert "GeoNames" in header and "CC BY 4.0" in header


def test_a_missing_list_means_no_evidence_not_an_error(tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    assert namelists._read("places.txt.gz") == {}
    assert "could not be read" in caplog.text
