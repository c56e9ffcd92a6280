"""Celery tasks of the website channel: thin, they call its services.

The names (``exports.deliver_webhook``, ``exports.sweep_deliveries``) stay as they
were when these tasks lived in ``exports.tasks``, so queued messages still run.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from exports.website.deliveries import DELIVER_WEBHOOK_TASK
from exports.website.sending import (
    ATTEMPT_HARD_LIMIT,
    ATTEMPT_SOFT_LIMIT,
    website_delivery_attempt,
)
from exports.website.sweep import website_deliveries_sweep

SWEEP_DELIVERIES_TASK = "exports.sweep_deliveries"


@shared_task(
    name=DELIVER_WEBHOOK_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only the database being away is retried here; HTTP failures are scheduled
    # in the delivery row (backoff over ≥ 72 h) and picked up by the sweep.
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=True,
    soft_time_limit=ATTEMPT_SOFT_LIMIT,
    time_limit=ATTEMPT_HARD_LIMIT,
)
def deliver_webhook_task(delivery_id: int) -> str:
    """Make one attempt at one website delivery (if it is still due)."""
    return website_delivery_attempt(delivery_id=delivery_id).outcome


@shared_task(
    name=SWEEP_DELIVERIES_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def sweep_deliveries_task() -> dict[str, int]:
    """Recover deliveries of dead workers and enqueue every due one (beat, 30 s)."""
    result = website_deliveries_sweep()
    return {"recovered": result.recovered, "enqueued": result.enqueued}
