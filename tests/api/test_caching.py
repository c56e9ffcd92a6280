"""Conditional requests and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cms.api.caching import BODY_CACHE_PREFIX
from tests.api.conftest import demo_page

pytestmark = pytest.mark.django_db


def test_every_read_has_a_strong_etag_and_last_modified(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    for path in [
        f"pages/{chapter.pk}/?locale=ar",
        "recommendations/",
        "locales/",
        "glossary/",
        "changes/?locale=de",
        "search/?q=Verein",
    ]:
        response = api(path)
        assert response.status_code == 200, path
        assert response["ETag"].startswith('"') and not response["ETag"].startswith(
            "W/"
        ), path
        assert response["Last-Modified"], path
        assert response["Cache-Control"].startswith("public"), path


def test_if_none_match_answers_304_without_building_the_body(
    api, django_assert_max_num_queries
):
    from django.core.cache import cache

    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    first = api(f"pages/{chapter.pk}/?locale=ar")
    cache.clear()  # a 304 must not need the cached body either
    with django_assert_max_num_queries(1):
        again = api(f"pages/{chapter.pk}/?locale=ar", if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert not cache.get(BODY_CACHE_PREFIX + first["ETag"].strip('"'))


def test_if_modified_since_answers_304(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    first = api(f"pages/{chapter.pk}/")
    again = api(f"pages/{chapter.pk}/", if_modified_since=first["Last-Modified"])
    assert again.status_code == 304


def test_publishing_changes_the_etag(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    before = api(f"pages/{chapter.pk}/")
    chapter.title = "Neuer Titel"
    chapter.save_revision().publish()
    after = api(f"pages/{chapter.pk}/", if_none_match=before["ETag"])
    assert after.status_code == 200
    assert after.data["title"] == "Neuer Titel"


def test_snippet_changes_change_the_etag(api):
    from cms.snippets.models import Topic

    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    before = api(f"pages/{chapter.pk}/")
    topic = Topic.objects.get(pk=chapter.topic_id)
    topic.name = "Neu benanntes Handlungsfeld"
    topic.save()
    after = api(f"pages/{chapter.pk}/", if_none_match=before["ETag"])
    assert after.status_code == 200
    assert after.data["topic"]["name"] == "Neu benanntes Handlungsfeld"


def test_cache_control_is_configurable(api, settings):
    settings.API_CACHE_CONTROL = "public, max-age=5"
    assert api("locales/")["Cache-Control"] == "public, max-age=5"


@pytest.mark.parametrize("locale", ["de", "ar", "fa"])
def test_detail_needs_at_most_eight_queries(api, locale, django_assert_max_num_queries):
    from django.core.cache import cache

    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    api(f"pages/{chapter.pk}/?locale={locale}")  # renditions exist from here on
    cache.clear()
    with django_assert_max_num_queries(8):
        response = api(f"pages/{chapter.pk}/?locale={locale}")
    assert response.status_code == 200
    assert any(b["type"] == "image" for b in response.data["body"])


@pytest.mark.parametrize(
    "path",
    [
        "recommendations/?locale=ar",
        "recommendations/?locale=en&municipality=ehingen",
        "portraits/?locale=en",
        "best-practices/",
    ],
)
def test_list_query_count_does_not_grow_with_the_page_size(api, path):
    from django.core.cache import cache

    api(f"{path}&limit=100" if "?" in path else f"{path}?limit=100")  # renditions
    counts = []
    for limit in (1, 100):
        cache.clear()
        sep = "&" if "?" in path else "?"
        with CaptureQueriesContext(connection) as queries:
            response = api(f"{path}{sep}limit={limit}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_compiled_resolution_query_answers_like_the_orm(monkeypatch):
    """The resolution SQL is compiled once and reused; it must resolve every page,
    by id, path or translation key, in every locale, exactly as the ORM does."""
    from django.conf import settings
    from wagtail.models import Page

    from exports.content import resolve as content

    pages = list(Page.objects.filter(depth__gt=1))
    lookups = [{"page_id": 0}, {"url_path": "/nirgends/"}]
    for page in pages:
        lookups += [
            {"page_id": page.pk},
            {"url_path": page.url_path},
            {"translation_key": page.translation_key},
        ]
    locales = [loc.code for loc in settings.WEGWEISER_LOCALES]
    compiled = [
        content.page_version_resolve(locale_code=code, **lookup)
        for code in locales
        for lookup in lookups
    ]
    assert all(content._compiled_resolves.values())  # the compiled path ran
    monkeypatch.setattr(content, "_compiled_resolve", lambda *args: None)
    by_orm = [
        content.page_version_resolve(locale_code=code, **lookup)
        for code in locales
        for lookup in lookups
    ]
    assert compiled == by_orm
    assert sum(r.served is not None for r in compiled) > len(pages)
    # Resolving many pages at once (the content tree) answers the same.
    for code in locales:
        bulk = content.page_versions_resolve(locale_code=code, keys=Q(depth__gt=1))
        for page in pages:
            one = content.page_version_resolve(
                locale_code=code, translation_key=page.translation_key
            )
            assert bulk[page.translation_key] == one


def test_compiled_translation_status_answers_like_the_orm(monkeypatch):
    """The translation status SQL is compiled once per locale and reused; for
    every demo page in every locale, in every status, it must answer exactly as
    the ORM does."""
    from collections import Counter

    from django.conf import settings
    from wagtail.models import Page
    from wagtail_localize.models import StringTranslation, TranslationSource

    from exports.content import resolve as content

    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    # Beyond the demo's finished translations: machine-translated in Arabic; a
    # German change not yet synced; after a sync, a segment translated from an
    # older German text.
    StringTranslation.objects.filter(
        context__object_id=chapter.translation_key, locale__language_code="ar"
    ).update(translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE)
    changed, synced = [p.specific for p in chapter.get_children()[:2]]
    for page in (changed, synced):
        page.title += " (neu)"
        page.save_revision().publish()
    TranslationSource.objects.get_for_instance(synced).update_from_db()

    pages = list(Page.objects.filter(depth__gt=1))
    locales = [loc.code for loc in settings.WEGWEISER_LOCALES]
    resolutions = [
        content.page_version_resolve(locale_code=code, page_id=page.pk)
        for code in locales
        for page in pages
    ]
    served = [r for r in resolutions if r.served]

    def statuses() -> list[str]:
        return [content.translation_status_get(r) for r in served]

    content._compiled_statuses.clear()
    compiled = statuses()
    assert content._compiled_statuses  # the compiled path ran…
    assert all(content._compiled_statuses.values())  # …for every locale
    monkeypatch.setattr(content, "_compiled_status", lambda *args: None)
    assert compiled == statuses()
    assert set(Counter(compiled)) == {"up_to_date", "outdated", "machine", "fallback"}
    # Many pages at once (the content tree: one query per locale) answer the same.
    for code in locales:
        group = [r for r in served if r.requested == code]
        bulk = content.translation_statuses(group)
        assert [bulk[r.served.translation_key] for r in group] == [
            content.translation_status_get(r) for r in group
        ]


def test_resolution_query_is_a_prepared_statement_on_postgresql(api, settings):
    """PostgreSQL parses and plans it once per session, not once per request."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL optimisation")
    settings.CONTENT_PREPARED_STATEMENTS = True
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # psycopg forgets its own list too
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    for _ in range(2):
        assert api(f"pages/{chapter.pk}/?locale=ar").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ['SELECT "wagtailcore_page"."id"%', "%exports_contentstamp%"],
        )
        assert cursor.fetchone()[0] >= 1


def test_translation_status_query_is_a_prepared_statement_on_postgresql(api, settings):
    """Every built detail of a translated page asks for its translation status:
    PostgreSQL plans that aggregate once per session too."""
    from django.core.cache import cache
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL optimisation")
    settings.CONTENT_PREPARED_STATEMENTS = True
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # psycopg forgets its own list too
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    for _ in range(2):
        cache.clear()  # built each time, not served from the body cache
        response = api(f"pages/{chapter.pk}/?locale=ar")
        assert response.data["meta"]["translation_status"] == "up_to_date"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['SELECT COUNT("wagtail_localize_stringsegment"."id")%'],
        )
        assert cursor.fetchone()[0] >= 1


def test_renaming_a_chapter_changes_its_pages_etags_and_paths(api):
    """Publishing a chapter under a new slug moves every page below it; their
    documents carry the path, so their ETags (and cached bodies) must change."""
    from cms.pages.models import RecommendationPage

    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    page = RecommendationPage.objects.child_of(chapter).live().first()
    before = api(f"pages/{page.pk}/")
    chapter.slug = "engagement-neu"
    chapter.save_revision().publish()
    after = api(f"pages/{page.pk}/", if_none_match=before["ETag"])
    assert after.status_code == 200
    assert "/engagement-neu/" in after.data["path"]


def test_an_unfiltered_list_does_not_read_the_filters_slugs(api):
    # The known topics and municipalities are read to refuse an unknown one
    # (400), so only when the list is filtered.
    api("recommendations/?locale=ar")
    with CaptureQueriesContext(connection) as queries:
        assert api("recommendations/?locale=ar").status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "snippets_topic" not in tables
    assert "snippets_municipality" not in tables
    assert api("recommendations/?locale=ar&topic=nope").status_code == 400


def test_each_accept_header_keeps_its_own_negotiated_answer(client, db):
    # Negotiation is remembered per Accept header: asking again, in any order,
    # answers as the first time did.
    missing = "/api/v1/pages/999999/"
    for _ in range(2):
        html = client.get(missing, headers={"Accept": "text/html"})
        assert html.status_code == 406
        indented = client.get(missing, headers={"Accept": "application/json; indent=4"})
        assert indented.status_code == 404
        assert indented.content.startswith(b'{\n    "error": {')
        plain = client.get(missing)
        assert plain.status_code == 404
        assert plain.content.startswith(b'{"error":{')
