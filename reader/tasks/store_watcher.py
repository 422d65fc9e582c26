"""Changes made to the library elsewhere (a command in a shell, another window) reach this
window within a second.

SQLite tells a connection, cheaply, whether *other* connections committed since it last
asked: ``PRAGMA data_version``. The watcher asks the GUI thread's own connection four times
a second (a QTimer; the pragma reads no table). That connection's value moves for commits
by the operations runner's connection and by other processes, never for its own. So:

* a change seen while the runner is idle, and did nothing since the last look, was made
  elsewhere: ``runner.announce(Changes.EVERYTHING)``, and the panels and session refresh;
* a change seen while the runner's operations are in flight (or answered since the last
  look) may be the window's own: nothing is announced then. Once the runner is idle, a
  fingerprint of the library (articles, notes, correction rules, analyses) is compared with the
  one kept from the last quiet moment; what differs, and what the runner's operations did
  not say they changed (``OperationsRunner.take_own_changes``), is announced. A change
  made elsewhere meanwhile is still found, unless the runner changed the same kind of data
  at that moment (its own refresh then shows it).
* the window's own writes on the GUI connection (``OperationsRunner.now``: a note being
  typed, a correction) move no data version. The fingerprint of what such a write changes
  is read just before and after it: if nothing else had changed it, the kept fingerprint
  simply moves on with it; if something had, that is news from elsewhere.

So the window's own writes never make a false "changed elsewhere" (which would refresh the
notes under a researcher's typing), and changes made elsewhere are never taken for its own.
"""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal

from reader.tasks.operations import Changes, OperationsRunner

log = logging.getLogger(__name__)

POLL_MS = 250  # four looks a second: a change elsewhere shows well within a second

Fingerprint = dict[Changes, tuple[object, ...]]
_FINGERPRINTS = {
    Changes.DOCUMENTS: "SELECT count(*), max(id), max(modified) FROM documents",
    Changes.NOTES: "SELECT count(*), max(id), max(modified) FROM notes",
    Changes.CORRECTIONS: "SELECT max(id) FROM correction_history",
    # Articles analysed, and what the rules do to them (a shell's rule is stored first and
    # applied to the library a moment later: its counts are news of their own).
    Changes.ANALYSES: "SELECT (SELECT count(summary_model_key) FROM documents),"
    " (SELECT count(*) FROM correction_effects), (SELECT total(changes) FROM correction_effects)",
}


class StoreWatcher(QObject):
    changedElsewhere = Signal(object)  # Changes, as announced to the runner

    def __init__(
        self, runner: OperationsRunner, parent: QObject | None = None, interval: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._version: int | None = None
        self._answered = runner.answered
        self._unsure = False
        self._own = Changes.NONE  # what the runner's operations changed while unsure
        self._elsewhere = Changes.NONE  # found around the window's own writes
        self._fingerprint: Fingerprint = {}
        self._before: Fingerprint = {}
        self._timer = QTimer(self)
        self._timer.setInterval(interval)
        self._timer.timeout.connect(self.poll)
        runner.localWriteStarting.connect(self._local_write_starting)
        runner.localWriteDone.connect(self._local_write_done)

    def start(self) -> None:
        if self.runner.store is None:
            return  # no library: nothing to watch
        self._version = self._data_version()
        self._answered = self.runner.answered
        self._unsure = False
        self._own = self._elsewhere = Changes.NONE
        self.runner.take_own_changes()
        self._fingerprint = self._take_fingerprint()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def poll(self) -> None:
        version = self._data_version()
        if version is None:
            return
        settled = self.runner.pending == 0 and self.runner.answered == self._answered
        self._answered = self.runner.answered
        own = self.runner.take_own_changes()
        if self._unsure or version != self._version:
            self._own |= own
        if version != self._version:
            self._version = version
            if settled and not self._unsure:
                self._announce(Changes.EVERYTHING)
            else:
                self._unsure = True  # perhaps the runner's own commit: decide when idle
            return
        if self._unsure and settled:
            self._unsure = False
            before = self._fingerprint
            self._fingerprint = self._take_fingerprint()
            changed = self._elsewhere
            for kind, value in self._fingerprint.items():
                if before.get(kind) != value and not kind & self._own:
                    changed |= kind
            self._own = self._elsewhere = Changes.NONE
            if changed:
                self._announce(changed)
        elif self._elsewhere and settled:
            changed, self._elsewhere = self._elsewhere, Changes.NONE
            self._announce(changed)

    # -- the window's own writes on the GUI connection --------------------------------------------

    def _local_write_starting(self, changes: Changes) -> None:
        if self.active:
            self._before = self._take_fingerprint(changes)

    def _local_write_done(self, changes: Changes) -> None:
        if not self.active:
            return
        after = self._take_fingerprint(changes)
        for kind, value in after.items():
            if self._before.get(kind) != self._fingerprint.get(kind):
                self._elsewhere |= kind  # it had changed before this write began
            self._fingerprint[kind] = value
        self._before = {}

    # -- looking ----------------------------------------------------------------------------------

    def _announce(self, changes: Changes) -> None:
        log.debug("The library changed elsewhere: %s", changes)
        self._fingerprint = self._take_fingerprint()
        self._elsewhere = Changes.NONE
        self.runner.announce(changes)
        self.changedElsewhere.emit(changes)

    def _data_version(self) -> int | None:
        store = self.runner.store
        if store is None:
            return None
        try:
            return int(store.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as error:
            log.debug("Store watcher: %s", error)
            return None
        except Exception as error:  # the store was closed (StoreError): stop looking
            log.debug("Store watcher stops: %s", error)
            self.stop()
            return None

    def _take_fingerprint(self, changes: Changes = Changes.EVERYTHING) -> Fingerprint:
        store = self.runner.store
        found: Fingerprint = {}
        if store is None:
            return found
        for kind, sql in _FINGERPRINTS.items():
            if not kind & changes:
                continue
            try:
                found[kind] = tuple(store.conn.execute(sql).fetchone())
            except Exception:  # a missing table (an old schema) or a closed store
                found[kind] = ()
        return found
