"""Celery task of the audio channel: thin, it calls the core's build step."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from exports.audio.services import audio_locale_run
from exports.channels import channel_get

AUDIO_BUILD_TASK = "exports.audio_build"


@shared_task(
    name=AUDIO_BUILD_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=True,
    soft_time_limit=1500,
    time_limit=1600,
)
def audio_build_task(alias: str, locales: list[str]) -> int:
    """Read the pages of ``locales`` aloud; unchanged pages keep their files."""
    channel = channel_get(alias)
    return sum(audio_locale_run(channel, locale=code) is not None for code in locales)
