"""The open article's home: what observers hear when it opens, gets names and notes."""

from __future__ import annotations

import pytest

from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention, group_entities
from reader.notes.model import Note
from reader.tasks.analysis import AnalysisWorker
from reader.tasks.analysis_feed import AnalysisFeed
from reader.tasks.backend import AnalysisBackend
from reader.tasks.session import ReadingSession
from tests.gui.conftest import FakeWorker
from tests.unit.store.conftest import make_document

TEXT = "Sergei Lavrov met Antonio Guterres in Geneva. Lavrov left."


def mention(phrase: str, kind: Kind, canonical: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return Mention(start, start + len(phrase), kind, "X", phrase, canonical or phrase)


LAVROV = mention("Sergei Lavrov", Kind.PERSON)
GUTERRES = mention("Antonio Guterres", Kind.PERSON)
GENEVA = mention("Geneva", Kind.PLACE)
LONE = mention("Lavrov", Kind.ORGANIZATION, nth=1)


class Heard:
    """Every signal a session emits, in order."""

    def __init__(self, session: ReadingSession) -> None:
        self.events: list[tuple] = []
        for name in (
            "documentChanged",
            "documentIdChanged",
            "mentionsChanged",
            "entitiesChanged",
            "notesChanged",
            "analysisFinished",
            "flushRequested",
        ):
            getattr(session, name).connect(
                lambda *args, name=name: self.events.append((name, *args))
            )

    def names(self) -> list[str]:
        return [event[0] for event in self.events]

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
def session(qapp) -> ReadingSession:
    return ReadingSession()


def test_opening_saves_what_is_typed_first_then_starts_afresh(session) -> None:
    heard = Heard(session)
    first = session.open(make_document(TEXT), 4)
    session.add_mentions([LAVROV], [Entity(Kind.PERSON, "Sergei Lavrov", [LAVROV])])
    session.set_notes([Note(1, "document", 4, "Check.", ())], [])
    heard.clear()
    second = session.open(make_document("Another text."))
    assert second == first + 1
    assert heard.names() == ["flushRequested", "documentChanged"]
    assert session.document_id is None and session.notes == []
    assert session.sorted_mentions() == [] and session.entities() == []
    session.set_document_id(7)
    session.set_document_id(7)  # the same again: nobody needs telling
    assert (
        heard.names()[-1] == "documentIdChanged" and heard.names().count("documentIdChanged") == 1
    )


def test_progress_tells_which_spans_changed_and_entities_only_when_regrouped(session) -> None:
    session.open(make_document(TEXT))
    heard = Heard(session)
    session.add_mentions([LAVROV, GENEVA], None)
    session.add_mentions([LAVROV, GUTERRES], group_entities([LAVROV, GENEVA, GUTERRES]))
    assert heard.events == [
        ("mentionsChanged", [(LAVROV.start, LAVROV.end), (GENEVA.start, GENEVA.end)], False),
        ("mentionsChanged", [(GUTERRES.start, GUTERRES.end)], False),  # Lavrov was known
        ("entitiesChanged",),
    ]
    assert [e.canonical for e in session.entities()] == [
        "Sergei Lavrov",
        "Antonio Guterres",
        "Geneva",
    ]
    assert session.mention_at(GENEVA.start + 2) == GENEVA
    assert session.mention_at(GENEVA.start - 1) is None


def test_the_final_set_arrives_as_a_difference(session) -> None:
    session.open(make_document(TEXT))
    session.add_mentions([LAVROV, GENEVA, LONE], None)
    heard = Heard(session)
    relinked = Mention(LONE.start, LONE.end, Kind.PERSON, "PERSON", "Lavrov", "Sergei Lavrov")
    final = group_entities([LAVROV, relinked])
    session.update_mentions([relinked], [(GENEVA.start, GENEVA.end)], final)
    assert heard.events == [
        ("mentionsChanged", [(GENEVA.start, GENEVA.end), (LONE.start, LONE.end)], True),
        ("entitiesChanged",),
    ]
    (entity,) = session.entities()
    assert entity.count == 2 and session.entity_of(relinked) is entity


def test_a_cached_set_replaces_everything_and_says_which_spans_differ(session) -> None:
    session.open(make_document(TEXT))
    session.add_mentions([LAVROV, GENEVA], None)
    heard = Heard(session)
    session.replace_mentions([LAVROV, GUTERRES])
    ((name, keys, scattered), entities) = heard.events
    assert name == "mentionsChanged" and scattered
    assert sorted(keys) == sorted([(GENEVA.start, GENEVA.end), (GUTERRES.start, GUTERRES.end)])
    assert entities == ("entitiesChanged",)


def test_notes_on_names_are_previews_for_tooltips(session) -> None:
    session.open(make_document(TEXT), 1)
    on_name = Note(
        5,
        "entity",
        None,
        "Foreign minister.",
        (),
        entity_kind="person",
        entity_canonical="Sergei Lavrov",
    )
    empty = Note(6, "entity", None, "  ", (), entity_kind="place", entity_canonical="Geneva")
    own = Note(7, "passage", 1, "Where?", (), quote="Geneva", start=GENEVA.start, end=GENEVA.end)
    heard = Heard(session)
    session.set_notes([own], [on_name, empty])
    assert heard.names() == ["notesChanged"]
    assert session.noted_entities() == {
        ("person", "Sergei Lavrov"): ["Foreign minister."],
        ("place", "Geneva"): [],
    }
    assert session.note(7) is own and session.note(5) is on_name and session.note(8) is None


def test_the_real_and_the_fake_worker_offer_the_same_interface(qapp, ruler_engine) -> None:
    assert isinstance(AnalysisWorker(), AnalysisBackend)
    assert isinstance(FakeWorker(ruler_engine), AnalysisBackend)


def test_the_feed_keeps_only_the_current_revision_s_answers(qapp, ruler_engine) -> None:
    session = ReadingSession()
    worker = FakeWorker(ruler_engine)
    worker.hold = True
    feed = AnalysisFeed(session, worker)
    session.open(make_document("Claudia Brunner spoke in Geneva."))
    feed.start()
    stale = worker.jobs[-1]
    session.open(make_document("Antonio Guterres visited Tashkent."))
    worker._run(stale)  # an answer for the article that was closed
    assert session.sorted_mentions() == [] and session.analysing is False
    feed.start()
    worker._run(worker.jobs[-1])
    assert {m.text for m in session.sorted_mentions()} == {"Antonio Guterres", "Tashkent"}
    assert session.analysing is False


def test_cached_names_finish_the_analysis_at_once(qapp, ruler_engine) -> None:
    session = ReadingSession()
    heard = Heard(session)
    feed = AnalysisFeed(session, FakeWorker(ruler_engine))
    session.open(make_document(TEXT))
    feed.use_cached([LAVROV, GENEVA])
    assert heard.events[-1] == ("analysisFinished", 0.0, True)
    assert session.sorted_mentions() == [LAVROV, GENEVA]


def test_corrections_apply_to_the_names_found_and_the_model_s_names_stay(session) -> None:
    from reader.entities.corrections import make_rule
    from reader.services.corrections import Corrector

    document = make_document(TEXT)
    session.open(document, 1)
    session.add_mentions([LAVROV, GUTERRES], None)
    heard = Heard(session)
    rules = [
        make_rule("same-as", "Lavrov", target="Sergei Lavrov", rule_id=1),
        make_rule("not-a-name", "Geneva", rule_id=2),
    ]
    keys = session.set_corrector(Corrector.of(2, rules))
    assert keys == [] and "correctionsChanged" not in heard.names()  # nothing to change yet…
    session.add_mentions([GENEVA, LONE], None)  # …until the names arrive, chunk by chunk
    assert [m.text for m in session.sorted_mentions()] == [
        "Sergei Lavrov",
        "Antonio Guterres",
        "Lavrov",
    ]
    lone = session.mention(key(LONE))
    assert lone is not None and lone.canonical == "Sergei Lavrov"
    entity = session.entity_of(lone)
    assert entity is not None and entity.count == 2
    # The cache keeps what the model said; undoing the rules shows it again.
    assert session.raw_mentions() == [LAVROV, GUTERRES, GENEVA, LONE]
    heard.clear()
    keys = session.set_corrector(Corrector.of(3, []))
    assert sorted(keys) == sorted([key(GENEVA), key(LONE)])
    assert heard.names()[0] == "mentionsChanged" and "entitiesChanged" in heard.names()
    assert session.sorted_mentions() == [LAVROV, GUTERRES, GENEVA, LONE]
    assert session.correction_counts == {}


def test_a_cached_set_is_corrected_as_a_whole_and_counted(session) -> None:
    from reader.entities.corrections import make_rule
    from reader.services.corrections import Corrector

    document = make_document(TEXT)
    session.set_corrector(
        Corrector.of(1, [make_rule("kind", "Geneva", kind="organization", rule_id=4)])
    )
    session.open(document, 1)
    session.replace_mentions([LAVROV, GUTERRES, GENEVA, LONE])
    geneva = session.mention(key(GENEVA))
    assert geneva is not None and geneva.kind is Kind.ORGANIZATION and geneva.label == "ORG"
    assert session.correction_counts == {4: 1}
    assert [e.kind for e in session.entities() if e.canonical == "Geneva"] == [Kind.ORGANIZATION]
    notes = [Note(9, "entity", None, "A city.", (), entity_kind="place", entity_canonical="Geneva")]
    session.set_notes([], notes)
    assert session.noted_entities() == {("organization", "Geneva"): ["A city."]}


def key(mention: Mention) -> tuple[int, int]:
    return (mention.start, mention.end)
