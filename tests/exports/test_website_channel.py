"""The website channel as the web team sees it: signed pushes that lose nothing.

Every test publishes through Wagtail (the same call the admin's Publish button
makes), lets the deliveries run (real worker with REDIS_URL/DATABASE_URL, else on
commit in this process), and reads what the reference receiver on 127.0.0.1 stored.
Time is travelled by moving timestamps in the database, never by sleeping.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from exports.website.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.conftest import free_port, wait_until
from tests.exports.conftest import CannedServer, deliveries_sweep, settled, time_travel
from tests.factories.pages import chapter_factory, handbook_factory, portrait_factory

# A German page is read by every locale that falls back to German (all but de-x-ls).
LOCALES_READING_GERMAN = {"de", "en", "ar", "fa", "tr", "uk", "ro"}

pytestmark = pytest.mark.django_db(transaction=True)


def document_part(body: bytes | str) -> bytes:
    """The ``data.document`` bytes of a pushed body, exactly as sent."""
    raw = body.encode() if isinstance(body, str) else body
    return raw.split(b',"document":', 1)[1][:-2]


def republish(page, title: str):
    page.title = title
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_publish_pushes_every_locale_the_same_bytes_the_api_serves(
    website, pipeline, client
):
    website.up()
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Ankommen im Landkreis")

    assert wait_until(
        lambda: (
            {m["locale"] for m in website.messages(chapter.translation_key)}
            == LOCALES_READING_GERMAN
        )
    ), website.messages(chapter.translation_key)
    for message in website.messages(chapter.translation_key):
        payload = json.loads(message["body"])
        assert payload["type"] == "page.updated"
        assert payload["data"]["revision"] == chapter.live_revision_id
        api = client.get(f"/api/v1/pages/{chapter.pk}/?locale={message['locale']}")
        assert api.status_code == 200
        assert document_part(message["body"]) == api.content
    assert wait_until(settled)
    assert set(
        WebhookDelivery.objects.filter(translation_key=chapter.translation_key)
        .values_list("status", flat=True)
        .distinct()
    ) == {"delivered"}


def test_receiver_down_then_up_delivers_the_latest_state_once_per_locale(
    website, pipeline
):
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Erste Fassung")
    assert wait_until(lambda: WebhookAttempt.objects.filter(outcome="retry").exists())
    republish(chapter, "Zweite Fassung")
    chapter = republish(chapter, "Dritte Fassung")
    assert wait_until(settled)

    waiting = WebhookDelivery.objects.filter(
        translation_key=chapter.translation_key, status="pending"
    )
    # Coalesced: one waiting delivery per locale, carrying the newest event.
    assert sorted(waiting.values_list("locale", flat=True)) == sorted(
        LOCALES_READING_GERMAN
    )
    errors = WebhookAttempt.objects.filter(
        delivery__translation_key=chapter.translation_key
    ).values_list("error", flat=True)
    assert all("connection failed" in e for e in errors), set(errors)

    website.up()
    time_travel(hours=7)
    deliveries_sweep()
    assert wait_until(
        lambda: set(website.current(chapter.translation_key)) == LOCALES_READING_GERMAN
    )
    assert wait_until(settled)
    for locale, row in website.current(chapter.translation_key).items():
        document = json.loads(row["body"])["data"]["document"]
        assert document["title"] == "Dritte Fassung", locale
        assert row["revision"] == chapter.live_revision_id
    # In revision order: per locale, what arrived never went backwards.
    by_locale: dict[str, list[int]] = {}
    for message in website.messages(chapter.translation_key):
        by_locale.setdefault(message["locale"], []).append(message["sequence"])
    assert all(seq == sorted(seq) for seq in by_locale.values()), by_locale
    assert all(len(seq) == 1 for seq in by_locale.values()), by_locale


def test_unpublishing_removes_the_page_from_the_website(website, pipeline):
    website.up()
    handbook = handbook_factory()
    chapter = chapter_factory(handbook)
    assert wait_until(lambda: len(website.current(chapter.translation_key)) == 7)
    assert wait_until(settled)

    chapter.unpublish()

    def removed() -> bool:
        current = website.current(chapter.translation_key)
        return all(row["type"] == "page.removed" for row in current.values())

    assert wait_until(removed)
    row = website.current(chapter.translation_key)["ar"]
    assert json.loads(row["body"])["data"]["document"] is None


def test_withdrawn_consent_takes_the_portrait_off_the_website(website, pipeline):
    website.up()
    handbook = handbook_factory()
    portrait = portrait_factory(handbook)
    assert wait_until(
        lambda: website.current(portrait.translation_key).get("de") is not None
    )
    assert wait_until(settled)

    consent = portrait.consent
    consent.withdrawn_on = date.today()
    consent.save()

    def gone() -> bool:
        current = website.current(portrait.translation_key)
        return bool(current) and all(
            row["type"] == "page.removed" for row in current.values()
        )

    assert wait_until(gone), website.current(portrait.translation_key)


def test_gone_disables_the_endpoint_until_an_editor_enables_it(
    website, pipeline, admin_client
):
    canned = CannedServer(website.port, 410)
    try:
        handbook = handbook_factory()
        assert wait_until(lambda: canned.requests)
        assert wait_until(settled)
        endpoint = WebhookEndpoint.objects.get(name="website")
        assert not endpoint.is_enabled
        assert "410" in endpoint.disabled_reason
        sent = len(canned.requests)
        chapter_factory(handbook)
        time_travel()
        deliveries_sweep()
        # Nothing goes to a disabled endpoint.
        assert not wait_until(lambda: len(canned.requests) > sent, timeout=3)
    finally:
        canned.close()

    response = admin_client.get("/admin/website-deliveries/")
    assert b'data-health="disabled"' in response.content
    website.up()
    response = admin_client.post(
        f"/admin/website-deliveries/endpoints/{endpoint.pk}/enable/"
    )
    assert response.status_code == 302
    assert wait_until(lambda: len(website.messages()) >= 7)


def test_retry_after_on_503_is_honoured(website, pipeline):
    canned = CannedServer(website.port, 503, {"Retry-After": "600"})
    try:
        handbook_factory()
        assert wait_until(lambda: canned.requests)
        assert wait_until(settled)
    finally:
        canned.close()
    delivery = WebhookDelivery.objects.filter(status="pending", attempts=1).first()
    assert delivery is not None
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(minutes=9) < wait <= timedelta(minutes=10)
    assert delivery.last_status_code == 503


def test_redirects_are_not_followed(website, pipeline):
    target = free_port()
    canned = CannedServer(
        website.port, 307, {"Location": f"http://127.0.0.1:{target}/elsewhere"}
    )
    catcher = CannedServer(target, 200)
    try:
        handbook_factory()
        assert wait_until(lambda: canned.requests)
        assert wait_until(settled)
        assert catcher.requests == []
    finally:
        canned.close()
        catcher.close()
    attempt = WebhookAttempt.objects.first()
    assert attempt.status_code == 307
    assert f"redirect to http://127.0.0.1:{target}/elsewhere not followed" == (
        attempt.error
    )


def test_after_72_hours_a_delivery_fails_and_an_editor_replays_it(
    website, pipeline, admin_client
):
    handbook = handbook_factory()
    assert wait_until(lambda: WebhookAttempt.objects.exists())
    assert wait_until(settled)
    time_travel(hours=71)
    deliveries_sweep()
    assert wait_until(lambda: WebhookAttempt.objects.count() >= 14)
    assert wait_until(settled)
    assert not WebhookDelivery.objects.filter(status="failed").exists()

    time_travel(hours=2)  # 73 h since the first failure
    deliveries_sweep()
    assert wait_until(
        lambda: WebhookDelivery.objects.filter(status="failed").count() == 7
    )
    page = admin_client.get("/admin/website-deliveries/?status=failed")
    assert page.content.count(b'data-status="failed"') == 7
    failed = WebhookDelivery.objects.filter(status="failed").first()
    detail = admin_client.get(f"/admin/website-deliveries/{failed.pk}/")
    assert b"connection failed" in detail.content

    website.up()
    response = admin_client.post("/admin/website-deliveries/replay-failed/")
    assert response.status_code == 302
    assert wait_until(
        lambda: set(website.current(handbook.translation_key)) == LOCALES_READING_GERMAN
    )


def test_delivery_screens_need_the_permission(
    website, pipeline, client, django_user_model
):
    from django.contrib.auth.models import Permission

    handbook_factory()
    assert wait_until(settled)
    WebhookDelivery.objects.update(status="failed")
    user = django_user_model.objects.create_user("redakteurin", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    listing = client.get("/admin/website-deliveries/")
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert listing.status_code in (302, 403)
    assert b"data-status" not in listing.content
    client.post("/admin/website-deliveries/replay-failed/")
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}


def test_source_editors_see_deliveries_and_replay_them(website, pipeline, client):
    from django.contrib.auth.models import Group, User

    from cms.translators.services import role_groups_ensure

    role_groups_ensure()
    handbook_factory()
    assert wait_until(settled)
    WebhookDelivery.objects.update(status="failed")
    editor = User.objects.create_user("redaktion", password="x")
    editor.groups.add(Group.objects.get(name="Editors de"))
    client.force_login(editor)

    listing = client.get("/admin/website-deliveries/?status=failed")
    assert listing.status_code == 200
    assert listing.content.count(b'data-status="failed"') == 7
    website.up()
    client.post("/admin/website-deliveries/replay-failed/")
    assert wait_until(lambda: len(website.messages()) == 7)


def test_enabling_an_endpoint_sends_its_backlog_at_once_410_failures_included(
    website, pipeline, admin_client
):
    canned = CannedServer(website.port, 410)
    try:
        handbook = handbook_factory()
        assert wait_until(lambda: canned.requests)
        assert wait_until(settled)
        chapter = chapter_factory(handbook)  # waits while the endpoint is disabled
    finally:
        canned.close()
    endpoint = WebhookEndpoint.objects.get(name="website")
    assert WebhookDelivery.objects.filter(status="failed", last_status_code=410)
    # The failed deliveries' backoff is still running: no time travel, no sweep.
    WebhookDelivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    website.up()
    response = admin_client.post(
        f"/admin/website-deliveries/endpoints/{endpoint.pk}/enable/"
    )
    assert response.status_code == 302
    for page in (handbook, chapter):
        assert wait_until(
            lambda page=page: (
                set(website.current(page.translation_key)) == LOCALES_READING_GERMAN
            )
        ), page
    assert wait_until(settled)
    assert not WebhookDelivery.objects.filter(status="failed").exists()
