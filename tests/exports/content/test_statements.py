"""The compiled, prepared statements reach into Django internals: these tests fail
when a Django or psycopg upgrade changes what they rely on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.lookups import AnyOf
from cms.pages.models import BestPracticePage, HandbookPage, RecommendationPage
from cms.snippets.models import GlossaryTerm
from exports.content.statements import (
    model_query_compile,
    query_compile,
    related_query_compile,
)

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


# --- Model instances and prefetches --------------------------------------------------


def _state(instance) -> dict:
    """An instance's field values, as the ORM loaded them."""
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def test_a_compiled_model_query_makes_the_instances_the_orm_makes(demo_handbook):
    queryset = BestPracticePage.objects.filter(pk=SENTINEL).select_related(
        "topic", "municipality", "contact__organisation"
    )
    compiled = model_query_compile(queryset, BestPracticePage._meta.pk, SENTINEL)
    assert compiled is not None, "the ORM's row layout is no longer readable"
    pages = list(BestPracticePage.objects.all())
    assert pages, "the demo has best-practice examples"
    for expected in pages:
        (page,) = compiled.objects(expected.pk)
        assert type(page) is BestPracticePage
        assert _state(page) == _state(expected)
        assert not page._state.adding
        # The joined objects came with the row: reading them asks nothing.
        with CaptureQueriesContext(connection) as queries:
            related = (page.topic, page.municipality, page.contact)
            organisation = page.contact.organisation if page.contact else None
        assert len(queries) == 0
        assert related == (expected.topic, expected.municipality, expected.contact)
        assert organisation == (
            expected.contact.organisation if expected.contact else None
        )
    assert compiled.objects(0) == []


def test_a_query_without_a_lookup_value_compiles_too(demo_handbook):
    queryset = GlossaryTerm.objects.select_related("locale").order_by("pk")
    compiled = model_query_compile(queryset)
    assert compiled is not None
    terms = compiled.objects()
    assert [_state(t) for t in terms] == [_state(t) for t in queryset]
    with CaptureQueriesContext(connection) as queries:
        codes = {t.locale.language_code for t in terms}
    assert len(queries) == 0
    assert "de" in codes


def test_a_compiled_prefetch_leaves_what_prefetch_related_leaves(demo_handbook):
    compiled = related_query_compile(RecommendationPage, "municipalities", SENTINEL)
    assert compiled is not None, "the prefetch of one page no longer compiles"
    named = [
        page
        for page in RecommendationPage.objects.prefetch_related("municipalities")
        if page.municipalities.all()
    ]
    assert named, "the demo has recommendations that name municipalities"
    for expected in RecommendationPage.objects.prefetch_related("municipalities"):
        page = RecommendationPage.objects.get(pk=expected.pk)
        compiled.prefetch(page)
        with CaptureQueriesContext(connection) as queries:
            municipalities = list(page.municipalities.all())
        assert len(queries) == 0
        assert municipalities == list(expected.municipalities.all())


def test_a_relation_the_compiled_prefetch_cannot_take_is_refused():
    # A reverse foreign key ties each child to the instance it was fetched for.
    assert related_query_compile(HandbookPage, "partners", SENTINEL) is None


def test_a_list_parameter_is_one_array_whatever_its_length():
    """``AnyOf`` keeps the SQL the same for any number of ids (so the API's lists
    compile it once): a query compiled with a list sentinel answers like
    ``pk__in`` for none, one and several ids."""
    if connection.vendor != "postgresql":
        pytest.skip("AnyOf is PostgreSQL's = ANY(array)")
    sentinel = [SENTINEL, SENTINEL - 1]
    queryset = Page.objects.filter(AnyOf(F("pk"), sentinel)).values("id", "title")
    compiled = query_compile(queryset, Page._meta.pk, sentinel, many=True)
    assert compiled is not None, "the list is no longer one SQL parameter"
    ids = list(Page.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 3
    for chosen in ([], ids[:1], ids[1:4], ids):
        expected = list(Page.objects.filter(pk__in=chosen).values("id", "title"))
        assert sorted(compiled.rows(chosen), key=lambda r: r["id"]) == sorted(
            expected, key=lambda r: r["id"]
        )
