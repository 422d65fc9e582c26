"""Importing and analysing a big corpus on a Dask cluster (``reader import --cluster``).

Optional: Dask is the ``cluster`` extra, never part of the desktop build, and only
``dispatch`` imports it. The work itself is the window's: workers parse files with
``reader.documents.plain_loading`` and find names with ``EntityEngine.analyse_text``
(``worker``); the results come back as plain data to one writer, the process that holds
the library (``writer``), which records in a journal beside the library what is done
(``journal``), so that an interrupted import can be resumed.
"""

from __future__ import annotations

from reader.errors import ReaderError

INSTALL_HINT = 'pip install "reader[cluster]" (pip install -e ".[cluster]" in a source checkout)'


def require_dask() -> None:
    """Raise a sentence the user can act on when Dask is not installed."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise ReaderError(
            f"--cluster needs Dask, which is not installed here; install it with {INSTALL_HINT}."
        ) from None
