"""One HTTP request to the reference receiver: limits, verification, answers.

The order of checks and the status of each refusal are the receiver's contract with
the sender (see the package docstring); storage, parsing and the HTML page live in
their own modules, the server that runs this handler in ``server``.
"""

from __future__ import annotations

import hmac
import json
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from exports.website.receiver.pushed_messages import (
    PushedMessageInvalid,
    pushed_message_parse,
)
from exports.website.receiver.received_page import HTML_LIMIT, received_page_render
from exports.website.receiver.received_store import (
    MessageAlreadyReceived,
    ReceivedStore,
)
from exports.website.signing import HEADER_ID, WebhookVerificationError, webhook_verify

MAX_BODY_BYTES = 5 * 1024 * 1024
# An oversized body is read and thrown away up to this much, so that the sender
# gets to read the 413 instead of a reset connection; past it the line is cut.
DISCARD_LIMIT_BYTES = 4 * MAX_BODY_BYTES

# Verification failures that mean "not from the CMS" answer 401; a good signature
# with a bad clock is a request problem (400), which the sender's logs should show
# differently.
UNAUTHORIZED_CODES = {"missing_headers", "bad_signature"}


class RequestRefused(Exception):
    """A request the receiver answers with an error status and a JSON reason."""

    def __init__(self, status: HTTPStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class ReceiverContext(Protocol):
    """What a request needs from the server running it, shared by its threads."""

    @property
    def secrets(self) -> Sequence[str]: ...

    @property
    def tolerance_seconds(self) -> int: ...

    @property
    def store(self) -> ReceivedStore: ...

    def count(self, *, accepted: bool, applied: bool = False) -> None: ...

    def log(self, line: str) -> None: ...

    def connection_waits(self, connection: socket.socket, waiting: bool) -> bool: ...


class WebhookRequestHandler(BaseHTTPRequestHandler):
    """Answers one request to the reference receiver."""

    server_version = "WegweiserReceiver/1"
    # Keep-alive: a sender posts a resync's thousands of messages over a few
    # connections instead of opening one per message. Every answer has a length.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm the second one
    # waits for the sender's delayed ACK (about 40 ms) on a kept-alive connection.
    disable_nagle_algorithm = True
    # A client that stops sending mid-body, or keeps an idle connection open, frees
    # its thread after this many seconds.
    timeout = 10

    # Bytes of an oversized body still to be read and thrown away after the 413.
    _unread_body_bytes = 0

    def setup(self) -> None:
        super().setup()
        # Waiting for its first request: a closing server may hang up on it.
        self.receiver.connection_waits(self.connection, True)

    def parse_request(self) -> bool:
        # A request line arrived: this connection is busy until it is answered.
        self.receiver.connection_waits(self.connection, False)
        return super().parse_request()

    def handle_one_request(self) -> None:
        super().handle_one_request()
        # Answered: an idle kept-alive connection must not hold up a server that
        # is closing (closing waits for its threads) for the idle timeout.
        if not self.receiver.connection_waits(self.connection, True):
            self.close_connection = True

    def finish(self) -> None:
        self.receiver.connection_waits(self.connection, False)
        super().finish()

    @property
    def receiver(self) -> ReceiverContext:
        """The server running this handler (``server.WebhookReceiverServer``)."""
        # The server module imports this one to name its handler class; naming the
        # protocol here instead of the server class keeps the import one-way.
        return cast(ReceiverContext, self.server)

    def do_POST(self) -> None:
        webhook_id = self.headers.get(HEADER_ID, "")
        try:
            body = self._body_read()
            webhook_verify(
                secrets=self.receiver.secrets,
                headers=dict(self.headers.items()),
                body=body,
                tolerance_seconds=self.receiver.tolerance_seconds,
            )
            message = pushed_message_parse(body)
            applied = self.receiver.store.message_record(
                webhook_id=webhook_id,
                message=message,
                body=body.decode("utf-8"),
                received_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            )
        except WebhookVerificationError as exc:
            status = (
                HTTPStatus.UNAUTHORIZED
                if exc.code in UNAUTHORIZED_CODES
                else HTTPStatus.BAD_REQUEST
            )
            self._refuse(RequestRefused(status, exc.code, exc.message), webhook_id)
            return
        except PushedMessageInvalid as exc:
            refused = RequestRefused(HTTPStatus.BAD_REQUEST, exc.code, exc.message)
            self._refuse(refused, webhook_id)
            return
        except MessageAlreadyReceived as exc:
            # The sender treats 409 as "already delivered" and stops retrying.
            refused = RequestRefused(HTTPStatus.CONFLICT, "replayed_id", str(exc))
            self._refuse(refused, webhook_id)
            return
        except RequestRefused as refused:
            self._refuse(refused, webhook_id)
            return
        except Exception as exc:
            # A 500 tells the sender to try again later; a dropped connection would
            # too, but would leave no reason in its log.
            self._refuse(
                RequestRefused(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "receiver_error",
                    f"the receiver failed: {type(exc).__name__}: {exc}",
                ),
                webhook_id,
            )
            return
        self.receiver.count(accepted=True, applied=applied)
        self._json_send(HTTPStatus.OK, {"status": "received", "applied": applied})
        outcome = "applied" if applied else "kept out: older than the stored sequence"
        self.receiver.log(
            f"200 {message.type} {message.locale}/{message.translation_key} "
            f"sequence {message.sequence} ({outcome}) id {webhook_id}"
        )

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/healthz":
            self._json_send(HTTPStatus.OK, {"status": "ok"})
        elif path == "/received.json":
            # Every stored document, drafts of the website's content included:
            # only for whoever holds the webhook secret.
            if not self._read_authorized():
                self._json_send(
                    HTTPStatus.UNAUTHORIZED,
                    {
                        "error": {
                            "code": "unauthorized",
                            "message": "send 'Authorization: Bearer <webhook "
                            "secret>' (the whsec_… value the receiver verifies with)",
                        }
                    },
                    headers={"WWW-Authenticate": 'Bearer realm="receiver"'},
                )
                return
            self._json_send(
                HTTPStatus.OK,
                {
                    "messages": self.receiver.store.messages(),
                    "current": self.receiver.store.current(),
                },
            )
        elif path in ("/", "/index.html"):
            page = received_page_render(
                self.receiver.store.messages(limit=HTML_LIMIT, newest_first=True)
            )
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode())
        else:
            self._json_send(
                HTTPStatus.NOT_FOUND,
                {"error": {"code": "not_found", "message": f"no page at {path}"}},
            )

    def _read_authorized(self) -> bool:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        given = token.strip().encode()
        return any(
            hmac.compare_digest(given, secret.encode())
            for secret in self.receiver.secrets
        )

    def _body_read(self) -> bytes:
        length_header = self.headers.get("Content-Length")
        # Until the whole body is read, the connection cannot carry another request.
        close_after = self.close_connection
        self.close_connection = True
        try:
            length = int(length_header or "")
        except ValueError:
            raise RequestRefused(
                HTTPStatus.LENGTH_REQUIRED,
                "length_required",
                "send the body with a Content-Length header (no chunked encoding)",
            ) from None
        if length < 0:
            raise RequestRefused(
                HTTPStatus.BAD_REQUEST, "bad_length", "Content-Length is negative"
            )
        if length > MAX_BODY_BYTES:
            self._unread_body_bytes = length
            raise RequestRefused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "body_too_large",
                f"body is {length} bytes; the receiver takes at most "
                f"{MAX_BODY_BYTES} bytes",
            )
        try:
            body = self.rfile.read(length)
        except OSError:  # the socket timed out: the sender stopped mid-body
            self.close_connection = True
            body = b""
        if len(body) != length:
            raise RequestRefused(
                HTTPStatus.BAD_REQUEST,
                "incomplete_body",
                f"body ended after {len(body)} of {length} bytes",
            )
        self.close_connection = close_after
        return body

    def _body_discard(self) -> None:
        self.close_connection = True
        remaining = min(self._unread_body_bytes, DISCARD_LIMIT_BYTES)
        try:
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 64 * 1024))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass  # the sender hung up after reading the 413: nothing left to do

    def _refuse(self, refused: RequestRefused, webhook_id: str) -> None:
        self.receiver.count(accepted=False)
        self._json_send(
            refused.status,
            {"error": {"code": refused.code, "message": refused.message}},
        )
        self.receiver.log(
            f"{refused.status.value} {refused.code} id {webhook_id or '-'}: "
            f"{refused.message}"
        )
        if self._unread_body_bytes:
            self._body_discard()

    def _json_send(
        self,
        status: HTTPStatus,
        payload: object,
        headers: dict[str, str] | None = None,
    ) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self._send(status, "application/json", body, headers)

    def _send(
        self,
        status: HTTPStatus,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        # The server logs one line per message itself; the access log would
        # repeat every health check.
        pass
