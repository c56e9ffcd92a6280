"""Writes of the website channel: record, attempt, sweep, replay and resync deliveries.

The life of a delivery::

    pending ──claim──► sending ──2xx/409──► delivered
       ▲                  │
       └──retry later─────┤ (connection error, 5xx, 429 …; backoff with full jitter)
                          ├──410 Gone──► failed, endpoint disabled
                          └──retry window over──► failed (an editor can replay)

Only one delivery per endpoint, page and locale is ``pending`` (newer events fold
into it) and only one is ``sending``, so a page's states reach the website in order.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from exports.channels import ExportSummary, Progress, channels
from exports.content import locale_chain, public_pages
from exports.models import ContentEvent
from exports.website.channel import EndpointConfig, WebsiteChannel, url_allowed
from exports.website.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from exports.website.selectors import website_payload
from exports.website.signing import webhook_headers

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

# Backoff: the n-th failure waits a random time up to min(CAP, BASE · 2ⁿ⁻¹)
# ("full jitter"), so many endpoints failing together don't retry in lock-step.
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=6)
# A Retry-After longer than this is shortened to it.
RETRY_AFTER_MAX = timedelta(hours=6)
# The worker's hard time limit for one attempt (tasks.py) plus a margin: a row
# still ``sending`` after this belongs to a worker that died.
LEASE = timedelta(seconds=120)
# A pending row handed to the broker but not picked up within this is re-enqueued.
REENQUEUE_AFTER = timedelta(minutes=5)
USER_AGENT = "Wegweiser-Webhooks/1"
# A resync claims and records deliveries this many at a time.
RESYNC_BATCH = 50

_http = threading.local()


def _session() -> requests.Session:
    # One keep-alive session per thread: resync sends from several threads.
    if not hasattr(_http, "session"):
        session = requests.Session()
        session.trust_env = False  # no proxies from the environment
        _http.session = session
    return _http.session


def website_channels() -> list[WebsiteChannel]:
    return [c for c in channels().values() if isinstance(c, WebsiteChannel)]


def endpoints_for(channel: WebsiteChannel) -> list[WebhookEndpoint]:
    """The rows for the channel's configured endpoints, created or updated as needed."""
    rows = []
    for config in channel.endpoints.values():
        endpoint, created = WebhookEndpoint.objects.get_or_create(
            name=config.name, defaults={"url": config.url}
        )
        if not created and endpoint.url != config.url:
            endpoint.url = config.url
            endpoint.save(update_fields=["url"])
        rows.append(endpoint)
    return rows


# --- Recording (inside the publishing transaction) ----------------------------------


def website_deliveries_record(
    *, channel: WebsiteChannel, events: Sequence[ContentEvent]
) -> list[int]:
    """Fold ``events`` into pending deliveries, one per endpoint, page and locale.

    Runs in the transaction that changed the content. A page with a delivery already
    waiting gets that row moved to the newer event instead of a second row. The
    broker is told after commit; if it is down, the sweep sends the rows later.
    """
    now = timezone.now()
    latest: dict[tuple, ContentEvent] = {}
    for event in events:
        latest[(event.translation_key, event.locale)] = event
    touched: list[int] = []
    titles = _titles({e.page_id for e in latest.values()})
    for endpoint in endpoints_for(channel):
        for (key, locale), event in latest.items():
            fields = {
                "sequence": event.pk,
                "page_id": event.page_id,
                "event_kind": event.kind,
                "page_title": titles.get(event.page_id, "")[:255],
            }
            touched.append(
                _pending_delivery_fold(
                    endpoint=endpoint, key=key, locale=locale, now=now, fields=fields
                )
            )
    transaction.on_commit(lambda: website_deliveries_enqueue(delivery_ids=touched))
    return touched


def artifact_translation_key(channel: str) -> uuid.UUID:
    """The fixed key under which a channel's files are delivered (one per channel).

    Deliveries are keyed by (endpoint, translation key, locale); a file has no
    page, so this stable UUID stands in and coalescing works unchanged.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wegweiser:artifact:{channel}")


def website_artifact_deliveries_record(
    *, channel: str, locale: str, sequence: int
) -> list[int]:
    """Announce that ``channel``'s file in ``locale`` changed (``artifact.updated``).

    Runs in the transaction that makes the new file current; ``sequence`` (the
    artifact's id) only grows. A delivery still waiting for the same file and locale
    takes the newer sequence instead of a second row; sending, retries, the sweep
    and replays are the page deliveries' own.
    """
    now = timezone.now()
    key = artifact_translation_key(channel)
    fields = {
        "sequence": sequence,
        "page_id": None,
        "event_kind": "artifact",
        "artifact_channel": channel,
        "page_title": f"PDF ({channel})",
    }
    touched: list[int] = []
    for website in website_channels():
        for endpoint in endpoints_for(website):
            touched.append(
                _pending_delivery_fold(
                    endpoint=endpoint, key=key, locale=locale, now=now, fields=fields
                )
            )
    if touched:
        transaction.on_commit(lambda: website_deliveries_enqueue(delivery_ids=touched))
    return touched


def _pending_delivery_fold(
    *,
    endpoint: WebhookEndpoint,
    key: uuid.UUID | str,
    locale: str,
    now: datetime,
    fields: dict[str, Any],
) -> int:
    """The id of the one pending row for (endpoint, key, locale), ``fields`` set.

    A newer event folds into the row that has not been sent yet instead of adding
    a second one; the partial unique index keeps it to one under concurrency.
    """
    pending = WebhookDelivery.objects.filter(
        endpoint=endpoint, translation_key=key, locale=locale, status="pending"
    )
    delivery_id = pending.values_list("pk", flat=True).first()
    if delivery_id is None:
        try:
            with transaction.atomic():
                return WebhookDelivery.objects.create(
                    endpoint=endpoint,
                    translation_key=key,
                    locale=locale,
                    next_attempt_at=now,
                    **fields,
                ).pk
        except IntegrityError:
            # Another transaction created the pending row meanwhile.
            delivery_id = pending.values_list("pk", flat=True).get()
    WebhookDelivery.objects.filter(pk=delivery_id).update(**fields)
    return delivery_id


def _titles(page_ids: set[int]) -> dict[int, str]:
    from wagtail.models import Page

    return dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))


def website_deliveries_enqueue(*, delivery_ids: Iterable[int]) -> int:
    """Hand deliveries to the broker; returns how many it took.

    A broker that is down is logged, not raised: the rows stay pending and the
    sweep enqueues them once it is back. Publishing never fails because of it.
    """
    from exports.tasks import deliver_webhook_task

    delivery_ids = list(delivery_ids)
    # Marked before sending: a worker may finish (and reschedule) the delivery
    # before apply_async returns, and its newer state must not be overwritten.
    WebhookDelivery.objects.filter(pk__in=delivery_ids, status="pending").update(
        enqueued_at=timezone.now()
    )
    sent: list[int] = []
    try:
        for delivery_id in delivery_ids:
            deliver_webhook_task.apply_async((delivery_id,), retry=False)
            sent.append(delivery_id)
    except (BrokerUnavailable, OSError) as exc:
        unsent = delivery_ids[len(sent) :]
        WebhookDelivery.objects.filter(pk__in=unsent, status="pending").update(
            enqueued_at=None
        )
        logger.warning(
            "Broker unavailable, %d deliveries stay queued in the database for the "
            "next sweep: %s",
            len(unsent),
            exc,
        )
    return len(sent)


# --- One attempt ---------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # delivered, retry, failed, skipped
    status_code: int | None = None
    error: str = ""


def _sending_sibling() -> Exists:
    return Exists(
        WebhookDelivery.objects.filter(
            endpoint_id=OuterRef("endpoint_id"),
            translation_key=OuterRef("translation_key"),
            locale=OuterRef("locale"),
            status="sending",
        )
    )


def website_delivery_attempt(*, delivery_id: int) -> AttemptResult:
    """Claim one due delivery, send the page's current state, record the answer."""
    return website_deliveries_send(delivery_ids=[delivery_id])[0]


def website_deliveries_send(*, delivery_ids: Sequence[int]) -> list[AttemptResult]:
    """Claim the due ones of ``delivery_ids`` and send them, one request each.

    Claiming and recording successes take a few queries for the whole batch, which
    is what makes a resync of thousands of pages fast; failures are recorded one
    by one. Rows that are not due, already being sent, or whose page has another
    delivery in flight come back as ``skipped``.
    """
    claimed = _claim(delivery_ids)
    results: dict[int, AttemptResult] = {}
    delivered: list[tuple[WebhookDelivery, datetime, int, AttemptResult, str]] = []
    for delivery in claimed:
        channel, config = _endpoint_config(delivery.endpoint.name)
        if channel is None or config is None:
            result = AttemptResult("failed", error="endpoint no longer configured")
            _finish_failed(delivery, result, started=timezone.now(), duration=0)
            results[delivery.pk] = result
            continue
        started, clock = timezone.now(), time.monotonic()
        body = website_payload(delivery)
        result, retry_after, excerpt = _post(channel, config, delivery, body)
        duration = int((time.monotonic() - clock) * 1000)
        results[delivery.pk] = result
        if result.outcome == "delivered":
            delivered.append((delivery, started, duration, result, excerpt))
        else:
            _finish_failed(
                delivery,
                result,
                started=started,
                duration=duration,
                retry_after=retry_after,
                excerpt=excerpt,
                window=channel.retry_window,
            )
    if delivered:
        _finish_delivered(delivered)
    return [results.get(pk, AttemptResult("skipped")) for pk in delivery_ids]


def _claim(delivery_ids: Sequence[int]) -> list[WebhookDelivery]:
    """Move the due ones of ``delivery_ids`` to ``sending`` and return them."""
    now = timezone.now()
    # Later rows of a batch wait for the earlier ones' requests: their lease
    # covers that wait, so the sweep never takes a row this call will still send.
    timeout = max((c.timeout for c in website_channels()), default=10.0)
    lease_until = now + LEASE + timedelta(seconds=timeout * (len(delivery_ids) - 1))
    claimable = (
        WebhookDelivery.objects.filter(
            pk__in=delivery_ids,
            status="pending",
            next_attempt_at__lte=now,
            endpoint__is_enabled=True,
        )
        .exclude(_sending_sibling())
        .values_list("pk", flat=True)
    )
    claimed = WebhookDelivery.objects.filter(
        pk__in=list(claimable), status="pending"
    ).update(status="sending", lease_expires_at=lease_until, attempts=F("attempts") + 1)
    if not claimed:
        return []
    # The lease's exact expiry tells this call's rows from any other claimer's.
    return list(
        WebhookDelivery.objects.select_related("endpoint").filter(
            pk__in=delivery_ids, status="sending", lease_expires_at=lease_until
        )
    )


def _finish_delivered(
    delivered: list[tuple[WebhookDelivery, datetime, int, AttemptResult, str]],
) -> None:
    """Record a batch of successful attempts in a few queries."""
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.bulk_create(
            WebhookAttempt(
                delivery=delivery,
                started_at=started,
                duration_ms=duration,
                webhook_id=delivery.webhook_id,
                status_code=result.status_code,
                response_excerpt=excerpt[:500],
                outcome="delivered",
            )
            for delivery, started, duration, result, excerpt in delivered
        )
        by_code: dict[int | None, list[int]] = {}
        for delivery, _started, _duration, result, _excerpt in delivered:
            by_code.setdefault(result.status_code, []).append(delivery.pk)
        for code, pks in by_code.items():
            WebhookDelivery.objects.filter(pk__in=pks).update(
                status="delivered",
                delivered_at=now,
                last_status_code=code,
                last_error="",
                lease_expires_at=None,
            )
        last_code = delivered[-1][3].status_code
        WebhookEndpoint.objects.filter(
            pk__in={delivery.endpoint_id for delivery, *_rest in delivered}
        ).update(
            last_success_at=now,
            consecutive_failures=0,
            last_status_code=last_code,
            last_error="",
        )
        deliveries = [delivery for delivery, *_rest in delivered]
        transaction.on_commit(lambda: _enqueue_waiting_siblings(deliveries))


def _endpoint_config(
    name: str,
) -> tuple[WebsiteChannel, EndpointConfig] | tuple[None, None]:
    for channel in website_channels():
        if name in channel.endpoints:
            return channel, channel.endpoints[name]
    return None, None


def _post(
    channel: WebsiteChannel,
    config: EndpointConfig,
    delivery: WebhookDelivery,
    body: bytes,
) -> tuple[AttemptResult, timedelta | None, str]:
    """POST ``body``; return (result, retry-after delay or None, response excerpt)."""
    if not url_allowed(config.url, channel.allowed_urls):
        return AttemptResult("failed", error="URL not in the allow-list"), None, ""
    headers = webhook_headers(
        secrets=config.secrets,
        msg_id=delivery.webhook_id,
        timestamp=int(time.time()),
        body=body,
    )
    headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
    try:
        response = _session().post(
            config.url,
            data=body,
            headers=headers,
            timeout=(min(5.0, channel.timeout), channel.timeout),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return AttemptResult("retry", error=_short_error(exc)), None, ""
    code = response.status_code
    excerpt = response.text[:500] if response.content else ""
    if 200 <= code < 300 or code == 409:
        # 409: the receiver already has this webhook id (an earlier attempt arrived
        # but its answer was lost).
        return AttemptResult("delivered", code), None, excerpt
    if code == 410:
        gone = AttemptResult("gone", code, "410 Gone: the receiver asked to stop")
        return gone, None, excerpt
    if 300 <= code < 400:
        location = response.headers.get("location", "?")
        return (
            AttemptResult("retry", code, f"redirect to {location} not followed"),
            None,
            excerpt,
        )
    retry_after = None
    if code in (429, 503):
        retry_after = _retry_after(response.headers.get("retry-after"))
    return AttemptResult("retry", code, f"HTTP {code}"), retry_after, excerpt


def _short_error(exc: Exception) -> str:
    if isinstance(exc, requests.ConnectionError):
        return f"connection failed: {exc.__class__.__name__}"[:500]
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    return f"{exc.__class__.__name__}: {exc}"[:500]


def _retry_after(value: str | None) -> timedelta | None:
    """Seconds or an HTTP date, as RFC 9110 allows; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            delay = parsedate_to_datetime(value) - timezone.now()
        except (TypeError, ValueError):
            return None
    return max(timedelta(0), min(delay, RETRY_AFTER_MAX))


def backoff_delay(failures: int) -> timedelta:
    """Full-jitter exponential backoff after the ``failures``-th failure in a row."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 20))
    return timedelta(seconds=max(1.0, random.uniform(0, ceiling.total_seconds())))


def _finish_failed(
    delivery: WebhookDelivery,
    result: AttemptResult,
    *,
    started: datetime,
    duration: int,
    retry_after: timedelta | None = None,
    excerpt: str = "",
    window: timedelta = timedelta(hours=72),
) -> None:
    now = timezone.now()
    endpoint = delivery.endpoint
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=started,
            duration_ms=duration,
            webhook_id=delivery.webhook_id,
            status_code=result.status_code,
            error=result.error[:500],
            response_excerpt=excerpt[:500],
            outcome=result.outcome,
        )
        common = {
            "last_status_code": result.status_code,
            "last_error": result.error[:500],
            "lease_expires_at": None,
        }
        # Successes are recorded in batches by _finish_delivered; this is a failure.
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            last_failure_at=now,
            consecutive_failures=F("consecutive_failures") + 1,
            last_status_code=result.status_code,
            last_error=result.error[:500],
        )
        if result.outcome == "gone":
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                is_enabled=False,
                disabled_at=now,
                disabled_reason=result.error,
            )
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status="failed", **common
            )
        elif result.outcome == "failed" or (
            delivery.first_failure_at and now - delivery.first_failure_at >= window
        ):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status="failed", **common
            )
        else:
            delay = retry_after or backoff_delay(delivery.attempts)
            _back_to_pending(
                delivery,
                next_attempt_at=now + delay,
                first_failure_at=delivery.first_failure_at or now,
                **common,
            )
        transaction.on_commit(lambda: _enqueue_waiting_siblings([delivery]))


def _back_to_pending(delivery: WebhookDelivery, **fields: Any) -> None:
    """Return a row to ``pending``, unless a newer one is already waiting.

    Then the newer row carries the latest state and this one is superseded.
    """
    try:
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status="pending", enqueued_at=None, **fields
            )
    except IntegrityError:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status="superseded",
            **{k: v for k, v in fields.items() if k.startswith("last_")},
            lease_expires_at=None,
        )


def _enqueue_waiting_siblings(deliveries: Sequence[WebhookDelivery]) -> None:
    """Newer states of these pages waited for their attempts to end: send them now."""
    pages = {(d.endpoint_id, d.translation_key, d.locale) for d in deliveries}
    waiting = WebhookDelivery.objects.filter(
        translation_key__in={key for _endpoint, key, _locale in pages},
        status="pending",
        next_attempt_at__lte=timezone.now(),
    ).values_list("pk", "endpoint_id", "translation_key", "locale")
    due = [pk for pk, *page in waiting if tuple(page) in pages]
    if due:
        website_deliveries_enqueue(delivery_ids=due)


# --- Sweep (Celery beat, every 30 s, and when a worker starts) ----------------------


@dataclass(frozen=True)
class SweepResult:
    recovered: int
    enqueued: int


def website_deliveries_sweep(*, limit: int = 1000) -> SweepResult:
    """Recover deliveries of dead workers and enqueue every due delivery."""
    now = timezone.now()
    recovered = 0
    stale = WebhookDelivery.objects.filter(status="sending", lease_expires_at__lt=now)
    for delivery in stale.select_related("endpoint")[:limit]:
        with transaction.atomic():
            WebhookAttempt.objects.create(
                delivery=delivery,
                started_at=(delivery.lease_expires_at or now) - LEASE,
                webhook_id=delivery.webhook_id,
                error="the worker stopped mid-delivery; sending again",
                outcome="lost",
            )
            _back_to_pending(
                delivery,
                next_attempt_at=now,
                lease_expires_at=None,
                last_error="the worker stopped mid-delivery",
            )
        recovered += 1
    due = (
        WebhookDelivery.objects.filter(
            status="pending", next_attempt_at__lte=now, endpoint__is_enabled=True
        )
        .filter(
            Q(enqueued_at__isnull=True)
            | Q(enqueued_at__lt=F("next_attempt_at"))
            | Q(enqueued_at__lt=now - REENQUEUE_AFTER)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    enqueued = website_deliveries_enqueue(delivery_ids=list(due))
    return SweepResult(recovered=recovered, enqueued=enqueued)


# --- Editors' actions ----------------------------------------------------------------


def website_deliveries_replay(*, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Send failed deliveries again with a fresh retry window; returns how many.

    A failed row whose page has a newer delivery waiting is superseded instead: the
    waiting one carries the newer state.
    """
    count = 0
    now = timezone.now()
    for delivery in deliveries.filter(status="failed"):
        _back_to_pending(
            delivery,
            next_attempt_at=now,
            first_failure_at=None,
            last_error="",
            attempts=0,
        )
        count += 1
    website_deliveries_sweep()
    return count


def website_endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    """Take an endpoint back into service after it answered 410 or was disabled."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_enabled=True, disabled_at=None, disabled_reason="", consecutive_failures=0
    )
    website_deliveries_sweep()


# --- Resync (by hand) ----------------------------------------------------------------


def website_resync(
    *,
    channel: WebsiteChannel,
    locales: Sequence[str] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> ExportSummary:
    """Push every public page in ``locales`` (all when None) to every endpoint.

    Sends from this process (``jobs`` threads on PostgreSQL, one on SQLite) so the
    caller can show progress; failures stay pending for the worker to retry.
    """
    from django.conf import settings

    from exports.content import content_locale_get

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
    if jobs is None:
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

    # Several senders, each with its own database connection, closed at the end.
    todo: queue.SimpleQueue[list[int] | None] = queue.SimpleQueue()
    results: queue.SimpleQueue[list[AttemptResult]] = queue.SimpleQueue()
    for batch in batches:
        todo.put(batch)

    def sender() -> None:
        try:
            while (batch := todo.get()) is not None:
                try:
                    results.put(website_deliveries_send(delivery_ids=batch))
                except Exception as exc:
                    logger.exception("resync: a batch of %d failed", len(batch))
                    error = AttemptResult("failed", error=str(exc)[:500])
                    results.put([error] * len(batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(jobs)]
    for thread in threads:
        todo.put(None)
        thread.start()
    for _ in batches:
        for result in results.get():
            done += 1
            _count(summary, result)
        if progress:
            progress(done, total)
    for thread in threads:
        thread.join()
    return summary


def _count(summary: ExportSummary, result: AttemptResult) -> None:
    if result.outcome == "delivered":
        summary.done += 1
    elif result.outcome == "skipped":
        summary.skipped += 1
    else:
        summary.failed += 1


def _resync_rows(endpoint: WebhookEndpoint, code: str, sequence: int) -> list[int]:
    from wagtail.models import Page

    keys = (
        public_pages(
            Page.objects.filter(
                locale__language_code__in=locale_chain(code), depth__gt=1
            )
        )
        .order_by()
        .values_list("translation_key", flat=True)
        .distinct()
    )
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
