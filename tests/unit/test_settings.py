from __future__ import annotations

import json

from reader import paths, settings
from reader.entities.kinds import Kind


def test_defaults_show_people_places_and_organizations() -> None:
    s = settings.Settings()
    assert s.visible == {Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION}


def test_settings_round_trip_in_the_redirected_home(reader_home) -> None:
    s = settings.Settings(zoom=3, font_size=15)
    s.add_recent("/a.txt")
    s.add_recent("/b.txt")
    s.add_recent("/a.txt")
    settings.save(s)
    assert paths.settings_file().is_relative_to(reader_home)
    loaded = settings.load()
    assert loaded.zoom == 3 and loaded.font_size == 15
    assert loaded.recent_files == ["/a.txt", "/b.txt"]


def test_recent_files_are_capped() -> None:
    s = settings.Settings()
    for i in range(30):
        s.add_recent(f"/{i}.txt")
    assert len(s.recent_files) == settings.MAX_RECENT_FILES
    assert s.recent_files[0] == "/29.txt"


def test_a_damaged_settings_file_is_set_aside_not_lost() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    loaded = settings.load()
    assert loaded == settings.Settings()
    assert path.with_suffix(".json.damaged").read_text(encoding="utf-8") == "{not json"


def test_values_of_the_wrong_type_are_ignored() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"zoom": "big", "font_size": 16}), encoding="utf-8")
    loaded = settings.load()
    assert loaded.zoom == 0 and loaded.font_size == 16
