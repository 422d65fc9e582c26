"""``reader import PATH… --cluster local[:N] | tcp://HOST:PORT`` and ``reader import --resume``.

The big-corpus form of ``reader import``: files are parsed and analysed on a Dask cluster
(``reader.cluster``) and written here, by this process alone, into the library. The file
list goes into a journal beside the library first, so Ctrl+C, a crash or a scheduler that
goes away costs nothing that was written: ``reader import --resume`` continues with the
files not yet done. With ``--analyse``, articles imported earlier without their names are
then analysed on the cluster too. Exit status as for ``reader import``: 0, 1 when files
failed (or one line on stderr for a cluster or library that fails), 130 on Ctrl+C.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.cluster import require_dask
from reader.cluster.batches import file_tasks, text_tasks
from reader.cluster.journal import ImportJournal, journal_path
from reader.cluster.progress import ProgressMeter
from reader.cluster.spec import ClusterSpec, parse_spec, spec_from
from reader.cluster.worker import BatchOutcome, FileOutcome, TextOutcome
from reader.cluster.writer import LibraryWriter
from reader.commands.cluster_report import ClusterReport, files_line
from reader.commands.importing import FileResult, collect_files, no_articles
from reader.commands.output import note
from reader.errors import ReaderError
from reader.services.analysis_cache import AnalysisReport
from reader.services.library import open_library
from reader.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Plan:
    spec: ClusterSpec
    analyse: bool
    send_files: bool
    model: str
    files: bool  # False: only analyse what is already in the library
    resumed: bool = False


def wanted(args: argparse.Namespace) -> bool:
    """Whether ``reader import`` goes to a cluster (``--cluster``, READER_CLUSTER, --resume)."""
    if spec_from(getattr(args, "cluster", None)) is not None or getattr(args, "resume", False):
        return True
    if getattr(args, "send_files", False):
        raise ReaderError(
            "--send-files sends the files to a cluster's workers; use it with --cluster."
        )
    return False


def run_cluster_import(args: argparse.Namespace, model: str) -> int:
    spec = spec_from(args.cluster)
    require_dask()  # before anything is walked or written
    with open_library() as store, ImportJournal(journal_path(store.path)) as journal:
        plan = _plan(args, spec, model, journal)
        return _Run(store, journal, plan, bool(args.json)).run()


def _plan(
    args: argparse.Namespace, spec: ClusterSpec | None, model: str, journal: ImportJournal
) -> Plan:
    unfinished = journal.counts().get("pending", 0) if not journal.finished else 0
    if args.resume:
        options = journal.options()
        if args.paths:
            raise ReaderError(
                "--resume continues the last import with its own list of files; run it "
                "without naming files or folders."
            )
        if options is None or not unfinished:
            raise ReaderError(
                "There is no unfinished cluster import to resume in this library; start one "
                "with reader import PATH… --cluster local."
            )
        return Plan(
            spec or parse_spec(str(options["cluster"])),
            analyse=bool(options["analyse"]) or args.analyse,
            send_files=bool(options["send_files"]) or args.send_files,
            model=args.model or str(options["model"]),
            files=True,
            resumed=True,
        )
    assert spec is not None
    if not args.paths and not args.analyse:
        raise ReaderError(
            "Name at least one file or folder to import, e.g. reader import ~/articles "
            "--cluster local; or add --analyse to analyse what is already imported."
        )
    plan = Plan(spec, args.analyse, args.send_files, model, files=bool(args.paths))
    if plan.files:
        candidates = collect_files(args.paths)
        first = next(candidates, None)
        if first is None:
            raise no_articles(args.paths)
        options = {"cluster": str(spec), "analyse": plan.analyse}
        options |= {"send_files": plan.send_files, "model": model, "paths": args.paths}
        journal.start(options, _rows(itertools.chain([first], candidates)))
        if unfinished:
            note(
                f"The unfinished import of {unfinished:,} more files was replaced by this one "
                "(what it imported stays in the library)."
            )
    return plan


def _rows(candidates: Iterable[str | FileResult]) -> Iterator[tuple[str, str]]:
    """Journal rows: absolute paths (a resumed run may start elsewhere), or a failure."""
    for item in candidates:
        if isinstance(item, FileResult):
            yield item.path, item.error
        else:
            yield os.path.abspath(item), ""


class _Run:
    """One cluster import: connect, check, send the files, write, report."""

    def __init__(self, store: Store, journal: ImportJournal, plan: Plan, json_lines: bool):
        self.store = store
        self.journal = journal
        self.plan = plan
        counts = journal.counts() if plan.files else {}
        total = sum(counts.values())
        self.meter = ProgressMeter(total, total - counts.get("pending", 0))
        self.report = ClusterReport(json_lines, self.meter)
        self.model_key: str | None = None
        self.model_label = ""
        self.writer: LibraryWriter | None = None

    def run(self) -> int:
        from reader.cluster.dispatch import Cluster, ClusterLost

        interrupted = False
        lost: ClusterLost | None = None
        with Cluster(self.plan.spec) as cluster:
            try:
                self._check(cluster)
                writer = self.writer = LibraryWriter(
                    self.store, self.journal, self.model_key, self.report.written
                )
                if self.plan.files:
                    self._import_files(cluster, writer)
                if self.plan.analyse:
                    self._analyse_library(cluster, writer)
            except KeyboardInterrupt:
                interrupted = True
            except ClusterLost as exc:
                lost = exc
            finally:
                if self.writer is not None:
                    self.writer.flush()
        counts = self.journal.counts() if self.plan.files else {}
        if self.plan.files and not counts.get("pending"):
            self.journal.finish()
        self._summary(counts, interrupted, lost)
        if lost is not None:
            raise lost
        if interrupted:
            raise KeyboardInterrupt  # cli.main says "interrupted" and exits with 130
        return 1 if counts.get("failed") or self.report.analysis_failed else 0

    def _check(self, cluster: Any) -> None:
        """Refuse, before any work is sent, a model or file mismatch on the workers."""
        plan = self.plan
        if plan.analyse:
            from reader.entities.models import expected_analysis_key

            check = cluster.check_model(plan.model, expected_analysis_key(plan.model))
            self.model_key, self.model_label = check.model_key, check.label
        first = next(self.journal.pending(page=1), None) if plan.files else None
        if first is not None and not plan.send_files and not plan.spec.local:
            unseen = cluster.unseen_by_workers(first[1])
            if unseen:
                raise ReaderError(
                    f"The worker {unseen[0]} cannot read “{first[1]}”; put the files in a "
                    "folder every worker sees at the same path, or add --send-files to send "
                    "them from this computer."
                )
        how = "files are sent to the workers" if plan.send_files else "workers read the files"
        self.report.start(
            total=self.meter.total,
            done_before=self.meter.done_before,
            cluster=plan.spec.describe(),
            cluster_address=str(plan.spec),
            workers=len(cluster.workers()),
            model=self.model_label or None,
            model_key=self.model_key,
            files=how + ("" if plan.send_files else " where they are"),
            send_files=plan.send_files,
        )

    def _import_files(self, cluster: Any, writer: LibraryWriter) -> None:
        from reader.cluster.worker import process_files

        def refused(outcome: FileOutcome) -> None:
            writer.add(BatchOutcome("", "", 0, [outcome]))

        model = self.plan.model if self.plan.analyse else None
        tasks = file_tasks(self.journal.pending(), self.plan.send_files, refused)
        for task, result in cluster.run(process_files, tasks, model, done=self._done):
            if result is None:  # alone, it killed one worker after another
                killed = [FileOutcome(n, p, None, _killed(p), None, "") for n, p, _ in task]
                result = BatchOutcome("", "", 0, killed)
            writer.add(result)
        writer.flush()

    def _analyse_library(self, cluster: Any, writer: LibraryWriter) -> None:
        """Articles imported earlier without their names: analysed on the cluster too."""
        from reader.cluster.worker import analyse_texts

        assert self.model_key is not None
        pending = self.store.documents_needing_analysis(self.model_key)
        hashes: dict[int, str] = {}
        done = 0
        tasks = text_tasks(self.store, pending, hashes)
        for task, result in cluster.run(analyse_texts, tasks, self.plan.model, done=self._done):
            if result is None:
                reason = "the worker processes stopped while analysing it"
                batch = BatchOutcome("", "", 0, [])
                outcomes = [TextOutcome(document_id, None, reason) for document_id, _ in task]
            else:
                batch, outcomes = result
            rows = writer.write_analyses(batch, outcomes, hashes)
            for document_id, _ in task:
                hashes.pop(document_id, None)
            done += len(task)
            failed = [(self._title(i), reason) for i, count, reason in rows if count is None]
            mentions = sum(count for _, count, _ in rows if count is not None)
            analysed = sum(1 for _, count, _ in rows if count is not None)
            self.report.analysis(done, len(pending), analysed, mentions, failed)

    def _done(self) -> int:
        return self.meter.done

    def _title(self, document_id: int) -> str:
        entry = self.store.get_entry(document_id)
        return entry.title if entry is not None else f"article #{document_id}"

    def _summary(self, counts: dict[str, int], interrupted: bool, lost: Exception | None) -> None:
        stopped = interrupted or lost is not None
        analysis: AnalysisReport | None = None
        if self.plan.analyse and self.model_key is not None:
            analysis = AnalysisReport(
                self.model_label,
                self.model_key,
                analysed=self.report.analysed,
                mentions=self.report.mentions,
                failed=self.report.analysis_failed,
                seconds=self.meter.seconds,
                interrupted=stopped,
            )
        workers = self.writer.workers if self.writer is not None else {}
        log.info("Cluster import by worker: %s", workers)
        summary: dict[str, Any] = {
            "totals": counts,
            "seconds": round(self.meter.seconds, 3),
            "files_per_second": round(self.meter.overall_rate, 2),
            "analysis": analysis.to_json() if analysis is not None else None,
            "workers": workers,
            "interrupted": interrupted,
            "error": lost.message if isinstance(lost, ReaderError) else None,
        }
        lines = [files_line(counts, self.meter, stopped)] if self.plan.files else []
        if analysis is not None:
            lines.append(analysis.line())
        self.report.finish(summary, lines)


def _killed(path: str) -> str:
    return (
        f"“{Path(path).name}” could not be read: the worker processes stopped each time "
        "they read it, so the file may be damaged; try opening it on its own."
    )
