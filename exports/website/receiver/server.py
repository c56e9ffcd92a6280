"""The reference receiver's threaded HTTP server, and ``receiver_server()``.

The server holds what its request threads share (secrets, store, counts); each
request is answered by ``request_handler.WebhookRequestHandler``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from exports.website.receiver.received_store import DATABASE_NAME, ReceivedStore
from exports.website.receiver.request_handler import WebhookRequestHandler
from exports.website.signing import DEFAULT_TOLERANCE_SECONDS, webhook_secret_key


@dataclass
class ReceiverCounts:
    """What this server run accepted and refused, for the command's summary."""

    accepted: int = 0
    applied: int = 0
    refused: int = 0


class WebhookReceiverServer(ThreadingHTTPServer):
    """The receiver's HTTP server: secrets, store and counts shared by its threads.

    It is the ``request_handler.ReceiverContext`` its handlers read.
    """

    # Not daemon threads: closing the server waits for requests in flight, so the
    # store is never closed under a message being written.
    daemon_threads = False

    def __init__(
        self,
        address: tuple[str, int],
        *,
        secrets: Sequence[str],
        store_path: Path,
        tolerance_seconds: int,
        log: Callable[[str], None] | None,
    ) -> None:
        super().__init__(address, WebhookRequestHandler)
        self.secrets = list(secrets)
        self.tolerance_seconds = tolerance_seconds
        self.counts = ReceiverCounts()
        self._counts_lock = threading.Lock()
        # Kept-alive connections waiting for their next request, and whether the
        # server is closing (then it hangs up on them instead of waiting).
        self._waiting: set[socket.socket] = set()
        self._closing = False
        self._waiting_lock = threading.Lock()
        self._log = log
        try:
            self.store = ReceivedStore(store_path)
        except BaseException:
            super().server_close()
            raise

    @property
    def url(self) -> str:
        """The base URL the server listens on."""
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def count(self, *, accepted: bool, applied: bool = False) -> None:
        """Count one answered POST."""
        with self._counts_lock:
            if accepted:
                self.counts.accepted += 1
                self.counts.applied += int(applied)
            else:
                self.counts.refused += 1

    def connection_waits(self, connection: socket.socket, waiting: bool) -> bool:
        """Mark ``connection`` as waiting for a request (or not); False once the
        server is closing, so the handler hangs up instead of waiting."""
        with self._waiting_lock:
            if waiting and not self._closing:
                self._waiting.add(connection)
            else:
                self._waiting.discard(connection)
            return not self._closing

    def log(self, line: str) -> None:
        """Pass one line about an answered POST to the log callback, if any."""
        if self._log is not None:
            self._log(line)

    def server_close(self) -> None:
        """Stop listening, hang up on idle connections, wait for requests in flight,
        close the store.

        Without the hang-up, closing waited for every idle kept-alive connection's
        timeout (10 s) before it could return.
        """
        # socketserver calls this itself when binding fails, before __init__ ends.
        if hasattr(self, "_waiting_lock"):
            with self._waiting_lock:
                self._closing = True
                waiting, self._waiting = self._waiting, set()
            for connection in waiting:
                # Wakes the handler's read with end-of-file; it hangs up.
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        super().server_close()
        store: ReceivedStore | None = getattr(self, "store", None)
        if store is not None:
            store.close()


def receiver_server(
    *,
    host: str,
    port: int,
    secrets: Sequence[str],
    store_dir: Path | str,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    log: Callable[[str], None] | None = None,
) -> WebhookReceiverServer:
    """A bound, not yet serving, receiver; call ``serve_forever()`` to start it.

    Raises ``ValueError`` for a missing or malformed secret and ``OSError`` when
    the address cannot be bound (for example, the port is taken). ``port=0`` picks
    a free port; ``server.url`` tells which.
    """
    if not secrets:
        raise ValueError("the receiver needs at least one webhook secret (whsec_…)")
    for secret in secrets:
        webhook_secret_key(secret)
    if tolerance_seconds < 0:
        raise ValueError(f"tolerance must be ≥ 0 seconds, got {tolerance_seconds}")
    store = Path(store_dir)
    store.mkdir(parents=True, exist_ok=True)
    return WebhookReceiverServer(
        (host, port),
        secrets=secrets,
        store_path=store / DATABASE_NAME,
        tolerance_seconds=tolerance_seconds,
        log=log,
    )
