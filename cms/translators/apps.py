from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslatorsConfig(AppConfig):
    """Translators' workflow: locale-scoped roles, offline files, status report."""

    name = "cms.translators"
    label = "translators"
    verbose_name = _("Translators")

    def ready(self) -> None:
        from cms.translators import signals  # noqa: F401
