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


def test_reading_positions_are_kept_most_recent_last_and_survive_a_restart(tmp_path) -> None:
    kept = settings.Settings()
    kept.remember_position("book", 123_456)
    kept.remember_position("article", 0)  # the top of a text needs no entry
    assert kept.reading_position("book") == 123_456
    assert kept.reading_position("article") == 0 and "article" not in kept.reading_positions
    for n in range(settings.MAX_READING_POSITIONS + 5):
        kept.remember_position(f"other {n}", n + 1)
    kept.remember_position(f"other {settings.MAX_READING_POSITIONS}", 7)  # read again: most recent
    assert len(kept.reading_positions) == settings.MAX_READING_POSITIONS
    assert kept.reading_position("book") == 0  # the oldest went first
    assert list(kept.reading_positions)[-1] == f"other {settings.MAX_READING_POSITIONS}"
    path = tmp_path / "settings.json"
    settings.save(kept, path)
    assert settings.load(path).reading_position(f"other {settings.MAX_READING_POSITIONS}") == 7


def test_a_damaged_reading_position_reads_as_the_top(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"reading_positions": {"a": "middle", "b": -4, "c": 10}}', "utf-8")
    loaded = settings.load(path)
    assert loaded.reading_position("a") == 0
    assert loaded.reading_position("b") == 0
    assert loaded.reading_position("c") == 10
