"""Where the work goes: ``local``, ``local:N`` or a scheduler's ``tcp://HOST:PORT``.

Given with ``--cluster`` or the ``READER_CLUSTER`` environment variable; a bad value is
refused with a sentence before anything is started or imported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from reader.errors import ReaderError

ENVIRONMENT_VARIABLE = "READER_CLUSTER"
MAX_LOCAL_WORKERS = 256  # a typing slip ("local:2000") should not start 2,000 processes

_ADDRESS = re.compile(r"^(tcp|tls)://(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9._-]+):(\d{1,5})$")


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """A local cluster of ``workers`` processes, or the scheduler at ``address``."""

    address: str = ""  # "tcp://host:port"; "" for a local cluster
    workers: int = 0  # for a local cluster

    @property
    def local(self) -> bool:
        return not self.address

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.local else self.address

    def describe(self) -> str:
        """How the start line names it: "a local cluster of 2 workers"."""
        if self.local:
            noun = "worker" if self.workers == 1 else "workers"
            return f"a local cluster of {self.workers} {noun}"
        return f"the cluster at {self.address}"


def parse_spec(value: str) -> ClusterSpec:
    """``local`` (one worker per core), ``local:N`` or ``tcp://HOST:PORT``."""
    text = value.strip()
    if text == "local":
        return ClusterSpec(workers=os.cpu_count() or 1)
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise ReaderError(
                f"“{value}” is not a number of local workers; write local:N with N from 1 "
                f"to {MAX_LOCAL_WORKERS}, e.g. --cluster local:4."
            )
        return ClusterSpec(workers=int(count))
    match = _ADDRESS.match(text)
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise ReaderError(
            f"“{value}” is not a cluster reader knows; use --cluster local, local:N or the "
            "address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."
        )
    return ClusterSpec(address=text)


def spec_from(option: str | None) -> ClusterSpec | None:
    """The cluster asked for on the command line, else in ``READER_CLUSTER``, else None."""
    value = option if option else os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return parse_spec(value) if value else None
