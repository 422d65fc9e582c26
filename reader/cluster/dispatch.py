"""Sending the work to Dask: connecting, checking the workers, keeping tasks in flight.

The only module that imports Dask. Work goes out as tasks of a few files (a task per file
would cost the scheduler more than a short article costs a worker), at most
``TASKS_PER_THREAD`` per worker thread at a time, so a million files never become a
million futures in memory and results flow back steadily to the one writer.

What Dask does for us: a worker that dies has its tasks run again on another one (and
the nanny of ``dask worker`` restarts it). What we add: a task that keeps killing
workers (Dask gives up after three, ``KilledWorker``) is split into one task per file, so
only the file that kills a worker on its own is reported, as the window's import does;
and a scheduler that stays unreachable ends the import with one sentence, keeping what
was written.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import dask
import distributed
from distributed import Client, LocalCluster

from reader.cluster.spec import ClusterSpec
from reader.cluster.worker import ModelCheck, can_read, check_model
from reader.errors import ReaderError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before saying it cannot be reached
WORKERS_TIMEOUT = 60.0  # seconds for a scheduler with no workers to get its first one
LOST_AFTER = 10.0  # seconds without the scheduler before the import stops
TASKS_PER_THREAD = 2  # one running and one waiting, so a worker never idles
POLL_SECONDS = 0.5  # how often the connection is checked while waiting for results

# Measured on spaCy's NER in a worker: Dask's statistical profiler (a thread sampling every
# stack every 10 ms) and the malloc trimming Dask asks of glibc together made the same
# analysis take 1.7 times as long as in a plain process; without them, 1.2 times.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}

Item = TypeVar("Item")

_CANCELLED = (concurrent.futures.CancelledError, asyncio.CancelledError)


class ClusterLost(ReaderError):
    """The scheduler went away during the import."""


class Cluster:
    """A client connected to a scheduler, with the local cluster behind it if we made one.

    Use as a context manager: leaving it closes the client and stops a local cluster's
    worker processes (which also stop by themselves if this process dies).
    """

    def __init__(self, spec: ClusterSpec) -> None:
        self.spec = spec
        self._local: LocalCluster | None = None
        # Dask warns on stderr (mismatched package versions, slow GC…): to the log file,
        # so that the terminal shows reader's own lines and sentences only.
        logging.captureWarnings(True)
        self.client = self._connect()

    def _connect(self) -> Client:
        if self.spec.local:
            try:
                with dask.config.set(LOCAL_WORKER_CONFIG):
                    self._local = LocalCluster(
                        host="127.0.0.1",  # loopback only: a local cluster is nobody else's
                        n_workers=self.spec.workers,
                        threads_per_worker=1,  # spaCy gains nothing from threads (the GIL)
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                        preload=["reader.cluster.preload"],  # workers leave Ctrl+C to us
                    )
                return Client(self._local)
            except Exception as exc:
                self.close()
                log.exception("Starting a local cluster failed")
                raise ReaderError(
                    f"A local cluster of {self.spec.workers} workers could not be started "
                    f"({type(exc).__name__}: {exc}); try fewer workers, or the default import "
                    "without --cluster."
                ) from exc
        address = self.spec.address
        try:
            _probe(address)  # Dask would retry a refused connection until its timeout
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            log.warning("Connecting to %s failed: %s", address, exc)
            why = (
                "nothing answers at that port"
                if isinstance(exc, ConnectionRefusedError)
                else f"no answer within {CONNECT_TIMEOUT:.0f} s"
            )
            raise ReaderError(
                f"The cluster scheduler at {address} could not be reached ({why}); check "
                "that 'dask scheduler' is running there and that this computer can reach "
                "that address and port."
            ) from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            client.close()
            raise ReaderError(
                f"The cluster scheduler at {address} has no workers; start some with "
                f"'dask worker {address}' on the computers that should do the work."
            ) from None
        return client

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            try:
                client.close(timeout=5)
            except Exception:  # a scheduler that is gone cannot be told goodbye
                log.debug("Closing the client failed", exc_info=True)
        if self._local is not None:
            try:
                self._local.close(timeout=10)
            except Exception:
                log.debug("Closing the local cluster failed", exc_info=True)
            self._local = None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the workers ----------------------------------------------------------------------

    def workers(self) -> dict[str, int]:
        """Worker address -> threads, as the scheduler knows them now."""
        try:
            return dict(self.client.nthreads())
        except (OSError, TimeoutError, *_CANCELLED):
            return {}

    def on_each_worker(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """Run ``function(*args)`` once on every worker, as an ordinary task.

        An ordinary task runs on the worker's thread pool, so loading a model there does
        not stall the worker's heartbeat the way ``Client.run`` would.
        """
        futures = [
            self.client.submit(function, *args, workers=[address], pure=False)
            for address in self.workers()
        ]
        try:
            return list(self.client.gather(futures))
        except (OSError, TimeoutError, *_CANCELLED) as exc:
            raise self._lost(0) from exc

    def check_model(self, model: str, expected_key: str | None) -> ModelCheck:
        """Every worker loads ``model`` now; refuse workers that cannot, or that disagree.

        ``expected_key`` is the analysis key this library's analyses are saved under (None
        when the model is not installed on this computer: then the workers must agree
        among themselves). Returns one worker's answer.
        """
        checks: list[ModelCheck] = self.on_each_worker(check_model, model)
        if not checks:
            raise self._lost(0)
        failed = [c for c in checks if c.error]
        if failed:
            raise ReaderError(
                f"The worker {failed[0].worker} could not load the spaCy model: "
                f"{failed[0].error.rstrip('.')}. Install the same model on every worker."
            )
        wanted = expected_key or checks[0].model_key
        other = [c for c in checks if c.model_key != wanted]
        if other:
            raise ReaderError(
                f"The worker {other[0].worker} has {other[0].label} ({other[0].model_key}), "
                f"but this library's analyses are made with {wanted}; install the same model "
                "version (and reader version) on every worker, or choose the model with --model."
            )
        return checks[0]

    def unseen_by_workers(self, path: str) -> list[str]:
        """The workers that cannot read ``path`` (when files are not sent)."""
        workers = list(self.workers())
        answers = self.on_each_worker(can_read, path)
        return [worker for worker, seen in zip(workers, answers, strict=True) if not seen]

    # -- running tasks --------------------------------------------------------------------

    def run(
        self,
        function: Callable[..., Any],
        tasks: Iterable[list[Item]],
        *args: Any,
        done: Callable[[], int] = lambda: 0,
    ) -> Iterator[tuple[list[Item], Any]]:
        """``(task, function(task, *args))`` for each task, as they finish.

        A task whose files killed worker after worker comes back split into one-file
        tasks; a one-file task that still kills workers comes back with the result None.
        ``done`` says how many files are written so far, for the message if the
        scheduler goes away.
        """
        runner: _Runner[Item] = _Runner(self, function, args, iter(tasks), done)
        return runner.results()

    def _lost(self, done: int) -> ClusterLost:
        where = "The local cluster" if self.spec.local else f"The cluster scheduler at {self.spec}"
        return ClusterLost(
            f"{where} stopped answering after {done:,} files were written; those stay in "
            "the library, and 'reader import --resume' continues with the rest once it is "
            "running again."
        )


def _probe(address: str) -> None:
    """Open and close a TCP connection to the scheduler: refused or silent fails at once."""
    host, _, port = address.split("://", 1)[1].rpartition(":")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT):
        pass


class _Runner(Generic[Item]):
    """The loop behind ``Cluster.run``: a bounded number of tasks in flight."""

    def __init__(
        self,
        cluster: Cluster,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        tasks: Iterator[list[Item]],
        done: Callable[[], int],
    ) -> None:
        self.cluster = cluster
        self.client = cluster.client
        self.function = function
        self.args = args
        self.tasks = tasks
        self.done = done
        self.retry: deque[list[Item]] = deque()  # tasks to send again, before new ones
        # Items of tasks that killed workers, tried one at a time with nothing else running:
        # a dying worker also fails the tasks queued beside the culprit's, so only an item
        # that kills a worker all alone is surely the culprit (as in the window's import).
        self.suspects: deque[Item] = deque()
        self.in_flight: dict[distributed.Future, list[Item]] = {}
        self.capacity = 0
        self.capacity_checked = 0.0
        self.unreachable_since: float | None = None

    def results(self) -> Iterator[tuple[list[Item], Any]]:
        try:
            self._fill()
            while self.in_flight:
                for future in self._wait():
                    task = self.in_flight.pop(future)
                    outcome = self._outcome(future, task)
                    if outcome is not None:
                        yield outcome
                self._fill()
        finally:
            if self.in_flight:  # interrupted, or the scheduler went away
                try:
                    self.client.cancel(list(self.in_flight), reason="import stopped")
                except Exception:
                    log.debug("Cancelling tasks failed", exc_info=True)
                self.in_flight.clear()

    def _fill(self) -> None:
        if self.suspects:
            if not self.in_flight:
                self._submit([self.suspects.popleft()])
            return
        limit = self._capacity()
        while len(self.in_flight) < limit:
            task = self.retry.popleft() if self.retry else next(self.tasks, None)
            if task is None:
                return
            self._submit(task)

    def _submit(self, task: list[Item]) -> None:
        future = self.client.submit(self.function, task, *self.args, pure=False)
        self.in_flight[future] = task

    def _capacity(self) -> int:
        """Tasks to keep in flight: two per worker thread, rechecked as workers come and go."""
        now = time.monotonic()
        if now - self.capacity_checked > 5.0 or not self.capacity:
            threads = sum(self.cluster.workers().values())
            self.capacity = max(2, TASKS_PER_THREAD * threads)
            self.capacity_checked = now
        return self.capacity

    def _wait(self) -> list[distributed.Future]:
        """The futures that finished; checks the connection while none do."""
        try:
            finished, _ = distributed.wait(
                list(self.in_flight), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED"
            )
        except TimeoutError:
            self._check_connection()
            return []
        except _CANCELLED:  # the scheduler went away: its futures are cancelled
            return [future for future in self.in_flight if future.done()]
        return list(finished)

    def _check_connection(self) -> None:
        if self.client.status == "running":
            self.unreachable_since = None
            return
        now = time.monotonic()
        if self.unreachable_since is None:
            self.unreachable_since = now
            log.warning("Lost the connection to the scheduler (%s)", self.client.status)
        elif now - self.unreachable_since > LOST_AFTER or self.client.status == "closed":
            raise self.cluster._lost(self.done())

    def _outcome(
        self, future: distributed.Future, task: list[Item]
    ) -> tuple[list[Item], Any] | None:
        try:
            return task, future.result()
        except distributed.KilledWorker:
            if len(task) > 1 or self.in_flight:  # not alone: any of them, or a neighbour
                log.warning("A task of %d items killed workers; trying them alone", len(task))
                self.suspects.extend(task)
                return None
            return task, None
        except (*_CANCELLED, OSError, TimeoutError) as exc:
            # The scheduler went away (or restarted and forgot the task): wait for it a
            # while, then send the task again.
            log.warning("A task was lost (%s: %s)", type(exc).__name__, exc)
            self._wait_for_scheduler()
            self.retry.append(task)
            return None
        except Exception as exc:
            # Our task functions catch every failure of a file, so this is the worker's
            # environment: no reader installed there, or another version of it.
            log.exception("A task failed on a worker")
            raise ReaderError(
                f"The workers could not run reader's tasks ({type(exc).__name__}: {exc}); "
                "install the same version of reader, with the cluster extra, on every worker."
            ) from exc

    def _wait_for_scheduler(self) -> None:
        deadline = time.monotonic() + LOST_AFTER
        while self.client.status != "running":
            if time.monotonic() > deadline or self.client.status == "closed":
                raise self.cluster._lost(self.done())
            time.sleep(0.2)
