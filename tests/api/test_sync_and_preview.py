"""Delta sync, previews, CORS, throttling and frontend-cache purges."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from wagtail.models import Page

from tests.api.conftest import demo_page
from tests.conftest import free_port

pytestmark = pytest.mark.django_db


def all_changes(api, locale: str, since: str = "", limit: int = 100):
    data = api(f"changes/?locale={locale}&since={since}&limit={limit}").data
    return data["changes"], data["next_cursor"], data["has_more"]


def test_changes_feed_reports_created_updated_and_deleted(api):
    _, cursor, _ = all_changes(api, "ar")
    # Everything so far has been seen; now the editor works.
    chapter = demo_page("bildung-die-in-den-alltag-passt").specific
    chapter.title = "Bildung im Alltag"
    chapter.save_revision().publish()
    arabic = demo_page("menschen-persoenlich-ansprechen", "ar").specific
    arabic.unpublish()
    portrait = demo_page("mariana").specific
    portrait.consent.web = False
    portrait.consent.save()
    changes, next_cursor, has_more = all_changes(api, "ar", cursor)
    by_key = {c["translation_key"]: c for c in changes}
    updated = by_key[str(chapter.translation_key)]
    assert updated["action"] == "updated"
    assert updated["id"] == chapter.pk  # ar falls back to the German chapter
    fell_back = by_key[str(arabic.translation_key)]
    assert fell_back["action"] == "updated" and fell_back["reason"] == "unpublished"
    assert by_key[str(portrait.translation_key)]["action"] == "deleted"
    assert not has_more
    assert all_changes(api, "ar", next_cursor)[0] == []


def test_changes_feed_pages_with_a_stable_cursor(api):
    seen: list[str] = []
    cursor = ""
    for _ in range(200):
        changes, cursor, more = all_changes(api, "de", cursor, limit=7)
        seen += [c["translation_key"] for c in changes]
        if not more:
            break
    assert len(seen) == len(set(seen))
    published = Page.objects.filter(locale__language_code="de", depth__gt=1).count()
    assert len(seen) >= published - 1


def test_new_page_is_created_in_the_feed(api, demo_handbook):
    from tests.factories.pages import chapter_factory

    _, cursor, _ = all_changes(api, "en")
    chapter = chapter_factory(demo_handbook)
    changes, _, _ = all_changes(api, "en", cursor)
    assert [c["action"] for c in changes if c["id"] == chapter.pk] == ["created"]


def test_preview_token_shows_the_draft_only_to_editors(client, admin_user, api):
    from django.contrib.auth.models import Permission, User

    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    chapter.title = "Entwurf für die Vorschau"
    chapter.save_revision(user=admin_user)
    client.force_login(admin_user)
    minted = client.post(
        f"/admin/website-preview/{chapter.pk}/", {"format": "json"}
    ).json()
    client.logout()
    draft = api(f"preview/?token={minted['token']}")
    assert draft.status_code == 200
    assert draft.data["title"] == "Entwurf für die Vorschau"
    assert draft["Cache-Control"] == "private, no-store"
    assert api(f"pages/{chapter.pk}/").data["title"] != "Entwurf für die Vorschau"
    tampered = api(f"preview/?token={minted['token'][:-2]}xx")
    assert tampered.status_code == 403
    assert tampered.data["error"]["code"] == "invalid_token"

    # An admin user without page permissions may not mint one.
    reader = User.objects.create_user("leser", password="x" * 12)
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    refused = client.post(f"/admin/website-preview/{chapter.pk}/", {"format": "json"})
    assert refused.status_code == 403
    # The one error shape of the API and the admin's JSON endpoints.
    assert refused.json()["error"]["code"] == "permission_denied"
    assert "token" not in refused.content.decode()


def test_a_preview_token_is_minted_by_post_only(client, admin_user):
    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    revisions = chapter.revisions.count()
    client.force_login(admin_user)
    asked = client.get(f"/admin/website-preview/{chapter.pk}/?format=json")
    assert asked.status_code == 200
    assert asked["Content-Type"].startswith("text/html")  # a form, not a token
    assert "expires_at" not in asked.content.decode()
    assert 'method="post"' in asked.content.decode()
    assert chapter.revisions.count() == revisions


def test_a_portrait_without_web_consent_is_not_previewed(client, admin_user, api):
    from cms.pages.models import PortraitPage

    portrait = PortraitPage.objects.filter(
        locale__language_code="de", consent__isnull=False
    ).first()
    portrait.consent.web = False
    portrait.consent.save()
    client.force_login(admin_user)
    token = client.post(
        f"/admin/website-preview/{portrait.pk}/", {"format": "json"}
    ).json()["token"]
    client.logout()
    response = api(f"preview/?token={token}")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "no_consent"
    assert portrait.display_name not in response.content.decode()


def test_expired_preview_token_is_refused(client, admin_user, api, settings):
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    client.force_login(admin_user)
    token = client.post(
        f"/admin/website-preview/{chapter.pk}/", {"format": "json"}
    ).json()["token"]
    settings.API_PREVIEW_TOKEN_SECONDS = -1
    response = api(f"preview/?token={token}")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "token_expired"


def test_cors_only_for_configured_website_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.alb-donau-kreis.example"]
    allowed = client.get(
        "/api/v1/locales/", headers={"Origin": "https://www.alb-donau-kreis.example"}
    )
    assert (
        allowed["Access-Control-Allow-Origin"] == "https://www.alb-donau-kreis.example"
    )
    other = client.get("/api/v1/locales/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    admin = client.get(
        "/admin/login/", headers={"Origin": "https://www.alb-donau-kreis.example"}
    )
    assert "Access-Control-Allow-Origin" not in admin


def test_anonymous_reads_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon_read": "3/min"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        statuses = [api("locales/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert api("locales/").data["error"]["code"] == "throttled"
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon_read": None},
        }
        SimpleRateThrottle.THROTTLE_RATES = {"anon_read": "1200/min"}
        cache.clear()


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in for Varnish: records PURGE requests (the HTTP backend's verb)."""

    purged: list[str] = []

    def do_PURGE(self):
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_publishing_purges_the_frontend_cache(
    settings, django_capture_on_commit_callbacks
):
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
        }
    }
    from cms.celery import app

    # The purge task runs in this process here; the app's setting is global, so
    # it is put back exactly as it was (later tests use the real worker).
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        chapter = demo_page("bildung-die-in-den-alltag-passt").specific
        with django_capture_on_commit_callbacks(execute=True):
            chapter.save_revision().publish()
    finally:
        app.conf.task_always_eager = was_eager
        server.shutdown()
    assert f"/api/v1/pages/{chapter.pk}/?locale=fa" in PurgeRecorder.purged
    assert f"/api/v1/pages/{chapter.pk}/?locale=de" in PurgeRecorder.purged
