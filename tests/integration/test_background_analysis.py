"""Library documents analysed in the background, behind the open document."""

from __future__ import annotations

import pytest

from reader.tasks.analysis import AnalysisJob, AnalysisThread


@pytest.fixture
def analysis(qapp):
    thread = AnalysisThread("", max_engines=1)
    thread.start()
    yield thread
    thread.stop()


def test_background_jobs_finish_with_their_keys(qtbot, analysis) -> None:
    worker = analysis.worker
    done: dict[int, list] = {}
    worker.backgroundFinished.connect(lambda key, tuples: done.__setitem__(key, tuples))
    progress: list[int] = []
    worker.progress.connect(lambda revision, *_: progress.append(revision))
    worker.submit_background(11, "Angela Merkel visited Paris with officials of the OECD.")
    worker.submit_background(12, "Nelson Mandela was born in Mvezo.")
    qtbot.waitUntil(lambda: len(done) == 2, timeout=120_000)
    names = {(text, kind) for _, _, kind, _, text, _ in done[11]}
    assert ("Angela Merkel", "person") in names
    assert ("Paris", "place") in names
    assert any(text == "Nelson Mandela" for *_, text, _ in done[12])
    assert progress == []  # background work never reports progress to the open document


def test_the_open_document_goes_first_and_the_interrupted_job_resumes(qtbot, analysis) -> None:
    worker = analysis.worker
    order: list[str] = []
    worker.backgroundFinished.connect(lambda key, _: order.append(f"background {key}"))
    worker.finished.connect(lambda revision, *_: order.append(f"open {revision}"))
    long_text = "\n\n".join(["Sergei Lavrov met Antony Blinken in Geneva."] * 400)
    worker.submit_background(21, long_text)
    worker.submit(AnalysisJob(1, "Emmanuel Macron spoke in Lyon."))
    qtbot.waitUntil(lambda: len(order) == 2, timeout=120_000)
    assert order == ["open 1", "background 21"]
