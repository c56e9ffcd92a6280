"""Task names of the print channel's former queue, kept for queued messages.

Print builds run on the generic lifecycle now (``exports.builds``, tasks
``exports.artifact_build`` and ``exports.artifact_builds_sweep``). Messages an
older release queued still name ``exports.print_build`` (with a ``PrintBuild`` id,
a table that is gone) or ``exports.print_sweep``: both start the generic sweep of
the print channels, which builds whatever is due.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import DatabaseError

from exports.builds import artifact_builds_sweep, building_channels

PRINT_BUILD_TASK = "exports.print_build"
PRINT_SWEEP_TASK = "exports.print_sweep"


def _print_channels_sweep(*, ensure_missing: bool = False) -> int:
    return sum(
        artifact_builds_sweep(channel=alias, ensure_missing=ensure_missing)
        for alias, channel in building_channels().items()
        if channel.name == "print"
    )


@shared_task(
    name=PRINT_BUILD_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def print_build_task(build_id: int, *args: Any) -> int:
    """A build queued by an older release: sweep the print channels instead."""
    return _print_channels_sweep()


@shared_task(
    name=PRINT_SWEEP_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def print_sweep_task(ensure_missing: bool = False) -> int:
    """The former beat entry's task: sweep the print channels."""
    return _print_channels_sweep(ensure_missing=ensure_missing)
