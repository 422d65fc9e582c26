"""Cutting the work into tasks: a few files, or a few texts, per task.

A task per file would cost the scheduler about as much as a short article costs a worker;
a task of a few files keeps that overhead small, and a cap on its bytes keeps one task
from holding a shelf of books (a worker that dies loses its tasks, which are then redone).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from reader.cluster.worker import FileOutcome, Source
from reader.documents.plain_loading import read_for_sending
from reader.store import Store

FILES_PER_TASK = 8
BYTES_PER_TASK = 8 * 1024 * 1024
TEXTS_PER_TASK = 16
CHARS_PER_TASK = 400_000


def file_tasks(
    pending: Iterable[tuple[int, str]],
    send_bytes: bool,
    refused: Callable[[FileOutcome], None],
) -> Iterator[list[Source]]:
    """Tasks of ``(number, path, bytes or None)``; files sent as bytes are read here.

    A file that cannot be read here for sending (missing, empty, too large) never leaves
    this computer: ``refused`` gets its outcome, with the loader's message.
    """
    task: list[Source] = []
    size = 0
    for number, path in pending:
        data: bytes | None = None
        if send_bytes:
            read = read_for_sending(path)
            if isinstance(read, str):
                refused(FileOutcome(number, path, None, read, None, ""))
                continue
            data, length = read, len(read)
        else:
            length = _size(path)
        if task and (len(task) >= FILES_PER_TASK or size + length > BYTES_PER_TASK):
            yield task
            task, size = [], 0
        task.append((number, path, data))
        size += length
    if task:
        yield task


def text_tasks(
    store: Store, document_ids: Iterable[int], hashes: dict[int, str]
) -> Iterator[list[tuple[int, str]]]:
    """Tasks of ``(document id, text)`` for documents already in the library.

    Texts are read from the library as tasks are needed; ``hashes`` gets each text's
    hash, which the writer needs to save the result.
    """
    task: list[tuple[int, str]] = []
    chars = 0
    for document_id in document_ids:
        if store.get_entry(document_id) is None:
            continue  # removed (in a window) since the list was made
        text, text_hash = store.get_text(document_id)  # the blocks are not needed here
        if task and (len(task) >= TEXTS_PER_TASK or chars + len(text) > CHARS_PER_TASK):
            yield task
            task, chars = [], 0
        hashes[document_id] = text_hash
        task.append((document_id, text))
        chars += len(text)
    if task:
        yield task


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the worker reads it and says what is wrong
