"""Store figures, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_store.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.store import open_store
from tests.unit.store.conftest import make_document
from tests.unit.store.test_cache import synthetic_mentions


def timed(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def book(words: int = 460_000) -> tuple[Document, list[Mention]]:
    """A ~3.2 MB text with ~65,000 mentions of ~2,000 distinct names."""
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]
    names = [(f"Firstname{i} Surname{i}", Kind.PERSON) for i in range(1200)]
    names += [(f"Town{i}", Kind.PLACE) for i in range(600)]
    names += [(f"Company{i} Ltd", Kind.ORGANIZATION) for i in range(200)]
    paragraphs, mentions, offset = [], [], 0
    while sum(len(p.split()) for p in paragraphs) < words:
        parts = []
        length = 0
        for _ in range(120):
            if rng.random() < 0.14:
                canonical, kind = rng.choice(names)
                surface = canonical.split()[-1] if rng.random() < 0.5 else canonical
                start = offset + length
                mentions.append(Mention(start, start + len(surface), kind, "X", surface, canonical))
                token = surface
            else:
                token = rng.choice(vocabulary)
            parts.append(token)
            length += len(token) + 1
        paragraph = " ".join(parts)
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2
    return make_document(*paragraphs, title="Book", path="/book.txt"), mentions


def article(seed: int, words: int = 600) -> Document:
    """~600 words drawn from a 20,000-word vocabulary (Zipf-like), with a few fixed terms."""
    rng = random.Random(seed)
    fixed = ["reservoir", "river", "treaty", "monitoring", "station", "delegation"]
    tokens = [
        rng.choice(fixed) if rng.random() < 0.01 else f"t{int(rng.paretovariate(1.1)) % 20000}"
        for _ in range(words)
    ]
    paragraphs = [" ".join(tokens[i : i + 80]) for i in range(0, words, 80)]
    return make_document(*paragraphs, title=f"Article {seed}", path=f"/articles/{seed}.txt")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "library.sqlite3"
        with open_store(db) as store:
            mentions = synthetic_mentions(100_000)
            store.save_analysis("f" * 64, "m", mentions)
            load = timed(lambda: store.load_analysis("f" * 64, "m"))
            print(f"load_analysis, 100,000 synthetic mentions: {load * 1000:.0f} ms")

            doc, book_mentions = book()
            started = time.perf_counter()
            store.import_document(doc)
            print(
                f"import of a {len(doc.text) / 1e6:.1f} MB book: "
                f"{(time.perf_counter() - started) * 1000:.0f} ms"
            )
            started = time.perf_counter()
            store.save_analysis(doc.text_hash, "m", book_mentions)
            save = time.perf_counter() - started
            size = store.conn.execute(
                "SELECT length(data) FROM analysis_cache WHERE text_hash = ?", (doc.text_hash,)
            ).fetchone()[0]
            load = timed(lambda: store.load_analysis(doc.text_hash, "m"))
            book_id = store.find_by_text_hash(doc.text_hash)
            assert book_id is not None
            get = timed(lambda: store.get_document(book_id))
            print(
                f"book, {len(book_mentions):,} mentions: save {save * 1000:.0f} ms, "
                f"blob {size / 1024:.0f} KiB, load {load * 1000:.0f} ms; "
                f"get_document {get * 1000:.0f} ms"
            )

            docs = [article(seed) for seed in range(1000)]
            started = time.perf_counter()
            for d in docs:
                store.import_document(d)
            elapsed = time.perf_counter() - started
            print(
                f"import 1,000 documents of ~600 words: {elapsed:.2f} s "
                f"({1000 / elapsed:.0f} documents/s)"
            )

            queries = ["reservoir", "river treaty", '"monitoring station"', "delega*", "zanzibar"]
            for query in queries:
                hits = store.search(query)
                latency = timed(lambda q=query: store.search(q))
                print(f"search {query!r}: {len(hits)} hits, {latency * 1000:.1f} ms")
            latency = timed(lambda: store.search("w12"))  # matches the book
            print(f"search hitting the book: {latency * 1000:.1f} ms")
            latency = timed(lambda: store.mentions("Surname7"))
            print(f"mentions('Surname7'): {latency * 1000:.1f} ms")
            latency = timed(store.list_documents)
            print(f"list_documents (1,001 entries): {latency * 1000:.1f} ms")
        started = time.perf_counter()
        open_store(db).close()
        print(
            f"reopen with quick_check, {db.stat().st_size / 1e6:.0f} MB file: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
