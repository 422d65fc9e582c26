"""Cluster benchmark: 2,000 articles cut from War and Peace, imported with their names.

Run from the project root (needs the cluster extra and ../shared/corpus/war_and_peace.txt):

    python tests/benchmarks/bench_cluster.py  [--articles N]

The book is cut into N articles of consecutive paragraphs (about 280 words each), written
to a temporary folder, and imported with analysis into a fresh library by

(a) today's ``reader import --analyse`` (one process: parse and store each file, then
    analyse every new article),
(b) ``reader import --analyse --cluster local:1`` and ``--cluster local:2``,

each as a user runs it (``python -m reader`` in a subprocess, wall time from start to
exit, starting the cluster and loading the model included). For the cluster runs the
steady rate is also printed: files written per second from the 10th to the 90th percent
of the files, which is what each added worker adds once a long import is under way. The baseline
is bare ``nlp.pipe`` over the paragraphs of the same texts in one process, with the same
NER-only pipeline and nothing else (no parsing, no consistency, no library), measured
before and after the imports (the machine is shared) and averaged; ratio is files/s
divided by the baseline's files/s (1.00x = as fast as bare spaCy).

(c) The writer's ceiling, measured apart: the documents and names of run (b) written into
a fresh library by ``Store.import_batch`` in batches of 64 (what the cluster's one writer
does), against one transaction per document (``import_document`` + ``save_analysis``).
That is how many documents per second one library file can take, whatever the cluster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT.parent / "shared" / "corpus" / "war_and_peace.txt"


def line(name: str, value: str, baseline: str = "", ratio: float | None = None) -> None:
    parts = [f"{name:<44} {value:>14}"]
    if baseline:
        parts.append(f"baseline {baseline:>14}")
    if ratio is not None:
        parts.append(f"ratio {ratio:5.2f}x")
    print("  ".join(parts), flush=True)


def cut_book(folder: Path, count: int) -> list[Path]:
    """``count`` articles of consecutive paragraphs, of about the same length each."""
    text = BOOK.read_text(encoding="utf-8-sig")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    folder.mkdir(parents=True)
    files: list[Path] = []
    remaining = sum(len(p) for p in paragraphs)
    start = 0
    for number in range(count):
        target = remaining / (count - number)
        end, size = start, 0
        # At least one paragraph each, and enough left for the articles still to come.
        while end < len(paragraphs) - (count - number - 1) and (size < target or end == start):
            size += len(paragraphs[end])
            end += 1
        if number == count - 1:
            end = len(paragraphs)
        files.append(_write(folder, number, paragraphs[start:end]))
        remaining -= sum(len(p) for p in paragraphs[start:end])
        start = end
    return files


def _write(folder: Path, number: int, paragraphs: list[str]) -> Path:
    path = folder / f"article-{number:04d}.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def reader_command(*args: str, home: Path) -> list[str]:
    return [sys.executable, "-m", "reader", *args, "--data-dir", str(home)]


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("READER_CLUSTER", None)
    return env


def bench_bare(files: list[Path]) -> float:
    """Seconds for bare nlp.pipe over the paragraphs of the texts (model loaded first)."""
    from reader.documents.loader import load_document
    from reader.entities.chunking import paragraph_ranges
    from reader.entities.engine import load_ner_pipeline
    from reader.entities.models import choose_model, installed_models

    nlp = load_ner_pipeline(choose_model("", installed_models()))
    texts = [load_document(path).text for path in files]
    paragraphs = [text[s:e] for text in texts for s, e in paragraph_ranges(text)]
    list(nlp.pipe(paragraphs[:100], batch_size=64))  # warm-up
    started = time.perf_counter()
    for doc in nlp.pipe(paragraphs, batch_size=64):
        _ = doc.ents
    return time.perf_counter() - started


def bench_embedded(folder: Path, home: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        reader_command("import", str(folder), "--analyse", home=home),
        capture_output=True,
        text=True,
        env=environment(),
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"reader import --analyse failed: {result.stderr}")
    return elapsed


def bench_cluster(folder: Path, home: Path, workers: int) -> tuple[float, float, dict[str, Any]]:
    """Wall seconds, steady files/s (10th to 90th percent of the files), the summary."""
    started = time.perf_counter()
    process = subprocess.Popen(
        reader_command(
            "import",
            str(folder),
            "--analyse",
            "--cluster",
            f"local:{workers}",
            "--json",
            home=home,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert process.stdout is not None
    written: list[float] = []  # when each file's line arrived
    summary: dict[str, Any] = {}
    try:
        for raw in process.stdout:
            event = json.loads(raw)
            if event["event"] == "file":
                written.append(time.perf_counter())
            elif event["event"] == "summary":
                summary = event
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"reader import --cluster local:{workers} failed ({summary})")
    # From the 10th to the 90th percent of the files: after the start, before the tail.
    low, high = len(written) // 10, len(written) * 9 // 10
    span = written[high] - written[low]
    steady = (high - low) / span if span > 0 else 0.0
    return elapsed, steady, summary


def bench_writer(source: Path, target: Path) -> tuple[float, float, int, int]:
    """Seconds to write the library at ``source`` again: batches of 64, then one by one."""
    from reader.store import open_store

    with open_store(source) as store:
        key = store.conn.execute("SELECT model_key FROM analysis_cache LIMIT 1").fetchone()[0]
        items = []
        for entry in store.list_documents():
            document = store.get_document(entry.id)
            items.append((document, key, store.load_analysis(document.text_hash, key)))
    mentions = sum(len(m or []) for _, _, m in items)

    with open_store(target / "batched.sqlite3") as store:
        started = time.perf_counter()
        for start in range(0, len(items), 64):
            store.import_batch(items[start : start + 64])
        batched = time.perf_counter() - started
    with open_store(target / "single.sqlite3") as store:
        started = time.perf_counter()
        for document, model_key, found in items:
            store.import_document(document)
            store.save_analysis(document.text_hash, model_key, found or [])
        single = time.perf_counter() - started
    return batched, single, len(items), mentions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()
    if not BOOK.exists():
        print(f"skipped: {BOOK} is not there")
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        print('skipped: the cluster extra is not installed (pip install -e ".[cluster]")')
        return 0
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="reader-bench-cluster-"))
    try:
        folder = work / "articles"
        files = cut_book(folder, args.articles)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
        count = len(files)
        print(
            f"{count:,} articles cut from {BOOK.name}, {words / count:.0f} words each on "
            f"average, {os.cpu_count()} cores",
            flush=True,
        )
        before = count / bench_bare(files)
        line("bare nlp.pipe, one process (baseline)", f"{before:.1f} files/s")

        # The machine is shared: the baseline is measured again after the imports, and
        # their mean is what the imports are compared with.
        rates: list[tuple[str, float]] = []
        embedded = bench_embedded(folder, work / "embedded")
        rates.append(("(a) reader import --analyse (today)", count / embedded))
        steady: dict[int, float] = {}
        for workers in (1, 2):
            elapsed, steady[workers], summary = bench_cluster(
                folder, work / f"cluster-{workers}", workers
            )
            assert summary["totals"]["imported"] == count, summary["totals"]
            rates.append((f"(b) --cluster local:{workers}, wall", count / elapsed))
            rates.append((f"    --cluster local:{workers}, steady", steady[workers]))
        after = count / bench_bare(files)
        line("bare nlp.pipe again, after the imports", f"{after:.1f} files/s")
        bare_rate = (before + after) / 2
        for name, rate in rates:
            line(name, f"{rate:.1f} files/s", f"{bare_rate:.1f} files/s", rate / bare_rate)

        batched, single, documents, mentions = bench_writer(
            work / "cluster-2" / "data" / "library.sqlite3", work
        )
        line(
            "(c) writer, batches of 64",
            f"{documents / batched:.0f} docs/s",
            f"{documents / single:.0f} docs/s",
            (documents / batched) / (documents / single),
        )
        print(
            f"    baseline = one transaction per document; {mentions / batched:,.0f} "
            f"mentions/s stored with them ({mentions / documents:.1f} per document)",
            flush=True,
        )
        per_worker = steady[1]
        scaling = steady[2] / (2 * steady[1]) if steady[1] else 0.0
        ceiling = documents / batched
        print(
            f"projection: about {per_worker:.0f} files/s per worker on a core of its own "
            f"(2 workers on these {os.cpu_count()} shared cores: {scaling:.0%} of twice one); "
            f"the writer takes {ceiling:.0f} documents/s, so one library file is the limit "
            f"from about {ceiling / per_worker:.0f} workers on",
            flush=True,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
