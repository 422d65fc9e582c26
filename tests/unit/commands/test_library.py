"""``reader library``, ``search`` and ``mentions`` in-process, on a ruler-analysed library."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.commands import importing, library
from reader.entities.engine import EntityEngine
from reader.entities.kinds import KIND_ORDER
from reader.store import LibraryEntry, SearchHit


@pytest.fixture
def analysed_library(folder: Path, monkeypatch: pytest.MonkeyPatch, ruler_nlp, capsys) -> None:
    engine = EntityEngine(nlp=ruler_nlp)
    monkeypatch.setattr(importing, "make_engine", lambda model: engine)
    args = argparse.Namespace(paths=[str(folder)], analyse=True, json=False, model="x")
    importing.run_import(args)
    capsys.readouterr()


def entry(title: str, analysed: bool = True) -> LibraryEntry:
    return LibraryEntry(
        id=7,
        title=title,
        author="Hannah Okafor",
        date="2024-03-14",
        source="example.org",
        added=datetime(2024, 3, 15, 12, tzinfo=UTC),
        path="/a.md",
        word_count=600,
        entity_counts={kind: 2 for kind in KIND_ORDER},
        note_count=1,
        analysed=analysed,
        text_hash="0" * 64,
    )


def test_the_library_table_shortens_long_titles_at_a_word() -> None:
    title = "A very long headline about the water talks that went on late into the night in Genève"
    table = library.format_library([entry(title), entry("Short", analysed=False)])
    header, first, second = table.splitlines()
    assert header.split() == "ID TITLE AUTHOR DATE SOURCE ADDED PEOPLE PLACES ORGS NOTES".split()
    assert "A very long headline about the water talks that went on…" in first
    assert first.split()[-4:] == ["2", "2", "2", "1"]
    assert second.split()[-4:] == ["-", "-", "-", "1"]  # not analysed: unknown, not zero
    narrow = library.format_library([entry(title)], width=80).splitlines()[1]
    assert "…" in narrow and len(narrow.split("  Hannah")[0]) <= 24


def test_matched_words_are_marked() -> None:
    hit = SearchHit(
        3, "Talks", "…met in Genève on Monday in Genève…", ((8, 14), (28, 34)), -1.0, 40, 46
    )
    assert library.format_hits([hit], ("[", "]")) == (
        "Talks  (#3, at 40)\n    …met in [Genève] on Monday in [Genève]…\n"
    )
    title_only = SearchHit(4, "Genève", "", (), -2.0, None, None)
    assert library.format_hits([title_only], ("[", "]")) == "Genève  (#4, in the title)\n"


def test_entity_queries_in_search_are_mentions(analysed_library, capsys) -> None:
    search = argparse.Namespace(query="person:lavrov", limit=20, json=False)
    assert library.run_search(search) == 0
    out = capsys.readouterr().out
    assert "Talks in Genève  (#1): Sergei Lavrov, person, 1 mention, first at" in out
    assert "[Sergei Lavrov] spoke in Genève." in out
    mentions = argparse.Namespace(name="Genève", kind="person", limit=20, json=False)
    assert library.run_mentions(mentions) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "No document in the library mentions the person “Genève”.\n"


def test_mentions_takes_the_same_short_kinds_as_search(analysed_library, capsys) -> None:
    from reader import cli

    assert cli.main(["mentions", "Lavrov", "--kind", "PEOPLE"]) == 0
    assert "Sergei Lavrov, person" in capsys.readouterr().out
    cli.main(["mentions", "Lavrov", "--kind", "org"])
    assert "mentions the organization “Lavrov”" in capsys.readouterr().err


def test_an_unknown_kind_is_one_sentence(capsys) -> None:
    from reader import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["mentions", "Lavrov", "--kind", "city"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Unknown entity kind 'city'; use person, place, organization (org) or other." in err
    assert "Traceback" not in err
