"""Task name of the audio channel's former queue, kept for queued messages.

Audio builds run on the generic lifecycle now (``exports.builds``, tasks
``exports.artifact_build`` and ``exports.artifact_builds_sweep``). A message an
older release queued still names ``exports.audio_build`` with the channel's alias
and the locales to read aloud: it owes those locales a build on the generic queue
now, which then runs with the channel's own time limits.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

from exports.builds import artifact_builds_request, building_channels

AUDIO_BUILD_TASK = "exports.audio_build"


@shared_task(
    name=AUDIO_BUILD_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def audio_build_task(alias: str, locales: list[str]) -> int:
    """A build queued by an older release: request it on the generic queue."""
    channel = building_channels().get(alias)
    if channel is None:
        return 0
    wanted = [code for code in locales if code in channel.hand_locales()]
    if not wanted:
        return 0
    return len(
        artifact_builds_request(channel=alias, locales=wanted, delay=timedelta(0))
    )
