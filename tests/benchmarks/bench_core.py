"""Reader core benchmark: launch, a 2,000-word article, War and Peace, scrolling, find, quit.

Run from the project root:

    python tests/benchmarks/bench_core.py [--skip-displacy] [--only CASE ...]
                                          [--before OTHER_TREE] [--no-load]

Every case runs in a process of its own with a fresh data folder, so every analysis is
cold; reopening from the library's cache is a line of its own. Figures are printed with a
baseline measured in the same run on the same machine: bare spaCy (the same NER-only
pipeline, nlp.pipe over the same paragraphs), a bare PySide6 window, and the script a
researcher would write (full pipeline + displacy.render). With ``--before DIR`` (another
checkout, e.g. ``git worktree add /tmp/before main``) every case also runs against that
tree, interleaved, and its figure is printed in a "before" column. The book cases are
skipped when ../shared/corpus/war_and_peace.txt is absent; "under load" runs the book
again beside a second process busy on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "core_cases.py"
SAMPLE = ROOT / "resources" / "samples" / "summit-in-geneva.md"
BOOK = ROOT.parent / "shared" / "corpus" / "war_and_peace.txt"
NER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
ALL = ("launch", "article", "book", "load", "interactive", "quit")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))


def line(name: str, value: str, before: str = "", baseline: str = "", ratio=None, goal=""):
    parts = [f"{name:<44} {value:>10}"]
    if before:
        parts.append(f"before {before:>10}")
    if baseline:
        parts.append(f"baseline {baseline:>9}")
    if ratio is not None:
        parts.append(f"ratio {ratio:5.2f}x")
    if goal:
        parts.append(f"(goal {goal})")
    print("  ".join(parts), flush=True)


def run_case(name: str, tree: Path, argument: str = "", timeout: float = 2400) -> dict:
    """One case in a fresh process against ``tree``; its RESULT (or QUIT) figures."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("READER_HOME", None)
    began = time.time()
    process = subprocess.Popen(
        [sys.executable, str(CASES), name, str(tree), argument],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tree,
        env=env,
    )
    figures: dict = {}
    children: list[int] = []
    assert process.stdout is not None
    for row in process.stdout:
        kind, _, payload = row.partition(" ")
        if kind in ("RESULT", "QUIT"):
            figures.update(json.loads(payload))
        elif kind == "CHILDREN":
            children = json.loads(payload)
    process.wait(timeout)
    figures["exited"] = time.time()
    figures["now"] = [_name(pid) for pid in children if _alive(pid)]
    time.sleep(0.5)  # an orphan winding down (multiprocessing's resource tracker) goes now
    figures["left"] = [_name(pid) for pid in children if _alive(pid)]
    figures["wall"] = figures["exited"] - began
    return figures


def _name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = b" ".join(words).decode(errors="replace")
    return "resource tracker" if "resource_tracker" in text else "engine or other"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def both(name: str, before: Path | None, argument: str = "") -> tuple[dict, dict | None]:
    """The case against this tree and, when asked, against the other one."""
    old = run_case(name, before, argument) if before is not None else None
    new = run_case(name, ROOT, argument)
    return new, old


# -- launch --------------------------------------------------------------------------------

LAUNCH_CHILD = textwrap.dedent(
    """
    import os, sys, tempfile, time
    t0 = float(sys.argv[1])
    os.environ["READER_HOME"] = tempfile.mkdtemp(prefix="reader-bench-launch-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    def check():
        for widget in app.topLevelWidgets():
            if widget.isVisible() and type(widget).__name__ in ("MainWindow", "QWidget"):
                print(f"{time.time() - t0:.4f}", flush=True)
                os._exit(0)
        QTimer.singleShot(1, check)
    QTimer.singleShot(0, check)
    if sys.argv[2] == "bare":
        from PySide6.QtWidgets import QWidget
        w = QWidget(); w.resize(1200, 800); w.show(); app.exec()
    else:
        from reader.cli import main
        main([sys.argv[3]])
    """
)


def launch_time(mode: str, tree: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH_CHILD, repr(time.time()), mode, str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tree,
        env=dict(os.environ, PYTHONPATH=str(tree)),
    )
    return float(out.stdout.strip().splitlines()[-1])


def bench_launch(before: Path | None) -> None:
    launch_time("reader", ROOT)  # warm the file cache once
    bare = min(launch_time("bare", ROOT) for _ in range(3))
    new = min(launch_time("reader", ROOT) for _ in range(3))
    old = min(launch_time("reader", before) for _ in range(3)) if before else None
    line(
        "launch to visible window",
        f"{new:.3f} s",
        _s(old, 3),
        f"{bare:.3f} s",
        new / bare,
        "<= 1 s",
    )


# -- bare spaCy baselines ------------------------------------------------------------------------


def bare_ner_seconds(nlp, text: str) -> float:
    from reader.entities.chunking import paragraph_ranges

    paragraphs = [text[s:e] for s, e in paragraph_ranges(text)]
    start = time.perf_counter()
    with nlp.memory_zone():
        for doc in nlp.pipe(paragraphs, batch_size=64):
            _ = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return time.perf_counter() - start


def displacy_seconds(text: str, model: str) -> float:
    """The usual script: full pipeline, then displacy.render of each paragraph."""
    import spacy
    from spacy import displacy

    from reader.entities.chunking import paragraph_ranges

    start = time.perf_counter()
    nlp = spacy.load(model)
    paragraphs = [text[s:e] for s, e in paragraph_ranges(text)]
    html = [displacy.render(doc, style="ent", page=False) for doc in nlp.pipe(paragraphs)]
    assert html
    return time.perf_counter() - start


def make_articles(folder: Path, words: int, count: int) -> list[Path]:
    """``count`` different articles of about ``words`` words from the sample's paragraphs
    (each begins elsewhere in them, so each is a new text to the library)."""
    from reader.documents.loader import load_document

    document = load_document(SAMPLE)
    paragraphs = [document.block_text(b) for b in document.blocks if b.kind == "paragraph"]
    paths = []
    for n in range(count):
        out = [f"# A long report on the water talks, part {n + 1}", ""]
        total, i = 0, n
        while total < words:
            paragraph = paragraphs[i % len(paragraphs)]
            out += [paragraph, ""]
            total += len(paragraph.split())
            i += 1
        path = folder / f"article-{n + 1}.md"
        path.write_text("\n".join(out), encoding="utf-8")
        paths.append(path)
    return paths


def _s(value, digits: int = 3, unit: str = " s") -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


def _ms(value) -> str:
    return "" if value is None else f"{value * 1000:.0f} ms"


# -- the cases ------------------------------------------------------------------------------------


def bench_article(before: Path | None, nlp) -> None:
    from reader.documents.loader import load_document

    folder = Path(tempfile.mkdtemp(prefix="reader-bench-articles-"))
    articles = make_articles(folder, 2000, 3)
    texts = [load_document(p).text for p in articles]
    bare_ner_seconds(nlp, texts[0])  # warm-up
    bare = min(bare_ner_seconds(nlp, text) for text in texts)
    new, old = both("article", before, str(folder))
    words = len(texts[0].split())
    line(
        f"{words}-word article, cold analysis, highlighted",
        _s(new["cold"]),
        _s(old and old["cold"]),
        f"{bare:.3f} s",
        new["cold"] / bare,
        "<= 0.5 s",
    )
    line(
        "  the same, reopened from the library's cache",
        _s(new["cached"]),
        _s(old and old["cached"]),
        goal="<= 0.1 s",
    )


def bench_book(before: Path | None, nlp, skip_displacy: bool, idle: bool, load: bool) -> None:
    from reader.documents.loader import load_document
    from reader.entities.models import choose_model, installed_models

    book_text = load_document(BOOK).text
    bare = bare_ner_seconds(nlp, book_text)
    reader_total = None
    if idle:
        new, old = both("book", before)
        _book_lines("book", new, old, bare)
        reader_total = new["total"]
    if load:
        busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            new, old = both("book", before)
        finally:
            busy.send_signal(signal.SIGKILL)
            busy.wait()
        _book_lines("book under load", new, old, bare, under_load=True)
    if not skip_displacy and reader_total is not None:
        script = displacy_seconds(book_text, choose_model("", installed_models()))
        line(
            "book: full pipeline + displacy.render script",
            f"{script:.1f} s",
            "",
            f"{reader_total:.1f} s",
            script / reader_total,
        )
        print("    (ratio here = the usual script's time / the reader's time)")


def _book_lines(label: str, new: dict, old: dict | None, bare: float, under_load=False):
    line(
        f"{label}: first screen highlighted",
        _s(new["first"]),
        _s(old and old["first"]),
        goal="<= 1 s",
    )
    line(
        f"{label}: whole book analysed and highlighted",
        _s(new["total"], 1),
        _s(old and old["total"], 1),
        f"{bare:.1f} s",
        new["total"] / bare,
        "<= 1.0x bare nlp.pipe" if not under_load else "",
    )
    print(
        f"    worker: {new['worker']:.1f} s to the final consistent set; {new['mentions']} mentions"
    )
    line(
        f"{label}: longest GUI event-loop block",
        _ms(new["gap"]),
        _ms(old and old["gap"]),
        goal="<= 50 ms",
    )
    print(
        f"    it began {new['gap_at']:.1f} s after opening"
        + (f" (before: {old['gap_at']:.1f} s)" if old else "")
    )
    if not under_load:
        line(
            f"{label}: peak memory, GUI + engine processes",
            f"{new['peak'] / 2**30:.2f} GB",
            f"{old['peak'] / 2**30:.2f} GB" if old else "",
            goal="<= 1.5 GB",
        )


def bench_interactive(before: Path | None) -> None:
    new, old = both("interactive", before)
    for index, target in enumerate((25, 50, 75)):
        line(
            f"book: scroll to {target}% to highlighted screen",
            _s(new["scrolls"][index], 2),
            _s(old and old["scrolls"][index], 2),
            goal="<= 1 s",
        )
    print(f"    while the rest is analysed (progress {new['progress']}% after the scrolls)")
    line("book: Ctrl+F to the find bar shown", _ms(new["bar_shown"]), _ms(old and old["bar_shown"]))
    line(
        f"book: find '{new['typed']}', longest key latency",
        _ms(max(new["keys"])),
        _ms(old and max(old["keys"])),
        goal="<= 50 ms",
    )
    line(
        "  the mean per key",
        _ms(statistics.mean(new["keys"])),
        _ms(old and statistics.mean(old["keys"])),
    )
    line(
        "  matches shown after the last key",
        _ms(new["matches_after"]),
        _ms(old and old["matches_after"]),
    )
    print(
        f"    {new['matches']} matches; per key (ms): "
        + ", ".join(f"{k * 1000:.0f}" for k in new["keys"])
        + (f"; before: {', '.join(f'{k * 1000:.0f}' for k in old['keys'])}" if old else "")
    )


def bench_quit(before: Path | None) -> None:
    new, old = both("quit", before)

    def hidden(f):
        return f["hidden"] - f["quit"] if f and f.get("hidden") else None

    def exited(f):
        return f["exited"] - f["quit"] if f and f.get("quit") else None

    line(
        "quit (Ctrl+Q) to window gone, book analysing",
        _s(hidden(new), 3),
        _s(hidden(old), 3),
        goal="<= 0.5 s",
    )
    line("  to process exit, children stopped", _s(exited(new), 2), _s(exited(old), 2))
    print(
        f"    child processes alive at exit: {new['now'] or 'none'}, 0.5 s later: "
        f"{new['left'] or 'none'}"
        + (f" (before: {old['now'] or 'none'}, {old['left'] or 'none'})" if old else "")
        + f"; exit status {new.get('code')}"
    )
    if old and old.get("menu"):
        print("    (before: File > Quit; its Ctrl+Q was the platform's Quit key, none offscreen)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-displacy", action="store_true", help="skip the slow script")
    parser.add_argument("--only", nargs="*", choices=ALL, help="run these cases only")
    parser.add_argument("--before", type=Path, help="another checkout, measured alongside")
    parser.add_argument("--no-load", action="store_true", help="skip the book under load")
    args = parser.parse_args()
    cases = set(args.only or ALL)
    before = args.before.resolve() if args.before else None
    print(
        f"reader core benchmark, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
        + (f"; before = {before}" if before else ""),
        flush=True,
    )
    if "launch" in cases:
        bench_launch(before)
    import spacy

    from reader.entities.models import choose_model, installed_models

    nlp = spacy.load(choose_model("", installed_models()), exclude=NER_ONLY_EXCLUDE)
    if "article" in cases:
        bench_article(before, nlp)
    if not BOOK.exists():
        print("War and Peace cases skipped: ../shared/corpus/war_and_peace.txt is absent.")
        return
    if cases & {"book", "load"}:
        load = "load" in cases and not args.no_load
        bench_book(before, nlp, args.skip_displacy, "book" in cases, load)
    if "interactive" in cases:
        bench_interactive(before)
    if "quit" in cases:
        bench_quit(before)


if __name__ == "__main__":
    main()
