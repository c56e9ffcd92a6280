"""Nothing is lost when the parts around the pipeline fail: worker, broker, receiver.

These need the real thing (REDIS_URL and DATABASE_URL, as CI sets them): a Celery
worker process that can be SIGKILLed, and a Redis broker to lose.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery import current_app
from django.utils import timezone

from exports.website.models import WebhookAttempt, WebhookDelivery
from tests.conftest import USING_REAL_SERVICES, free_port, wait_until
from tests.exports.conftest import broker_point_at, deliveries_sweep, settled
from tests.factories.pages import handbook_factory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not USING_REAL_SERVICES, reason="needs a real worker and broker (REDIS_URL)"
    ),
]

LOCALES_READING_GERMAN = {"de", "en", "ar", "fa", "tr", "uk", "ro"}


class StallingServer:
    """Accepts a webhook and never answers: the worker is caught mid-delivery."""

    def __init__(self, port: int) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.arrived.set()
                outer.release.wait(timeout=60)

            def log_message(self, *args):
                pass

            def handle_one_request(self):
                # The worker dies mid-request; its socket is gone.
                with contextlib.suppress(OSError):
                    super().handle_one_request()

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_worker_killed_mid_delivery_completes_after_restart(
    website, pipeline, celery_worker_process
):
    stalling = StallingServer(website.port)
    try:
        handbook = handbook_factory()
        assert stalling.arrived.wait(timeout=60)
        in_flight = WebhookDelivery.objects.get(status="sending")
        celery_worker_process.kill()
    finally:
        stalling.close()
    in_flight.refresh_from_db()
    assert in_flight.status == "sending"  # the dead worker never finished it

    # The lease (longer than the task's hard time limit) runs out: travel past it.
    WebhookDelivery.objects.filter(pk=in_flight.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    website.up()
    celery_worker_process.start(purge=False)  # its start-up sweep recovers the row

    assert wait_until(
        lambda: set(website.current(handbook.translation_key)) == LOCALES_READING_GERMAN
    ), website.current(handbook.translation_key)
    # The receiver stores before it answers; the worker records "delivered" after
    # reading the answer, so the row may lag the receiver by a moment.
    assert wait_until(
        lambda: WebhookDelivery.objects.get(pk=in_flight.pk).status == "delivered",
        timeout=30,
    ), WebhookDelivery.objects.get(pk=in_flight.pk).status
    assert WebhookAttempt.objects.filter(delivery=in_flight, outcome="lost").exists()


def test_broker_down_at_publish_delivers_once_it_is_back(website, pipeline, caplog):
    website.up()
    working = current_app.conf.broker_url
    broker_point_at(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    try:
        with caplog.at_level(logging.WARNING, logger="exports.website.deliveries"):
            handbook = handbook_factory()  # publishing itself succeeds
    finally:
        broker_point_at(working)
    assert "Broker unavailable" in caplog.text
    waiting = WebhookDelivery.objects.filter(translation_key=handbook.translation_key)
    assert waiting.count() == 7
    assert set(waiting.values_list("status", "attempts", "enqueued_at")) == {
        ("pending", 0, None)
    }
    assert website.messages() == []

    deliveries_sweep()  # Celery beat's next tick, with the broker back

    assert wait_until(
        lambda: set(website.current(handbook.translation_key)) == LOCALES_READING_GERMAN
    )
    assert wait_until(settled)
    for message in website.messages(handbook.translation_key):
        assert json.loads(message["body"])["type"] == "page.updated"


def _queued_deliveries() -> list[int]:
    """The delivery ids of the deliver messages waiting in the Redis broker."""
    import redis

    client = redis.Redis.from_url(current_app.conf.broker_url)
    ids = []
    for raw in client.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == "exports.deliver_webhook":
            ids.append(json.loads(base64.b64decode(message["body"]))[0][0])
    return ids


def test_republishing_while_the_worker_is_away_queues_one_message_per_locale(
    website, pipeline, celery_worker_process
):
    # Editors keep publishing while no worker takes messages (a deploy, a busy
    # worker): each page and locale waits as one row, and as one message, so
    # other tasks do not queue behind thousands of copies.
    celery_worker_process.kill()
    try:
        handbook = handbook_factory()
        for number in range(2, 6):
            handbook.title = f"Handbuch, Fassung {number}"
            handbook.save_revision().publish()
        waiting = WebhookDelivery.objects.filter(
            translation_key=handbook.translation_key, status="pending"
        )
        assert waiting.count() == 7
        queued = _queued_deliveries()
        assert sorted(queued) == sorted(waiting.values_list("pk", flat=True))
    finally:
        website.up()
        celery_worker_process.start(purge=False)

    # The one message sends the newest state.
    assert wait_until(
        lambda: set(website.current(handbook.translation_key)) == LOCALES_READING_GERMAN
    )
    for row in website.current(handbook.translation_key).values():
        assert (
            json.loads(row["body"])["data"]["document"]["title"]
            == "Handbuch, Fassung 5"
        )
