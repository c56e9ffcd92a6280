"""Editors' actions on website deliveries: replay failed ones, re-enable an endpoint."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from exports.website.deliveries import (
    delivery_back_to_pending,
    website_deliveries_enqueue,
)
from exports.website.models import WebhookDelivery, WebhookEndpoint
from exports.website.sweep import website_deliveries_sweep


def website_deliveries_replay(*, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Send failed deliveries again with a fresh retry window; returns how many.

    A failed row whose page has a newer delivery waiting is superseded instead: the
    waiting one carries the newer state.
    """
    count = 0
    now = timezone.now()
    for delivery in deliveries.filter(status="failed"):
        delivery_back_to_pending(
            delivery,
            next_attempt_at=now,
            first_failure_at=None,
            last_error="",
            attempts=0,
        )
        count += 1
    website_deliveries_sweep()
    return count


def website_endpoint_enable(*, endpoint: WebhookEndpoint) -> int:
    """Take an endpoint back into service after it answered 410 or was disabled,
    and send its whole backlog at once; returns how many deliveries were sent.

    The backlog is every delivery still waiting for the endpoint (whatever its
    backoff said) and those the 410 failed: the website asked to stop, not to
    lose them. Nothing waits for the next sweep.
    """
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_enabled=True, disabled_at=None, disabled_reason="", consecutive_failures=0
    )
    for delivery in WebhookDelivery.objects.filter(
        endpoint=endpoint, status="failed", last_status_code=410
    ):
        delivery_back_to_pending(
            delivery,
            next_attempt_at=now,
            first_failure_at=None,
            last_error="",
            attempts=0,
        )
    waiting = WebhookDelivery.objects.filter(endpoint=endpoint, status="pending")
    waiting.update(next_attempt_at=now, enqueued_at=None)
    return website_deliveries_enqueue(
        delivery_ids=list(waiting.order_by("pk").values_list("pk", flat=True))
    )
