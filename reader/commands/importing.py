"""``reader import PATH... [--analyse] [--json]``: files and folders into the library.

Every file is loaded and imported in its own transaction, and one line per file is printed
as it happens, so a long import shows its progress, a file that cannot be read costs only
itself, and Ctrl+C keeps everything imported so far. Exit status: 0 when every file was
imported (or already there), 1 when some failed (the others are imported all the same), 1
with one line on stderr when the library itself cannot be written, 130 on Ctrl+C.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import paths
from reader.commands.output import Progress, print_json, print_line
from reader.documents.budget import DEFAULT_SECONDS, time_budget
from reader.documents.loader import SUPPORTED_SUFFIXES, load_document
from reader.errors import DocumentError, ReaderError
from reader.filenames import quoted
from reader.services import analysis_cache
from reader.services.analysis_cache import AnalysisReport
from reader.services.library import open_library
from reader.store import Store

if TYPE_CHECKING:
    from reader.entities.engine import EntityEngine

log = logging.getLogger(__name__)

STATUS_WORDS = {
    "imported": "imported",
    "present": "already in the library",
    "updated": "updated",
    "failed": "failed",
}


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file: its path as the user wrote it, and the outcome."""

    path: str
    status: str  # "imported", "present", "updated" or "failed"
    document_id: int | None = None
    title: str = ""
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "document_id": self.document_id,
            "title": self.title,
            "error": self.error or None,
        }

    def line(self) -> str:
        name = quoted(self.path)  # one line per file, whatever the name holds
        if self.status == "failed":
            return f"{name}: failed: {self.error}"
        return f"{name}: {STATUS_WORDS[self.status]} (#{self.document_id}, {self.title})"


def collect_files(targets: Sequence[str]) -> Iterator[str | FileResult]:
    """The files to import, in a stable order; a folder that cannot be listed is a failure.

    Folders are searched recursively for the suffixes reader opens, skipping hidden files
    and folders (``.git``, ``.DS_Store``) and Office lock files (``~$draft.docx``), which
    are never articles. A file named explicitly is tried whatever its suffix: the user
    asked for it, and the loader recognises formats by content.
    """
    seen: set[str] = set()
    for target in targets:
        if os.path.isdir(target):
            candidates: Iterable[str | FileResult] = _walk(target)
        else:
            candidates = [target]
        for item in candidates:
            if isinstance(item, str):
                key = os.path.abspath(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _walk(folder: str) -> Iterator[str | FileResult]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from (_folder_failure(error) for error in errors)
        errors.clear()
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield os.path.join(root, name)
    yield from (_folder_failure(error) for error in errors)


def _folder_failure(error: OSError) -> FileResult:
    where = error.filename or ""
    reason = (
        f"the folder “{Path(where).name}” could not be read ({error.strerror or error}); "
        "check its permissions, then import it again"
    )
    return FileResult(str(where), "failed", error=reason)


def import_files(
    store: Store, candidates: Iterable[str | FileResult], budget: float | None = DEFAULT_SECONDS
) -> Iterator[FileResult]:
    """Load and import each file in its own transaction; a file that fails is skipped.

    A generator, so that the caller can print each line as it happens and keep what was
    done when Ctrl+C arrives. An unexpected exception from a format reader fails that file,
    not the whole import: a bug met on file 600 of 1,000 must not throw away the other 999.
    Store failures (disk full, library locked) stop everything, since every later file
    would fail the same way.
    """
    for item in candidates:
        yield item if isinstance(item, FileResult) else _import_one(store, item, budget)


def _import_one(store: Store, path: str, budget: float | None = DEFAULT_SECONDS) -> FileResult:
    try:
        with time_budget(path, budget):
            document = load_document(path)
    except DocumentError as error:
        return FileResult(path, "failed", error=error.message)
    except Exception as error:
        log.exception("Reading %s failed", path)
        return FileResult(path, "failed", error=_unexpected(path, error))
    imported = store.import_document(document)
    return FileResult(path, imported.status, imported.document_id, imported.title)


def _unexpected(path: str, error: BaseException) -> str:
    return (
        f"Could not read “{Path(path).name}” ({type(error).__name__}); this is a bug "
        f"in reader, and the details are in {paths.log_file()}"
    )


def totals(results: Sequence[FileResult]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_WORDS, 0)
    for result in results:
        counts[result.status] += 1
    return counts


def summary_line(results: Sequence[FileResult], *, interrupted: bool = False) -> str:
    counts = totals(results)
    files = "file" if len(results) == 1 else "files"
    text = (
        f"{len(results)} {files}: {counts['imported']} imported, {counts['present']} already "
        f"present, {counts['updated']} updated, {counts['failed']} failed"
    )
    if interrupted:
        return f"Interrupted after {text}; what was imported stays in the library."
    if counts["failed"]:
        return f"{text}; the files that failed were skipped (reasons above)."
    return text + "."


def make_engine(model: str) -> EntityEngine:
    """The spaCy engine for ``--analyse``; a seam that the unit tests replace."""
    from reader.entities.engine import EntityEngine

    return EntityEngine(model)


def analyse_pending(
    store: Store,
    model: str,
    progress: Callable[[int, int, str], None] = lambda done, total, title: None,
) -> AnalysisReport:
    """Analyse every document without a cached result (``services.analysis_cache``)."""
    # Looked up at call time: the unit tests replace ``make_engine`` with a ruler.
    return analysis_cache.analyse_pending(store, model, lambda name: make_engine(name), progress)


def no_articles(targets: Sequence[str]) -> ReaderError:
    return ReaderError(
        "No articles were found in "
        + ", ".join(f"“{p}”" for p in targets)
        + f"; reader imports files named {', '.join(SUPPORTED_SUFFIXES)}."
    )


def run_import(args: argparse.Namespace) -> int:
    from reader.commands import cluster_import  # Dask itself only once a cluster is used

    if cluster_import.wanted(args):
        return cluster_import.run_cluster_import(args, _model(args))
    if not args.paths and not args.analyse:
        raise ReaderError(
            "Name at least one file or folder to import, e.g. reader import ~/articles; "
            "or use 'reader import --analyse' alone to analyse what is already imported."
        )
    results: list[FileResult] = []
    analysis: AnalysisReport | None = None
    interrupted = False
    progress = Progress() if sys.stderr.isatty() else None
    with open_library() as store:
        if _many(args.paths) and store.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            store.back_up("import")  # before a bulk change, so that it can be undone
        try:
            budget = getattr(args, "time_limit", DEFAULT_SECONDS)
            for result in import_files(store, collect_files(args.paths), budget):
                results.append(result)
                if not args.json:
                    print_line(result.line())
                elif progress is not None:
                    progress.show(f"{len(results)} files: {result.path}")
        except KeyboardInterrupt:
            interrupted = True
        if progress is not None:
            progress.done()
        if args.paths and not results and not interrupted:
            raise no_articles(args.paths)
        if not args.json and args.paths:
            print_line(summary_line(results, interrupted=interrupted))
        if args.analyse and not interrupted:
            analysis = analyse_pending(store, _model(args), _analysis_progress(progress))
            if progress is not None:
                progress.done()
            interrupted = analysis.interrupted
            if not args.json:
                print_line(analysis.line())
    if args.json:
        output: dict[str, Any] = {
            "files": [r.to_json() for r in results],
            "totals": totals(results),
            "analysis": analysis.to_json() if analysis is not None else None,
            "interrupted": interrupted,
        }
        print_json(output)
    if interrupted:
        raise KeyboardInterrupt  # cli.main says "interrupted" and exits with 130
    failed = totals(results)["failed"] or (analysis is not None and analysis.failed)
    return 1 if failed else 0


def _many(targets: Sequence[str]) -> bool:
    """An import of a folder or of several files is a bulk change, worth a backup first."""
    return len(targets) > 1 or any(os.path.isdir(t) for t in targets)


def _analysis_progress(progress: Progress | None) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, title: str) -> None:
        if progress is not None:
            progress.show(f"analysing {done} of {total}: {title}")

    return show


def _model(args: argparse.Namespace) -> str:
    if args.model:
        return str(args.model)
    from reader import settings as settings_module

    return settings_module.load().model
