"""Notes figures, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_notes.py

Re-anchoring 1,000 notes on War and Peace (3.2 MB) after three kinds of change, against a
baseline measured in the same run (a naive ``new_text.find(quote)`` per note, which is
what anchoring costs at the very least without the edit mapping); goal: at most 1 s.
Then the cost of a durable note write (``synchronous=FULL``).
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.documents.loader import load_document
from reader.notes.anchoring import Selector, passage_note, reanchor, selector_for
from reader.store import open_store
from tests.unit.store.conftest import generated_document

BOOK = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "war_and_peace.txt"
NOTES = 1000
GOAL_SECONDS = 1.0


def timed(function, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def selectors_for(text: str, rng: random.Random) -> list[Selector]:
    """Quotes of 3 to 25 words starting at random word boundaries."""
    starts = [m.start() for m in re.finditer(r"(?<=\s)\w", text)]
    selectors = []
    for start in rng.sample(starts, NOTES):
        words = list(re.finditer(r"\S+", text[start : start + 400]))
        count = min(len(words), rng.randint(3, 25))
        end = start + words[count - 1].end()
        selectors.append(selector_for(text, start, end))
    return selectors


def insertion_near_start(text: str) -> str:
    at = text.index("\n\n", 2000) + 2
    paragraph = "An editor's note was added here, a paragraph long. " * 8
    return text[:at] + paragraph.strip() + "\n\n" + text[at:]


def scattered_edits(text: str, rng: random.Random, count: int = 50) -> str:
    """Replace, insert or delete a word at ``count`` random places."""
    for _ in range(count):
        words = list(re.finditer(r"\w+", text[(at := rng.randrange(len(text) - 200)) :][:200]))
        if not words:
            continue
        word = words[0]
        start, end = at + word.start(), at + word.end()
        replacement = rng.choice(["changed", "", f"{word.group()} inserted"])
        text = text[:start] + replacement + text[end:]
    return text


def reextracted(text: str) -> str:
    """Another extractor: single newlines between paragraphs, lines wrapped at ~72."""
    paragraphs = text.split("\n\n")
    wrapped = [re.sub(r"(.{60,72}?) ", "\\1\n", p) for p in paragraphs]
    return "\n".join(wrapped)


def noted_passages_changed(text: str, selectors: list[Selector], count: int = 20) -> str:
    """A word changed in ``count`` noted quotes, and ``count`` other noted quotes deleted."""
    chosen = sorted(selectors[: 2 * count], key=lambda s: s.start or 0, reverse=True)
    for n, sel in enumerate(chosen):
        assert sel.start is not None and sel.end is not None
        if n % 2:
            text = text[: sel.start] + text[sel.end :]
        else:
            words = list(re.finditer(r"\w{3,}", sel.exact))
            word = words[len(words) // 2] if words else None
            if word is not None:
                at = sel.start + word.start()
                text = text[:at] + "altered" + text[sel.start + word.end() :]
    return text


def report_reanchoring(text: str, selectors: list[Selector]) -> None:
    rng = random.Random(2)
    cases = [
        ("(a) paragraph inserted near the start", insertion_near_start(text)),
        ("(b) 50 scattered word edits", scattered_edits(text, rng)),
        ("(c) re-extracted: other line breaks", reextracted(text)),
        ("(d) 20 quotes edited, 20 deleted", noted_passages_changed(text, selectors)),
    ]
    quotes = [s.exact for s in selectors]
    print(f"Re-anchoring {len(selectors)} notes on a {len(text):,}-character book")
    print(
        f"{'case':<38} {'baseline':>9} {'reanchor':>9} {'no old':>9} {'speed-up':>8} "
        f"{'placed':>6} {'intact':>6}"
    )
    for name, new in cases:
        baseline, _ = timed(lambda new=new: [new.find(q) for q in quotes])
        with_old, spans = timed(lambda new=new: reanchor(text, new, selectors))
        without_old, spans_without = timed(lambda new=new: reanchor(None, new, selectors))
        assert spans == spans_without, "with and without the old text disagree"
        placed = [span for span in spans if span is not None]  # type: ignore[union-attr]
        # Placed on the very words of the quote (white space aside), not merely similar ones.
        intact = sum(
            " ".join(new[a:b].split()) == " ".join(q.split())
            for q, span in zip(quotes, spans, strict=True)  # type: ignore[arg-type]
            if span is not None
            for a, b in [span]
        )
        verdict = "ok" if max(with_old, without_old) <= GOAL_SECONDS else "SLOW"
        print(
            f"{name:<38} {baseline:>8.3f}s {with_old:>8.3f}s {without_old:>8.3f}s "
            f"{baseline / with_old:>7.0f}x {len(placed):>6} {intact:>6} {verdict}"
        )
    print(
        f"goal: <= {GOAL_SECONDS:.1f} s. baseline: new_text.find(quote) per note; no old: "
        "reanchor without the old text (stored positions only); intact: the placed span "
        "holds the quote's words (the others were edited and found fuzzily)"
    )


def report_writes(text_doc, rng: random.Random) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "library.sqlite3")
        try:
            for label, document in (("small article", generated_document(1)), ("book", text_doc)):
                document_id = store.import_document(document).document_id
                starts = [rng.randrange(len(document.text) - 100) for _ in range(200)]
                started = time.perf_counter()
                for start in starts:
                    note = passage_note(document.text, document_id, start, start + 40, "body")
                    store.add_note(note)
                elapsed = time.perf_counter() - started
                per = elapsed / len(starts) * 1000
                print(
                    f"add_note (synchronous=FULL) on the {label}: {per:.2f} ms each, "
                    f"{len(starts) / elapsed:.0f} notes/s"
                )
            conn = store.conn
            conn.execute("PRAGMA synchronous = NORMAL")
            started = time.perf_counter()
            for i in range(200):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO notes (kind, document_id, body, created, modified)"
                    " VALUES ('document', 1, ?, 'x', 'x')",
                    (f"n{i}",),
                )
                conn.execute("COMMIT")
            normal = (time.perf_counter() - started) / 200 * 1000
            conn.execute("PRAGMA synchronous = FULL")
            started = time.perf_counter()
            for i in range(200):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO notes (kind, document_id, body, created, modified)"
                    " VALUES ('document', 1, ?, 'x', 'x')",
                    (f"f{i}",),
                )
                conn.execute("COMMIT")
            full = (time.perf_counter() - started) / 200 * 1000
            conn.execute("PRAGMA synchronous = NORMAL")
            print(
                f"bare insert+commit: NORMAL {normal:.2f} ms, FULL {full:.2f} ms "
                f"({full / normal:.1f}x: the fsync)"
            )
        finally:
            store.close()


def main() -> None:
    if not BOOK.is_file():
        print(f"skipped: {BOOK} is not there")
        return
    document = load_document(BOOK)
    rng = random.Random(1)
    report_reanchoring(document.text, selectors_for(document.text, rng))
    print()
    report_writes(document, rng)


if __name__ == "__main__":
    main()
