"""What a district's IT and data-protection officer checks before go-live:
login lockout, private pages, third-party requests, CSP, request size."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from csp.constants import NONCE, NONE, SELF
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from cms.pages.models import ChapterPage
from cms.security import PolicyOnceCSPMiddleware

pytestmark = pytest.mark.django_db

PASSWORD = "ein-langes-passwort-7"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "redakteurin", "redakteurin@example.org", PASSWORD
    )


def login(client, password: str):
    return client.post(
        "/admin/login/", {"username": "redakteurin", "password": password}
    )


def test_repeated_wrong_passwords_lock_the_admin_login(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "falsch").status_code == 200  # the form again
    assert login(client, "falsch").status_code == 429  # the last allowed try
    locked = login(client, PASSWORD)  # even the right one, for now
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "vorübergehend gesperrt" in text and "15 Minuten" in text
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login


def test_a_right_password_before_the_limit_logs_in(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "falsch")
    assert login(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def private_chapter(demo_handbook):
    chapter = ChapterPage.objects.child_of(demo_handbook).live().first()
    restriction = PageViewRestriction.objects.create(
        page=chapter, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    return chapter, restriction


def test_a_private_page_answers_404_like_every_page(client, private_chapter):
    chapter, restriction = private_chapter
    public = Page.objects.live().public().type(ChapterPage).exclude(pk=chapter.pk)
    assert client.get(public.first().url).status_code == 404
    response = client.get(chapter.url)
    assert response.status_code == 404
    assert b"password" not in response.content.lower()
    # Nor can its password be guessed through the form's own URL.
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{chapter.pk}/"
    for password in ("falsch", "geheim"):
        assert client.post(form_url, {"password": password}).status_code == 404
    assert client.get(chapter.url).status_code == 404


# Attributes through which a page makes the browser fetch something by itself
# (links a person clicks are not requests to a third party).
FETCHING = re.compile(
    r"""(?:\ssrc|\ssrcset|\sdata-[\w-]+|\saction|\sposter)\s*=\s*["']([^"']*)["']"""
    r"""|<link\b[^>]*\shref\s*=\s*["']([^"']*)["']"""
    r"""|url\(\s*["']?([^"')]+)""",
    re.IGNORECASE,
)


def external_hosts(html: str) -> set[str]:
    hosts = set()
    for match in FETCHING.finditer(html):
        for value in filter(None, match.groups()):
            for url in re.findall(r"(?:https?:)?//[^\s\"',)]+", value):
                host = urlsplit(url if ":" in url else "https:" + url).hostname
                if host and host not in ("testserver", "localhost", "127.0.0.1"):
                    hosts.add(host)
    return hosts


def test_admin_and_docs_make_no_request_to_a_third_party(admin_client, demo_handbook):
    chapter = ChapterPage.objects.child_of(demo_handbook).first()
    screens = [
        "/admin/",
        f"/admin/pages/{demo_handbook.pk}/",
        f"/admin/pages/{chapter.pk}/edit/",
        "/admin/images/",
        "/admin/account/",
        "/admin/users/",
        "/api/v1/docs/",
    ]
    for url in screens:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert external_hosts(response.content.decode()) == set(), url


def test_the_scan_sees_an_avatar_and_a_font_cdn():
    html = (
        '<img src="https://www.gravatar.com/avatar/x?s=50">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2">'
        '<div data-w-upgrade-url-value="https://releases.wagtail.org/latest.txt">'
        '<a href="https://guide.wagtail.org/">Hilfe</a>'
    )
    assert external_hosts(html) == {
        "www.gravatar.com",
        "fonts.googleapis.com",
        "releases.wagtail.org",
    }


def test_admin_api_and_docs_send_a_content_security_policy(client):
    for url in ["/admin/login/", "/api/v1/locales/", "/api/v1/docs/", "/api/nope"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_the_policy_follows_the_settings_and_what_a_view_asks_for(client, settings):
    # Built once from the settings, yet a changed setting is seen at once.
    client.get("/api/v1/locales/")  # the policy of the settings before
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            "default-src": [NONE],
            "script-src": [SELF, NONCE],
            "img-src": ["https://img.example"],
        }
    }
    policy = client.get("/api/v1/locales/")["Content-Security-Policy"]
    assert set(policy.split("; ")) == {
        "default-src 'none'",
        "script-src 'self'",
        "img-src https://img.example",
    }

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(f"<script nonce={request.csp_nonce}>")  # type: ignore[attr-defined]
        response._csp_update = {"img-src": ["data:"]}  # what @csp_update sets
        return response

    request = RequestFactory().get("/admin/")
    middleware = PolicyOnceCSPMiddleware(view)
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    header = response["Content-Security-Policy"]
    assert "img-src https://img.example data:" in header
    assert f"'nonce-{request._csp_nonce}'" in header  # type: ignore[attr-defined]


def test_a_body_over_the_global_limit_is_refused_unread(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = client.post(
        "/admin/login/", data=b"x" * 2000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    api = client.post("/api/v1/locales/", data=b"x" * 2000, content_type="text/plain")
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "body_too_large"
    assert api["Content-Language"] == "en" and "bytes" in api.json()["error"]["message"]
    # In the language the client asks for, like every API error.
    german = client.post(
        "/api/v1/locales/",
        data=b"x" * 2000,
        content_type="text/plain",
        headers={"accept-language": "de"},
    )
    assert german.json()["error"]["code"] == "body_too_large"
    assert german["Content-Language"] == "de"
    assert "höchstens 1000" in german.json()["error"]["message"]
