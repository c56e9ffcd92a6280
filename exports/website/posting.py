"""One webhook POST over a kept-alive connection, through libcurl (pycurl).

libcurl rather than urllib3: a resync posts thousands of small bodies, and reading
each answer through http.client (its e-mail parser for the headers) and urllib3's
response object cost about 0.28 ms of CPU per request, four times what libcurl
takes for the same POST; the sender was a quarter answer parsing.

Each thread has its own handle (a handle is not thread-safe), and a handle keeps
its connections alive between calls, so a resync's messages travel over a few
connections. Nothing is taken from the environment (no proxies), redirects are
not followed, only http and https are spoken, and nothing is retried here (the
delivery's backoff is the retry).
"""

from __future__ import annotations

import os
import ssl
import threading
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pycurl

# Kept-alive connections per thread's handle: one per endpoint, and one per
# checked address of a pinned host name (see ``webhook_post``'s ``address``).
CONNECTIONS_KEPT = 32
# The system's trust store, as urllib3 and the ssl module use it (a pycurl wheel
# brings a libcurl whose built-in default may point elsewhere).
_VERIFY_PATHS = ssl.get_default_verify_paths()


class PostFailed(Exception):
    """No answer came back: ``reason`` says why, ``connected`` whether a
    connection was made (if not, nothing was sent and another address may take
    the request)."""

    def __init__(self, reason: str, *, connected: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connected = connected


@dataclass(frozen=True)
class PostAnswer:
    """What the endpoint answered."""

    status: int
    body: bytes
    # The header block as received (read only when an answer needs it).
    raw_headers: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of the response header ``name`` (the last if repeated)."""
        # After a 1xx answer the final answer's block comes last.
        block = self.raw_headers.rstrip(b"\r\n").split(b"\r\n\r\n")[-1]
        value = None
        for line in block.decode("latin-1").split("\r\n")[1:]:
            key, colon, rest = line.partition(":")
            if colon and key.strip().lower() == name.lower():
                value = rest.strip()
        return value


# libcurl errors that mean no connection was made (nothing was sent).
_NOT_CONNECTED = {pycurl.E_COULDNT_CONNECT, pycurl.E_COULDNT_RESOLVE_HOST}
# Errors of a connection that broke, or answered nothing HTTP could read.
_CONNECTION_BROKEN = {
    pycurl.E_SEND_ERROR,
    pycurl.E_RECV_ERROR,
    pycurl.E_GOT_NOTHING,
    pycurl.E_PARTIAL_FILE,
}
_TLS_FAILED = {
    pycurl.E_SSL_CONNECT_ERROR,
    pycurl.E_PEER_FAILED_VERIFICATION,
    pycurl.E_SSL_CACERT_BADFILE,
}

_handles = threading.local()
# A forked process's inherited handles: kept, never cleaned up there, because
# cleaning up closes (for TLS: ends) connections the parent still uses.
_inherited: list[Any] = []


def _handles_forget() -> None:
    """In a forked process (a resync sender): new handles, no inherited
    connections (their sockets are the parent's)."""
    global _handles
    _inherited.append(_handles)
    _handles = threading.local()


os.register_at_fork(after_in_child=_handles_forget)


def _handle() -> Any:
    curl = getattr(_handles, "curl", None)
    if curl is None:
        curl = pycurl.Curl()
        curl.setopt(pycurl.NOSIGNAL, 1)
        curl.setopt(pycurl.MAXCONNECTS, CONNECTIONS_KEPT)
        curl.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        curl.setopt(pycurl.FOLLOWLOCATION, 0)
        # No proxy from http_proxy and the like: the address checked against
        # internal networks is the one connected to.
        curl.setopt(pycurl.PROXY, "")
        curl.setopt(pycurl.NOPROXY, "*")
        _handles.curl = curl
    return curl


def webhook_post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    connect_timeout: float,
    timeout: float,
    address: str | None = None,
    ca_certs: str | None = None,
) -> PostAnswer:
    """POST ``body`` to ``url`` with ``headers``; raises ``PostFailed``.

    ``address``: connect to this address instead of resolving the URL's host,
    which still names the request (``Host``), the TLS handshake (SNI) and the
    certificate to verify, exactly as if the name had resolved to it.
    ``ca_certs`` replaces the system's trust store (tests with their own
    certificate authority). ``timeout`` bounds the whole request.
    """
    curl = _handle()
    parts = urlsplit(url)
    if address is not None:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = f"[{address}]" if ":" in address else address
        curl.setopt(pycurl.CONNECT_TO, [f"{parts.hostname}:{port}:{target}:{port}"])
    else:
        curl.setopt(pycurl.CONNECT_TO, [])
    cafile = ca_certs or _VERIFY_PATHS.cafile
    capath = None if ca_certs else _VERIFY_PATHS.capath
    for option, value in ((pycurl.CAINFO, cafile), (pycurl.CAPATH, capath)):
        if value:
            curl.setopt(option, value)
        else:
            curl.unsetopt(option)
    curl.setopt(pycurl.URL, url)
    curl.setopt(pycurl.POSTFIELDS, body)
    curl.setopt(
        pycurl.HTTPHEADER,
        # No "Expect: 100-continue" (a wait for bodies over 1 kB) and no "Accept".
        [f"{name}: {value}" for name, value in headers.items()]
        + ["Expect:", "Accept:"],
    )
    curl.setopt(pycurl.CONNECTTIMEOUT_MS, int(connect_timeout * 1000))
    curl.setopt(pycurl.TIMEOUT_MS, int(timeout * 1000))
    received, headers_received = BytesIO(), BytesIO()
    curl.setopt(pycurl.WRITEDATA, received)
    # Kept as bytes: a Python callback per header line cost more than the rest
    # of reading the answer, and only a redirect or a 429/503 reads them.
    curl.setopt(pycurl.HEADERFUNCTION, headers_received.write)
    try:
        curl.perform()
    except pycurl.error as exc:
        code, message = exc.args
        raise PostFailed(
            _reason(code, message), connected=code not in _NOT_CONNECTED
        ) from None
    return PostAnswer(
        status=curl.getinfo(pycurl.RESPONSE_CODE),
        body=received.getvalue(),
        raw_headers=headers_received.getvalue(),
    )


def _reason(code: int, message: str) -> str:
    if code in _NOT_CONNECTED or code in _CONNECTION_BROKEN:
        return f"connection failed: {message}"[:500]
    if code == pycurl.E_OPERATION_TIMEDOUT:
        return "no answer in time"
    if code in _TLS_FAILED:
        return f"TLS failed: {message}"[:500]
    return f"HTTP request failed ({code}): {message}"[:500]
