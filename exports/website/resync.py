"""Resync by hand: push every public page in some locales to every endpoint."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from django import db
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

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

    Sends from this process, or on PostgreSQL from ``jobs`` sender processes forked
    from it (SQLite takes one writer at a time), so the caller can show progress;
    failures stay pending for the worker to retry.
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
    total = len(delivery_ids)
    if jobs is None or connection.vendor == "sqlite":
        jobs = 1 if connection.vendor == "sqlite" else 4
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

    # Several senders, each a process of its own (a fork of this one) with its own
    # database connection: threads would share one core through Python's GIL, and
    # the sending is CPU work (building, signing, HTTP). Connections are closed
    # first so no child inherits this process's socket.
    db.connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for results in as_completed(pool.submit(_send, b) for b in batches):
            for result in results.result():
                done += 1
                _count(summary, result)
            if progress:
                progress(done, total)
    return summary


def _send(batch: list[int]) -> list[AttemptResult]:
    """One batch, in a sender process; a failure counts for the whole batch (its
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
    new = [
        WebhookDelivery(
            endpoint=endpoint,
            translation_key=key,
            locale=code,
            sequence=sequence,
            event_kind="resync",
            next_attempt_at=now,
            # Marked as handed over: this process sends them itself.
            enqueued_at=now,
        )
        for key in keys
        if key not in existing
    ]
    created = WebhookDelivery.objects.bulk_create(new, batch_size=500)
    WebhookDelivery.objects.filter(pk__in=existing.values()).update(
        next_attempt_at=now, enqueued_at=now
    )
    return [d.pk for d in created] + list(existing.values())
