"""The EPUB channel in the pipeline: built on publish through the generic
file-channel lifecycle, listed and served by the API, shown in the admin with its
state and last error, built by hand with ``manage.py export epub``."""

from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command

from exports.artifacts import artifact_current, artifact_file
from exports.content import handbooks_source
from exports.epub.channel import EpubChannel
from exports.models import Artifact, ArtifactBuild
from tests.conftest import wait_until
from tests.exports.conftest import channel_options_override
from tests.factories.pages import chapter_factory, handbook_factory

EPUB = {"BACKEND": "exports.epub.channel.EpubChannel"}


@pytest.fixture
def epub_channel(settings, tmp_path):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "epub": {
            **EPUB,
            "OPTIONS": {
                "LOCALES": ["de", "ar"],
                "BUILD_DELAY": 0,
                "ROOT": str(tmp_path / "epub"),
            },
        },
    }
    return tmp_path / "epub"


@pytest.mark.django_db
def test_export_command_builds_lists_serves_and_shows_the_epub(
    epub_channel, client, admin_client
):
    out = StringIO()
    call_command("export", "epub", "--locale", "ar", stdout=out)
    assert "ar built" in out.getvalue()
    assert "epub: 1 built" in out.getvalue()

    artifact = Artifact.objects.get(channel="epub", locale="ar", is_current=True)
    assert artifact.media_type == "application/epub+zip"
    assert (epub_channel / f"{artifact.sha256}.epub").exists()

    listing = client.get("/api/v1/artifacts/")
    item = next(
        i
        for i in listing.json()["items"]
        if i["channel"] == "epub" and i["locale"] == "ar"
    )
    assert item["url"] == "/api/v1/artifacts/epub/ar.epub"
    download = client.get(item["url"])
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == artifact.sha256
    with zipfile.ZipFile(BytesIO(body)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/epub+zip"

    # The same content builds the same bytes: nothing new to announce.
    again = StringIO()
    call_command("export", "epub", "--locale", "ar", stdout=again)
    assert "ar unchanged" in again.getvalue()
    assert Artifact.objects.filter(channel="epub", locale="ar").count() == 1

    page = admin_client.get("/admin/epub/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-locale="ar" data-state="done"' in html
    assert 'data-locale="de" data-state="none"' in html
    assert "/admin/epub/ar/download/" in html
    saved = admin_client.get("/admin/epub/ar/download/")
    assert saved["Content-Type"] == "application/epub+zip"
    assert "wegweiser-handbuch-ar.epub" in saved["Content-Disposition"]


@pytest.mark.django_db
def test_a_failed_build_keeps_the_last_good_epub_and_shows_its_error(
    epub_channel, admin_client, monkeypatch
):
    call_command("export", "epub", "--locale", "de", stdout=StringIO())
    good = Artifact.objects.get(channel="epub", locale="de", is_current=True)

    def broken(self, tree):
        raise RuntimeError("Schriftdatei fehlt")

    monkeypatch.setattr(EpubChannel, "build", broken)
    with pytest.raises(CommandError, match="1 failed"):
        call_command("export", "epub", "--locale", "de", stdout=StringIO())
    build = ArtifactBuild.objects.get(channel="epub", locale="de")
    assert build.state == "failed" and build.attempts == 1
    assert Artifact.objects.get(channel="epub", locale="de", is_current=True) == good

    html = admin_client.get("/admin/epub/").content.decode()
    assert 'data-locale="de" data-state="failed"' in html
    assert "RuntimeError: Schriftdatei fehlt" in html

    # An editor asks for a rebuild: the build is owed again at once.
    monkeypatch.undo()
    response = admin_client.post("/admin/epub/de/rebuild/")
    assert response.status_code == 302
    build.refresh_from_db()
    assert build.state in ("pending", "done")


@pytest.mark.django_db
def test_export_names_the_locales_it_can_build(epub_channel):
    with pytest.raises(CommandError, match="its LOCALES: de, ar"):
        call_command("export", "epub", "--locale", "en", stdout=StringIO())
    with pytest.raises(CommandError, match="xx"):
        call_command("export", "epub", "--locale", "xx", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_publish_rebuilds_the_epub_of_the_locales_it_changes(settings, pipeline):
    # Built by the worker when there is one (real services), so its own settings'
    # storage root is used; only the locales and the window are set here.
    channel_options_override(settings, "epub", LOCALES=["de"], BUILD_DELAY=0)
    handbook = next(iter(handbooks_source()), None) or handbook_factory()
    chapter_factory(handbook, title="Ankommen mit dem E-Book")

    def built() -> bool:
        # The file is published before the build row says "done", and a second
        # event of the same publish may start the build once more: wait for both.
        artifact = artifact_current(channel="epub", locale="de")
        build = ArtifactBuild.objects.filter(channel="epub", locale="de").first()
        return (
            artifact is not None
            and "Ankommen mit dem E-Book" in _text(artifact)
            and build is not None
            and build.state in ("done", "failed")
        )

    assert wait_until(built)
    build = ArtifactBuild.objects.get(channel="epub", locale="de")
    assert build.state == "done" and build.last_error == ""


def _text(artifact: Artifact) -> str:
    with zipfile.ZipFile(artifact_file(artifact)) as archive:
        return "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith(".xhtml")
        )
