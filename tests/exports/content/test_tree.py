"""The content tree: one handbook in one locale, built in a bounded number of
queries, serialized to exactly what the API serves; translations that are not
translations (aliases, untranslated copies) are fallbacks everywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from cms.api.selectors import locale_coverage
from cms.pages.models import ChapterPage
from cms.translators.selectors import translation_states_for_locale
from exports.content import (
    build_content_tree,
    document_bytes,
    handbooks_source,
    node_document,
)
from tests.exports.content.conftest import translate_fully
from tests.factories.pages import recommendation_factory
from tests.translators.conftest import translate_into

pytestmark = pytest.mark.django_db


def _queries_to_build(locale_code: str) -> int:
    handbook = handbooks_source()[0]
    build_content_tree(handbook=handbook, locale_code=locale_code)  # renditions made
    with CaptureQueriesContext(connection) as queries:
        build_content_tree(handbook=handbook, locale_code=locale_code)
    return len(queries)


@pytest.mark.parametrize("locale_code", ["de", "ar"])
def test_the_tree_takes_as_many_queries_for_many_pages_as_for_few(locale_code):
    before = _queries_to_build(locale_code)
    chapter = ChapterPage.objects.filter(locale__language_code="de").first()
    for n in range(15):
        recommendation_factory(chapter, title=f"Zusätzliche Empfehlung {n}")
    tree = build_content_tree(handbook=handbooks_source()[0], locale_code=locale_code)
    assert any(n.title == "Zusätzliche Empfehlung 14" for n in tree.nodes())
    assert _queries_to_build(locale_code) == before


@pytest.mark.parametrize("locale_code", ["de", "ar", "fa", "de-x-ls"])
def test_every_node_serializes_to_the_bytes_the_api_serves(client, locale_code):
    tree = build_content_tree(handbook=handbooks_source()[0], locale_code=locale_code)
    nodes = list(tree.nodes())
    assert len(nodes) > 5
    for node in nodes:
        pulled = client.get(f"/api/v1/pages/{node.id}/?locale={locale_code}")
        assert pulled.status_code == 200
        assert pulled.content == document_bytes(node_document(node))


def test_children_follow_the_german_tree_and_fallbacks_are_marked():
    tree = build_content_tree(handbook=handbooks_source()[0], locale_code="ar")
    assert tree.root is not None and tree.root.locale == "ar"
    chapters = [n for n in tree.root.children if n.type == "chapter"]
    assert [c.number for c in chapters] == sorted(c.number for c in chapters)
    # The demo translates chapter 1 into Arabic; the others fall back to German.
    assert chapters[0].locale == "ar" and not chapters[0].meta.fallback
    assert chapters[1].locale == "de" and chapters[1].meta.fallback
    assert chapters[1].meta.translation_status == "fallback"
    assert {t.slug for t in tree.glossary}


def _fa_state(page: Page):
    return next(
        s
        for s in translation_states_for_locale(locale_code="fa")
        if s.source_page_id == page.pk
    )


def test_a_copy_submitted_for_translation_is_a_fallback_until_translated(client):
    chapter = ChapterPage.objects.get(locale__language_code="de", number=2)
    coverage_before = {c.code: c.translated for c in locale_coverage()}["fa"]
    translate_into(chapter, "fa")
    copy = Page.objects.get(
        translation_key=chapter.translation_key, locale__language_code="fa"
    ).specific
    if not copy.live:  # published before anyone translated it: German text under fa
        copy.save_revision().publish()

    data = client.get(f"/api/v1/pages/{copy.pk}/?locale=fa").json()
    assert data["locale"] == "de"
    assert data["meta"]["fallback"] is True
    assert data["meta"]["translation_status"] == "fallback"
    assert {c.code: c.translated for c in locale_coverage()}["fa"] == coverage_before
    assert _fa_state(chapter).status == "missing"
    tree = build_content_tree(handbook=handbooks_source()[0], locale_code="fa")
    node = next(n for n in tree.nodes() if n.translation_key == chapter.translation_key)
    assert node.locale == "de" and node.meta.fallback

    # Once a translator has translated its text, it is the Persian page.
    translate_fully(chapter, "fa")
    data = client.get(f"/api/v1/pages/{copy.pk}/?locale=fa").json()
    assert data["locale"] == "fa"
    assert data["meta"]["fallback"] is False
    assert {c.code: c.translated for c in locale_coverage()}["fa"] == (
        coverage_before + 1
    )
    assert _fa_state(chapter).status != "missing"


def test_an_alias_is_a_fallback_not_a_translation(client):
    chapter = ChapterPage.objects.get(locale__language_code="de", number=3)
    fa = Locale.objects.get(language_code="fa")
    alias = chapter.copy_for_translation(fa, copy_parents=True, alias=True)
    alias.refresh_from_db()
    assert alias.live and alias.alias_of_id == chapter.pk

    data = client.get(f"/api/v1/pages/{alias.pk}/?locale=fa").json()
    assert data["id"] == chapter.pk
    assert data["meta"]["fallback"] is True
    assert data["meta"]["translation_status"] == "fallback"
    assert _fa_state(chapter).status == "missing"
