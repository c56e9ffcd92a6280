from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The handbook's page types."""

    name = "cms.pages"
    label = "pages"
    verbose_name = "Pages"

    def ready(self) -> None:
        from cms.pages.synchronisation import synchronisation_install

        synchronisation_install()
