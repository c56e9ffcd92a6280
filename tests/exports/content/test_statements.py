"""The compiled, prepared statements reach into Django internals: these tests fail
when a Django or psycopg upgrade changes what they rely on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from exports.content.statements import query_compile

pytestmark = pytest.mark.django_db

SENTINEL = -2_000_000_007


def _compiled():
    queryset = Page.objects.filter(pk=SENTINEL).values("id", "title", "url_path")
    compiled = query_compile(queryset, Page._meta.pk, SENTINEL)
    assert compiled is not None, "the lookup value is no longer one SQL parameter"
    return compiled


def test_a_compiled_query_answers_like_the_orm_for_every_value():
    compiled = _compiled()
    assert compiled.names == ("id", "title", "url_path")
    for page in Page.objects.all():
        assert compiled.rows(page.pk) == list(
            Page.objects.filter(pk=page.pk).values("id", "title", "url_path")
        )
    assert compiled.rows(0) == []


def test_compiled_queries_are_logged_and_counted_like_any_other():
    compiled = _compiled()
    page = Page.objects.first()
    with CaptureQueriesContext(connection) as queries:
        compiled.rows(page.pk)
    assert len(queries) == 1
    if connection.vendor != "postgresql":
        # psycopg's server-side binding cursor does not hand back the SQL it ran.
        assert "url_path" in queries[0]["sql"]


def test_on_postgresql_the_statement_is_prepared_once_per_session(settings):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL feature")
    settings.CONTENT_PREPARED_STATEMENTS = True
    compiled = _compiled()
    page = Page.objects.first()
    compiled.rows(page.pk)
    compiled.rows(page.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%url_path%"],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1
