# Print's PDFs become the core's generic Artifact rows (issue 13): every channel's
# files are listed, served and announced the same way. Rows keep their ids, so the
# sequence of artifact.updated webhooks keeps growing for receivers.

from django.core.management.color import no_style
from django.db import migrations, models


def artifacts_copy(apps, schema_editor):
    PrintArtifact = apps.get_model("exports", "PrintArtifact")
    Artifact = apps.get_model("exports", "Artifact")
    Artifact.objects.bulk_create(
        Artifact(
            id=old.id,
            channel=old.channel,
            locale=old.locale,
            key=old.path,
            media_type="application/pdf",
            sha256=old.sha256,
            size=old.size,
            built_at=old.built_at,
            build_seconds=old.build_seconds,
            source_hash=old.source_hash,
            details={
                "pages": old.page_count,
                "filename": f"wegweiser-handbuch-{old.locale}.pdf",
            },
            is_current=old.is_current,
        )
        for old in PrintArtifact.objects.all()
    )
    # Explicit ids leave PostgreSQL's sequence behind; move it past them.
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [Artifact]):
        schema_editor.execute(sql)


def artifacts_copy_back(apps, schema_editor):
    PrintArtifact = apps.get_model("exports", "PrintArtifact")
    Artifact = apps.get_model("exports", "Artifact")
    PrintArtifact.objects.bulk_create(
        PrintArtifact(
            id=new.id,
            channel=new.channel,
            locale=new.locale,
            path=new.key,
            sha256=new.sha256,
            size=new.size,
            page_count=(new.details or {}).get("pages", 0),
            build_seconds=new.build_seconds,
            built_at=new.built_at,
            source_hash=new.source_hash,
            is_current=new.is_current,
        )
        for new in Artifact.objects.filter(media_type="application/pdf")
    )


# The print page's permissions move from the dropped model to PrintBuild.
PERMISSIONS = {
    "view_printartifact": ("view_printbuild", "Can view Druck-Bau"),
    "rebuild_printartifact": ("rebuild_printbuild", "Darf Druck-PDFs neu bauen"),
}


def permissions_move(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    build_type, _created = ContentType.objects.get_or_create(
        app_label="exports", model="printbuild"
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


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0003_print_artifacts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='Artifact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(max_length=50, verbose_name='Kanal')),
                ('locale', models.CharField(max_length=20, verbose_name='Sprache')),
                ('key', models.CharField(max_length=255, verbose_name='Datei')),
                ('media_type', models.CharField(max_length=100, verbose_name='Medientyp')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 der Datei')),
                ('size', models.PositiveBigIntegerField(verbose_name='Größe (Bytes)')),
                ('built_at', models.DateTimeField(verbose_name='gebaut am')),
                ('build_seconds', models.FloatField(verbose_name='Bauzeit (Sekunden)')),
                ('source_hash', models.CharField(blank=True, max_length=64, verbose_name='Quell-Hash')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='Details')),
                ('is_current', models.BooleanField(default=False, verbose_name='aktuell')),
            ],
            options={
                'verbose_name': 'Datei eines Kanals',
                'verbose_name_plural': 'Dateien der Kanäle',
            },
        ),
        migrations.AddIndex(
            model_name='artifact',
            index=models.Index(fields=['channel', 'locale', '-built_at'], name='artifact_built'),
        ),
        migrations.AddConstraint(
            model_name='artifact',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('channel', 'locale'), name='one_current_artifact_per_channel_locale'),
        ),
        migrations.RunPython(artifacts_copy, artifacts_copy_back),
        migrations.AlterModelOptions(
            name='printbuild',
            options={'permissions': [('rebuild_printbuild', 'Darf Druck-PDFs neu bauen')], 'verbose_name': 'Druck-Bau', 'verbose_name_plural': 'Druck-Bauten'},
        ),
        migrations.RunPython(permissions_move, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='PrintArtifact',
        ),
    ]
