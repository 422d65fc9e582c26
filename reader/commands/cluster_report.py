"""What ``reader import --cluster`` says while it runs: terminal lines or JSON lines.

On a terminal: a start line and a rewritten progress line on stderr (files/s, done of
total, failures, time left), one line on stdout per file that failed or was imported
without its names, and a summary. With ``--json``: one JSON object per line on stdout,
``{"event": "start" | "file" | "progress" | "summary", ...}``, so that a script can follow
an import of a million files without waiting for one huge document at the end.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from reader.cluster.progress import ProgressMeter, duration
from reader.cluster.writer import Written
from reader.commands.output import Progress, print_line
from reader.filenames import quoted

PROGRESS_EVERY = 1.0  # seconds between JSON progress lines
TERMINAL_EVERY = 0.2  # seconds between redraws of the terminal's progress line


class ClusterReport:
    def __init__(self, json_lines: bool, meter: ProgressMeter) -> None:
        self.json_lines = json_lines
        self.meter = meter
        self.terminal = Progress() if sys.stderr.isatty() else None
        self.analysed = 0
        self.mentions = 0
        self.analysis_failed: list[str] = []  # paths or document titles
        self._last_shown = 0.0
        self._analysis: tuple[int, int] | None = None  # done, total of the analysis phase

    # -- events -----------------------------------------------------------------------------

    def start(self, **fields: Any) -> None:
        """``total``, ``done_before``, ``cluster``, ``workers``, ``model``, ``files``."""
        if self.json_lines:
            self._emit("start", **fields)
            return
        done_before = fields.get("done_before", 0)
        what = f"Importing {fields['total']:,} files"
        if done_before:
            what = f"Resuming an import of {fields['total']:,} files ({done_before:,} done before)"
        if not fields["total"]:
            what = "Analysing the articles in the library not yet analysed"
        model = f" and {fields['model']}" if fields.get("model") else ""
        how = f"; {fields['files']}" if fields["total"] else ""
        self._note(f"{what} with {fields['cluster']}{model}{how}.")

    def written(self, items: list[Written]) -> None:
        """Files now in the library (or failed): counted once each, here."""
        failed = 0
        for item in items:
            failed += item.status == "failed"
            if item.mentions is not None:
                self.analysed += 1
                self.mentions += item.mentions
            elif item.analysis_error:
                self.analysis_failed.append(item.path)
            if self.json_lines:
                self._emit(
                    "file",
                    path=item.path,
                    status=item.status,
                    document_id=item.document_id,
                    title=item.title,
                    error=item.error or None,
                    mentions=item.mentions,
                    analysis_error=item.analysis_error or None,
                )
            elif item.status == "failed":
                self._line(f"{quoted(item.path)}: failed: {item.error}")
            elif item.analysis_error:
                self._line(
                    f"{quoted(item.path)}: imported without its names: {item.analysis_error}"
                )
        self.meter.add(len(items), failed)
        self.tick()

    def analysis(
        self, done: int, total: int, analysed: int, mentions: int, failed: list[tuple[str, str]]
    ) -> None:
        """Progress of the analysis of articles that were already in the library."""
        self._analysis = (done, total)
        self.analysed += analysed
        self.mentions += mentions
        for title, reason in failed:
            self.analysis_failed.append(title)
            if not self.json_lines:
                self._line(f"{title}: its names could not be found: {reason}")
        self.tick()

    def tick(self, force: bool = False) -> None:
        now = time.monotonic()
        every = PROGRESS_EVERY if self.json_lines else TERMINAL_EVERY
        if not force and now - self._last_shown < every:
            return
        self._last_shown = now
        if self.json_lines:
            phase = {"phase": "analysis", "analysed": self._analysis[0]} if self._analysis else {}
            self._emit("progress", **self.meter.snapshot(), **phase)
        elif self.terminal is not None:
            if self._analysis is not None:
                done, total = self._analysis
                self.terminal.show(
                    f"analysing articles already in the library: {done:,} of {total:,}"
                )
            else:
                self.terminal.show(self.meter.line())

    def finish(self, summary: dict[str, Any], lines: list[str]) -> None:
        if self.terminal is not None:
            self.terminal.done()
        if self.json_lines:
            self._emit("summary", **summary)
        else:
            for line in lines:
                self._line(line)

    # -- output -----------------------------------------------------------------------------

    def _emit(self, event: str, **fields: Any) -> None:
        print_line(json.dumps({"event": event, **fields}, ensure_ascii=False))

    def _line(self, text: str) -> None:
        if self.terminal is not None:
            self.terminal.done()
        print_line(text)

    def _note(self, text: str) -> None:
        if self.terminal is not None:
            self.terminal.done()
        print(text, file=sys.stderr, flush=True)


def files_line(counts: dict[str, int], meter: ProgressMeter, interrupted: bool) -> str:
    """The summary of the file phase, over the whole import (earlier attempts included)."""
    total = sum(counts.values())
    pending = counts.get("pending", 0)
    outcome = (
        f"{counts.get('imported', 0):,} imported, {counts.get('present', 0):,} already "
        f"present, {counts.get('updated', 0):,} updated, {counts.get('failed', 0):,} failed"
    )
    done_now = meter.done - meter.done_before
    speed = f"{done_now:,} in {duration(meter.seconds)}, {meter.overall_rate:.1f} files/s"
    if interrupted or pending:
        return (
            f"Stopped with {pending:,} of {total:,} files left ({outcome}; {speed}); what was "
            "imported stays in the library, and 'reader import --resume' continues with the rest."
        )
    files = "file" if total == 1 else "files"
    text = f"{total:,} {files}: {outcome} ({speed})"
    if counts.get("failed"):
        return f"{text}; the files that failed were skipped (reasons above)."
    return text + "."
