"""Helpers for the content tree tests."""

from __future__ import annotations

from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator


def translate_fully(page: Page, code: str) -> Page:
    """Translate every segment of ``page`` into ``code`` (with the German wording,
    which is enough to count as translated) and publish the translation."""
    locale = Locale.objects.get(language_code=code)
    source, _ = TranslationSource.get_or_create_from_instance(page.specific)
    for segment in StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": segment.string.data},
        )
    TranslationCreator(user=None, target_locales=[locale]).create_translations(
        page.specific, include_related_objects=False
    )
    translated = Page.objects.get(
        translation_key=page.translation_key, locale=locale
    ).specific
    if not translated.live:
        # Leichte Sprache goes through the Prüfgruppe: publish as its reviewer would.
        translated.save_revision().publish()
    return translated
