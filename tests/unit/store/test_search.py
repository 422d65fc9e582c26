"""Full-text search (ranking, snippets, diacritics, safe queries) and entity search."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.store import Store, parse_entity_query, parse_query
from reader.store.search import fts_expression, split_marks

from .conftest import make_document, mention


def ids(hits) -> list[int]:
    return [h.document_id for h in hits]


def test_diacritics_and_case_are_ignored_both_ways(store: Store):
    accented = store.import_document(
        make_document("Talks resumed in Genève at the Café du Rhône.", title="Accented", path="/a")
    ).document_id
    plain = store.import_document(
        make_document("The CAFE near GENEVE was closed.", title="Plain", path="/b")
    ).document_id

    assert set(ids(store.search("geneve"))) == {accented, plain}
    assert set(ids(store.search("Genève"))) == {accented, plain}
    assert set(ids(store.search("cafe"))) == {accented, plain}
    assert ids(store.search("rhone")) == [accented]


def test_the_offset_points_at_the_first_match_in_the_text(store: Store):
    text = "Nothing here. Then the Café opened; later another cafe."
    doc_id = store.import_document(make_document(text, title="Cafe story", path="/c")).document_id
    [hit] = store.search("cafe")
    assert hit.document_id == doc_id
    doc = store.get_document(doc_id)
    assert doc.text[hit.offset : hit.end] == "Cafe"  # in the title block, which comes first
    [hit] = store.search("opened")
    assert doc.text[hit.offset : hit.end] == "opened"


def test_offsets_with_decomposed_accents_and_phrases(store: Store):
    text = "Intro words. The talks in Gene\u0300ve ended; New\u00a0York was next."
    doc_id = store.import_document(make_document(text, path="/d")).document_id
    doc = store.get_document(doc_id)
    [hit] = store.search("geneve")
    assert doc.text[hit.offset : hit.end] == "Gene\u0300ve"
    [hit] = store.search('"new york"')
    assert doc.text[hit.offset : hit.end] == "New\u00a0York"


def test_only_title_matches_have_no_text_offset(store: Store):
    doc = make_document("Body without the word.", path="/t")
    doc.metadata.title = "Zanzibar"  # in the metadata, not in the text
    store.import_document(doc)
    [hit] = store.search("zanzibar")
    assert hit.offset is None and hit.end is None


def test_title_matches_rank_above_text_matches(store: Store):
    in_text = store.import_document(
        make_document(
            "A long report that mentions the reservoir once among many other words.",
            title="Report",
            path="/1",
        )
    ).document_id
    in_title = store.import_document(
        make_document("Nothing more to say here.", title="Reservoir levels", path="/2")
    ).document_id
    many = store.import_document(
        make_document(
            "Reservoir, reservoir, reservoir: the reservoir is full.", title="Note", path="/3"
        )
    ).document_id
    for i in range(5):  # unrelated documents give bm25 its document frequencies
        store.import_document(make_document(f"Unrelated article number {i}.", path=f"/u{i}"))

    hits = store.search("reservoir")

    assert ids(hits)[0] == in_title
    assert ids(hits).index(many) < ids(hits).index(in_text)
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_snippets_mark_the_matched_words(store: Store, sample: Document):
    store.import_document(sample)
    [hit] = store.search("hydrologist")
    assert "hydrologist" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["hydrologist"]
    assert "\n" not in hit.snippet and "\x02" not in hit.snippet
    [hit] = store.search("toktogul reserv*")
    assert {hit.snippet[s:e].lower() for s, e in hit.marks} >= {"toktogul", "reservoir"}


def test_phrases_prefixes_and_and(store: Store, sample: Document):
    doc_id = store.import_document(sample).document_id
    assert ids(store.search('"World Bank"')) == [doc_id]
    assert store.search('"Bank World"') == []
    assert ids(store.search("hydrolog*")) == [doc_id]
    assert store.search("hydrolog") == []
    assert ids(store.search("Geneva Tashkent")) == [doc_id]
    assert store.search("Geneva Zanzibar") == []


def test_fts_syntax_typed_by_the_user_is_just_words(store: Store, sample: Document):
    doc_id = store.import_document(sample).document_id
    for query in [
        "World AND",
        "NEAR(World Bank)",
        "title:Geneva",
        "^Geneva",
        "Geneva OR",
        '"unterminated phrase',
        "U.N.",
        "-Geneva",
        "(Geneva",
        "Geneva*)",
    ]:
        store.search(query)  # must not raise
    assert ids(store.search("title:Geneva")) == []  # "title" is a word the text lacks
    assert ids(store.search("(Geneva")) == [doc_id]
    assert store.search("") == store.search("   ") == store.search("--- !!! ***") == []
    assert store.search("\x00\x02") == []


def test_parse_query():
    assert parse_query('geneva "New York" cafe* !!! ""') == [
        *parse_query("geneva"),
        *parse_query('"New York"'),
        *parse_query("cafe*"),
    ]
    [term] = parse_query("cafe*")
    assert term.prefix and term.text == "cafe"
    assert fts_expression(parse_query('say "hi" x*')) == '"say" "hi" "x"*'
    assert fts_expression(parse_query('a"b')) == '"a" "b"'
    assert fts_expression([]) is None


def test_split_marks():
    assert split_marks("…a \x02b\x03 c\n\n\x02d\x03 e") == ("…a b c d e", ((3, 4), (7, 8)))


def test_arbitrary_queries_never_raise(store: Store, sample: Document):
    store.import_document(sample)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
        | st.from_regex(r'[" *():^\-+A-Za-zé]{0,20}', fullmatch=True)
    )
    def check(query: str) -> None:
        for hit in store.search(query):
            assert hit.document_id == 1
        store.mentions(query)
        parse_entity_query(query)

    check()


def test_notes_are_searched_too(store: Store, sample: Document):
    doc_id = store.import_document(sample).document_id
    note_id = store.conn.execute(
        "INSERT INTO notes (document_id, quote, body, start_offset, end_offset, created, modified)"
        " VALUES (?, 'Palais des Nations', 'Compare with the Zürich meeting', 10, 28, '1', '1')",
        (doc_id,),
    ).lastrowid
    [hit] = store.search("zurich")
    assert (hit.document_id, hit.note_id, hit.offset, hit.end) == (doc_id, note_id, 10, 28)
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["Zürich"]
    hits = store.search("palais")
    assert {h.note_id for h in hits} == {None, note_id}


def analysed_library(store: Store) -> dict[str, int]:
    docs = {
        "moscow": make_document(
            "Sergei Lavrov spoke in Moscow. Lavrov then left. Lavrov returned.", path="/m"
        ),
        "geneva": make_document("In Genève, Lavrov met the UN envoy.", path="/g"),
        "org": make_document("Lavrov & Partners is a law firm.", path="/o"),
    }
    ids_ = {}
    for key, doc in docs.items():
        ids_[key] = store.import_document(doc).document_id
    m, g, o = docs["moscow"].text, docs["geneva"].text, docs["org"].text
    store.save_analysis(
        docs["moscow"].text_hash,
        "m",
        [
            mention(m, "Sergei Lavrov"),
            mention(m, "Lavrov", canonical="Sergei Lavrov", nth=1),
            mention(m, "Lavrov", canonical="Sergei Lavrov", nth=2),
            mention(m, "Moscow", Kind.PLACE),
        ],
    )
    store.save_analysis(
        docs["geneva"].text_hash,
        "m",
        [
            mention(g, "Genève", Kind.PLACE),
            mention(g, "Lavrov"),
            mention(g, "UN", Kind.ORGANIZATION),
        ],
    )
    store.save_analysis(
        docs["org"].text_hash,
        "m",
        [
            mention(o, "Lavrov & Partners", Kind.ORGANIZATION),
        ],
    )
    return ids_


def test_mentions_exact_name_first_then_surnames(store: Store):
    lib = analysed_library(store)
    hits = store.mentions("Lavrov")
    assert [(h.document_id, h.canonical, h.exact) for h in hits] == [
        (lib["geneva"], "Lavrov", True),
        (lib["moscow"], "Sergei Lavrov", False),
    ]
    moscow = hits[1]
    assert moscow.count == 3
    assert (moscow.first_start, moscow.first_end) == (0, 13)
    assert moscow.context.startswith("Sergei Lavrov spoke")
    assert moscow.context[slice(*moscow.context_mark)] == "Sergei Lavrov"
    assert [h.document_id for h in store.mentions("sergei lavrov")] == [lib["moscow"]]


def test_mentions_ignore_case_and_diacritics_and_filter_by_kind(store: Store):
    lib = analysed_library(store)
    [hit] = store.mentions("GENEVE")
    assert (hit.document_id, hit.kind, hit.canonical) == (lib["geneva"], Kind.PLACE, "Genève")
    assert store.mentions("lavrov & partners")[0].kind is Kind.ORGANIZATION
    assert store.mentions("Lavrov", kind=Kind.ORGANIZATION) == []
    assert [h.document_id for h in store.mentions("Lavrov", kind="person")] == [
        lib["geneva"],
        lib["moscow"],
    ]
    assert store.mentions("Lavrov", kind="people") == store.mentions("Lavrov", kind=Kind.PERSON)
    assert store.mentions("UN", kind="org")[0].canonical == "UN"
    with pytest.raises(ValueError, match="Unknown entity kind"):
        store.mentions("UN", kind="planet")
    assert store.mentions("Partners") == []  # only people are found by their last word
    assert store.mentions("") == store.mentions("  ") == []


def test_mention_context_is_one_line_cut_at_words(store: Store):
    before = "word " * 30
    text = before + "the envoy Claudia Brunner said\n\nthat " + "more " * 30
    doc = make_document(text, path="/ctx")
    store.import_document(doc)
    store.save_analysis(doc.text_hash, "m", [mention(doc.text, "Claudia Brunner")])
    [hit] = store.mentions("brunner")
    assert hit.context.startswith("…word ")
    assert hit.context.endswith("more…")
    assert "\n" not in hit.context
    assert "Brunner said that" in hit.context
    assert hit.context[slice(*hit.context_mark)] == "Claudia Brunner"
    assert len(hit.context) < 60 * 2 + len("Claudia Brunner") + 4


def test_parse_entity_query():
    assert parse_entity_query("person:Lavrov") == (Kind.PERSON, "Lavrov")
    assert parse_entity_query('place:"New York"') == (Kind.PLACE, "New York")
    assert parse_entity_query("org:UN") == (Kind.ORGANIZATION, "UN")
    assert parse_entity_query("Organisation: World Bank ") == (Kind.ORGANIZATION, "World Bank")
    assert parse_entity_query("people:'Sam Whitfield'") == (Kind.PERSON, "Sam Whitfield")
    assert parse_entity_query("other:Aral") == (Kind.OTHER, "Aral")
    assert parse_entity_query("Lavrov") is None
    assert parse_entity_query("person:") is None
    assert parse_entity_query('person:""') is None
    assert parse_entity_query("http://example.org") is None
    assert parse_entity_query("note: something") is None
