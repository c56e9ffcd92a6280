"""Consent belongs to the person: shared by all locales, never translated."""

from datetime import date, timedelta

import pytest
from wagtail.models import Locale
from wagtail_localize.models import (
    OverridableSegment,
    StringSegment,
    TranslationSource,
)
from wagtail_localize.operations import TranslationCreator

from cms.pages.models import PortraitPage
from exports.content import Audience, public_pages
from tests.factories.pages import handbook_factory, portrait_factory


@pytest.fixture
def translated_portrait(db):
    handbook = handbook_factory()
    portrait = portrait_factory(handbook)
    arabic = Locale.objects.get(language_code="ar")
    TranslationCreator(None, [arabic]).create_translations(handbook)
    TranslationCreator(None, [arabic]).create_translations(portrait.get_parent())
    TranslationCreator(None, [arabic]).create_translations(portrait)
    translation = PortraitPage.objects.get(
        translation_key=portrait.translation_key, locale=arabic
    )
    return portrait, translation


def visible_to(page: PortraitPage, audience: Audience) -> bool:
    """Whether the channels' visibility rule lets ``audience`` see ``page`` (its
    consent, that is: the fixture's translation is an untranslated copy)."""
    return public_pages(
        PortraitPage.objects.filter(pk=page.pk), audience=audience, translated=False
    ).exists()


def test_translation_shares_the_consent_record(translated_portrait):
    portrait, translation = translated_portrait
    assert translation.consent_id == portrait.consent_id
    assert translation.consent.permits("web")


def test_withdrawal_removes_every_locale_from_every_channel(translated_portrait):
    portrait, translation = translated_portrait
    consent = portrait.consent
    consent.withdrawn_on = date.today()
    consent.save()
    for page in (portrait, translation):
        page.refresh_from_db()
        assert not any(page.consent.permits(c) for c in ("web", "print", "simple"))


def test_withdrawal_dated_in_the_future_applies_from_that_day(translated_portrait):
    portrait, _ = translated_portrait
    portrait.consent.withdrawn_on = date.today() + timedelta(days=3)
    assert portrait.consent.permits("web")
    assert not portrait.consent.permits("web", on=date.today() + timedelta(days=3))


def test_consent_is_not_offered_to_translators(translated_portrait):
    portrait, _ = translated_portrait
    source = TranslationSource.objects.get_for_instance(portrait)
    paths = set(
        StringSegment.objects.filter(source=source).values_list(
            "context__path", flat=True
        )
    ) | set(
        OverridableSegment.objects.filter(source=source).values_list(
            "context__path", flat=True
        )
    )
    assert "quote" in paths  # the translator does see the story's text …
    assert not any(p.startswith("consent") for p in paths)  # … but not the consent


def test_republishing_an_old_revision_keeps_consent_withdrawn(translated_portrait):
    portrait, _ = translated_portrait
    old_revision = portrait.latest_revision
    portrait.consent.withdrawn_on = date.today()
    portrait.consent.save()
    old_revision.publish()
    portrait.refresh_from_db()
    assert not portrait.consent.permits("web")


def test_portrait_without_consent_record_appears_nowhere(db):
    handbook = handbook_factory()
    portrait = portrait_factory(handbook)
    portrait.consent = None
    portrait.save_revision().publish()
    assert not any(visible_to(portrait, c) for c in ("web", "print", "simple"))
