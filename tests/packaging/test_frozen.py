"""The frozen app's smoke test (packaging/smoke_test.py) as tests, when a build is there.

Build first (``bash packaging/build.sh``), then ``python -m pytest -m frozen``. Without
dist/reader, or with one older than the source, these tests are skipped: a stale build
would fail them for changes it does not contain. READER_FROZEN_APP=DIR tests another build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("READER_FROZEN_APP", ROOT / "dist" / "reader")).resolve()
sys.path.insert(0, str(ROOT / "packaging"))

import smoke_test  # noqa: E402


def _skip_reason() -> str:
    try:
        exe = smoke_test.executable(APP)
    except smoke_test.SmokeFailure:
        return f"no frozen app in {APP}: build it with bash packaging/build.sh"
    built = exe.stat().st_mtime
    newer = [p for p in (ROOT / "reader").rglob("*.py") if p.stat().st_mtime > built]
    if newer and "READER_FROZEN_APP" not in os.environ:
        return f"{APP} is older than {newer[0].relative_to(ROOT)}: rebuild it"
    return ""


pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "built"),
]


@pytest.fixture(scope="module")
def exe() -> Path:
    return smoke_test.executable(APP)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("frozen")


@pytest.fixture(scope="module")
def samples(work: Path) -> list[Path]:
    return smoke_test.make_samples(work)


def test_version(exe: Path, work: Path) -> None:
    smoke_test.check_version(exe, work)


def test_entities_with_the_bundled_model(exe: Path, work: Path) -> None:
    smoke_test.check_entities(exe, work)


def test_text_of_every_format(exe: Path, work: Path, samples: list[Path]) -> None:
    assert {p.name for p in samples} == set(smoke_test.EXPECTED_TEXT)
    smoke_test.check_text(exe, work, samples)


def test_print_to_pdf(exe: Path, work: Path, samples: list[Path]) -> None:
    if not smoke_test.has_print_command(exe, work):
        pytest.skip("this build has no 'reader print ... --pdf' command")
    smoke_test.check_print(exe, work, samples)


@pytest.mark.timeout(240)
def test_window_opens_analyses_and_quits(exe: Path, work: Path, samples: list[Path]) -> None:
    smoke_test.check_gui(exe, work, samples)


@pytest.mark.timeout(240)
def test_window_closes_cleanly_on_sigterm(exe: Path, work: Path, samples: list[Path]) -> None:
    smoke_test.check_sigterm(exe, work, samples)
