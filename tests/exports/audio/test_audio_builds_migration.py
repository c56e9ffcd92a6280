"""Upgrading to audio on the generic queue: what an older release's *Vorlesen*
showed, the readings it still owed and its editors' permissions carry over
(exports migrations 0011 and 0012)."""

from __future__ import annotations

import pytest
from django.utils import timezone

BEFORE = [("exports", "0010_content_event_kind_channel")]
AFTER = [("exports", "0012_delete_audiobuild")]


@pytest.mark.django_db(transaction=True)
def test_audio_builds_and_permissions_move_to_the_generic_queue(migrate_to):
    old = migrate_to(BEFORE)
    try:
        Group = old.get_model("auth", "Group")
        Permission = old.get_model("auth", "Permission")
        ContentType = old.get_model("contenttypes", "ContentType")
        AudioBuild = old.get_model("exports", "AudioBuild")
        audio_type, _ = ContentType.objects.get_or_create(
            app_label="exports", model="audiobuild"
        )
        granted = {}
        for codename, name in (
            ("view_audiobuild", "Can view Vorlese-Bau"),
            ("change_audiobuild", "Can change Vorlese-Bau"),
            ("delete_audiobuild", "Can delete Vorlese-Bau"),
        ):
            granted[codename], _ = Permission.objects.get_or_create(
                content_type=audio_type, codename=codename, defaults={"name": name}
            )
        speakers = Group.objects.create(name="Sprecherinnen")
        speakers.permissions.add(
            granted["view_audiobuild"], granted["change_audiobuild"]
        )
        AudioBuild.objects.create(
            channel="audio", locale="de", state="done", synthesized=4, reused=9
        )
        AudioBuild.objects.create(
            channel="audio",
            locale="ar",
            state="failed",
            last_error="espeak-ng is not installed: run `make system-deps`",
        )
        AudioBuild.objects.create(channel="audio", locale="en", state="queued")
    finally:
        new = migrate_to(AFTER)

    ArtifactBuild = new.get_model("exports", "ArtifactBuild")
    builds = {b.locale: b for b in ArtifactBuild.objects.filter(channel="audio")}
    # What the overview showed: the last build's clip counts, the error.
    assert builds["de"].state == "done"
    assert builds["de"].last_details == {"synthesized": 4, "reused": 9}
    assert builds["ar"].state == "failed" and builds["ar"].attempts == 1
    assert "make system-deps" in builds["ar"].last_error
    # Owed readings are due: the sweep starts them (a failed one after backoff).
    assert builds["en"].state == "pending"
    assert builds["en"].not_before <= timezone.now()
    assert set(
        new.get_model("auth", "Group")
        .objects.get(name="Sprecherinnen")
        .permissions.values_list("codename", flat=True)
    ) == {"view_artifactbuild", "rebuild_artifactbuild"}
    assert not (
        new.get_model("auth", "Permission")
        .objects.filter(codename__endswith="_audiobuild")
        .exists()
    )
