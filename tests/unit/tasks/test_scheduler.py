"""The analysis plan: chunk order, scrolling, preemption and retrying lost chunks."""

from __future__ import annotations

from reader.tasks.commands import AnalysisJob
from reader.tasks.scheduler import JobScheduler, plan

PARAGRAPH = "Sergei Lavrov met Antonio Guterres in Geneva on Monday morning."
TEXT = "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(40))


def starts(scheduler: JobScheduler) -> list[int]:
    state = scheduler.current
    assert state is not None
    return [ranges[0][0] for _, ranges in state.remaining]


def test_the_text_is_cut_into_chunks_from_the_reader_s_position() -> None:
    middle = TEXT.index("20. ")
    state = plan(AnalysisJob(1, TEXT, priority_offset=middle), chunk_chars=600)
    first_chunk = state.remaining[0][1]
    assert first_chunk[0][0] <= middle <= first_chunk[-1][1]
    assert state.total_chars == sum(state.chunk_sizes.values())
    assert sorted(state.chunks) == sorted(i for i, _ in state.remaining)
    assert not state.complete and state.remaining_chars == state.total_chars


def test_scrolling_moves_the_chunks_there_to_the_front() -> None:
    scheduler = JobScheduler(chunk_chars=600)
    scheduler.begin(AnalysisJob(1, TEXT))
    assert starts(scheduler)[0] == 0
    offset = TEXT.index("30. ")
    scheduler.prioritise(1, offset)
    state = scheduler.current
    assert state is not None
    first = state.remaining[0][1]
    assert first[0][0] <= offset <= first[-1][1]
    # Then the rest of the text, wrapping round to the beginning.
    assert sorted(starts(scheduler)) == sorted(set(starts(scheduler)))
    scheduler.prioritise(2, 0)  # another revision's scroll: ignored
    assert state.remaining[0][1] == first


def test_taking_sending_and_finishing_chunks() -> None:
    scheduler = JobScheduler(chunk_chars=600)
    state = scheduler.begin(AnalysisJob(1, TEXT))
    chunk = scheduler.take(state)
    assert chunk is not None and chunk[0] in state.in_flight
    scheduler.put_back(state, chunk)  # the engine's pipe was closed: it goes first again
    assert state.remaining[0] == chunk and not state.in_flight
    while (chunk := scheduler.take(state)) is not None:
        scheduler.done(state, chunk[0])
    assert state.complete and state.done_chars == state.total_chars


def test_the_open_document_preempts_background_work_which_resumes_later() -> None:
    scheduler = JobScheduler()
    scheduler.add_background(11, "Lyon is in France.")
    scheduler.add_background(12, "Nice is too.")
    first = scheduler.next_idle_job()
    assert first is not None and first.job.background_key == 11 and first.revision < 0
    assert scheduler.next_idle_job() is None  # busy: the next one waits
    scheduler.begin(AnalysisJob(5, TEXT))
    assert [job.background_key for job in scheduler.background] == [11, 12]
    scheduler.cancel()
    resumed = scheduler.next_idle_job()
    assert resumed is not None and resumed.job.background_key == 11


def test_clearing_the_queue_stops_a_background_job_but_not_the_open_document() -> None:
    scheduler = JobScheduler()
    scheduler.add_background(11, "Lyon is in France.")
    scheduler.next_idle_job()
    scheduler.clear_background()
    assert scheduler.current is None and not scheduler.background
    scheduler.begin(AnalysisJob(3, TEXT))
    scheduler.add_background(12, "Nice.")
    scheduler.clear_background()
    assert scheduler.current is not None and scheduler.current.revision == 3


def test_a_lost_chunk_is_tried_once_more_then_the_job_gives_up() -> None:
    scheduler = JobScheduler(chunk_chars=600)
    state = scheduler.begin(AnalysisJob(1, TEXT))
    one = scheduler.take(state)
    two = scheduler.take(state)
    assert one is not None and two is not None
    assert scheduler.requeue_lost(state, [one[0], two[0]])
    assert [chunk_id for chunk_id, _ in list(state.remaining)[:2]] == [one[0], two[0]]
    assert not state.in_flight
    again = scheduler.take(state)
    assert again == one
    assert not scheduler.requeue_lost(state, [again[0]])  # lost twice: it may be the killer


# -- the screen first ------------------------------------------------------------------------


def covered(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Every paragraph of TEXT that overlaps start..end is in ``ranges``."""
    from reader.entities.chunking import paragraph_ranges

    wanted = {r for r in paragraph_ranges(TEXT) if r[1] > start and r[0] < end}
    return wanted <= set(ranges)


def test_the_screen_gets_a_small_urgent_chunk_of_its_own_at_the_start() -> None:
    top, bottom = TEXT.index("22. "), TEXT.index("24. ")
    state = plan(AnalysisJob(1, TEXT, priority_offset=top, priority_end=bottom), chunk_chars=600)
    chunk_id, first = state.remaining[0]
    assert chunk_id in state.urgent
    assert covered(first, top, bottom)
    assert sum(e - s for s, e in first) < 600  # the screen only, not its whole chunk
    # Nothing lost, nothing twice: the chunks still cover every paragraph once.
    everything = [r for _, ranges in state.remaining for r in ranges]
    assert sorted(everything) == sorted(set(everything))
    assert sum(e - s for s, e in everything) == state.total_chars
    assert state.remaining_chars == state.total_chars
    # Then the text after the screen, and last the text before it.
    starts = [ranges[0][0] for _, ranges in list(state.remaining)[1:]]
    after = [s for s in starts if s >= bottom]
    assert starts[: len(after)] == sorted(after)
    assert all(s < top for s in starts[len(after) :])


def test_a_scroll_carves_the_new_screen_out_of_what_is_left_within_one_chunk() -> None:
    scheduler = JobScheduler(chunk_chars=600)
    state = scheduler.begin(AnalysisJob(1, TEXT, priority_offset=0, priority_end=100))
    taken = [scheduler.take(state), scheduler.take(state)]  # two chunks out to an engine
    top, bottom = TEXT.index("31. "), TEXT.index("33. ")
    scheduler.prioritise(1, top, bottom)
    assert scheduler.next_is_urgent(state)
    chunk = scheduler.take(state)
    assert chunk is not None and covered(chunk[1], top, bottom)
    # The chunks already out are not carved again, and finish normally.
    for out in taken:
        assert out is not None
        scheduler.done(state, out[0])
    scheduler.done(state, chunk[0])
    while (rest := scheduler.take(state)) is not None:
        scheduler.done(state, rest[0])
    assert state.complete and state.done_chars == state.total_chars


def test_a_screen_already_analysed_only_reorders_what_follows() -> None:
    scheduler = JobScheduler(chunk_chars=600)
    state = scheduler.begin(AnalysisJob(1, TEXT))
    first = scheduler.take(state)
    assert first is not None
    scheduler.done(state, first[0])
    end = first[1][-1][1]
    scheduler.prioritise(1, 0, end)  # back to the top: nothing left to analyse there
    assert not state.urgent and not scheduler.next_is_urgent(state)
    assert starts(scheduler)[0] >= end
