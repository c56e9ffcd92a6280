from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """The handbook's image model: credit line, translatable alt text, no metadata."""

    name = "cms.images"
    label = "images"
    verbose_name = "Images"

    def ready(self) -> None:
        from cms.images import signals  # noqa: F401
