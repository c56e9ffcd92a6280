"""Fixtures for the pipeline: a website endpoint, the reference receiver, a worker.

With REDIS_URL and DATABASE_URL set, deliveries go through the broker to the
session's real Celery worker process; without them tasks run in this process on
commit. Either way every push crosses real HTTP to the reference receiver on
127.0.0.1, which verifies signatures and stores what it accepted.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from kombu import Connection

from tests.conftest import (
    USING_REAL_SERVICES,
    WEBHOOK_SECRET,
    webhook_url,
)


class Website:
    """The session's webhook endpoint and the reference receiver behind it."""

    def __init__(self, store: Path) -> None:
        self.url = webhook_url()
        self.port = int(self.url.split(":")[2].split("/")[0])
        self.store = store
        self.server = None
        self.thread = None

    def up(self) -> None:
        from exports.website.receiver.server import receiver_server

        self.server = receiver_server(
            host="127.0.0.1",
            port=self.port,
            secrets=[WEBHOOK_SECRET],
            store_dir=self.store,
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def _rows(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        path = self.store / "received.sqlite3"
        if not path.exists():
            return []
        with sqlite3.connect(path) as db:
            db.row_factory = sqlite3.Row
            return db.execute(sql, args).fetchall()

    def messages(self, translation_key=None) -> list[sqlite3.Row]:
        """Accepted messages in arrival order (optionally for one page)."""
        if translation_key is None:
            return self._rows("SELECT * FROM messages ORDER BY rowid")
        return self._rows(
            "SELECT * FROM messages WHERE translation_key = ? ORDER BY rowid",
            (str(translation_key),),
        )

    def current(self, translation_key) -> dict[str, sqlite3.Row]:
        """The receiver's current state of one page, by locale."""
        rows = self._rows(
            "SELECT * FROM current WHERE translation_key = ?", (str(translation_key),)
        )
        return {row["locale"]: row for row in rows}


def channel_options_override(settings, alias: str, **options) -> None:
    """Set options of ``EXPORT_CHANNELS[alias]`` for this test (merged into its
    OPTIONS); the registry reloads the channels, as for any settings change."""
    configured = copy.deepcopy(settings.EXPORT_CHANNELS)
    entry = configured[alias]
    entry["OPTIONS"] = {**entry.get("OPTIONS", {}), **options}
    settings.EXPORT_CHANNELS = configured


@pytest.fixture
def website(settings, tmp_path):
    """The website channel pointed at the session's receiver port (receiver down)."""
    settings.EXPORT_CHANNELS = {
        "website": {
            "BACKEND": "exports.website.channel.WebsiteChannel",
            "OPTIONS": {
                "ENDPOINTS": [
                    {
                        "NAME": "website",
                        "URL": webhook_url(),
                        "SECRETS": [WEBHOOK_SECRET],
                    }
                ],
                "ALLOWED_URLS": [webhook_url()],
                # The session's receiver is on 127.0.0.1: allowed explicitly.
                "ALLOW_PRIVATE_TARGETS": True,
                "TIMEOUT": 5,
            },
        }
    }
    site = Website(tmp_path / "receiver")
    yield site
    site.down()


@pytest.fixture
def pipeline(request, wagtail_tree):
    """Where deliveries run: the real worker with real services, else in-process."""
    if not USING_REAL_SERVICES:
        yield None
        return
    # wagtail_tree waits for the worker to go idle before the flush.
    yield request.getfixturevalue("celery_worker_process")


def deliveries_sweep() -> None:
    """What Celery beat does every 30 s."""
    from exports.website.tasks import sweep_deliveries_task

    sweep_deliveries_task.delay()


def time_travel(**delta) -> None:
    """Move every delivery's clock back by ``delta`` (default 7 h), no sleeping.

    Seven hours is more than the longest backoff, so every waiting delivery is due.
    """
    from exports.website.models import WebhookDelivery

    shift = timedelta(**delta) if delta else timedelta(hours=7)
    # One UPDATE of the clocks only: the worker may change a row's status meanwhile.
    WebhookDelivery.objects.update(
        **{
            name: F(name) - shift
            for name in (
                "next_attempt_at",
                "enqueued_at",
                "first_failure_at",
                "created_at",
            )
        }
    )


def settled() -> bool:
    """Every delivery was tried at least once and none is being sent right now."""
    from exports.website.models import WebhookDelivery

    return not (
        WebhookDelivery.objects.filter(status="sending").exists()
        or WebhookDelivery.objects.filter(
            status="pending", attempts=0, endpoint__is_enabled=True
        ).exists()
    )


class CannedServer:
    """A stand-in website that answers every POST the same way (410, 503, 307 …).

    Used where the reference receiver would never give that answer.
    """

    def __init__(self, port: int, status: int, headers: dict | None = None) -> None:
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                outer.requests.append(
                    {"headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tasks_in_this_process():
    """Celery tasks run here, even where CI has a real worker: for a test whose
    clock is travelled, or whose channels the session's worker does not have."""
    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = before


def broker_point_at(url: str) -> None:
    """Send Celery's messages to ``url`` from now on (``memory://``: kept in this
    process, for a test to read; an address nothing listens on: broker down)."""
    current_app.conf.broker_url = url
    # Celery keeps a connection pool and a producer pool; new ones use the new URL.
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker_in_memory():
    """Messages go to an in-process broker instead of the session's: the test reads
    them back as a worker would receive them (``broker_in_memory()`` drains the
    ``celery`` queue); no worker runs them."""
    working, eager = current_app.conf.broker_url, current_app.conf.task_always_eager
    broker_point_at("memory://")
    current_app.conf.task_always_eager = False

    def drain() -> list:
        with Connection("memory://") as memory:
            queue = memory.SimpleQueue("celery")
            received = []
            while queue.qsize():
                message = queue.get(block=False)
                message.ack()
                received.append(message)
            queue.close()
            return received

    yield drain
    drain()
    current_app.conf.task_always_eager = eager
    broker_point_at(working)


@pytest.fixture
def migrate_to():
    """Migrate the test database to some migrations (returns their apps); the
    latest are applied again afterwards, so later tests find the schema they use."""

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
