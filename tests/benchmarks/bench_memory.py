"""Peak memory of the commands on big texts, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_memory.py [--sizes 10,50,150]

Budget (issue 11): peak memory at most 10 x the text's size, plus the model. For each size
(MB) and shape (long paragraphs of 80-200 words; very short ones of 2-5 words, the worst
case for per-paragraph overhead) this runs, each in its own process, and reads the peak
resident memory the kernel reports for it:

- ``reader text FILE``: loading alone;
- ``reader import FILE``: loading and writing to the library (full-text index included);
- ``reader import --analyse FILE``: then finding the names, with a pipeline that is an
  entity ruler saved to disk (the real model finds names at ~25 KB/s, which would take an
  hour on 150 MB; the ruler runs the same chunking, consistency and caching code quickly).

The baselines, measured in the same run: the same commands on a 1 KB file (the
interpreter, Qt-free imports and, for ``--analyse``, the pipeline). Each row prints the
peak, what the file added to the baseline, that as a multiple of the file's size, and
whether the budget held. A file that does not fit the free memory is refused with a
sentence before it is read; that row then says "refused".
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 10.0
WORDS = (
    "river water treaty delegation minister basin canal harvest reservoir summer winter "
    "engineer farmer valley monitoring station agreement draft capital loan"
).split()
NAMES = ["Maria Keller", "Geneva", "United Nations", "Tashkent", "Claudia Brunner"]


def write_text(path: Path, megabytes: float, short: bool) -> None:
    rng = random.Random(11)
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as stream:
        size = 0
        while size < target:
            lines = []
            for _ in range(2000):
                count = rng.randint(2, 5) if short else rng.randint(80, 200)
                words = [rng.choice(WORDS) for _ in range(count)]
                if rng.random() < 0.5:
                    words[rng.randrange(count)] = rng.choice(NAMES)
                lines.append(" ".join(words).capitalize() + ".")
            chunk = "\n\n".join(lines) + "\n\n"
            stream.write(chunk)
            size += len(chunk)


def make_ruler(folder: Path) -> Path:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    labels = {"Maria Keller": "PERSON", "Claudia Brunner": "PERSON", "United Nations": "ORG"}
    ruler.add_patterns([{"label": labels.get(n, "GPE"), "pattern": n} for n in NAMES])
    path = folder / "ruler-model"
    nlp.to_disk(path)
    return path


def peak_mb(args: list[str], home: Path) -> tuple[float, int, str]:
    """Peak resident memory (MB) of one command, its exit status and its last stderr line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    return usage.ru_maxrss / 1024, process.returncode, (error[-1] if error else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,50,150", help="megabytes, comma separated")
    options = parser.parse_args()
    sizes = [float(s) for s in options.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    try:
        ruler = make_ruler(work)
        tiny = work / "tiny.txt"
        tiny.write_text("Maria Keller went to Geneva.\n\nShe met the United Nations.\n")
        commands = {
            "text": lambda f, h: ["text", str(f)],
            "import": lambda f, h: ["import", str(f)],
            "import --analyse": lambda f, h: ["import", "--analyse", "--model", str(ruler), str(f)],
        }
        baselines = {}
        for name, build in commands.items():
            home = work / f"home-base-{name.replace(' ', '')}"
            baselines[name] = peak_mb(build(tiny, home), home)[0]
        print(
            "Baselines (1 KB file): " + ", ".join(f"{k} {v:.0f} MB" for k, v in baselines.items())
        )
        print(f"{'text':>12}  {'command':<17} {'peak MB':>8} {'added MB':>9} {'x size':>7}  budget")
        for size in sizes:
            for shape in ("long", "short"):
                path = work / f"{shape}-{size:g}.txt"
                write_text(path, size, shape == "short")
                mb = path.stat().st_size / 1_000_000
                for name, build in commands.items():
                    home = work / f"home-{shape}-{size:g}-{name.replace(' ', '')}"
                    peak, status, said = peak_mb(build(path, home), home)
                    added = max(0.0, peak - baselines[name])
                    ratio = added / mb
                    if status != 0 and "memory" in said:
                        verdict = f"refused: {said[:70]}…"
                    else:
                        verdict = "held" if ratio <= BUDGET else "EXCEEDED"
                    label = f"{mb:.0f} MB {shape}"
                    print(
                        f"{label:>12}  {name:<17} {peak:>8.0f} {added:>9.0f} {ratio:>7.1f}  "
                        f"{verdict}",
                        flush=True,
                    )
                    shutil.rmtree(home, ignore_errors=True)
                path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
