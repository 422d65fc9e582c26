from __future__ import annotations

from reader.cluster.progress import ProgressMeter, duration


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_time_left_follow_the_recent_pace() -> None:
    clock = Clock()
    meter = ProgressMeter(1_000, clock=clock)
    assert meter.line() == "0 of 1,000 files, 0.0 files/s, starting"
    for _ in range(10):
        clock.now += 1
        meter.add(10)
    assert meter.rate == 10.0
    assert meter.eta == 90.0
    assert meter.line() == "100 of 1,000 files, 10.0 files/s, about 2 min left"
    # The cluster doubles (a worker joined): a minute later the rate is the new one.
    for _ in range(60):
        clock.now += 1
        meter.add(20)
    assert 19.0 < meter.rate <= 20.0
    assert meter.snapshot()["done"] == 100 + 60 * 20


def test_failures_and_an_earlier_attempt_are_counted() -> None:
    clock = Clock()
    meter = ProgressMeter(500, done_before=400, clock=clock)
    clock.now += 10
    meter.add(50, failed=2)
    assert meter.snapshot() == {
        "done": 450,
        "total": 500,
        "failed": 2,
        "files_per_second": 5.0,
        "eta_seconds": 10.0,
    }
    assert meter.overall_rate == 5.0  # this run's files only
    assert meter.line() == "450 of 500 files, 5.0 files/s, 2 failed, about 10 s left"


def test_durations_read_naturally() -> None:
    assert [duration(s) for s in (4, 59, 61, 3599, 3600, 36_300)] == [
        "4 s",
        "59 s",
        "1 min",
        "1 h 00 min",
        "1 h 00 min",
        "10 h 05 min",
    ]
