from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_save


class CmsConfig(AppConfig):
    """Project-wide app: management commands, Celery tasks, locale set-up."""

    name = "cms"
    verbose_name = "Wegweiser"

    def ready(self) -> None:
        from cms.api import purge
        from cms.services import locales_ensure_configured, sites_ensure_named
        from cms.text_controls import text_controls_clean_on_save
        from exports.services import content_events_recorded

        content_events_recorded.connect(
            purge.on_content_events_recorded, dispatch_uid="api-frontend-cache-purge"
        )

        # Typed bidi overrides and invisible characters never reach the database.
        pre_save.connect(
            text_controls_clean_on_save, dispatch_uid="text-controls-clean"
        )

        def ensure_configured(**kwargs):
            locales_ensure_configured()
            sites_ensure_named()

        # After every migrate, the configured content locales exist as Wagtail
        # Locales, so a locale added to CONTENT_LOCALES appears without a manual step,
        # and the site Wagtail's migration created has a name (not "localhost").
        # (This app has no models, so it listens for wagtailcore's signal.)
        post_migrate.connect(
            ensure_configured, sender=apps.get_app_config("wagtailcore"), weak=False
        )
