"""Reading aloud on the generic build queue, as an editor and an operator notice
it: a failed build is retried with backoff and then shows on *Vorlesen* how many
pages it spoke anew and how many it reused; an audio build may run far longer than
a PDF build before it is stopped or handed to another worker.

The voice here is a beep per word (``ToneSpeech``), encoded by the real opusenc:
these tests are about the queue; espeak-ng is listened to in test_audio_channel.
"""

from __future__ import annotations

import array
import math
from datetime import timedelta
from io import StringIO
from typing import ClassVar

import pytest
import time_machine
from celery import current_app
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from exports.artifacts import artifact_current
from exports.audio.channel import AudioChannel
from exports.audio.speech import Speech, SpeechBackend
from exports.builds import (
    artifact_build_claim,
    artifact_build_now,
    artifact_build_run,
    artifact_builds_request,
    artifact_builds_sweep,
)
from exports.models import ArtifactBuild
from tests.exports.conftest import channel_options_override

pytestmark = pytest.mark.django_db

RATE = 8000
# A tenth of a second of 440 Hz.
BEEP = array.array(
    "h", (int(6000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(800))
).tobytes()


class ToneSpeech(SpeechBackend):
    """Says every word as a short beep, in every language: fast and deterministic."""

    name: ClassVar[str] = "test-tone"

    def voice_for(self, language: str) -> str | None:
        return "tone"

    def speak(self, text: str, *, voice: str) -> Speech:
        return Speech(pcm=BEEP * max(1, len(text.split())), sample_rate=RATE)


TONE = {"BACKEND": f"{__name__}.ToneSpeech"}
# A synthesizer that is not installed: builds fail with what to do about it.
MISSING = {
    "BACKEND": "exports.audio.speech.EspeakSpeech",
    "OPTIONS": {"EXECUTABLE": "espeak-ng-not-installed"},
}


def audio_configure(settings, tmp_path, *, speech: dict, **options) -> None:
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {
                "LOCALES": ["en"],
                "BUILD_DELAY": 0,
                "ROOT": str(tmp_path / "audio"),
                "SPEECH": speech,
                **options,
            },
        },
    }


def test_a_failed_build_is_retried_with_backoff_and_then_shows_what_it_spoke(
    settings,
    tmp_path,
    admin_client,
    tasks_in_this_process,
    django_capture_on_commit_callbacks,
):
    audio_configure(settings, tmp_path, speech=MISSING)
    with django_capture_on_commit_callbacks(execute=False):
        artifact_build_now(channel="audio", locale="en")
    build = ArtifactBuild.objects.get(channel="audio", locale="en")
    assert artifact_build_run(build_id=build.pk).outcome == "failed"

    build.refresh_from_db()
    assert build.state == "failed" and build.attempts == 1
    assert build.not_before > timezone.now()  # backoff: not again at once
    html = admin_client.get("/admin/vorlesen/").content.decode()
    assert 'data-locale="en" data-state="failed"' in html
    assert "make system-deps" in html
    assert "nächster Versuch" in html and "Fehlversuche in Folge: 1" in html
    # Before the backoff is over neither the sweep nor a stray message builds it.
    assert artifact_builds_sweep(channel="audio") == 0
    assert artifact_build_run(build_id=build.pk).outcome == "skipped"

    # The administrator installs a voice; once the backoff is over, the sweep
    # (Celery beat's entry of the channel) builds the locale.
    audio_configure(settings, tmp_path, speech=TONE)
    with time_machine.travel(build.not_before + timedelta(seconds=1), tick=False):
        assert artifact_builds_sweep(channel="audio") == 1
    build.refresh_from_db()
    assert (build.state, build.attempts, build.last_error) == ("done", 0, "")
    manifest = artifact_current(channel="audio", locale="en")
    assert manifest is not None
    pages = manifest.details["pages"]
    assert pages >= 2
    html = admin_client.get("/admin/vorlesen/").content.decode()
    assert 'data-locale="en" data-state="done"' in html
    assert f"neu gesprochen: {pages} · unverändert: 0" in html

    # Nothing changed since: the next build speaks nothing and says so, though
    # the manifest (the same bytes) still carries the first build's counts.
    out = StringIO()
    call_command("export", "audio", "--locale", "en", stdout=out)
    assert f"{pages} pages" in out.getvalue()
    assert f"0 synthesized, {pages} unchanged" in out.getvalue()
    html = admin_client.get("/admin/vorlesen/").content.decode()
    assert f"neu gesprochen: 0 · unverändert: {pages}" in html
    assert artifact_current(channel="audio", locale="en") == manifest


def test_an_audio_build_may_run_far_longer_than_a_pdf_build(
    settings, tmp_path, broker_in_memory, django_capture_on_commit_callbacks
):
    audio_configure(settings, tmp_path, speech=TONE)
    channel_options_override(settings, "print", LOCALES=["en"], BUILD_DELAY=0)
    with django_capture_on_commit_callbacks(execute=True):
        artifact_builds_request(channel="audio", locales=["en"])
        artifact_builds_request(channel="print", locales=["en"])
    audio = ArtifactBuild.objects.get(channel="audio", locale="en")
    printed = ArtifactBuild.objects.get(channel="print", locale="en")

    # The messages a worker receives carry each channel's limits, which the
    # worker applies instead of the task's defaults: [hard, soft] seconds.
    limits = {
        message.payload[0][0]: message.headers["timelimit"]
        for message in broker_in_memory()
    }
    assert limits == {audio.pk: [1600, 1500], printed.pk: [360, 300]}

    # Ten minutes in, a PDF build is given up for lost and built by another
    # worker; the audio build is still the first worker's.
    started = timezone.now()
    assert artifact_build_claim(build_id=audio.pk) is not None
    assert artifact_build_claim(build_id=printed.pk) is not None
    with time_machine.travel(started + timedelta(minutes=10), tick=False):
        assert artifact_builds_sweep(channel="print") == 1
        assert artifact_builds_sweep(channel="audio") == 0
        assert artifact_build_claim(build_id=audio.pk) is None
    broker_in_memory()

    # A district with a slower voice gives audio more time in its OPTIONS.
    audio_configure(settings, tmp_path, speech=TONE, TIME_LIMIT=2400)
    with django_capture_on_commit_callbacks(execute=True):
        artifact_builds_request(channel="audio", locales=["de"])
    assert [m.headers["timelimit"] for m in broker_in_memory()] == [[2400, 1500]]


def test_time_limits_that_would_let_a_build_run_twice_stop_start_up(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    with pytest.raises(ImproperlyConfigured, match="visibility_timeout"):
        AudioChannel(alias="audio", options={"SPEECH": TONE, "TIME_LIMIT": 3600})
    with pytest.raises(ImproperlyConfigured, match="below TIME_LIMIT"):
        AudioChannel(
            alias="audio",
            options={"SPEECH": TONE, "SOFT_TIME_LIMIT": 900, "TIME_LIMIT": 600},
        )


def test_a_reading_an_older_release_queued_is_owed_on_the_generic_queue(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    audio_configure(settings, tmp_path, speech=TONE)
    # The message as the former audio queue sent it: task name, alias, locales.
    with django_capture_on_commit_callbacks(execute=False):
        current_app.tasks["exports.audio_build"].apply(args=("audio", ["en", "tr"]))
    owed = ArtifactBuild.objects.filter(channel="audio", state="pending")
    assert sorted(owed.values_list("locale", flat=True)) == ["en", "tr"]
