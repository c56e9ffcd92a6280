"""Write operations on images."""

from __future__ import annotations

from wagtail.models import Locale

from cms.images.models import HandbookImage, ImageAltText


def image_alt_text_sync_source(*, image: HandbookImage) -> ImageAltText | None:
    """Keep the source-locale ImageAltText equal to the image's own alt text.

    Translations are left alone: wagtail-localize marks them outdated when the
    source changes, and a translator updates them.
    """
    text = (image.description or "").strip()
    source_locale = Locale.get_default()
    existing = ImageAltText.objects.filter(image=image, locale=source_locale).first()
    if not text:
        return existing
    if existing is None:
        return ImageAltText.objects.create(image=image, locale=source_locale, text=text)
    if existing.text != text:
        existing.text = text
        existing.save(update_fields=["text"])
    return existing
