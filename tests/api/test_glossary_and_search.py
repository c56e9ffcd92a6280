"""The glossary and search read the content tree: a search hit says what its page's
detail says, and the glossary is the one the handbook's tree (and print) holds."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from cms.pages.models import ChapterPage
from cms.snippets.models import GlossaryTerm
from exports.content import build_content_tree, handbooks_source
from tests.factories.pages import recommendation_factory
from tests.translators.conftest import translate_into

pytestmark = pytest.mark.django_db

HEAD = ("id", "translation_key", "type", "locale", "title", "path")


def _hit_for(api, query: str, locale: str, translation_key) -> dict:
    hits = api(f"search/?q={query}&locale={locale}&limit=50").data["items"]
    return next(h for h in hits if h["translation_key"] == str(translation_key))


def _as_in_detail(api, hit: dict, locale: str) -> dict:
    detail = api(f"pages/{hit['id']}/?locale={locale}").data
    return {
        **{key: detail[key] for key in HEAD},
        "fallback": detail["meta"]["fallback"],
        "api_url": detail["meta"]["api_url"],
    }


def test_a_search_hit_says_what_its_page_detail_says(api):
    # Arabic titles with German names in them: the detail isolates the Latin
    # runs for right-to-left display, and so must the hit.
    hits = api("search/?q=Ehingen&locale=ar&limit=50").data["items"]
    assert any(h["locale"] == "ar" for h in hits)
    assert any("\u2066" in h["title"] for h in hits)
    for hit in hits:
        assert hit == _as_in_detail(api, hit, "ar")


def test_a_page_untranslated_in_fa_is_found_as_the_german_fallback(api):
    # Submitted for translation into Persian: a copy with the German text.
    chapter = ChapterPage.objects.get(locale__language_code="de", number=2)
    translate_into(chapter, "fa")
    copy = Page.objects.get(
        translation_key=chapter.translation_key, locale__language_code="fa"
    )
    if not copy.live:
        copy.specific.save_revision().publish()

    hit = _hit_for(api, chapter.title.split()[0], "fa", chapter.translation_key)
    assert hit["id"] == chapter.pk
    assert hit["locale"] == "de" and hit["fallback"] is True
    assert hit == _as_in_detail(api, hit, "fa")


def test_search_counts_what_it_lists(api):
    everything = api("search/?q=Verein&locale=de&limit=100").data
    assert everything["count"] == len(everything["items"]) > 2
    second = api("search/?q=Verein&locale=de&limit=2&offset=2").data
    assert second["items"] == everything["items"][2:4]


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


def _translate(obj, code: str, texts: dict[str, str]) -> None:
    """Translate ``obj``'s fields (by segment path) as a translator would, and save."""
    locale = Locale.objects.get(language_code=code)
    source = TranslationSource.objects.get(object_id=obj.translation_key)
    for segment in StringSegment.objects.filter(
        source=source, context__path__in=texts
    ).select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": texts[segment.context.path]},
        )
    Translation.objects.get(source=source, target_locale=locale).save_target()


def test_a_term_submitted_for_translation_is_german_until_translated(api):
    # wagtail-localize makes a Persian copy with the German words: not Persian.
    german = GlossaryTerm.objects.get(locale__language_code="de", slug="ehrenamt")
    translate_into(german, "fa")
    copy = GlossaryTerm.objects.get(
        translation_key=german.translation_key, locale__language_code="fa"
    )
    term = next(
        i for i in api("glossary/?locale=fa").data["items"] if i["slug"] == "ehrenamt"
    )
    assert term["locale"] == "de" and term["fallback"] is True
    assert [
        {key: i[key] for key in ("slug", "term", "explanation", "locale")}
        for i in api("glossary/?locale=fa").data["items"]
    ] == _tree_glossary("fa")

    # Once a translator has translated its text, it is the Persian term.
    _translate(german, "fa", {"term": "کار داوطلبانه (Ehrenamt)"})
    cache.clear()
    term = next(
        i for i in api("glossary/?locale=fa").data["items"] if i["slug"] == "ehrenamt"
    )
    assert term["locale"] == "fa" and term["fallback"] is False
    assert term["term"] == "کار داوطلبانه (\u2066Ehrenamt\u2069)"
    assert GlossaryTerm.objects.get(pk=copy.pk).term == "کار داوطلبانه (Ehrenamt)"


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


def test_search_takes_as_many_queries_for_many_hits_as_for_one(api):
    chapter = ChapterPage.objects.get(locale__language_code="de", number=2)
    for n in range(12):
        recommendation_factory(chapter, title=f"Zebrastreifen sicher queren {n}")
    api("search/?q=Zebrastreifen&locale=ar&limit=50")  # renditions made
    one = _queries(api, "search/?q=Zebrastreifen&locale=ar&limit=1")
    many = _queries(api, "search/?q=Zebrastreifen&locale=ar&limit=50")
    assert len(api("search/?q=Zebrastreifen&locale=ar&limit=50").data["items"]) == 12
    assert many == one
