"""Site-wide write operations."""

from django.conf import settings
from wagtail.models import Locale


def locales_ensure_configured() -> list[Locale]:
    """Create a Wagtail Locale for every configured content locale that lacks one.

    Locales are never deleted here: removing a code from CONTENT_LOCALES must not
    delete the pages translated into it.
    """
    locales = []
    for content_locale in settings.WEGWEISER_LOCALES:
        locale, _ = Locale.objects.get_or_create(language_code=content_locale.code)
        locales.append(locale)
    return locales
