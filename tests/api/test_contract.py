"""The API contract the web team relies on: one error shape, conditional requests,
consistent filters, pagination links and the language of every response."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import demo_page

pytestmark = pytest.mark.django_db

CHAPTER_1 = "menschen-fuer-engagement-gewinnen"  # translated: en, ar, de-x-ls
CHAPTER_2 = "bildung-die-in-den-alltag-passt"  # German only
TOO_BIG = "9223372036854775808"  # one past PostgreSQL's bigint


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("path", [f"pages/{TOO_BIG}/", f"handbooks/{TOO_BIG}/tree/"])
def test_an_id_beyond_any_page_is_a_json_404(api, path):
    assert_error_shape(api(path), 404, "not_found")


def test_an_unexpected_failure_is_a_json_500(client, monkeypatch):
    from cms.api import pages

    def broken(**lookup):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pages, "page_version_resolve", broken)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/pages/{demo_page(CHAPTER_1).pk}/")
    error = assert_error_shape(response, 500, "server_error")
    assert "database went away" not in error["message"]


def test_a_weak_if_none_match_still_answers_304(api):
    # nginx weakens the ETag when it compresses; RFC 9110 compares weakly here.
    chapter = demo_page(CHAPTER_1)
    etag = api(f"pages/{chapter.pk}/")["ETag"]
    again = api(f"pages/{chapter.pk}/", if_none_match=f'"other", W/{etag}')
    assert again.status_code == 304


def test_errors_without_a_language_asked_for_are_english(client):
    # 405 came from DRF in German (the admin's language) while the API's own
    # messages were English; a server-side fetch sends no Accept-Language.
    chapter = demo_page(CHAPTER_1)
    not_allowed = client.post(f"/api/v1/pages/{chapter.pk}/")
    error = assert_error_shape(not_allowed, 405, "method_not_allowed")
    assert "POST" in error["message"] and "not allowed" in error["message"]
    assert not_allowed["Content-Language"] == "en"
    bad = client.get("/api/v1/pages/1/?locale=xx")
    assert "not configured" in assert_error_shape(bad, 400, "unknown_locale")["message"]
    assert bad["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("accept", "language", "words"),
    [
        ("de", "de", "ist nicht eingerichtet"),
        ("de-AT,de;q=0.9", "de", "ist nicht eingerichtet"),
        ("fr, ar;q=0.8, en;q=0.5", "ar", "غير مُعدّة"),
        ("uk", "uk", "не налаштовано"),
        ("tr-TR", "tr", "yapılandırılmamış"),
        ("ro", "ro", "nu este configurată"),
        ("fa", "fa", "پیکربندی نشده"),
        # Languages that are no content locale: English, not the admin's German.
        ("fr, it;q=0.5", "en", "is not configured"),
        ("*", "en", "is not configured"),
    ],
)
def test_error_messages_follow_accept_language_codes_stay(
    client, accept, language, words
):
    bad = client.get("/api/v1/pages/1/?locale=xx", headers={"accept-language": accept})
    error = assert_error_shape(bad, 400, "unknown_locale")
    assert words in error["message"] and "'xx'" in error["message"]
    assert bad["Content-Language"] == language
    # A shared cache keeps one copy per language, not the first client's.
    assert "Accept-Language" in bad["Vary"]


def test_drf_unknown_urls_and_500s_answer_in_the_asked_language_too(
    client, monkeypatch
):
    chapter = demo_page(CHAPTER_1)
    german = client.post(
        f"/api/v1/pages/{chapter.pk}/", headers={"accept-language": "de"}
    )
    error = assert_error_shape(german, 405, "method_not_allowed")
    assert error["message"].startswith("Die Methode POST ist hier nicht erlaubt")
    assert german["Content-Language"] == "de"

    nowhere = client.get("/api/v2/nothing/", headers={"accept-language": "uk"})
    error = assert_error_shape(nowhere, 404, "unknown_endpoint")
    assert "немає кінцевої точки API" in error["message"]
    assert nowhere["Content-Language"] == "uk"

    from cms.api import pages

    def broken(**lookup):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pages, "page_version_resolve", broken)
    client.raise_request_exception = False
    failed = client.get(
        f"/api/v1/pages/{chapter.pk}/", headers={"accept-language": "tr"}
    )
    error = assert_error_shape(failed, 500, "server_error")
    assert "Sunucu bu isteği yanıtlayamadı" in error["message"]
    assert failed["Content-Language"] == "tr"


def test_documents_do_not_change_with_accept_language(api, client):
    # Only errors follow Accept-Language: a page is the same bytes, the same ETag
    # and the same Content-Language whatever the client's languages.
    chapter = demo_page(CHAPTER_1)
    plain = client.get(f"/api/v1/pages/{chapter.pk}/?locale=en")
    asked = client.get(
        f"/api/v1/pages/{chapter.pk}/?locale=en", headers={"accept-language": "ar"}
    )
    assert asked.content == plain.content and asked["ETag"] == plain["ETag"]
    assert asked["Content-Language"] == "en"
    assert "Accept-Language" not in asked.get("Vary", "")


def test_unknown_topic_is_an_error_like_an_unknown_municipality(api):
    response = api("recommendations/?topic=nope")
    error = assert_error_shape(response, 400, "unknown_topic")
    assert "'nope'" in error["message"] and "bildung" in error["message"]
    assert api("best-practices/?topic=nope").status_code == 400


def test_lists_link_their_next_and_previous_pages(api):
    first = api("recommendations/?limit=2&locale=en").data
    assert first["previous"] is None
    assert first["next"] == "/api/v1/recommendations/?limit=2&locale=en&offset=2"
    second = api(first["next"].removeprefix("/api/v1/")).data
    assert second["previous"] == "/api/v1/recommendations/?limit=2&locale=en&offset=0"
    last = api(f"recommendations/?limit=2&offset={first['count'] - 1}").data
    assert last["next"] is None


def test_responses_name_their_content_language(api):
    translated, german_only = demo_page(CHAPTER_1), demo_page(CHAPTER_2)
    assert api(f"pages/{translated.pk}/?locale=ar")["Content-Language"] == "ar"
    # A fallback is German, whatever was asked for.
    assert api(f"pages/{german_only.pk}/?locale=ar")["Content-Language"] == "de"
    assert api("recommendations/?locale=en")["Content-Language"] == "en"


def test_every_operation_documents_429_with_the_error_shape(client):
    document = client.get("/api/v1/schema/?format=json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            response = operation["responses"].get("429")
            assert response, f"{method.upper()} {path} does not document 429"
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error"), (path, ref)


def test_a_throttled_client_gets_the_documented_429(client, monkeypatch):
    from cms.api.base import ReadThrottle

    monkeypatch.setattr(ReadThrottle, "THROTTLE_RATES", {"anon_read": "1/min"})
    client.get("/api/v1/municipalities/")
    response = client.get("/api/v1/municipalities/")
    assert_error_shape(response, 429, "throttled")
    assert response["Retry-After"]
    # DRF's own wording is replaced by the API's, in the asked language.
    persian = client.get("/api/v1/municipalities/", headers={"accept-language": "fa"})
    error = assert_error_shape(persian, 429, "throttled")
    assert "درخواست‌ها بیش از حد است" in error["message"]
    assert persian["Content-Language"] == "fa"


def test_simple_coverage_may_be_null_by_the_openapi_3_0_rules(client):
    """OpenAPI 3.0 ignores ``nullable`` beside ``allOf`` without a ``type``: a
    validator then rejects the ``null`` every other locale carries."""
    document = client.get("/api/v1/schema/?format=json").json()
    field = document["components"]["schemas"]["Locale"]["properties"]["simple_coverage"]
    assert field.get("nullable") is True
    assert field.get("type") == "object"
    items = client.get("/api/v1/locales/").json()["items"]
    assert any(item["simple_coverage"] is None for item in items)


def test_the_schema_view_answers_errors_in_the_same_language_rule(client):
    # The schema view is drf-spectacular's, not an ApiView: the rule still holds.
    english = client.post("/api/v1/schema/?format=json")
    assert english.status_code == 405 and english["Content-Language"] == "en"
    assert "not allowed" in english.content.decode()
    german = client.post(
        "/api/v1/schema/?format=json", headers={"accept-language": "de"}
    )
    assert german["Content-Language"] == "de"
    assert "nicht erlaubt" in german.content.decode()
