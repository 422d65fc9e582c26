"""Exports: Markdown and CSV to read and sort, JSON-LD out and back in without loss."""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import replace

import pytest

from reader.documents.model import BlockDraft, Metadata, assemble
from reader.notes.anchoring import passage_note
from reader.notes.export import (
    CSV_COLUMNS,
    NotesFormatError,
    from_jsonld,
    to_csv,
    to_jsonld,
    to_markdown,
)
from reader.notes.model import Note

ARTICLE = assemble(
    [
        BlockDraft("title", "Café talks 🎉"),
        BlockDraft("paragraph", "In Genève 🎉 the delegations met; Сергей Лавров spoke first."),
        BlockDraft("paragraph", "He said the talks on the river treaty had been useful."),
    ],
    Metadata(
        title="Café talks 🎉",
        author="Ana Costa",
        date="2024-05-02",
        site_name="The Valley Post",
        source_url="https://example.org/water?x=1&y=2",
    ),
)
OTHER = assemble([BlockDraft("paragraph", "A plain second article.")], Metadata(title="Second"))
DOCUMENTS = {1: ARTICLE, 2: OTHER}
STAMP = "2024-06-01T10:00:00Z"


def passage(note_id: int, words: str, body: str, *tags: str, document: int = 1) -> Note:
    text = DOCUMENTS[document].text
    start = text.index(words)
    note = passage_note(text, document, start, start + len(words), body, tags)
    return replace(note, id=note_id, created=STAMP, modified="2024-06-02T08:30:00Z")


def sample_notes() -> list[Note]:
    return [
        passage(3, "river treaty had been useful", "Check with the ministry.", "water", "treaty"),
        passage(2, "Сергей Лавров", "Name in Cyrillic — 🎉 after an emoji.", "people"),
        Note(
            4,
            "document",
            1,
            "Whole article: a summary\nover two lines.",
            ("summary",),
            created=STAMP,
            modified=STAMP,
        ),
        replace(passage(5, "delegations met", "Lost after an edit."), orphaned=True),
        Note(
            6,
            "entity",
            None,
            "Foreign minister since 2004.",
            ("people",),
            entity_kind="person",
            entity_canonical="Sergei Lavrov: the minister",
            created=STAMP,
            modified=STAMP,
        ),
        passage(7, "plain second", "On the other article.", document=2),
    ]


def test_markdown_groups_by_article_in_text_order():
    text = to_markdown(sample_notes(), DOCUMENTS)
    assert text.startswith("# Notes\n")
    assert (
        text.index("## Café talks 🎉")
        < text.index("## Second")
        < text.index("## People, places and organisations")
    )
    first = text.index("### On the whole article")
    assert first < text.index("> Сергей Лавров") < text.index("> river treaty had been useful")
    assert text.index("> river treaty") < text.index("### Orphaned note")
    assert "Ana Costa · 2024-05-02 · The Valley Post · <https://example.org/water?x=1&y=2>" in text
    assert f"Text: `sha256:{ARTICLE.text_hash}`" in text
    assert "### Paragraph 2" in text
    assert (
        "> — Ana Costa, Café talks 🎉, The Valley Post, 2024-05-02, paragraph 2, "
        f"https://example.org/water?x=1&y=2, sha256:{ARTICLE.text_hash[:8]}"
    ) in text
    assert "*Tags: #water, #treaty · written 2024-06-01T10:00:00Z · edited" in text
    assert "### Sergei Lavrov: the minister (person)\n\nForeign minister since 2004." in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_csv_has_one_row_per_note_with_the_agreed_columns():
    rows = list(csv.reader(io.StringIO(to_csv(sample_notes(), DOCUMENTS))))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["id"] for r in records] == ["4", "2", "3", "5", "7", "6"]
    treaty = records[2]
    assert treaty["kind"] == "passage"
    assert treaty["document_title"] == "Café talks 🎉"
    assert treaty["source_url"] == "https://example.org/water?x=1&y=2"
    assert treaty["text_sha256"] == ARTICLE.text_hash
    assert treaty["location"] == "paragraph 2"
    assert treaty["tags"] == "water; treaty"
    assert treaty["orphaned"] == "no"
    assert records[0]["note"] == "Whole article: a summary\nover two lines."
    assert records[0]["location"] == "whole article"
    assert records[3]["orphaned"] == "yes" and "no longer found" in records[3]["location"]
    assert records[5]["entity"] == "person: Sergei Lavrov: the minister"
    assert records[5]["document_title"] == ""


def test_jsonld_follows_the_web_annotation_model():
    data = to_jsonld(sample_notes(), DOCUMENTS)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 6
    assert "code points" in data["label"]
    treaty = data["items"][0]
    assert treaty["id"] == "urn:reader:note:3"
    assert treaty["type"] == "Annotation" and treaty["motivation"] == "commenting"
    assert treaty["body"][0] == {
        "type": "TextualBody",
        "value": "Check with the ministry.",
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert treaty["body"][1:] == [
        {"type": "TextualBody", "value": "water", "purpose": "tagging"},
        {"type": "TextualBody", "value": "treaty", "purpose": "tagging"},
    ]
    target = treaty["target"]
    assert target["source"] == f"urn:sha256:{ARTICLE.text_hash}"
    assert target["scope"] == "https://example.org/water?x=1&y=2"
    quote_selector, position = target["selector"]
    assert quote_selector["type"] == "TextQuoteSelector"
    assert quote_selector["exact"] == "river treaty had been useful"
    assert ARTICLE.text[position["start"] : position["end"]] == quote_selector["exact"]
    # Code points: the emoji before the Cyrillic name counts as one.
    cyrillic = data["items"][1]["target"]["selector"][1]
    assert cyrillic["start"] == ARTICLE.text.index("Сергей")
    assert (
        ARTICLE.text.encode("utf-16-le").find("Сергей".encode("utf-16-le")) // 2
        != cyrillic["start"]
    )
    document_note, orphan, entity = data["items"][2:5]
    assert document_note["target"] == {
        "source": f"urn:sha256:{ARTICLE.text_hash}",
        "scope": "https://example.org/water?x=1&y=2",
    }
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    name = "Sergei%20Lavrov%3A%20the%20minister"
    assert entity["target"] == {"source": f"urn:reader:entity:person:{name}"}
    assert "scope" not in data["items"][5]["target"]  # no source URL known
    json.dumps(data)  # plain JSON types only


def round_trip(notes: list[Note]) -> tuple[dict, dict]:
    data = to_jsonld(notes, DOCUMENTS)
    text = json.dumps(data, ensure_ascii=False)
    imported = from_jsonld(json.loads(text))
    ids = {d.text_hash: i for i, d in DOCUMENTS.items()}
    again = [replace(item.note, document_id=ids.get(item.text_hash)) for item in imported]
    return data, to_jsonld(again, DOCUMENTS)


def test_jsonld_round_trip_is_lossless():
    data, again = round_trip(sample_notes())
    assert again == data


def test_imported_notes_carry_what_the_store_needs():
    imported = from_jsonld(to_jsonld(sample_notes(), DOCUMENTS))
    treaty = imported[0]
    assert treaty.text_hash == ARTICLE.text_hash
    assert treaty.source_url == "https://example.org/water?x=1&y=2"
    assert treaty.annotation_id == "urn:reader:note:3"
    assert treaty.note.id == 3 and treaty.note.document_id is None
    assert treaty.note.tags == ("water", "treaty")
    assert imported[3].note.orphaned and imported[3].note.start is None
    entity = imported[4].note
    assert (entity.kind, entity.entity_kind, entity.entity_canonical) == (
        "entity",
        "person",
        "Sergei Lavrov: the minister",
    )


def test_another_tools_annotation_is_accepted():
    """A hypothes.is-like annotation: one object, a string body, extra selectors."""
    data = {
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"extra": "http://example.org/"}],
        "id": "https://example.org/anno/17",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Interesting"},
        "target": {
            "source": f"urn:sha256:{ARTICLE.text_hash}",
            "selector": [
                {"type": "RangeSelector", "startSelector": {}, "endSelector": {}},
                {"type": "TextQuoteSelector", "exact": "delegations met"},
            ],
        },
    }
    [item] = from_jsonld(data)
    assert item.note.id is None and item.note.body == "Interesting"
    assert item.note.quote == "delegations met" and item.note.start is None


def good_file() -> dict:
    return to_jsonld(sample_notes(), DOCUMENTS)


def broken(path: str, value: object) -> dict:
    data = copy.deepcopy(good_file())
    *parents, last = path.split("/")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is KeyError:
        del node[int(last) if isinstance(node, list) else last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a JSON object"),
        ({"items": []}, "no @context"),
        (broken("type", "Thing"), "neither an AnnotationCollection"),
        (broken("items", {}), "no list of annotations"),
        (broken("items/0", "x"), "item 1: is not a JSON object"),
        (broken("items/1/type", "Note"), "item 2: type is not Annotation"),
        (
            broken("items/0/target/selector/0", {"type": "XPathSelector"}),
            "item 1: target has no TextQuoteSelector",
        ),
        (broken("items/2/target", KeyError), "item 3: has no target"),
        (broken("items/0/target/source", "https://example.org"), "item 1: target source"),
        (broken("items/0/target/source", "urn:sha256:abc"), "urn:sha256:<64 hex digits>"),
        (broken("items/0/target/selector/1/end", 3), "..3 is not a passage"),
        (broken("items/0/target/selector/1/end", "x"), "not whole numbers"),
        (
            broken("items/0/target/selector/1/start", 18),
            "characters but the quote has 28; offsets must count Unicode code points",
        ),
        (broken("items/0/target/selector/0/exact", ""), "no exact quote"),
        (broken("items/1/created", "yesterday"), "item 2: created 'yesterday' is not an ISO"),
        (broken("items/1/body/0/value", 5), "item 2: body is not a TextualBody"),
        (broken("items/4/target/source", "urn:reader:entity:robot:R2"), "item 5: “robot”"),
        (broken("items/4/target/source", "urn:reader:entity:person:"), "without a name"),
        (broken("items/5/target", [{}, {}]), "item 6: has more than one target"),
    ],
)
def test_malformed_jsonld_names_the_first_problem(data: object, message: str):
    with pytest.raises(NotesFormatError) as caught:
        from_jsonld(data)
    assert message in str(caught.value)
    assert "Nothing was imported" in str(caught.value)


def test_the_first_problem_is_the_one_reported():
    data = broken("items/3/type", "Note")
    data["items"][5]["type"] = "Note"
    with pytest.raises(NotesFormatError, match="item 4: ") as caught:
        from_jsonld(data)
    assert caught.value.item == 4
