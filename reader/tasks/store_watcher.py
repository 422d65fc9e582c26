"""Changes made to the library elsewhere (a command in a shell, another window) reach this
window within a second.

SQLite tells a connection, cheaply, whether *other* connections committed since it last
asked: ``PRAGMA data_version``. The watcher asks the GUI thread's own connection a few times
a second (a QTimer; the pragma reads no table). That connection's value moves for commits by
the operations runner's connection and by other processes, never for its own (the writes
done with ``OperationsRunner.now``, such as a note being typed). So:

* a change seen while the runner is idle, and did nothing since the last look, was made
  elsewhere: ``runner.announce(Changes.EVERYTHING)`` and the panels and session refresh;
* a change seen while the runner's operations are in flight (or answered since the last
  look) may be the window's own: nothing is announced then. Once the runner is idle, a
  fingerprint of the user's data (articles, notes, correction rules) is compared with the
  one taken at the last quiet moment, and only what differs is announced. So an own write
  never makes a false "changed elsewhere", and a change made elsewhere meanwhile is still
  found. The fingerprint is taken again after the window's own ``now`` writes.
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
        self._local = runner.local_writes
        self._unsure = False
        self._fingerprint: Fingerprint = {}
        self._timer = QTimer(self)
        self._timer.setInterval(interval)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        if self.runner.store is None:
            return  # no library: nothing to watch
        self._rebaseline()
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
        local = self.runner.local_writes != self._local
        self._answered, self._local = self.runner.answered, self.runner.local_writes
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
            changed = Changes.NONE
            for kind, value in self._fingerprint.items():
                if before.get(kind) != value:
                    changed |= kind
            if changed:
                self._announce(changed)
        elif local and not self._unsure:
            self._fingerprint = self._take_fingerprint()  # the window's own writes

    def _announce(self, changes: Changes) -> None:
        log.debug("The library changed elsewhere: %s", changes)
        self._fingerprint = self._take_fingerprint()
        self.runner.announce(changes)
        self.changedElsewhere.emit(changes)

    def _rebaseline(self) -> None:
        self._version = self._data_version()
        self._answered, self._local = self.runner.answered, self.runner.local_writes
        self._unsure = False
        self._fingerprint = self._take_fingerprint()

    def _data_version(self) -> int | None:
        store = self.runner.store
        if store is None:
            return None
        try:
            return int(store.conn.execute("PRAGMA data_version").fetchone()[0])
        except (sqlite3.Error, ReferenceError) as error:
            log.debug("Store watcher: %s", error)
            return None
        except Exception as error:  # the store was closed (StoreError): stop looking
            log.debug("Store watcher stops: %s", error)
            self.stop()
            return None

    def _take_fingerprint(self) -> Fingerprint:
        store = self.runner.store
        found: Fingerprint = {}
        if store is None:
            return found
        for kind, sql in _FINGERPRINTS.items():
            try:
                found[kind] = tuple(store.conn.execute(sql).fetchone())
            except Exception:  # a missing table (an old schema) or a closed store
                found[kind] = ()
        return found
