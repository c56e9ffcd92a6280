"""The glossary is the one the handbook's tree (and so print) holds."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from cms.snippets.models import GlossaryTerm
from exports.content import build_content_tree, handbooks_source

pytestmark = pytest.mark.django_db


def _tree_glossary(locale: str) -> list[dict]:
    tree = build_content_tree(handbook=handbooks_source()[0], locale_code=locale)
    return [
        {
            "slug": t.slug,
            "term": t.term,
            "explanation": t.explanation,
            "locale": t.locale,
        }
        for t in sorted(tree.glossary, key=lambda t: t.slug)
    ]


def test_a_term_untranslated_in_a_locale_is_served_from_german(api):
    german = GlossaryTerm.objects.get(locale__language_code="de", slug="ehrenamt")
    GlossaryTerm.objects.filter(
        translation_key=german.translation_key, locale__language_code="ar"
    ).delete()

    items = api("glossary/?locale=ar").data["items"]
    term = next(i for i in items if i["slug"] == "ehrenamt")
    assert term == {
        "slug": "ehrenamt",
        "term": german.term,
        "explanation": german.explanation,
        "locale": "de",
        "fallback": True,
    }
    assert [i["slug"] for i in items] == sorted(i["slug"] for i in items)
    assert all(i["fallback"] is (i["locale"] != "ar") for i in items)
    # The same words, in the same locales, as the glossary print sets.
    assert [
        {key: i[key] for key in ("slug", "term", "explanation", "locale")}
        for i in items
    ] == _tree_glossary("ar")


def test_arabic_terms_isolate_german_words_as_pages_do(api):
    items = api("glossary/?locale=ar").data["items"]
    term = next(i for i in items if i["slug"] == "ehrenamt")
    assert term["locale"] == "ar"
    # "العمل التطوعي (Ehrenamt)": the German word kept left-to-right.
    assert "\u2066Ehrenamt\u2069" in term["term"]


def _queries(api, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert api(path).status_code == 200
    return len(queries)


def test_the_glossary_takes_as_many_queries_for_many_terms_as_for_few(api):
    before = _queries(api, "glossary/?locale=ar")
    german = Locale.objects.get(language_code="de")
    for n in range(10):
        GlossaryTerm.objects.create(
            locale=german, slug=f"wort-{n}", term=f"Wort {n}", explanation="Erklärt."
        )
    assert len(api("glossary/?locale=ar").data["items"]) >= 10
    assert _queries(api, "glossary/?locale=ar") == before
