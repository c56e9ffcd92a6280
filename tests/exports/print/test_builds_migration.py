"""Upgrading to print on the generic queue: the builds an older release owed and
the permissions its editors had carry over (exports migrations 0008 and 0009)."""

from __future__ import annotations

import pytest
from django.utils import timezone

BEFORE = [("exports", "0007_content_event_kinds_for_references")]
AFTER = [("exports", "0009_delete_printbuild")]


@pytest.mark.django_db(transaction=True)
def test_print_builds_and_permissions_move_to_the_generic_queue(migrate_to):
    old = migrate_to(BEFORE)
    try:
        Group = old.get_model("auth", "Group")
        Permission = old.get_model("auth", "Permission")
        ContentType = old.get_model("contenttypes", "ContentType")
        PrintBuild = old.get_model("exports", "PrintBuild")
        print_type, _ = ContentType.objects.get_or_create(
            app_label="exports", model="printbuild"
        )
        rebuild, _ = Permission.objects.get_or_create(
            content_type=print_type,
            codename="rebuild_printbuild",
            defaults={"name": "Darf Druck-PDFs neu bauen"},
        )
        view, _ = Permission.objects.get_or_create(
            content_type=print_type,
            codename="view_printbuild",
            defaults={"name": "Can view Druck-Bau"},
        )
        printers = Group.objects.create(name="Druckerei")
        printers.permissions.add(rebuild, view)
        now = timezone.now()
        PrintBuild.objects.create(
            channel="print",
            locale="ar",
            state="failed",
            requested_at=now,
            not_before=now,
            attempts=3,
            last_outcome="failed",
            last_error="PrintRenderError: Typst: boom",
        )
    finally:
        new = migrate_to(AFTER)

    ArtifactBuild = new.get_model("exports", "ArtifactBuild")
    build = ArtifactBuild.objects.get(channel="print", locale="ar")
    # The admin shows the same state and error after the upgrade; the sweep retries.
    assert build.state == "failed" and build.attempts == 3
    assert build.last_error == "PrintRenderError: Typst: boom"
    granted = set(
        new.get_model("auth", "Group")
        .objects.get(name="Druckerei")
        .permissions.values_list("codename", flat=True)
    )
    assert granted == {"view_artifactbuild", "rebuild_artifactbuild"}
    assert not (
        new.get_model("auth", "Permission")
        .objects.filter(codename__endswith="_printbuild")
        .exists()
    )
