"""Sending website deliveries: claim, POST, record the answer, back off.

The life of a delivery::

    pending ──claim──► sending ──2xx/409──► delivered
       ▲                  │
       └──retry later─────┤ (connection error, 5xx, 429 …; backoff with full jitter)
                          ├──410 Gone──► failed, endpoint disabled
                          └──retry window over──► failed (an editor can replay)

Only one delivery per endpoint, page and locale is ``sending``, so a page's states
reach the website in order.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from cms.lookups import any_of
from exports.website.deliveries import (
    delivery_back_to_pending,
    website_deliveries_enqueue,
)
from exports.website.endpoints import (
    EndpointConfig,
    HostResolver,
    WebhookTarget,
    WebsiteConfig,
    host_addresses,
    url_allowed,
    webhook_target,
    website_config_for_endpoint,
    website_configs,
)
from exports.website.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from exports.website.posting import PostAnswer, PostFailed, webhook_post
from exports.website.selectors import website_payloads
from exports.website.signing import webhook_headers

# One attempt is a build plus one HTTP request with a 10 s timeout; these task limits
# (tasks.py) keep a stuck attempt from holding a worker, and stay far below the
# broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS) so a task
# is never redelivered while it still runs.
ATTEMPT_SOFT_LIMIT = 60
ATTEMPT_HARD_LIMIT = 90
# Backoff: the n-th failure waits a random time up to min(CAP, BASE · 2ⁿ⁻¹)
# ("full jitter"), so many endpoints failing together don't retry in lock-step.
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=6)
# A Retry-After longer than this is shortened to it.
RETRY_AFTER_MAX = timedelta(hours=6)
# The worker's hard time limit for one attempt plus a margin: a row still
# ``sending`` after this belongs to a worker that died.
LEASE = timedelta(seconds=ATTEMPT_HARD_LIMIT + 30)
USER_AGENT = "Wegweiser-Webhooks/1"
_CONTENT_HEADERS = {"content-type": "application/json", "user-agent": USER_AGENT}

# A name with many addresses: this many are tried when the first refuses the
# connection (each within the connect timeout, far below ATTEMPT_SOFT_LIMIT).
ADDRESSES_TRIED = 3


def _pinned_post(
    target: WebhookTarget,
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    route: _Route,
) -> PostAnswer:
    """POST to one of the checked addresses in turn, as ``url``'s host."""
    failed: PostFailed | None = None
    for address in target.addresses[:ADDRESSES_TRIED]:
        try:
            return webhook_post(
                url,
                body=body,
                headers=headers,
                connect_timeout=route.connect_timeout,
                timeout=route.timeout,
                address=address,
            )
        except PostFailed as exc:
            if exc.connected:
                raise
            failed = exc  # nothing was sent: the next checked address may take it
    assert failed is not None  # webhook_target never checks zero addresses
    raise failed


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


def website_deliveries_send(
    *, delivery_ids: Sequence[int], resolver: HostResolver = host_addresses
) -> list[AttemptResult]:
    """Claim the due ones of ``delivery_ids`` and send them, one request each.

    Claiming and recording successes take a few queries for the whole batch, which
    is what makes a resync of thousands of pages fast; failures are recorded one
    by one. Rows that are not due, already being sent, or whose page has another
    delivery in flight come back as ``skipped``. ``resolver`` turns the
    endpoint's host name into the addresses checked and connected to.
    """
    claimed = _claim(delivery_ids)
    # Every page of the batch built together from the content tree.
    bodies = dict(zip((d.pk for d in claimed), website_payloads(claimed), strict=True))
    results: dict[int, AttemptResult] = {}
    delivered: list[tuple[WebhookDelivery, datetime, int, AttemptResult, str]] = []
    # What does not change within a batch is worked out once per endpoint.
    routes: dict[str, _Route | None] = {}
    for delivery in claimed:
        name = delivery.endpoint.name
        if name not in routes:
            channel, config = website_config_for_endpoint(name)
            routes[name] = None
            if channel is not None and config is not None:
                routes[name] = _route(channel, config)
        route = routes[name]
        if route is None:
            result = AttemptResult("failed", error="endpoint no longer configured")
            _finish_failed(delivery, result, started=timezone.now(), duration=0)
            results[delivery.pk] = result
            continue
        started, clock = timezone.now(), time.monotonic()
        body = bodies[delivery.pk]
        result, retry_after, excerpt = _post(route, delivery, body, resolver)
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
                window=route.channel.retry_window,
            )
    if delivered:
        _finish_delivered(delivered)
    return [results.get(pk, AttemptResult("skipped")) for pk in delivery_ids]


# What sending a delivery reads of its row (payload, signing, backoff); the
# other columns (titles, the clocks of earlier attempts) stay in the database.
SENDING_FIELDS = (
    "endpoint_id",
    "translation_key",
    "locale",
    "page_id",
    "event_kind",
    "artifact_channel",
    "sequence",
    "attempts",
    "first_failure_at",
)


def _claim(delivery_ids: Sequence[int]) -> list[WebhookDelivery]:
    """Move the due ones of ``delivery_ids`` to ``sending`` and return them."""
    now = timezone.now()
    # Later rows of a batch wait for the earlier ones' requests: their lease
    # covers that wait, so the sweep never takes a row this call will still send.
    timeout = max((c.timeout for c in website_configs()), default=10.0)
    lease_until = now + LEASE + timedelta(seconds=timeout * (len(delivery_ids) - 1))
    claimable = (
        WebhookDelivery.objects.filter(
            any_of("pk", delivery_ids),
            status="pending",
            next_attempt_at__lte=now,
            endpoint__is_enabled=True,
        )
        .exclude(_sending_sibling())
        .values_list("pk", flat=True)
    )
    claimed = WebhookDelivery.objects.filter(
        any_of("pk", list(claimable)), status="pending"
    ).update(status="sending", lease_expires_at=lease_until, attempts=F("attempts") + 1)
    if not claimed:
        return []
    # The lease's exact expiry tells this call's rows from any other claimer's.
    rows = list(
        WebhookDelivery.objects.filter(
            any_of("pk", delivery_ids), status="sending", lease_expires_at=lease_until
        ).only(*SENDING_FIELDS)
    )
    # A batch has one or a few endpoints: one row each, not one per delivery.
    endpoints = WebhookEndpoint.objects.in_bulk({row.endpoint_id for row in rows})
    for row in rows:
        row.endpoint = endpoints[row.endpoint_id]
    return rows


def _finish_delivered(
    delivered: list[tuple[WebhookDelivery, datetime, int, AttemptResult, str]],
) -> None:
    """Record a batch of successful attempts in a few queries."""
    now = timezone.now()
    with transaction.atomic():
        _attempts_log(
            (
                delivery.pk,
                started,
                duration,
                delivery.webhook_id,
                result.status_code,
                "",
                excerpt[:500],
                "delivered",
            )
            for delivery, started, duration, result, excerpt in delivered
        )
        by_code: dict[int | None, list[int]] = {}
        for delivery, _started, _duration, result, _excerpt in delivered:
            by_code.setdefault(result.status_code, []).append(delivery.pk)
        for code, pks in by_code.items():
            WebhookDelivery.objects.filter(any_of("pk", pks)).update(
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


# The columns of ``_attempts_log``'s rows, in order.
_ATTEMPT_LOG_FIELDS = (
    "delivery_id",
    "started_at",
    "duration_ms",
    "webhook_id",
    "status_code",
    "error",
    "response_excerpt",
    "outcome",
)


def _attempts_log(rows: Iterable[tuple[Any, ...]]) -> None:
    """Add attempts to the log, each row's values in ``_ATTEMPT_LOG_FIELDS`` order.

    On PostgreSQL one COPY: a resync logs an attempt per document, and building
    and compiling bulk_create's INSERT cost about 60 µs of CPU a row, COPY 5.
    """
    connection = connections[router.db_for_write(WebhookAttempt)]
    if connection.vendor != "postgresql":
        WebhookAttempt.objects.bulk_create(
            WebhookAttempt(**dict(zip(_ATTEMPT_LOG_FIELDS, row, strict=True)))
            for row in rows
        )
        return
    meta = WebhookAttempt._meta
    quote = connection.ops.quote_name
    column = {f.attname: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in _ATTEMPT_LOG_FIELDS)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@dataclass(frozen=True)
class _Route:
    """What a batch works out once per endpoint to post to it."""

    channel: WebsiteConfig
    config: EndpointConfig
    allowed: bool  # the URL is in the channel's allow-list
    connect_timeout: float
    # The whole request, connecting included.
    timeout: float


def _route(channel: WebsiteConfig, config: EndpointConfig) -> _Route:
    """How to post to the endpoint ``config`` of ``channel``."""
    connect_timeout = min(5.0, channel.timeout)
    return _Route(
        channel=channel,
        config=config,
        allowed=url_allowed(config.url, channel.allowed_urls),
        connect_timeout=connect_timeout,
        timeout=connect_timeout + channel.timeout,
    )


def _post(
    route: _Route,
    delivery: WebhookDelivery,
    body: bytes,
    resolver: HostResolver = host_addresses,
) -> tuple[AttemptResult, timedelta | None, str]:
    """POST ``body``; return (result, retry-after delay or None, response excerpt)."""
    if not route.allowed:
        return AttemptResult("failed", error="URL not in the allow-list"), None, ""
    headers = webhook_headers(
        secrets=route.config.secrets,
        msg_id=delivery.webhook_id,
        timestamp=int(time.time()),
        body=body,
    )
    headers |= _CONTENT_HEADERS
    url = route.config.url
    try:
        if route.channel.allow_private_targets:
            response = webhook_post(
                url,
                body=body,
                headers=headers,
                connect_timeout=route.connect_timeout,
                timeout=route.timeout,
            )
        else:
            # Looked up on every attempt (a name may come to point inside later),
            # and the connection goes to the address that was checked.
            target = webhook_target(url, resolver=resolver)
            if target.internal:
                error = f"the URL points at the internal address {target.internal}"
                return AttemptResult("failed", error=error), None, ""
            if target.unresolved:
                return AttemptResult("retry", error=target.unresolved), None, ""
            response = _pinned_post(
                target, url, body=body, headers=headers, route=route
            )
    except PostFailed as exc:
        return AttemptResult("retry", error=exc.reason), None, ""
    code = response.status
    excerpt = response.body.decode("utf-8", "replace")[:500]
    if 200 <= code < 300 or code == 409:
        # 409: the receiver already has this webhook id (an earlier attempt arrived
        # but its answer was lost).
        return AttemptResult("delivered", code), None, excerpt
    if code == 410:
        gone = AttemptResult("gone", code, "410 Gone: the receiver asked to stop")
        return gone, None, excerpt
    if 300 <= code < 400:
        location = response.header("location") or "?"
        return (
            AttemptResult("retry", code, f"redirect to {location} not followed"),
            None,
            excerpt,
        )
    retry_after = None
    if code in (429, 503):
        retry_after = _retry_after(response.header("retry-after"))
    return AttemptResult("retry", code, f"HTTP {code}"), retry_after, excerpt


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
            delivery_back_to_pending(
                delivery,
                next_attempt_at=now + delay,
                first_failure_at=delivery.first_failure_at or now,
                **common,
            )
        transaction.on_commit(lambda: _enqueue_waiting_siblings([delivery]))


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
