"""The engine processes' pool, with stand-in engines: starting, a second engine, deaths."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader.tasks.engine_pool import MAX_ENGINE_DEATHS, SECOND_ENGINE_CHARS, EnginePool


@dataclass(eq=False)
class StubEngine:
    model: str
    conn: Any = None
    ready: bool = False
    info: Any = None
    in_flight: set[tuple[int, int]] = field(default_factory=set)
    stopped: bool = False

    def send(self, message: tuple[Any, ...]) -> bool:
        return not self.stopped

    def stop(self, timeout: float = 2.0) -> None:
        self.stopped = True


def test_a_second_engine_only_for_a_long_text_after_the_first_screen() -> None:
    pool = EnginePool("m", max_engines=2, factory=StubEngine)
    first = pool.start()
    assert pool.is_first(first)
    assert not pool.wants_another(SECOND_ENGINE_CHARS * 4, 1)  # still loading its model
    first.ready = True
    assert not pool.wants_another(SECOND_ENGINE_CHARS * 4, 0)  # first screen not done yet
    assert not pool.wants_another(SECOND_ENGINE_CHARS - 1, 1)  # not worth a process
    assert pool.wants_another(SECOND_ENGINE_CHARS, 1)
    pool.start()
    assert not pool.wants_another(SECOND_ENGINE_CHARS * 4, 1)  # at the limit


def test_an_engine_takes_two_chunks_at_a_time() -> None:
    pool = EnginePool("m", factory=StubEngine)
    engine = pool.start()
    assert not pool.can_take(engine)
    engine.ready = True
    engine.in_flight.update({(1, 0), (1, 1)})
    assert not pool.can_take(engine)
    engine.in_flight.discard((1, 0))
    assert pool.can_take(engine)


def test_a_dead_engine_is_replaced_until_the_pool_gives_up() -> None:
    made: list[StubEngine] = []

    def factory(model: str) -> StubEngine:
        made.append(StubEngine(model))
        return made[-1]

    pool = EnginePool("m", max_engines=1, factory=factory)
    engine = pool.start()
    for death in range(1, MAX_ENGINE_DEATHS):
        assert pool.died(engine) is True
        assert engine.stopped and len(pool.engines) == 1 and pool.engines[0] is not engine
        engine = pool.engines[0]
        assert pool.deaths == death
    assert pool.died(engine) is False
    assert pool.engines == [] and pool.failed is not None
    assert "keeps stopping" in pool.failed
    pool.switch_model("other")  # a new model gets a fresh start
    assert pool.failed is None and pool.deaths == 0 and made[-1].model == "other"


def test_the_screen_s_chunk_goes_to_the_least_busy_engine_even_when_all_are_busy() -> None:
    pool = EnginePool("m", max_engines=2, factory=StubEngine)
    first, second = pool.start(), pool.start()
    assert pool.engine_for_urgent() is None  # none ready yet
    first.ready = second.ready = True
    first.in_flight.update({(1, 0), (1, 1)})
    second.in_flight.update({(1, 2)})
    assert pool.engine_for_urgent() is second
    second.in_flight.add((1, 3))
    assert not pool.can_take(first) and not pool.can_take(second)
    assert pool.engine_for_urgent() is not None  # one extra slot for the screen
    first.in_flight.add((1, 4))
    second.in_flight.add((1, 5))
    assert pool.engine_for_urgent() is None
