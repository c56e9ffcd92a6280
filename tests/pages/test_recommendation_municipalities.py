"""A recommendation's towns are proper names: every locale names the same ones."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import TranslationCreator

from cms.pages.models import RecommendationPage
from cms.snippets.models import Municipality
from tests.factories.pages import (
    chapter_factory,
    handbook_factory,
    recommendation_factory,
)


def towns(page: RecommendationPage) -> list[str]:
    return sorted(m.slug for m in page.municipalities.all())


@pytest.fixture
def translated_recommendation(db):
    ehingen = Municipality.objects.get(slug="ehingen")
    langenau = Municipality.objects.get(slug="langenau")
    handbook = handbook_factory()
    chapter = chapter_factory(handbook)
    recommendation = recommendation_factory(chapter, municipalities=[ehingen, langenau])
    arabic = Locale.objects.get(language_code="ar")
    for page in (handbook, chapter, recommendation):
        TranslationCreator(None, [arabic]).create_translations(page)
    return recommendation, arabic


def sync(recommendation: RecommendationPage, locale: Locale) -> RecommendationPage:
    """Publish the source and update the translation, as "Sync translations" does."""
    recommendation.save_revision().publish()
    source, _ = TranslationSource.update_or_create_from_instance(recommendation)
    source.create_or_update_translation(locale, fallback=True)
    return RecommendationPage.objects.get(
        translation_key=recommendation.translation_key, locale=locale
    )


def test_translation_names_the_same_towns(translated_recommendation):
    recommendation, arabic = translated_recommendation
    translation = RecommendationPage.objects.get(
        translation_key=recommendation.translation_key, locale=arabic
    )
    assert towns(translation) == ["ehingen", "langenau"]


def test_changed_towns_reach_the_translation(translated_recommendation):
    recommendation, arabic = translated_recommendation
    recommendation.municipalities.set(Municipality.objects.filter(slug="laichingen"))
    assert towns(sync(recommendation, arabic)) == ["laichingen"]


def test_removing_every_town_reaches_the_translation(translated_recommendation):
    """Meant for the whole district now: no locale may still name a town
    (wagtail-localize alone keeps the old ones; cms/pages/synchronisation.py)."""
    recommendation, arabic = translated_recommendation
    recommendation.municipalities.set([])
    translation = sync(recommendation, arabic)
    assert towns(translation) == []
    assert towns(translation.get_latest_revision_as_object()) == []
