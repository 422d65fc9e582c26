"""``Cluster.run`` on a real local Dask cluster, with task functions that need no model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("distributed")

from reader.cluster.spec import ClusterSpec
from tests.unit.cluster.poison import POISON, square_unless_poisoned


@pytest.fixture
def cluster() -> Iterator[object]:
    import dask

    from reader.cluster.dispatch import Cluster

    # Dask gives up on a task once it killed more workers than this (3 by default: slower).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        Cluster(ClusterSpec(workers=2)) as started,
    ):
        yield started


def test_only_the_item_that_kills_workers_on_its_own_is_reported(cluster) -> None:
    tasks = [[1, 2, 3], [10, 11, 12, POISON, 14], [20, 21]]
    results = list(cluster.run(square_unless_poisoned, iter(tasks)))
    answered = {tuple(task): result for task, result in results}
    assert answered[(1, 2, 3)] == [1, 4, 9] and answered[(20, 21)] == [400, 441]
    # The task with the poison was split, and its other items came back one by one.
    for n in (10, 11, 12, 14):
        assert answered[(n,)] == [n * n]
    assert answered[(POISON,)] is None
    assert len(results) == 2 + 5  # every item answered once
    cluster.client.wait_for_workers(2, timeout=60)  # the nannies restart the killed workers
