from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlainLanguageConfig(AppConfig):
    """Leichte Sprache checks and the target-group review step."""

    name = "cms.plain_language"
    label = "plain_language"
    verbose_name = _("Leichte Sprache")
