"""Celery tasks of the pipeline: thin, they call the channels' services."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError

# One attempt is a build plus one HTTP request with a 10 s timeout; these limits keep
# a stuck attempt from holding a worker, and stay far below the broker's visibility
# timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS) so a task is never redelivered
# while it still runs. The website services' LEASE is derived from the hard limit.
ATTEMPT_SOFT_LIMIT = 60
ATTEMPT_HARD_LIMIT = 90


@shared_task(
    name="exports.deliver_webhook",
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
    from exports.website.services import website_delivery_attempt

    return website_delivery_attempt(delivery_id=delivery_id).outcome


@shared_task(
    name="exports.sweep_deliveries",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def sweep_deliveries_task() -> dict[str, int]:
    """Recover deliveries of dead workers and enqueue every due one (beat, 30 s)."""
    from exports.website.services import website_deliveries_sweep

    result = website_deliveries_sweep()
    return {"recovered": result.recovered, "enqueued": result.enqueued}


# A build renders the whole handbook (0.3–2 s with Typst, more for a big one); the
# limits stop a runaway build long before the print services' LEASE (420 s) ends.
PRINT_SOFT_LIMIT = 300
PRINT_HARD_LIMIT = 360


@shared_task(
    name="exports.print_build",
    acks_late=True,
    reject_on_worker_lost=True,
    # Build failures are recorded on the build row and retried by the sweep with
    # backoff; only the database being away is retried here.
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=True,
    soft_time_limit=PRINT_SOFT_LIMIT,
    time_limit=PRINT_HARD_LIMIT,
)
def print_build_task(build_id: int) -> str:
    """Build one locale's PDF if its window is over and its source changed."""
    from exports.print.services import print_build_run

    return print_build_run(build_id=build_id).outcome


@shared_task(
    name="exports.print_sweep",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def print_sweep_task(ensure_missing: bool = False) -> dict[str, int]:
    """Start due print builds: lost messages, retries, dead workers (beat, 30 s)."""
    from exports.print.services import print_builds_sweep

    result = print_builds_sweep(ensure_missing=ensure_missing)
    return {"requested": result.requested, "enqueued": result.enqueued}


@worker_ready.connect(dispatch_uid="exports-sweep-on-start")
def sweep_when_worker_starts(sender: object = None, **kwargs: object) -> None:
    """A worker that starts catches up at once instead of waiting for beat.

    Print locales without any PDF yet (a fresh install, the demo) get one built.
    """
    sweep_deliveries_task.delay()
    print_sweep_task.delay(ensure_missing=True)
