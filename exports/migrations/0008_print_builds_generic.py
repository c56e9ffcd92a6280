"""Print builds move to the generic queue: PrintBuild rows become ArtifactBuild
rows, and who held a print permission gets the generic one of file channels."""

from django.db import migrations

FIELDS = (
    "state",
    "requested_at",
    "requests",
    "not_before",
    "started_at",
    "finished_at",
    "lease_expires_at",
    "attempts",
    "last_outcome",
    "last_error",
    "last_seconds",
)
# Old codename → (new codename, its name as Django would create it).
PERMISSIONS = {
    "view_printbuild": ("view_artifactbuild", "Can view Bau einer Kanal-Datei"),
    "rebuild_printbuild": ("rebuild_artifactbuild", "Darf Kanal-Dateien neu bauen"),
}


def builds_copy(apps, schema_editor):
    PrintBuild = apps.get_model("exports", "PrintBuild")
    ArtifactBuild = apps.get_model("exports", "ArtifactBuild")
    for old in PrintBuild.objects.all():
        # A row of the generic queue for the same locale (none is expected: print
        # never used it) is newer knowledge; keep it.
        ArtifactBuild.objects.get_or_create(
            channel=old.channel,
            locale=old.locale,
            defaults={name: getattr(old, name) for name in FIELDS},
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
        content_type__app_label="exports", content_type__model="printbuild"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0007_content_event_kinds_for_references"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Backwards: the rows stay where they are (the old release reads PrintBuild,
        # which 0009 backwards recreates empty; its sweep requests what is missing).
        migrations.RunPython(builds_copy, migrations.RunPython.noop),
        migrations.RunPython(permissions_move, migrations.RunPython.noop),
    ]
