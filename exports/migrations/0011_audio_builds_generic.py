"""Audio builds move to the generic queue: AudioBuild rows become ArtifactBuild
rows (the clip counts of the last build in ``last_details``), and who held an
audio build permission gets the generic one of file channels (as 0008 for print)."""

from django.db import migrations, models

# AudioBuild state → ArtifactBuild state. A queued or running reading-aloud of the
# old release is owed again: pending and due, so the sweep starts it (a running
# one's worker writes to a table that is gone).
STATES = {
    "queued": "pending",
    "running": "pending",
    "failed": "failed",
    "done": "done",
}
# Old codename → (new codename, its name as Django would create it).
PERMISSIONS = {
    "view_audiobuild": ("view_artifactbuild", "Can view Bau einer Kanal-Datei"),
    "change_audiobuild": ("rebuild_artifactbuild", "Darf Kanal-Dateien neu bauen"),
}


def builds_copy(apps, schema_editor):
    AudioBuild = apps.get_model("exports", "AudioBuild")
    ArtifactBuild = apps.get_model("exports", "ArtifactBuild")
    for old in AudioBuild.objects.all():
        state = STATES.get(old.state, "pending")
        when = old.updated_at
        values = {
            "state": state,
            "requested_at": when,
            "not_before": when,
            "requests": 1 if state == "pending" else 0,
            "last_error": old.last_error,
        }
        if state == "done":
            values.update(
                finished_at=when,
                last_outcome="built" if old.synthesized else "unchanged",
                last_details={"synthesized": old.synthesized, "reused": old.reused},
            )
        elif state == "failed":
            # One failure on record: the sweep retries it with backoff.
            values.update(finished_at=when, attempts=1, last_outcome="failed")
        # A row of the generic queue for the same locale (none is expected: audio
        # never used it) is newer knowledge; keep it.
        ArtifactBuild.objects.get_or_create(
            channel=old.channel, locale=old.locale, defaults=values
        )


def permissions_move(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    build_type, _created = ContentType.objects.get_or_create(
        app_label="exports", model="artifactbuild"
    )
    for old_code, (new_code, name) in PERMISSIONS.items():
        old = Permission.objects.filter(
            content_type__app_label="exports", codename=old_code
        ).first()
        if old is None:
            continue
        new, _created = Permission.objects.get_or_create(
            content_type=build_type, codename=new_code, defaults={"name": name}
        )
        for group in old.group_set.all():
            group.permissions.add(new)
        for user in old.user_set.all():
            user.user_permissions.add(new)
    # Nothing checks them any more; left behind they would still be offered.
    Permission.objects.filter(
        content_type__app_label="exports", content_type__model="audiobuild"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0010_content_event_kind_channel"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="artifactbuild",
            name="last_details",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="Angaben zum letzten Bau"
            ),
        ),
        # Backwards: the rows stay where they are (0012 backwards recreates
        # AudioBuild empty; the old release shows no state until its next build).
        migrations.RunPython(builds_copy, migrations.RunPython.noop),
        migrations.RunPython(permissions_move, migrations.RunPython.noop),
    ]
