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


def test_errors_are_in_one_language_and_say_which(client):
    # 405 came from DRF in German while the API's own messages are English.
    chapter = demo_page(CHAPTER_1)
    not_allowed = client.post(f"/api/v1/pages/{chapter.pk}/")
    error = assert_error_shape(not_allowed, 405, "method_not_allowed")
    assert "POST" in error["message"] and "nicht" not in error["message"]
    assert not_allowed["Content-Language"] == "en"
    bad = client.get("/api/v1/pages/1/?locale=xx", headers={"accept-language": "de"})
    assert_error_shape(bad, 400, "unknown_locale")
    assert bad["Content-Language"] == "en"


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


def test_simple_coverage_may_be_null_by_the_openapi_3_0_rules(client):
    """OpenAPI 3.0 ignores ``nullable`` beside ``allOf`` without a ``type``: a
    validator then rejects the ``null`` every other locale carries."""
    document = client.get("/api/v1/schema/?format=json").json()
    field = document["components"]["schemas"]["Locale"]["properties"]["simple_coverage"]
    assert field.get("nullable") is True
    assert field.get("type") == "object"
    items = client.get("/api/v1/locales/").json()["items"]
    assert any(item["simple_coverage"] is None for item in items)
