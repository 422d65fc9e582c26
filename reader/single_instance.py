"""One reader window per library: a second ``reader FILE`` hands its files to the first.

Two processes writing the same library is safe (SQLite in WAL mode) but confusing: the
researcher gets two windows whose library panels disagree. So the first reader listens on a
local socket named after its data folder, and a later start sends its file list there and
exits. A local socket is a file on this machine; nothing goes over a network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from reader import paths

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
_MAX_MESSAGE = 1024 * 1024


def server_name() -> str:
    """A name per user and data folder: portable installs and tests do not collide."""
    folder = str(paths.data_dir())
    digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    return f"reader-{user}-{digest}"


def hand_over(files: list[str]) -> bool:
    """Send ``files`` to a running reader; False when none is listening."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    message = json.dumps({"open": [os.path.abspath(f) for f in files]}).encode("utf-8")
    socket.write(message + b"\n")
    socket.flush()  # often writes everything at once, leaving nothing to wait for
    delivered = socket.bytesToWrite() == 0 or socket.waitForBytesWritten(CONNECT_TIMEOUT_MS * 4)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return delivered


class InstanceServer(QObject):
    """Listens for later starts; ``filesReceived`` carries the files they were given."""

    filesReceived = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        name = server_name()
        if self._server.listen(name):
            return True
        # A socket file left by a reader that crashed: nobody answered, so take it over.
        QLocalServer.removeServer(name)
        if self._server.listen(name):
            return True
        log.warning("Cannot listen on %s: %s", name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += bytes(socket.readAll().data())
        if len(buffer) > _MAX_MESSAGE:
            socket.abort()
            self._buffers.pop(socket, None)
            return
        if buffer.endswith(b"\n"):
            self._finish(socket)

    def _finish(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.pop(socket, None)
        socket.deleteLater()
        if not buffer:
            return
        try:
            files = json.loads(buffer.decode("utf-8")).get("open", [])
        except (ValueError, AttributeError):
            log.warning("Ignored a malformed message from another reader")
            return
        files = [f for f in files if isinstance(f, str)]
        if files:
            self.filesReceived.emit(files)
