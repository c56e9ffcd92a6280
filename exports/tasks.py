"""Celery wiring of the pipeline core; each channel's tasks live in its package.

The channels' ``tasks`` modules are imported at start-up through the registry
(``ExportsConfig.ready``), and their beat entries merged there.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError

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
