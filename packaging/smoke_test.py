"""Smoke test of the frozen reader: the built binary itself, headless, as a user would run it.

    python packaging/smoke_test.py [--app dist/reader] [--skip-gui] [--timing] [--keep]

Run from the repository's SOURCE environment (the one with the test extras): the sample
files are made there (packaging/make_smoke_samples.py) and the source's own output is the
reference the frozen binary must match. Every run of the frozen binary gets a fresh data
folder (READER_HOME), so the user's library is never touched.

Checks, in order:
  version   ``reader --version`` names the source's version
  entities  the sample article's people, places and organizations (the bundled spaCy model
            loads and finds them) and the same JSON as the source
  text      one file of every supported format reads to the same text as from source
  print     ``reader print FILE --pdf OUT`` for every sample, when the build has ``print``
  gui       offscreen: opens a Word file (parsed in the helper process), finds its names
            (the entity engine's process), takes a second file from another start
            (single instance), then quits by itself (READER_SMOKE_QUIT_AFTER_MS) with status
            0, leaving no process behind and no traceback in its output or log file
  sigterm   a window told to stop (SIGTERM, as at logout or by ``kill``) closes as from its
            menu: status 0 and no helper process left
  timing    with --timing: launch-to-window time under Xvfb (xdotool) when both exist,
            else offscreen up to the window's first platform call (see ``window_time``)

Prints one line per check and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "summit-in-geneva.md"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spec_data import read_version  # noqa: E402

# What each sample must read as (a phrase from its article), and what it must not (page
# furniture that trafilatura removes: proof that its data files made it into the bundle).
EXPECTED_TEXT = {
    "article.md": ("Antonio Guterres", None),
    "article.txt": ("Antonio Guterres", None),
    "article.pdf": ("Antonio Guterres", None),
    "page.html": ("Amina Tesfaye", "Accept all"),
    "page.mhtml": ("Amina Tesfaye", "Accept all"),
    "report.docx": ("Harbour Council Approves New Ferry Line", None),
    "report.odt": ("Harbour Council Approves New Ferry Line", None),
    "book.epub": ("Ingrid Saltveit", None),
    "story.rtf": ("Rosalind Achterberg", None),
}
EXPECTED_ENTITIES = {
    ("person", "Antonio Guterres"),
    ("person", "Claudia Brunner"),
    ("place", "Geneva"),
    ("place", "Tashkent"),
    ("organization", "World Bank"),
    ("organization", "European Union"),
}
GUI_QUIT_AFTER_MS = int(os.environ.get("SMOKE_GUI_QUIT_AFTER_MS", "15000"))
GUI_WAIT_S = 90.0


class SmokeFailure(Exception):
    pass


def executable(app: Path) -> Path:
    for name in ("reader", "reader-cli.exe", "reader.exe", "Contents/MacOS/reader"):
        if (app / name).is_file():
            return app / name
    raise SmokeFailure(f"no reader executable in {app}: build it with bash packaging/build.sh")


def base_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(READER_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    env.pop("READER_SMOKE_QUIT_AFTER_MS", None)
    return env


def run(command: list[str], env: dict[str, str], timeout: float = 120) -> str:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )
    if result.returncode != 0:
        raise SmokeFailure(
            f"{' '.join(map(str, command))} exited with {result.returncode}: "
            f"{result.stderr.strip()[-2000:]}"
        )
    if "Traceback" in result.stderr:
        raise SmokeFailure(f"{' '.join(command)} printed a traceback: {result.stderr[-2000:]}")
    return result.stdout


def source_reader() -> list[str]:
    return [sys.executable, "-m", "reader"]


# --- the checks ------------------------------------------------------------------------------


def check_version(exe: Path, work: Path) -> str:
    out = run([str(exe), "--version"], base_env(work / "home-version")).strip()
    expected = f"reader {read_version()}"
    if out != expected:
        raise SmokeFailure(f"--version said {out!r}, expected {expected!r}")
    return out


def check_entities(exe: Path, work: Path) -> str:
    env = base_env(work / "home-entities")
    frozen = json.loads(run([str(exe), "entities", str(SAMPLE), "--json"], env))
    found = {(m["kind"], m["canonical"] or m["text"]) for m in frozen}
    missing = EXPECTED_ENTITIES - found
    if missing:
        raise SmokeFailure(f"entities missing from the frozen app's answer: {sorted(missing)}")
    source = json.loads(run([*source_reader(), "entities", str(SAMPLE), "--json"], env))
    if frozen != source:
        raise SmokeFailure("the frozen app's entities differ from the source's")
    kinds = {k: sum(1 for m in frozen if m["kind"] == k) for k in ("person", "place")}
    return f"{len(frozen)} mentions ({kinds['person']} people, {kinds['place']} places)"


def make_samples(work: Path) -> list[Path]:
    folder = work / "samples"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = run([sys.executable, str(ROOT / "packaging" / "make_smoke_samples.py"), str(folder)], env)
    return [Path(line) for line in out.splitlines() if line.strip()]


def check_text(exe: Path, work: Path, samples: list[Path]) -> str:
    env = base_env(work / "home-text")
    problems = []
    for path in samples:
        expected, absent = EXPECTED_TEXT[path.name]
        frozen = run([str(exe), "text", str(path)], env)
        if expected not in frozen:
            problems.append(f"{path.name}: {expected!r} not in the text")
        if absent and absent in frozen:
            problems.append(f"{path.name}: page furniture {absent!r} left in")
        if frozen != run([*source_reader(), "text", str(path)], env):
            problems.append(f"{path.name}: text differs from the source's")
    if problems:
        raise SmokeFailure("; ".join(problems))
    return ", ".join(sorted(p.suffix[1:] for p in samples))


def has_print_command(exe: Path, work: Path) -> bool:
    result = subprocess.run(
        [str(exe), "print", "--help"],
        env=base_env(work / "home-print"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Without a print command, "print" is taken for a file name by the window's parser.
    return result.returncode == 0 and "--pdf" in result.stdout


def check_print(exe: Path, work: Path, samples: list[Path]) -> str:
    env = base_env(work / "home-print")
    out_dir = work / "printed"
    out_dir.mkdir(exist_ok=True)
    problems = []
    for path in samples:
        target = out_dir / f"{path.name}.pdf"
        try:
            run([str(exe), "print", str(path), "--pdf", str(target)], env, timeout=180)
        except SmokeFailure as exc:
            problems.append(str(exc))
            continue
        text = pdf_text(target) if target.is_file() else ""
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            problems.append(f"{path.name}: no PDF written")
        elif EXPECTED_TEXT[path.name][0] not in " ".join(text.split()):
            problems.append(f"{path.name}: {EXPECTED_TEXT[path.name][0]!r} not in the PDF")
    if problems:
        raise SmokeFailure("; ".join(problems))
    return f"{len(samples)} PDFs"


def pdf_text(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


@contextlib.contextmanager
def gui_process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """The GUI in a session of its own, so that its helper processes can be found and,
    should it hang, stopped with it."""
    with open(log, "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def session_processes(session: int) -> list[str]:
    """Processes still alive in a session (Linux: /proc; elsewhere none are found)."""
    alive = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session and fields[0] != "Z":
                alive.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue
    return alive


def library(exe: Path, env: dict[str, str]) -> dict[str, dict]:
    entries = json.loads(run([str(exe), "library", "--json"], env))
    return {Path(e["path"]).name: e for e in entries if e.get("path")}


def wait_until(test: Callable[[], bool], timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if test():
            return time.monotonic() - start
        time.sleep(0.25)
    raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")


def check_gui(exe: Path, work: Path, samples: list[Path]) -> str:
    home = work / "home-gui"
    env = base_env(home)
    by_name = {p.name: p for p in samples}
    first, second = by_name["report.docx"], by_name["article.md"]
    gui_env = dict(env, READER_SMOKE_QUIT_AFTER_MS=str(GUI_QUIT_AFTER_MS))
    stderr_log = work / "gui-stderr.txt"
    start = time.monotonic()
    with gui_process([str(exe), str(first)], gui_env, stderr_log) as process:

        def analysed(name: str) -> Callable[[], bool]:
            def test() -> bool:
                if process.poll() is not None:
                    raise SmokeFailure(
                        f"the window exited early with status {process.returncode}: "
                        f"{stderr_log.read_text()[-2000:]}"
                    )
                entry = library(exe, env).get(name)
                return bool(entry and entry["analysed"] and sum(entry["entities"].values()))

            return test

        opened = wait_until(analysed(first.name), GUI_WAIT_S, f"{first.name} to be analysed")
        handed = run([str(exe), str(second)], env)
        if "already running" not in handed:
            raise SmokeFailure(f"a second start did not hand its file over: {handed!r}")
        wait_until(analysed(second.name), GUI_WAIT_S, f"{second.name} to be analysed")
        remaining = GUI_QUIT_AFTER_MS / 1000 - (time.monotonic() - start) + 30
        try:
            status = process.wait(timeout=max(remaining, 30))
        except subprocess.TimeoutExpired:
            raise SmokeFailure(
                "the window did not quit by itself (does this build honour "
                "READER_SMOKE_QUIT_AFTER_MS?)"
            ) from None
        if status != 0:
            raise SmokeFailure(f"the window exited with status {status}")
        leftovers = []
        with contextlib.suppress(SmokeFailure):
            wait_until(lambda: not session_processes(process.pid), 10, "helper processes")
        leftovers = session_processes(process.pid)
        if leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise SmokeFailure(f"processes left behind after quitting: {leftovers}")
    stderr = stderr_log.read_text(encoding="utf-8", errors="replace")
    log_file = home / "logs" / "reader.log"
    log_text = log_file.read_text(encoding="utf-8") if log_file.is_file() else ""
    for label, text in (("standard error", stderr), ("the log file", log_text)):
        bad = [
            line
            for line in text.splitlines()
            if "Traceback" in line or " ERROR " in line or " CRITICAL " in line
        ]
        if bad:
            raise SmokeFailure(f"{label} has errors: {bad[:5]}")
    return (
        f"{first.name} analysed {opened:.1f} s after start, {second.name} handed over, "
        "quit with status 0"
    )


def check_sigterm(exe: Path, work: Path, samples: list[Path]) -> str:
    home = work / "home-sigterm"
    env = base_env(home)
    path = next(p for p in samples if p.name == "report.docx")
    with gui_process([str(exe), str(path)], env, work / "sigterm-stderr.txt") as process:

        def analysed() -> bool:
            if process.poll() is not None:
                raise SmokeFailure(f"the window exited early with status {process.returncode}")
            entry = library(exe, env).get(path.name)
            return bool(entry and entry["analysed"])

        wait_until(analysed, GUI_WAIT_S, f"{path.name} to be analysed")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise SmokeFailure("the window did not stop within 15 s of SIGTERM") from None
        took = time.monotonic() - started
        with contextlib.suppress(SmokeFailure):
            wait_until(lambda: not session_processes(process.pid), 5, "helper processes")
        leftovers = session_processes(process.pid)
        if leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if status != 0 or leftovers:
            raise SmokeFailure(
                f"after SIGTERM the window exited with status {status} and left "
                f"{len(leftovers)} process(es) running: {leftovers}"
            )
    return f"closed {took:.2f} s after SIGTERM with status 0, nothing left running"


# --- launch-to-window time -------------------------------------------------------------------


def free_display() -> int:
    for number in range(91, 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise SmokeFailure("no free X display number")


@contextlib.contextmanager
def xvfb() -> Iterator[str | None]:
    """An Xvfb display of our own, or None where Xvfb or xdotool is missing."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        yield None
        return
    display = f":{free_display()}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), 10, "Xvfb")
        yield display
    finally:
        server.terminate()
        server.wait(10)


def window_time(command: list[str], env: dict[str, str], display: str | None) -> float:
    """Seconds from starting ``command`` until its main window is on screen.

    Under Xvfb: until xdotool finds a visible window of class "reader" (polled every 10
    ms). Offscreen: until the offscreen platform reports the window's first size-hint
    call on standard error, which it makes when the window is created for showing.
    """
    env = dict(env, READER_SMOKE_QUIT_AFTER_MS="1500")
    if display:
        env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display)
    start = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        if display:
            while process.poll() is None:
                found = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--class", "reader"],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if found.stdout.strip():
                    return time.monotonic() - start
                time.sleep(0.01)
        else:
            for line in process.stderr:  # type: ignore[union-attr]
                if "propagateSizeHints" in line:
                    return time.monotonic() - start
        raise SmokeFailure(f"{command[0]} exited before showing a window")
    finally:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def check_timing(exe: Path, work: Path, runs: int = 3) -> str:
    env = base_env(work / "home-timing")
    article = str(SAMPLE)
    version_times = []
    for _ in range(runs):
        start = time.monotonic()
        run([str(exe), "--version"], env)
        version_times.append(time.monotonic() - start)
    with xvfb() as display:
        method = "Xvfb + xdotool" if display else "offscreen, first platform call"
        frozen = [window_time([str(exe), article], env, display) for _ in range(runs)]
        source = [window_time([*source_reader(), article], env, display) for _ in range(runs)]
    return (
        f"window shown after {statistics.median(frozen):.2f} s frozen, "
        f"{statistics.median(source):.2f} s from source ({method}, median of {runs}); "
        f"--version {statistics.median(version_times):.2f} s"
    )


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", default=str(ROOT / "dist" / "reader"), help="the built app")
    parser.add_argument("--skip-gui", action="store_true", help="headless commands only")
    parser.add_argument("--timing", action="store_true", help="also time the window's start")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)

    app = Path(args.app).resolve()
    work = Path(tempfile.mkdtemp(prefix="reader-smoke-"))
    failures = 0

    def step(name: str, check: Callable[[], str]) -> None:
        nonlocal failures
        start = time.monotonic()
        try:
            detail = check()
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            failures += 1
            print(f"FAIL {name:9} {exc}", flush=True)
            return
        print(f"ok   {name:9} {detail} ({time.monotonic() - start:.1f} s)", flush=True)

    try:
        exe = executable(app)
        size = sum(f.stat().st_size for f in app.rglob("*") if f.is_file() and not f.is_symlink())
        print(f"Smoke test of {exe} ({size / 2**20:.0f} MiB unpacked); work folder {work}")
        step("version", lambda: check_version(exe, work))
        step("entities", lambda: check_entities(exe, work))
        samples: list[Path] = []

        def samples_step() -> str:
            samples.extend(make_samples(work))
            return f"{len(samples)} files made from source"

        step("samples", samples_step)
        if samples:
            step("text", lambda: check_text(exe, work, samples))
            if has_print_command(exe, work):
                step("print", lambda: check_print(exe, work, samples))
            else:
                print("skip print     this build has no 'reader print ... --pdf' command")
            if not args.skip_gui:
                step("gui", lambda: check_gui(exe, work, samples))
                step("sigterm", lambda: check_sigterm(exe, work, samples))
        if args.timing:
            step("timing", lambda: check_timing(exe, work))
    except SmokeFailure as exc:
        print(f"FAIL {exc}")
        failures += 1
    finally:
        if args.keep or failures:
            print(f"Work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("Smoke test passed." if not failures else f"Smoke test: {failures} check(s) failed.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
