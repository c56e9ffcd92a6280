from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0011_audio_builds_generic"),
    ]

    operations = [
        migrations.DeleteModel(
            name="AudioBuild",
        ),
    ]
