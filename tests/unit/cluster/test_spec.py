from __future__ import annotations

import os

import pytest

from reader.cluster.spec import ClusterSpec, parse_spec, spec_from
from reader.errors import ReaderError


def test_local_takes_one_worker_per_core_or_the_number_given() -> None:
    assert parse_spec("local") == ClusterSpec(workers=os.cpu_count() or 1)
    assert parse_spec("local:3") == ClusterSpec(workers=3)
    assert parse_spec("local:3").describe() == "a local cluster of 3 workers"
    assert parse_spec("local:1").describe() == "a local cluster of 1 worker"


def test_a_scheduler_address_is_kept_as_written() -> None:
    spec = parse_spec("tcp://10.0.0.5:8786")
    assert not spec.local and str(spec) == "tcp://10.0.0.5:8786"
    assert parse_spec("tcp://[::1]:8786").address == "tcp://[::1]:8786"
    assert spec.describe() == "the cluster at tcp://10.0.0.5:8786"


@pytest.mark.parametrize(
    "value",
    [
        "local:0",
        "local:x",
        "local:100000",
        "10.0.0.5:8786",
        "tcp://host",
        "tcp://host:99999",
        "http://host:80",
    ],
)
def test_a_bad_value_is_one_sentence_with_an_example(value: str) -> None:
    with pytest.raises(ReaderError) as raised:
        parse_spec(value)
    assert f"“{value}”" in raised.value.message
    assert "e.g. " in raised.value.message


def test_the_environment_gives_the_default_and_the_option_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("READER_CLUSTER", raising=False)
    assert spec_from(None) is None
    monkeypatch.setenv("READER_CLUSTER", "tcp://sched:8786")
    assert spec_from(None) == ClusterSpec(address="tcp://sched:8786")
    assert spec_from("local:2") == ClusterSpec(workers=2)
