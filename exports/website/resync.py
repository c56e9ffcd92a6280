"""Resync by hand: push every public page in some locales to every endpoint."""

from __future__ import annotations

import copy
import logging
import multiprocessing
import queue
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any
from uuid import UUID

from django import db
from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import Max, Q
from django.utils import timezone

from cms.collector import collector_spares_loaded
from exports.channels import ExportSummary, Progress
from exports.content import content_locale_get, page_versions_resolve
from exports.models import ContentEvent
from exports.website.endpoints import WebsiteConfig, endpoints_for
from exports.website.models import WebhookDelivery, WebhookEndpoint
from exports.website.sending import AttemptResult, website_deliveries_send

logger = logging.getLogger(__name__)

# A resync claims and records deliveries this many at a time.
RESYNC_BATCH = 250


def website_resync(
    *,
    channel: WebsiteConfig,
    locales: Sequence[str] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> ExportSummary:
    """Push every public page in ``locales`` (all when None) to every endpoint.

    Sends from this process so the caller can show progress: on PostgreSQL from
    ``jobs`` sender processes forked from it, on SQLite (one writer at a time)
    from ``jobs`` threads, one by default. Failures stay pending for the worker
    to retry.
    """
    summary = ExportSummary(channel=channel.alias)
    codes = list(locales or [loc.code for loc in settings.WEGWEISER_LOCALES])
    for code in codes:
        content_locale_get(code)  # UnknownLocale names the configured ones
    sequence = ContentEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    delivery_ids: list[int] = []
    with transaction.atomic():
        for endpoint in endpoints_for(channel):
            for code in codes:
                delivery_ids += _resync_rows(endpoint, code, sequence)
    if jobs is None:
        jobs = 1 if connection.vendor == "sqlite" else 4
    # Senders forked meanwhile inherit this: every full collection had walked
    # all of Django and Wagtail, about a tenth of a millisecond per document sent.
    with collector_spares_loaded():
        return _sent(summary, delivery_ids, jobs, progress)


def _sent(
    summary: ExportSummary,
    delivery_ids: list[int],
    jobs: int,
    progress: Progress | None,
) -> ExportSummary:
    """Send ``delivery_ids`` in batches from ``jobs`` senders, counting into
    ``summary``."""
    total = len(delivery_ids)
    done = 0

    batches = [
        delivery_ids[i : i + RESYNC_BATCH]
        for i in range(0, len(delivery_ids), RESYNC_BATCH)
    ]
    if progress:
        progress(0, total)
    if jobs <= 1:
        for batch in batches:
            for result in website_deliveries_send(delivery_ids=batch):
                done += 1
                _count(summary, result)
            if progress:
                progress(done, total)
        return summary

    if connection.vendor == "sqlite":
        # One writer at a time: sender processes would mostly wait for the lock.
        for sent in _sent_by_threads(batches, jobs):
            for result in sent:
                done += 1
                _count(summary, result)
            if progress:
                progress(done, total)
        return summary

    # Several senders, each a process of its own (a fork of this one) with its own
    # database connection: threads would share one core through Python's GIL, and
    # the sending is CPU work (building, signing, HTTP). This thread's connections
    # are closed first; what a sender inherits anyway is set aside in it
    # (``_sender_started``). A fork, not a fresh interpreter: a sender needs this
    # process's configuration as it is (tests change settings in-process).
    db.connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_sender_started
    ) as pool:
        for results in as_completed(pool.submit(_send, b) for b in batches):
            for result in results.result():
                done += 1
                _count(summary, result)
            if progress:
                progress(done, total)
    return summary


def _sent_by_threads(
    batches: list[list[int]], jobs: int
) -> Iterator[list[AttemptResult]]:
    """Each batch's results, sent by ``jobs`` threads of this process, each with
    its own database connection, closed at the end."""
    todo: queue.SimpleQueue[list[int] | None] = queue.SimpleQueue()
    results: queue.SimpleQueue[list[AttemptResult]] = queue.SimpleQueue()
    for batch in batches:
        todo.put(batch)

    def sender() -> None:
        try:
            while (batch := todo.get()) is not None:
                results.put(_send(batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(jobs)]
    for thread in threads:
        todo.put(None)
        thread.start()
    for _ in batches:
        yield results.get()
    for thread in threads:
        thread.join()


# A sender's inherited database connections: kept referenced, never closed or
# freed there (the sender leaves with os._exit), because closing one ends the
# session of the process it belongs to.
_inherited_connections: list[Any] = []


def _sender_started() -> None:
    """In a new sender process: open a database connection of its own.

    Closing this thread's connections before the fork is not enough: Django
    finds a connection through context variables, and a sender forked from a
    long-lived process can find one that the closing did not reach. Seen after
    the test suite's first 528 tests: the sender found another open connection
    (its session had 640 statements prepared) and every batch failed on
    'prepared statement "_pg3_640" already exists'. Such a connection's socket
    is shared with the parent; it is set aside, not used.
    """
    for connection_ in db.connections.all(initialized_only=True):
        if connection_.connection is not None:
            _inherited_connections.append(connection_.connection)
            connection_.connection = None


def _send(batch: list[int]) -> list[AttemptResult]:
    """One batch, in a sender; a failure counts for the whole batch (its
    deliveries stay pending for the worker to retry)."""
    try:
        return website_deliveries_send(delivery_ids=batch)
    except Exception as exc:
        logger.exception("resync: a batch of %d failed", len(batch))
        return [AttemptResult("failed", error=str(exc)[:500])] * len(batch)


def _count(summary: ExportSummary, result: AttemptResult) -> None:
    if result.outcome == "delivered":
        summary.done += 1
    elif result.outcome == "skipped":
        summary.skipped += 1
    else:
        summary.failed += 1


def _resync_rows(endpoint: WebhookEndpoint, code: str, sequence: int) -> list[int]:
    # Every page the content tree serves in the locale (one query).
    keys = [
        key
        for key, resolution in page_versions_resolve(
            locale_code=code, keys=Q(depth__gt=1)
        ).items()
        if resolution.served is not None
    ]
    now = timezone.now()
    existing = dict(
        WebhookDelivery.objects.filter(
            endpoint=endpoint, locale=code, status="pending"
        ).values_list("translation_key", "pk")
    )
    template = WebhookDelivery(
        endpoint=endpoint,
        locale=code,
        sequence=sequence,
        event_kind="resync",
        next_attempt_at=now,
        # Marked as handed over: this process sends them itself.
        enqueued_at=now,
    )
    created = _deliveries_insert(template, [k for k in keys if k not in existing])
    WebhookDelivery.objects.filter(pk__in=existing.values()).update(
        next_attempt_at=now, enqueued_at=now
    )
    return created + list(existing.values())


def _deliveries_insert(template: WebhookDelivery, keys: list[UUID]) -> list[int]:
    """Insert a delivery like ``template`` for each translation key; their ids.

    On PostgreSQL one INSERT … SELECT over the keys as one array: every other
    column is the template's. bulk_create built and compiled every row's
    values, about 0.15 ms of CPU per page before the first one was sent.
    """
    connection = connections[router.db_for_write(WebhookDelivery)]
    if connection.vendor != "postgresql":
        new = []
        for key in keys:
            delivery = copy.copy(template)
            delivery.translation_key = key
            new.append(delivery)
        created = WebhookDelivery.objects.bulk_create(new, batch_size=500)
        return [d.pk for d in created]
    if not keys:
        return []
    meta = WebhookDelivery._meta
    quote = connection.ops.quote_name
    key_field = meta.get_field("translation_key")
    fields = [
        f for f in meta.concrete_fields if not f.primary_key and f is not key_field
    ]
    values = [
        f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields
    ]
    columns = ", ".join(quote(str(f.column)) for f in [*fields, key_field])
    constants = ", ".join(["%s"] * len(values))
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        f"SELECT {constants}, key FROM unnest(%s::uuid[]) AS key "
        f"RETURNING {quote(str(meta.pk.column))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, keys])
        return [row[0] for row in cursor.fetchall()]
