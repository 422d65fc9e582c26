"""The library database: documents, paths, notes, the analysis cache and full-text search.

Pure Python over the standard ``sqlite3`` module (no Qt). Open it with ``open_store()``;
everything else is a method of ``Store``. Failures reach the caller as ``StoreError``
(from ``reader.errors``) whose message can be shown to the researcher as it is.
"""

from __future__ import annotations

from reader.errors import StoreError
from reader.store.library import ImportResult, ImportStatus, LibraryEntry
from reader.store.migrations import LATEST_VERSION
from reader.store.search import MentionHit, SearchHit, parse_entity_query, parse_query
from reader.store.store import Store, open_store

__all__ = [
    "LATEST_VERSION",
    "ImportResult",
    "ImportStatus",
    "LibraryEntry",
    "MentionHit",
    "SearchHit",
    "Store",
    "StoreError",
    "open_store",
    "parse_entity_query",
    "parse_query",
]
