"""The receiver's SQLite file: every accepted message, and the current content.

No HTTP here: the request handler turns ``MessageAlreadyReceived`` into a 409.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from exports.website.receiver.pushed_messages import PushedMessage

DATABASE_NAME = "received.sqlite3"
# A removal takes the earlier documents of its page (or file) in the locale along.
REMOVALS = ("page.removed", "artifact.removed")
# What is left of a document after its page was removed.
REDACTED = {"document": None, "redacted": "removed later"}

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


class MessageAlreadyReceived(Exception):
    """A ``webhook-id`` that is stored already: the sender is retrying a delivery."""

    def __init__(self, webhook_id: str, received_at: str) -> None:
        super().__init__(
            f"message {webhook_id!r} was already received at {received_at}; "
            f"not stored again"
        )
        self.webhook_id = webhook_id
        self.received_at = received_at


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
        # Write-ahead log, synced at checkpoints rather than at every commit: one
        # message costs an append, not several fsyncs (on a disk with 5 ms fsyncs
        # that alone capped the receiver near 70 messages/s). A crash of the
        # receiver loses nothing; a power cut can lose the last messages, which a
        # `resync_website` after the outage sends again.
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(SCHEMA)

    def message_record(
        self, *, webhook_id: str, message: PushedMessage, body: str, received_at: str
    ) -> bool:
        """Store one message; True when it became the current content.

        Raises ``MessageAlreadyReceived`` for an id already stored.
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
                    raise MessageAlreadyReceived(webhook_id, seen["received_at"])
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
                if applied and message.type in REMOVALS:
                    # A removal (unpublished, a portrait whose consent was
                    # withdrawn, a PDF that showed her) takes the earlier documents
                    # of the page or file in this locale with it; the log keeps
                    # only that they arrived.
                    updated = message.type.replace("removed", "updated")
                    cursor.execute(
                        "UPDATE messages SET body = ? WHERE translation_key = ? "
                        "AND locale = ? AND type = ?",
                        (
                            json.dumps({"type": updated, "data": REDACTED}),
                            message.translation_key,
                            message.locale,
                            updated,
                        ),
                    )
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
