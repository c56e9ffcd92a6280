"""The sweep of website deliveries (Celery beat, every 30 s, and when a worker starts).

It recovers deliveries of dead workers (their lease ran out) and hands every due
delivery to the broker, which covers messages lost while the broker was down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from exports.website.deliveries import (
    delivery_back_to_pending,
    website_deliveries_enqueue,
)
from exports.website.models import WebhookAttempt, WebhookDelivery
from exports.website.sending import LEASE

# A pending row handed to the broker but not picked up within this is re-enqueued.
REENQUEUE_AFTER = timedelta(minutes=5)


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
            delivery_back_to_pending(
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
