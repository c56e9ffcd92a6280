"""Celery wiring of the pipeline core; each channel's tasks live in its package.

The generic build tasks of file channels (``exports.builds``) live here: a channel
built on ``FileChannel`` has no tasks module of its own.

The channels' ``tasks`` modules are imported at start-up through the registry
(``ExportsConfig.ready``), and their beat entries merged there.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError

from exports.builds import (
    ARTIFACT_BUILD_TASK,
    ARTIFACT_SWEEP_TASK,
    BUILD_HARD_LIMIT,
    BUILD_SOFT_LIMIT,
    artifact_build_run,
    artifact_builds_sweep,
)
from exports.channels import channels_worker_ready
from exports.services import consent_withdrawals_due_record


@worker_ready.connect(dispatch_uid="exports-sweep-on-start")
def channels_catch_up_when_worker_starts(
    sender: object = None, **kwargs: object
) -> None:
    """A worker that starts catches up at once instead of waiting for beat.

    Each channel decides what that means (the website resends due deliveries,
    print builds locales that have no PDF yet).
    """
    channels_worker_ready()


@shared_task(
    name=ARTIFACT_BUILD_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    # Build failures are recorded on the build row and retried by the sweep with
    # backoff; only the database being away is retried here.
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=True,
    # Defaults only: every build message carries its channel's limits
    # (``artifact_builds_enqueue``), which the worker applies instead.
    soft_time_limit=BUILD_SOFT_LIMIT,
    time_limit=BUILD_HARD_LIMIT,
)
def artifact_build_task(build_id: int) -> str:
    """Build one locale's file of a file channel once its window is over."""
    return artifact_build_run(build_id=build_id).outcome


@shared_task(
    name=ARTIFACT_SWEEP_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def artifact_builds_sweep_task(
    channel: str | None = None, ensure_missing: bool = False
) -> int:
    """Start due builds of file channels: lost messages, retries, dead workers."""
    return artifact_builds_sweep(channel=channel, ensure_missing=ensure_missing)


CONSENT_WITHDRAWALS_DUE_TASK = "exports.consent_withdrawals_due"


@shared_task(
    name=CONSENT_WITHDRAWALS_DUE_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def consent_withdrawals_due_task() -> int:
    """Announce portraits whose consent withdrawal date has come (beat, hourly)."""
    return consent_withdrawals_due_record()
