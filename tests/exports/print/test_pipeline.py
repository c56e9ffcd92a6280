"""The print pipeline as editors and the web team see it.

Publishing marks the affected locales' PDFs for a rebuild; the worker (real with
REDIS_URL/DATABASE_URL, else on commit in this process) builds each locale once per
window with the real Typst renderer, stores the PDF under its hash, announces it to
the reference receiver on 127.0.0.1 and lists it in the delivery API. Builds are
kept to two locales (the print channel's ``LOCALES``) so the suite stays fast; time
is travelled by moving timestamps in the database, never by sleeping.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from exports.artifacts import artifact_file
from exports.content import HandbookTree
from exports.models import Artifact, ArtifactBuild
from exports.print.data import PrintSource, print_tree_source
from exports.website.models import WebhookDelivery
from tests.conftest import wait_until
from tests.exports.conftest import channel_options_override, settled
from tests.factories.pages import chapter_factory, handbook_factory

PRINT_CHANNEL = {
    "BACKEND": "exports.print.channel.PrintChannel",
    "OPTIONS": {"LOCALES": ["de", "ar"], "BUILD_DELAY": 0, "LAYOUTS": {}},
}
ARTIFACT_KEY = "artifact:print"


def broken_print_source(tree: HandbookTree) -> PrintSource:
    """A source whose data lacks what the template reads: Typst refuses it."""
    real = print_tree_source(tree)
    return PrintSource(
        locale=real.locale, data={"locale": real.locale}, template=real.template
    )


def print_builds():
    """The print channel's rows of the generic build queue."""
    return ArtifactBuild.objects.filter(channel="print")


@pytest.fixture
def print_channel(settings, website):
    """The website channel plus the print channel, building de and ar at once."""
    settings.EXPORT_CHANNELS = {**settings.EXPORT_CHANNELS, "print": PRINT_CHANNEL}
    return website


def printed_handbook():
    """The handbook the PDF shows: the first public German one (the demo's, while
    it is loaded), or a new one."""
    from wagtail.models import Locale

    from cms.pages.models import HandbookPage
    from exports.content import public_pages

    german = HandbookPage.objects.filter(locale=Locale.get_default())
    return public_pages(german).order_by("path").first() or handbook_factory()


def builds_finished() -> bool:
    states = set(print_builds().values_list("state", flat=True))
    return bool(states) and states == {"done"}


def print_sweep() -> None:
    """What Celery beat does every 30 s."""
    from exports.tasks import artifact_builds_sweep_task

    artifact_builds_sweep_task.delay(channel="print")


def republish(page, title: str):
    page.title = title
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def artifact_messages(website, locale: str | None = None) -> list[dict]:
    return [
        json.loads(row["body"])
        for row in website.messages(ARTIFACT_KEY)
        if locale is None or row["locale"] == locale
    ]


def editor_client(client):
    from django.contrib.auth.models import Group, User

    from cms.translators.services import role_groups_ensure

    role_groups_ensure()
    editor = User.objects.create_user("druck-redaktion", password="x")
    editor.groups.add(Group.objects.get(name="Editors de"))
    client.force_login(editor)
    return client


# --- Queue: coalescing, content addresses, announcements ---------------------------


@pytest.mark.django_db(transaction=True)
def test_publishes_within_the_window_fold_into_one_build_per_locale(
    print_channel, pipeline, settings
):
    channel_options_override(
        settings, "print", LOCALES=["de", "ar", "de-x-ls"], BUILD_DELAY=3600
    )
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Ankommen")
    republish(chapter, "Ankommen im Landkreis")

    builds = {b.locale: b for b in print_builds()}
    # German content is read by ar through its fallback; Leichte Sprache never
    # falls back, so a German publish owes it nothing.
    assert set(builds) == {"de", "ar"}
    assert {b.state for b in builds.values()} == {"pending"}
    assert all(b.requests == 3 for b in builds.values()), [
        (b.locale, b.requests, b.state) for b in builds.values()
    ]
    assert not Artifact.objects.exists()

    print_builds().update(not_before=F("not_before") - timedelta(hours=2))
    print_sweep()
    assert wait_until(builds_finished, timeout=120)
    per_locale = sorted(Artifact.objects.values_list("locale", flat=True))
    assert per_locale == ["ar", "de"]
    assert {b.last_outcome for b in print_builds()} == {"built"}


@pytest.mark.django_db(transaction=True)
def test_a_new_pdf_is_announced_listed_and_downloadable(
    print_channel, pipeline, client
):
    website = print_channel
    website.up()
    handbook = printed_handbook()
    chapter_factory(handbook, title="Ankommen im Landkreis")
    assert wait_until(builds_finished, timeout=120)
    current = {a.locale: a for a in Artifact.objects.filter(is_current=True)}
    assert set(current) == {"de", "ar"}

    # The website hears of each PDF, with its hash, as artifact.updated.
    def announced() -> bool:
        return all(
            any(
                m["data"]["document"]["sha256"] == current[locale].sha256
                for m in artifact_messages(website, locale)
            )
            for locale in current
        )

    assert wait_until(announced)
    message = artifact_messages(website, "ar")[-1]
    assert message["type"] == "artifact.updated"
    assert message["data"]["page_id"] is None
    assert message["data"]["sequence"] == current["ar"].pk

    listing = client.get("/api/v1/artifacts/")
    assert listing.status_code == 200
    items = {item["locale"]: item for item in listing.json()["items"]}
    assert set(items) == {"de", "ar"}
    item = items["ar"]
    assert item["channel"] == "print"
    assert item["sha256"] == current["ar"].sha256
    assert item["pages"] >= 1 and item["size"] > 1000
    assert item["built_at"] and item["build_seconds"] > 0
    assert message["data"]["document"] == item
    only_ar = client.get("/api/v1/artifacts/?locale=ar").json()["items"]
    assert [i["locale"] for i in only_ar] == ["ar"]

    download = client.get(item["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "wegweiser-handbuch-ar.pdf" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert (
        hashlib.sha256(body).hexdigest()
        == item["sha256"]
        == download["ETag"].strip('"')
    )
    assert len(body) == item["size"]
    again = client.get(item["url"], HTTP_IF_NONE_MATCH=download["ETag"])
    assert again.status_code == 304
    asked_for_pdf = client.get(item["url"], HTTP_ACCEPT="application/pdf")
    assert asked_for_pdf.status_code == 200
    assert client.get("/api/v1/artifacts/print/tr.pdf").status_code == 404

    cached = client.get("/api/v1/artifacts/", HTTP_IF_NONE_MATCH=listing["ETag"])
    assert cached.status_code == 304
    # A new PDF changes the list's ETag.
    chapter_factory(handbook, title="Bildung und Sprache")
    assert wait_until(builds_finished, timeout=120)
    changed = client.get("/api/v1/artifacts/", HTTP_IF_NONE_MATCH=listing["ETag"])
    assert changed.status_code == 200
    assert changed.json()["items"][0]["sha256"] != listing.json()["items"][0]["sha256"]


@pytest.mark.django_db(transaction=True)
def test_republishing_unchanged_content_builds_no_file_and_announces_nothing(
    print_channel, pipeline
):
    website = print_channel
    website.up()
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Mobilität auf dem Land")
    assert wait_until(builds_finished, timeout=120)
    assert wait_until(settled)
    artifacts = set(Artifact.objects.values_list("pk", "sha256"))
    files = sorted(
        p.name for p in artifact_file(Artifact.objects.first()).parent.iterdir()
    )
    messages = len(website.messages(ARTIFACT_KEY))

    republish(chapter, "Mobilität auf dem Land")
    assert wait_until(
        lambda: (
            builds_finished()
            and set(print_builds().values_list("last_outcome", flat=True))
            == {"unchanged"}
        ),
        timeout=120,
    )
    assert wait_until(settled)
    assert set(Artifact.objects.values_list("pk", "sha256")) == artifacts
    assert (
        sorted(p.name for p in artifact_file(Artifact.objects.first()).parent.iterdir())
        == files
    )
    assert len(website.messages(ARTIFACT_KEY)) == messages
    assert not WebhookDelivery.objects.filter(
        artifact_channel="print", status="pending"
    ).exists()


@pytest.mark.django_db
def test_a_changed_glossary_term_owes_every_print_locale_a_build(print_channel):
    from cms.snippets.models import GlossaryTerm

    term = GlossaryTerm.objects.filter(locale__language_code="de").first()
    assert term is not None, "the demo handbook has glossary terms"
    term.explanation = "Eine neue, kürzere Erklärung."
    term.save()

    builds = print_builds()
    assert sorted(b.locale for b in builds) == ["ar", "de"]
    assert {b.state for b in builds} == {"pending"}


# --- Failures, leases ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_build_keeps_the_last_good_pdf_and_shows_the_error(
    print_channel, settings, client
):
    # Built in this process by the export command: the LAYOUTS override
    # below cannot reach the session's worker process.
    channel_options_override(settings, "print", LOCALES=["ar"])
    call_command("export", "print", "--locale", "ar", stdout=StringIO())
    good = Artifact.objects.get(locale="ar", is_current=True)
    good_bytes = artifact_file(good).read_bytes()

    channel_options_override(
        settings, "print", LAYOUTS={"ar": f"{__name__}.broken_print_source"}
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 failed"):
        call_command("export", "print", "--locale", "ar", stdout=out)
    assert "ar failed (PrintRenderError: Typst: " in out.getvalue()

    current = Artifact.objects.get(locale="ar", is_current=True)
    assert current.pk == good.pk
    assert artifact_file(current).read_bytes() == good_bytes
    build = print_builds().get(locale="ar")
    assert build.state == "failed"
    assert "does not contain key" in build.last_error
    # Retried with backoff by the sweep.
    assert build.attempts == 1 and build.not_before > timezone.now()

    page = editor_client(client).get("/admin/print/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="failed"' in html
    assert "does not contain key" in html
    assert good.sha256 in html


@pytest.mark.django_db
def test_a_dead_workers_build_is_taken_over_and_a_live_one_left_alone(print_channel):
    from exports.builds import artifact_build_run, artifact_builds_request

    ids = artifact_builds_request(channel="print", locales=["de"], delay=timedelta(0))
    leased = timezone.now() + timedelta(minutes=5)
    print_builds().filter(pk=ids[0]).update(state="running", lease_expires_at=leased)
    # Another worker holds the lease: this one does not build the same locale.
    assert artifact_build_run(build_id=ids[0]).outcome == "skipped"

    print_builds().filter(pk=ids[0]).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert artifact_build_run(build_id=ids[0]).outcome == "built"
    assert print_builds().get(pk=ids[0]).state == "done"


@pytest.mark.django_db(transaction=True)
def test_a_build_message_of_an_older_release_still_builds_what_is_owed(
    print_channel, pipeline
):
    from exports.print.tasks import print_build_task

    chapter_factory(printed_handbook(), title="Ankommen im Landkreis")
    assert wait_until(builds_finished, timeout=120)
    # Owed again, but no message of the generic queue carries it (the release that
    # owed it queued a print build by its PrintBuild id).
    asked = timezone.now()
    print_builds().filter(locale="ar").update(
        state="pending", requested_at=asked, not_before=asked - timedelta(minutes=1)
    )
    print_build_task.delay(424242)  # a PrintBuild id; the table is gone

    def built_again() -> bool:
        build = print_builds().get(locale="ar")
        return build.state == "done" and build.finished_at > asked

    assert wait_until(built_again, timeout=120)
    assert print_builds().get(locale="ar").last_outcome in ("built", "unchanged")


# --- Command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_print_builds_one_locale_and_sums_it_up(print_channel):
    out = StringIO()
    call_command("export", "print", "--locale", "ar", stdout=out)
    artifact = Artifact.objects.get(locale="ar", is_current=True)
    *details, last = out.getvalue().strip().splitlines()
    assert details[-1].startswith("ar built (")
    assert f"{artifact.details['pages']} pages" in details[-1]
    assert last.startswith("print: 1 built in ")

    out = StringIO()
    call_command("export", "print", "--locale", "ar", stdout=out)
    *details, last = out.getvalue().strip().splitlines()
    # Same source hash: Typst is not asked again, the PDF stays.
    assert details[-1].startswith("ar unchanged (")
    assert f"{artifact.details['pages']} pages" in details[-1]
    assert last.startswith("print: 1 unchanged in ")
    assert Artifact.objects.filter(locale="ar").count() == 1


@pytest.mark.django_db
def test_old_pdfs_are_pruned_but_the_newest_few_kept(print_channel, settings):
    channel_options_override(settings, "print", KEEP=2)
    handbook = printed_handbook()
    built = []
    for title in ("Vereine öffnen sich", "Sprechstunden im Rathaus", "Mitfahrbänke"):
        chapter_factory(handbook, title=title)
        call_command("export", "print", "--locale", "de", stdout=StringIO())
        built.append(Artifact.objects.get(locale="de", is_current=True))

    assert len({artifact.sha256 for artifact in built}) == 3
    kept = set(Artifact.objects.filter(locale="de").values_list("pk", flat=True))
    assert kept == {built[1].pk, built[2].pk}
    assert not artifact_file(built[0]).exists()
    assert artifact_file(built[1]).exists() and artifact_file(built[2]).exists()


@pytest.mark.django_db
def test_export_print_names_what_is_wrong_with_a_locale(print_channel):
    with pytest.raises(CommandError, match="'xx' is not configured; known: de"):
        call_command("export", "print", "--locale", "xx")
    with pytest.raises(
        CommandError, match="'tr' gets no file from 'print'; its LOCALES: de, ar"
    ):
        call_command("export", "print", "--locale", "tr")


def test_a_print_source_path_that_does_not_import_stops_start_up(settings):
    from exports.channels import channels_load

    broken = {"de-x-ls": "exports.print.layouts.nowhere.print_source"}
    config = {"print": {**PRINT_CHANNEL, "OPTIONS": {"LAYOUTS": broken}}}
    with pytest.raises(ImproperlyConfigured, match=r"LAYOUTS\['de-x-ls'\]"):
        channels_load(config)


# --- Admin ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_see_download_and_rebuild_print_pdfs(print_channel, client):
    call_command("export", "print", "--locale", "de", stdout=StringIO())
    artifact = Artifact.objects.get(locale="de", is_current=True)
    client = editor_client(client)

    admin_home = client.get("/admin/")
    assert "Druckausgabe" in admin_home.content.decode()
    page = client.get("/admin/print/")
    html = page.content.decode()
    assert 'data-locale="de"' in html and 'data-locale="ar"' in html
    assert artifact.sha256 in html
    assert "noch kein PDF" in html  # ar was never built

    download = client.get("/admin/print/de/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == artifact.sha256
    assert client.get("/admin/print/ar/download/").status_code == 404

    rebuilt = client.post("/admin/print/ar/rebuild/", follow=True)
    assert "wird neu gebaut" in rebuilt.content.decode()
    build = print_builds().get(locale="ar")
    assert build.state == "pending" and build.not_before <= timezone.now()


@pytest.mark.django_db
def test_people_without_the_permission_get_no_print_page(print_channel, client):
    from django.contrib.auth.models import Permission, User

    call_command("export", "print", "--locale", "de", stdout=StringIO())
    user = User.objects.create_user("gast", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert "Druckausgabe" not in client.get("/admin/").content.decode()
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    for response in (
        client.get("/admin/print/"),
        client.get("/admin/print/de/download/"),
        client.post("/admin/print/de/rebuild/"),
    ):
        assert response.status_code in (302, 403)
        assert response.get("Content-Type") != "application/pdf"
        assert response.get("Location", "/admin/") == "/admin/"
    assert not print_builds().filter(locale="de", state="pending").exists()
