"""What a cluster import prints: failures with reasons, a summary, or JSON lines."""

from __future__ import annotations

import json

from reader.cluster.progress import ProgressMeter
from reader.cluster.writer import Written
from reader.commands.cluster_report import ClusterReport, files_line


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


def counts(**values: int) -> dict[str, int]:
    return {"imported": 0, "present": 0, "updated": 0, "failed": 0, "pending": 0, **values}


def test_the_summary_counts_the_whole_import_and_this_run_s_speed() -> None:
    clock = Clock()
    meter = ProgressMeter(1_000, done_before=400, clock=clock)
    clock.now += 60
    meter.add(600, failed=2)
    assert files_line(counts(imported=990, present=8, failed=2), meter, False) == (
        "1,000 files: 990 imported, 8 already present, 0 updated, 2 failed (600 in 1 min, "
        "10.0 files/s); the files that failed were skipped (reasons above)."
    )
    assert files_line(counts(imported=700, pending=300), meter, True) == (
        "Stopped with 300 of 1,000 files left (700 imported, 0 already present, 0 updated, "
        "0 failed; 600 in 1 min, 10.0 files/s); what was imported stays in the library, and "
        "'reader import --resume' continues with the rest."
    )


def test_on_a_terminal_only_failures_are_listed(capsys) -> None:
    report = ClusterReport(False, ProgressMeter(3))
    report.start(
        total=3,
        done_before=0,
        cluster="a local cluster of 2 workers",
        model="en_core_web_sm 3.8.0",
        files="workers read the files where they are",
    )
    report.written(
        [
            Written("/a.txt", "imported", 1, "A", mentions=4),
            Written("/b.txt", "failed", error="“b.txt” is empty (0 bytes); open a file …"),
            Written("/c.txt", "imported", 2, "C", analysis_error="the names could not be found"),
        ]
    )
    report.finish({}, ["3 files: …"])
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "/b.txt: failed: “b.txt” is empty (0 bytes); open a file …",
        "/c.txt: imported without its names: the names could not be found",
        "3 files: …",
    ]
    assert err == (
        "Importing 3 files with a local cluster of 2 workers and en_core_web_sm 3.8.0; "
        "workers read the files where they are.\n"
    )
    assert (report.analysed, report.mentions, report.analysis_failed) == (1, 4, ["/c.txt"])


def test_json_lines_give_every_file_progress_and_a_summary(capsys) -> None:
    report = ClusterReport(True, ProgressMeter(2))
    report.start(total=2, done_before=0, cluster="x", model=None, files="y")
    report.written([Written("/a.txt", "present", 7, "A", mentions=None)])
    report.tick(force=True)
    report.finish({"totals": {"present": 1}}, ["not printed"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["event"] for line in lines] == ["start", "file", "progress", "progress", "summary"]
    assert lines[1] == {
        "event": "file",
        "path": "/a.txt",
        "status": "present",
        "document_id": 7,
        "title": "A",
        "error": None,
        "mentions": None,
        "analysis_error": None,
    }
    assert lines[3] | {"files_per_second": 0} == {
        "event": "progress",
        "done": 1,
        "total": 2,
        "failed": 0,
        "files_per_second": 0,
        "eta_seconds": lines[3]["eta_seconds"],
    }
