"""Celery tasks of the print channel: thin, they call its services.

The names (``exports.print_build``, ``exports.print_sweep``) stay as they were when
these tasks lived in ``exports.tasks``, so messages already queued still run.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from exports.print.services import (
    PRINT_BUILD_TASK,
    PRINT_HARD_LIMIT,
    PRINT_SOFT_LIMIT,
    print_build_run,
    print_builds_sweep,
)

PRINT_SWEEP_TASK = "exports.print_sweep"


@shared_task(
    name=PRINT_BUILD_TASK,
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
    return print_build_run(build_id=build_id).outcome


@shared_task(
    name=PRINT_SWEEP_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def print_sweep_task(ensure_missing: bool = False) -> dict[str, int]:
    """Start due print builds: lost messages, retries, dead workers (beat, 30 s)."""
    result = print_builds_sweep(ensure_missing=ensure_missing)
    return {"requested": result.requested, "enqueued": result.enqueued}
