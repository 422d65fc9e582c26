"""Correction figures, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_corrections.py

A library of 1,000 analysed articles (~800 words and ~110 mentions each, stored in the
analysis cache's format) gets correction rules applied on top, without spaCy. The goal of
issue 13: one rule across the whole library in at most 5 s, one article in a few ms. The
baseline is decoding the cached analyses, which any use of them pays anyway.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.entities.corrections import Rule, RuleSet, make_rule
from reader.entities.kinds import Kind
from reader.entities.spans import Mention, group_entities
from reader.store.cache import decode_mentions, encode_mentions

ARTICLES = 1_000


def library(articles: int = ARTICLES) -> list[tuple[str, bytes]]:
    """``articles`` texts with their cached analyses, names drawn from a shared pool."""
    rng = random.Random(13)
    words = [f"word{i}" for i in range(3_000)]
    people = [(f"Given{i} Family{i}", f"Family{i}") for i in range(400)]
    places = [f"Town{i}" for i in range(300)]
    organizations = [f"Agency{i}" for i in range(150)]
    result = []
    for _ in range(articles):
        parts: list[str] = []
        mentions: list[Mention] = []
        offset = 0
        for _ in range(800):
            roll = rng.random()
            if roll < 0.06:
                full, surname = rng.choice(people)
                surface = surname if rng.random() < 0.5 else full
                label, kind, canonical = "PERSON", Kind.PERSON, full
            elif roll < 0.11:
                surface = canonical = rng.choice(places)
                label, kind = (
                    ("GPE", Kind.PLACE) if rng.random() < 0.8 else ("ORG", Kind.ORGANIZATION)
                )
            elif roll < 0.14:
                surface = canonical = rng.choice(organizations)
                label, kind = "ORG", Kind.ORGANIZATION
            else:
                parts.append(rng.choice(words))
                offset += len(parts[-1]) + 1
                continue
            mentions.append(Mention(offset, offset + len(surface), kind, label, surface, canonical))
            parts.append(surface)
            offset += len(surface) + 1
        result.append((" ".join(parts), encode_mentions(mentions)))
    return result


def run(items: list[tuple[str, bytes]], rules: list[Rule] | None) -> float:
    """Seconds to decode every article and (with rules) correct and regroup it."""
    compiled = RuleSet(rules) if rules is not None else None
    started = time.perf_counter()
    for text, blob in items:
        mentions = decode_mentions(blob)
        if compiled is not None:
            group_entities(compiled.apply(mentions, text).mentions)
    return time.perf_counter() - started


def best(items: list[tuple[str, bytes]], rules: list[Rule] | None, repeat: int = 3) -> float:
    return min(run(items, rules) for _ in range(repeat))


def main() -> None:
    items = library()
    mentions = sum(len(decode_mentions(blob)) for _, blob in items)
    print(f"library: {len(items):,} articles, {mentions:,} cached mentions")
    baseline = best(items, None)
    print(f"decode only (baseline):                 {baseline:6.2f} s")
    cases = {
        "one kind rule": [make_rule("kind", "Town7", kind="organization", rule_id=1)],
        "one alias rule": [make_rule("same-as", "Family3", target="Given3 Family3", rule_id=1)],
        "one add rule (scans every text)": [
            make_rule("add", "word17", kind="organization", rule_id=1)
        ],
        "50 mixed rules": [
            make_rule(action, form, rule_id=i, **extra)  # type: ignore[arg-type]
            for i, (action, form, extra) in enumerate(
                [("not-a-name", f"Town{i}", {}) for i in range(15)]
                + [("kind", f"Agency{i}", {"kind": "place"}) for i in range(15)]
                + [("same-as", f"Family{i}", {"target": f"Given{i} Family{i}"}) for i in range(15)]
                + [("add", f"word{i}", {"kind": "person"}) for i in range(5)],
                start=1,
            )
        ],
    }
    for name, rules in cases.items():
        seconds = best(items, rules)
        per_article = 1000 * seconds / len(items)
        print(
            f"{name + ':':40s}{seconds:6.2f} s  ({per_article:.2f} ms an article,"
            f" {seconds / baseline:.1f}x decoding; goal <= 5 s)"
        )
    text, blob = items[0]
    single = RuleSet(cases["50 mixed rules"])
    started = time.perf_counter()
    for _ in range(100):
        single.apply(decode_mentions(blob), text)
    print(f"one article, 50 rules:                  {10 * (time.perf_counter() - started):.2f} ms")


if __name__ == "__main__":
    main()
