"""The reference receiver: what the district's website does with our pushes.

Written to be read by the district's web team as an example, run by ``make run`` so
newcomers see pushes arrive, and started by the tests. It uses the standard library
only (``http.server`` and ``sqlite3``) so it runs as a process of its own, without
Django; ``python manage.py webhook_receiver`` is a thin wrapper around it.

For every ``POST`` (any path) it:

1. refuses bodies over 5 MB (413) before reading them into memory;
2. verifies the Standard Webhooks signature (401) and timestamp (400);
3. parses the JSON payload and checks the contract below (400);
4. refuses a ``webhook-id`` it has already stored (409 ``replayed_id``; the sender
   treats 409 as "already delivered");
5. stores the message, and makes it the page's current content only when its
   ``sequence`` is greater than the stored one, so a late retry never overwrites
   newer content (the message is kept with ``applied = 0``).

Payload contract, a JSON object::

    {"type": "page.updated" | "page.removed" | "artifact.updated",
     "timestamp": "<ISO 8601>",
     "data": {"translation_key": str, "locale": str, "page_id": int | null,
              "sequence": int, "revision": int | null, "document": object | null}}

``artifact.updated`` announces a new file of a channel (a print PDF) in one locale:
``translation_key`` is ``"artifact:<channel>"`` (``"artifact:print"``), ``page_id``
and ``revision`` are null, ``sequence`` is the file's id (it grows with every new
file, so the same "newest sequence wins" rule applies) and ``document`` is the file's
item as ``/api/v1/artifacts/`` lists it: ``{"channel", "locale", "url", "size",
"pages", "sha256", "built_at", "build_seconds"}``. Fetch ``url`` from the delivery API
and check the bytes against ``sha256``.

``GET /`` lists the last 50 messages as HTML, ``GET /received.json`` returns every
message and the current content as JSON, ``GET /healthz`` answers 200.
"""

from __future__ import annotations

import html
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from exports.website.signing import (
    DEFAULT_TOLERANCE_SECONDS,
    HEADER_ID,
    WebhookVerificationError,
    webhook_secret_key,
    webhook_verify,
)

MAX_BODY_BYTES = 5 * 1024 * 1024
# An oversized body is read and thrown away up to this much, so that the sender
# gets to read the 413 instead of a reset connection; past it the line is cut.
DISCARD_LIMIT_BYTES = 4 * MAX_BODY_BYTES
MESSAGE_TYPES = ("page.updated", "page.removed", "artifact.updated")
DATABASE_NAME = "received.sqlite3"
HTML_LIMIT = 50

# Verification failures that mean "not from the CMS" answer 401; a good signature
# with a bad clock is a request problem (400), which the sender's logs should show
# differently.
UNAUTHORIZED_CODES = {"missing_headers", "bad_signature"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    webhook_id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    type TEXT NOT NULL,
    translation_key TEXT NOT NULL,
    locale TEXT NOT NULL,
    page_id INTEGER,
    sequence INTEGER NOT NULL,
    revision INTEGER,
    applied INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS current (
    translation_key TEXT NOT NULL,
    locale TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    type TEXT NOT NULL,
    revision INTEGER,
    body TEXT NOT NULL,
    PRIMARY KEY (translation_key, locale)
);
"""


class RequestRefused(Exception):
    """A request the receiver answers with an error status and a JSON reason."""

    def __init__(self, status: HTTPStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PushedMessage:
    """One pushed message, checked against the payload contract."""

    type: str
    translation_key: str
    locale: str
    page_id: int | None
    sequence: int
    revision: int | None
    document: dict[str, Any] | None


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int) and not isinstance(value, bool)


def pushed_message_parse(body: bytes) -> PushedMessage:
    """The message in ``body``, or ``RequestRefused`` (400) naming what is wrong."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestRefused(
            HTTPStatus.BAD_REQUEST, "invalid_json", f"body is not UTF-8 JSON: {exc}"
        ) from None

    def refuse(message: str) -> RequestRefused:
        return RequestRefused(HTTPStatus.BAD_REQUEST, "invalid_payload", message)

    if not isinstance(payload, dict):
        raise refuse("body must be a JSON object")
    if payload.get("type") not in MESSAGE_TYPES:
        raise refuse(
            f"type {payload.get('type')!r} is unknown; "
            f"expected one of {', '.join(MESSAGE_TYPES)}"
        )
    timestamp = payload.get("timestamp")
    try:
        datetime.fromisoformat(str(timestamp) if timestamp is not None else "")
    except (TypeError, ValueError):
        raise refuse(f"timestamp must be ISO 8601, got {timestamp!r}") from None
    data = payload.get("data")
    if not isinstance(data, dict):
        raise refuse("data must be a JSON object")
    missing = [
        key
        for key in (
            "translation_key",
            "locale",
            "page_id",
            "sequence",
            "revision",
            "document",
        )
        if key not in data
    ]
    if missing:
        raise refuse(f"data lacks {', '.join(missing)}")
    for key in ("translation_key", "locale"):
        if not isinstance(data[key], str) or not data[key]:
            raise refuse(f"data.{key} must be a non-empty string")
    if not _is_int(data["sequence"]) or data["sequence"] < 0:
        raise refuse(f"data.sequence must be an integer ≥ 0, got {data['sequence']!r}")
    for key in ("page_id", "revision"):
        if data[key] is not None and not _is_int(data[key]):
            raise refuse(f"data.{key} must be an integer or null")
    if data["document"] is not None and not isinstance(data["document"], dict):
        raise refuse("data.document must be a JSON object or null")
    return PushedMessage(
        type=payload["type"],
        translation_key=data["translation_key"],
        locale=data["locale"],
        page_id=data["page_id"],
        sequence=data["sequence"],
        revision=data["revision"],
        document=data["document"],
    )


class ReceivedStore:
    """Every accepted message, and the newest content per translation key and locale.

    One SQLite connection shared by the server's threads behind a lock: the
    receiver's traffic is one CMS pushing, not worth a pool.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        # Autocommit mode, so that message_record owns its transaction.
        self._connection = sqlite3.connect(
            path, timeout=10, check_same_thread=False, isolation_level=None
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.executescript(SCHEMA)

    def message_record(
        self, *, webhook_id: str, message: PushedMessage, body: str, received_at: str
    ) -> bool:
        """Store one message; True when it became the current content.

        Raises ``RequestRefused`` (409 ``replayed_id``) for an id already stored.
        """
        with self._lock:
            cursor = self._connection.cursor()
            # IMMEDIATE takes the write lock up front, so a second receiver process
            # on the same file cannot slip a duplicate in between check and insert.
            cursor.execute("BEGIN IMMEDIATE")
            try:
                seen = cursor.execute(
                    "SELECT received_at FROM messages WHERE webhook_id = ?",
                    (webhook_id,),
                ).fetchone()
                if seen is not None:
                    raise RequestRefused(
                        HTTPStatus.CONFLICT,
                        "replayed_id",
                        f"message {webhook_id!r} was already received at "
                        f"{seen['received_at']}; not stored again",
                    )
                cursor.execute(
                    """
                    INSERT INTO current
                        (translation_key, locale, sequence, type, revision, body)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (translation_key, locale) DO UPDATE SET
                        sequence = excluded.sequence,
                        type = excluded.type,
                        revision = excluded.revision,
                        body = excluded.body
                    WHERE excluded.sequence > current.sequence
                    """,
                    (
                        message.translation_key,
                        message.locale,
                        message.sequence,
                        message.type,
                        message.revision,
                        body,
                    ),
                )
                applied = cursor.rowcount > 0
                cursor.execute(
                    """
                    INSERT INTO messages
                        (webhook_id, received_at, type, translation_key, locale,
                         page_id, sequence, revision, applied, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    (
                        webhook_id,
                        received_at,
                        message.type,
                        message.translation_key,
                        message.locale,
                        message.page_id,
                        message.sequence,
                        message.revision,
                        int(applied),
                        body,
                    ),
                )
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
        return applied

    def messages(
        self, *, limit: int | None = None, newest_first: bool = False
    ) -> list[dict[str, Any]]:
        """Stored messages in arrival order (or newest first), payloads parsed."""
        order = "DESC" if newest_first else "ASC"
        with self._lock:
            rows = self._connection.execute(
                f"SELECT * FROM messages ORDER BY rowid {order} LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [
            {
                "webhook_id": row["webhook_id"],
                "received_at": row["received_at"],
                "type": row["type"],
                "translation_key": row["translation_key"],
                "locale": row["locale"],
                "page_id": row["page_id"],
                "sequence": row["sequence"],
                "revision": row["revision"],
                "applied": bool(row["applied"]),
                "payload": json.loads(row["body"]),
            }
            for row in rows
        ]

    def current(self) -> list[dict[str, Any]]:
        """The newest message per translation key and locale, payloads parsed."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT * FROM current ORDER BY translation_key, locale"
            ).fetchall()
        return [
            {
                "translation_key": row["translation_key"],
                "locale": row["locale"],
                "sequence": row["sequence"],
                "type": row["type"],
                "revision": row["revision"],
                "payload": json.loads(row["body"]),
            }
            for row in rows
        ]

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()


@dataclass
class ReceiverCounts:
    """What this server run accepted and refused, for the command's summary."""

    accepted: int = 0
    applied: int = 0
    refused: int = 0


class WebhookRequestHandler(BaseHTTPRequestHandler):
    """Answers one request to the reference receiver."""

    server: WebhookReceiverServer
    server_version = "WegweiserReceiver/1"
    # A client that stops sending mid-body frees its thread after this many seconds.
    timeout = 10

    # Bytes of an oversized body still to be read and thrown away after the 413.
    _unread_body_bytes = 0

    def do_POST(self) -> None:
        webhook_id = self.headers.get(HEADER_ID, "")
        try:
            body = self._body_read()
            webhook_verify(
                secrets=self.server.secrets,
                headers=dict(self.headers.items()),
                body=body,
                tolerance_seconds=self.server.tolerance_seconds,
            )
            message = pushed_message_parse(body)
            applied = self.server.store.message_record(
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
        self.server.count(accepted=True, applied=applied)
        self._json_send(HTTPStatus.OK, {"status": "received", "applied": applied})
        outcome = "applied" if applied else "kept out: older than the stored sequence"
        self.server.log(
            f"200 {message.type} {message.locale}/{message.translation_key} "
            f"sequence {message.sequence} ({outcome}) id {webhook_id}"
        )

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/healthz":
            self._json_send(HTTPStatus.OK, {"status": "ok"})
        elif path == "/received.json":
            self._json_send(
                HTTPStatus.OK,
                {
                    "messages": self.server.store.messages(),
                    "current": self.server.store.current(),
                },
            )
        elif path in ("/", "/index.html"):
            page = received_page_render(
                self.server.store.messages(limit=HTML_LIMIT, newest_first=True)
            )
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode())
        else:
            self._json_send(
                HTTPStatus.NOT_FOUND,
                {"error": {"code": "not_found", "message": f"no page at {path}"}},
            )

    def _body_read(self) -> bytes:
        length_header = self.headers.get("Content-Length")
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
        body = self.rfile.read(length)
        if len(body) != length:
            raise RequestRefused(
                HTTPStatus.BAD_REQUEST,
                "incomplete_body",
                f"body ended after {len(body)} of {length} bytes",
            )
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
        self.server.count(accepted=False)
        self._json_send(
            refused.status,
            {"error": {"code": refused.code, "message": refused.message}},
        )
        self.server.log(
            f"{refused.status.value} {refused.code} id {webhook_id or '-'}: "
            f"{refused.message}"
        )
        if self._unread_body_bytes:
            self._body_discard()

    def _json_send(self, status: HTTPStatus, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self._send(status, "application/json", body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
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


class WebhookReceiverServer(ThreadingHTTPServer):
    """The receiver's HTTP server: secrets, store and counts shared by its threads."""

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

    def log(self, line: str) -> None:
        """Pass one line about an answered POST to the log callback, if any."""
        if self._log is not None:
            self._log(line)

    def server_close(self) -> None:
        super().server_close()
        # socketserver calls this itself when binding fails, before the store exists.
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


def _page_label(message: dict[str, Any]) -> str:
    document = message["payload"].get("data", {}).get("document") or {}
    title = document.get("title") if isinstance(document, dict) else None
    parts = [str(title) if title else message["translation_key"]]
    if message["page_id"] is not None:
        parts.append(f"#{message['page_id']}")
    return " ".join(parts)


def received_page_render(messages: Sequence[dict[str, Any]]) -> str:
    """The HTML overview of ``messages``; every value is escaped."""
    rows = []
    for message in messages:
        applied = "ja" if message["applied"] else "nein (ältere Sequenz)"
        cells = [
            message["received_at"],
            message["type"],
            message["locale"],
            _page_label(message),
            str(message["sequence"]),
            applied,
        ]
        rows.append(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
        )
    table = (
        "<table><thead><tr><th>Zeit (UTC)</th><th>Typ</th><th>Sprache</th>"
        "<th>Seite</th><th>Sequenz</th><th>Übernommen</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>Noch keine Webhooks empfangen.</p>"
    )
    return (
        "<!doctype html>\n"
        '<html lang="de"><head><meta charset="utf-8">'
        # Reload every few seconds, so pushes show up while someone edits a page.
        '<meta http-equiv="refresh" content="5">'
        "<title>Empfangene Webhooks</title>"
        "<style>body{font-family:sans-serif;margin:2rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:.3rem .6rem;text-align:left}</style></head><body>"
        "<h1>Empfangene Webhooks</h1>"
        f"<p>Die letzten {HTML_LIMIT} Nachrichten, neueste zuerst. "
        '<a href="/received.json">Alle als JSON</a></p>'
        f"{table}</body></html>\n"
    )
