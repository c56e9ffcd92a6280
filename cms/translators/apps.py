from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslatorsConfig(AppConfig):
    """Translators' workflow: locale-scoped roles, offline files, status report."""

    name = "cms.translators"
    label = "translators"
    verbose_name = _("Translators")

    def ready(self) -> None:
        from cms.translators import signals  # noqa: F401

        _numeric_localize_dates()


def _numeric_localize_dates() -> None:
    """wagtail-localize writes its dates with ``strftime("%-d %B %Y")``, whose month
    names are always English: the German translation editor said "Manuell übersetzt
    am 2 December 2026". Its format is a module constant, not a setting; a numeric
    date (02.12.2026) reads right in every admin language."""
    import wagtail_localize.models
    import wagtail_localize.views.edit_translation

    # tests/translators/test_editor_german.py notices when a release renames it.
    for module in (wagtail_localize.models, wagtail_localize.views.edit_translation):
        module.DATE_FORMAT = NUMERIC_DATE_FORMAT  # type: ignore[attr-defined]


NUMERIC_DATE_FORMAT = "%d.%m.%Y"
