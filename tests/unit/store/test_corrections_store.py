"""Correction rules in the library: stored, undone and redone, and what search and counts see."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.entities.corrections import CorrectionError, make_rule
from reader.entities.kinds import Kind
from reader.store import Store, cache, migrations, open_store
from reader.store import corrections as store_corrections

from .conftest import OpenStore, make_document, mention
from .test_migrations import build_database, read_version

WAR = (
    "Pierre Bezukhov came to Moscow. Pierre smiled at Sonya. Sonya said nothing. "
    "Later Pierre left Moscow with Natasha."
)


def analysed(store: Store, text: str = WAR, title: str = "War", key: str = "model") -> int:
    """An article in the library with the model's names for it, mistakes included."""
    document = make_document(text, title=title, path=f"/{title}.txt")
    result = store.import_document(document)
    body = document.text
    mentions = [
        mention(body, "Pierre Bezukhov"),
        mention(body, "Moscow", Kind.PLACE),
        mention(body, "Pierre", nth=1),
        mention(body, "Sonya", Kind.PLACE),
        mention(body, "Sonya", Kind.PLACE, nth=1),
        mention(body, "Pierre", nth=2),
        mention(body, "Moscow", Kind.PLACE, nth=1),
        mention(body, "Natasha"),
    ]
    mentions.sort(key=lambda m: m.start)
    store.save_analysis(document.text_hash, key, mentions)
    return result.document_id


def rule(action: str, form: str, **kwargs: object):
    return make_rule(action, form, **kwargs)  # type: ignore[arg-type]


def summary(store: Store, document_id: int) -> dict[tuple[str, str], int]:
    rows = cache.stored_summary(store.conn, document_id)
    return {key: count for key, (count, _start, _end) in rows.items()}


def test_a_library_of_every_earlier_schema_gets_the_corrections_tables(
    open_closing: OpenStore, db_path: Path
) -> None:
    build_database(db_path, 3)
    store = open_closing(db_path)
    assert read_version(db_path) == migrations.LATEST_VERSION == 4
    assert store.backup_path is not None and "schema003" in store.backup_path.name
    assert store.list_corrections() == []
    [stored] = store.add_corrections([rule("kind", "Sergei Lavrov", kind="organization")])
    assert stored.id == 1 and stored.active


def test_rules_are_kept_in_order_with_their_scope_and_time(store: Store) -> None:
    stored = store.add_corrections(
        [
            rule("same-as", "Pierre", target="Pierre Bezukhov"),
            rule("not-a-name", "West", document="a" * 64),
            rule("add", "TASS", kind="organization", case_sensitive=False),
        ]
    )
    assert [s.id for s in stored] == [1, 2, 3]
    listed = store.list_corrections()
    assert [s.rule for s in listed] == [s.rule for s in stored]
    assert listed[1].rule.document == "a" * 64
    assert listed[2].rule.case_sensitive is False
    assert all(s.created and s.undone is None for s in listed)
    version, active = store.active_corrections()
    assert version == 3 and len(active) == 3


def test_undo_keeps_the_rule_listed_and_redo_puts_it_back(store: Store) -> None:
    [first, second] = store.add_corrections(
        [rule("kind", "Sonya", kind="person"), rule("not-a-name", "Moscow")]
    )
    undone = store.undo_correction(first.id)
    assert undone.undone is not None
    listed = store.list_corrections()
    assert [s.active for s in listed] == [False, True]
    assert [r.id for r in store.active_corrections()[1]] == [second.id]
    with pytest.raises(CorrectionError, match=r"already undone.*redo 1"):
        store.undo_correction(first.id)
    store.undo_correction(first.id, redo=True)
    assert [s.active for s in store.list_corrections()] == [True, True]
    with pytest.raises(CorrectionError, match="nothing to redo"):
        store.undo_correction(first.id, redo=True)
    with pytest.raises(CorrectionError, match="There is no correction 9"):
        store.undo_correction(9)
    events = store.conn.execute(
        "SELECT correction_id, event FROM correction_history ORDER BY id"
    ).fetchall()
    assert events == [(1, "added"), (2, "added"), (1, "undone"), (1, "redone")]


def test_an_id_is_never_reused(store: Store, db_path: Path) -> None:
    store.add_corrections([rule("not-a-name", "West")])
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM correction_history")  # even if a row went away by hand
    conn.execute("DELETE FROM corrections")
    conn.commit()
    conn.close()
    [again] = store.add_corrections([rule("not-a-name", "East")])
    assert again.id == 2


def test_a_circle_of_aliases_is_refused_when_written_and_nothing_is_stored(
    store: Store, db_path: Path
) -> None:
    store.add_corrections([rule("same-as", "Pierre", target="Bezukhov")])
    # Another window added the other half meanwhile: the store checks at write time.
    with open_store(db_path, check=False) as other:
        other.add_corrections([rule("same-as", "Bezukhov", target="Count Bezukhov")])
    with pytest.raises(CorrectionError, match="circle of names"):
        store.add_corrections(
            [
                rule("kind", "Sonya", kind="person"),
                rule("same-as", "Count Bezukhov", target="Pierre"),
            ]
        )
    assert len(store.list_corrections()) == 2  # neither of the two was stored


def test_undoing_a_split_that_would_revive_a_circle_is_refused(store: Store) -> None:
    [alias, split, _back] = store.add_corrections(
        [
            rule("same-as", "Pierre", target="Bezukhov"),
            rule("split", "Pierre"),
            rule("same-as", "Bezukhov", target="Pierre"),
        ]
    )
    with pytest.raises(CorrectionError, match="Undoing correction 2 would make a circle"):
        store.undo_correction(split.id)
    assert store.list_corrections()[1].active
    store.undo_correction(alias.id)  # taking an alias away never makes a circle


def test_search_and_counts_see_the_corrected_names(store: Store) -> None:
    document_id = analysed(store)
    assert [h.canonical for h in store.mentions("Sonya")] == ["Sonya"]
    assert store.mentions("Sonya")[0].kind is Kind.PLACE
    assert store.add_corrections(
        [
            rule("kind", "Sonya", kind="person"),
            rule("same-as", "Pierre", target="Pierre Bezukhov"),
            rule("not-a-name", "Moscow"),
        ]
    )
    refresh = store.apply_corrections()
    assert refresh.articles == 1 and refresh.changed == 1
    assert refresh.counts == {1: 2, 2: 2, 3: 2}
    assert summary(store, document_id) == {
        ("person", "Pierre Bezukhov"): 3,
        ("person", "Sonya"): 2,
        ("person", "Natasha"): 1,
    }
    [sonya] = store.mentions("Sonya")
    assert sonya.kind is Kind.PERSON and sonya.count == 2
    assert store.mentions("Moscow") == []
    [entry] = store.list_documents()
    assert entry.entity_counts[Kind.PLACE] == 0 and entry.entity_counts[Kind.PERSON] == 3
    assert [(s.changes, s.articles) for s in store.list_corrections()] == [(2, 1)] * 3
    # Undo: the model's names again, and an undone rule counts for nothing.
    store.undo_correction(3)
    store.apply_corrections()
    assert [h.title for h in store.mentions("Moscow")] == ["War"]
    assert [s.changes for s in store.list_corrections()] == [2, 2, 0]


def test_an_article_rule_leaves_the_rest_of_the_library_alone(store: Store) -> None:
    first = analysed(store, title="First")
    second = analysed(store, WAR + " Moscow again.", title="Second")
    text_hash = store.get_entry(first).text_hash  # type: ignore[union-attr]
    store.add_corrections([rule("not-a-name", "Moscow", document=text_hash)])
    store.apply_corrections()
    assert ("place", "Moscow") not in summary(store, first)
    assert summary(store, second)[("place", "Moscow")] == 2
    assert [h.title for h in store.mentions("Moscow")] == ["Second"]


def test_names_saved_after_a_rule_are_corrected_as_they_are_saved(store: Store) -> None:
    store.add_corrections(
        [rule("kind", "Sonya", kind="person"), rule("add", "Natasha Rostova", kind="person")]
    )
    document_id = analysed(store, WAR + " Natasha Rostova danced.")
    counts = summary(store, document_id)
    assert counts[("person", "Sonya")] == 2 and ("place", "Sonya") not in counts
    assert counts[("person", "Natasha Rostova")] == 1  # "add" rules read the article's text
    assert {s.id: s.changes for s in store.list_corrections()} == {1: 2, 2: 1}


def test_an_article_analysed_before_it_is_imported_gets_corrected_counts(store: Store) -> None:
    document = make_document(WAR, title="Later", path="/later.txt")
    store.add_corrections([rule("kind", "Sonya", kind="person")])
    body = document.text
    store.save_analysis(document.text_hash, "model", [mention(body, "Sonya", Kind.PLACE)])
    document_id = store.import_document(document).document_id
    assert summary(store, document_id) == {("person", "Sonya"): 1}


def test_a_refresh_starts_again_when_the_rules_change_meanwhile(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysed(store)
    store.add_corrections([rule("kind", "Sonya", kind="organization")])
    loads = []
    original = cache.load

    def load_and_interfere(conn, text_hash, model_key):
        loads.append(text_hash)
        if len(loads) == 1:  # another process adds a rule while this one reads
            with open_store(db_path, check=False) as other:
                other.add_corrections([rule("kind", "Sonya", kind="person")])
        return original(conn, text_hash, model_key)

    monkeypatch.setattr(store_corrections.cache, "load", load_and_interfere)
    refresh = store.apply_corrections()
    assert refresh.restarts == 1 and len(loads) == 2
    assert store.mentions("Sonya")[0].kind is Kind.PERSON


def test_removing_an_article_removes_what_the_rules_did_to_it(store: Store) -> None:
    document_id = analysed(store)
    store.add_corrections([rule("kind", "Sonya", kind="person")])
    store.apply_corrections()
    store.remove_document(document_id)
    assert [s.changes for s in store.list_corrections()] == [0]
    assert store.list_corrections()[0].active  # the rule itself is the user's: it stays
