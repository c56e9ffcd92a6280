"""The handbook's image model.

Each image has a credit line (printed on the picture-credits page) and alt text that
translators translate: Wagtail images are not translatable themselves, so alt text
lives in :class:`ImageAltText`, a translatable snippet with one row per locale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.images.metadata import strip_image_metadata


def default_credit() -> str:
    return settings.WEGWEISER_DEFAULT_IMAGE_CREDIT


class HandbookImage(AbstractImage):
    """An image with a credit line, stripped of EXIF/GPS metadata on upload.

    ``description`` (Wagtail's alt text field) holds the German alt text; its
    translations are ImageAltText rows.
    """

    credit = models.CharField(
        _("credit line"),
        max_length=255,
        default=default_credit,
        blank=True,
        help_text=_('Printed in the picture credits, e.g. "Foto: LRA ADK".'),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self._strip_uploaded_metadata()
        super().save(*args, **kwargs)

    def _strip_uploaded_metadata(self) -> None:
        self.file.seek(0)
        cleaned = strip_image_metadata(self.file.read())
        self.file.seek(0)
        if cleaned is None:
            return
        name = self.file.name
        self.file = ContentFile(cleaned, name=name)
        self.file_size = len(cleaned)
        self._set_file_hash()


class HandbookRendition(AbstractRendition):
    image = models.ForeignKey(
        HandbookImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class ImageAltText(TranslatableMixin, models.Model):
    """Alt text of one image in one locale; the German row mirrors the image's own.

    Translators translate these like any other snippet in wagtail-localize.
    """

    image = models.ForeignKey(
        HandbookImage,
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="alt_texts",
    )
    text = models.CharField(_("alt text"), max_length=255)

    panels = [FieldPanel("image", read_only=True), FieldPanel("text")]
    translatable_fields = [
        SynchronizedField("image", overridable=False),
        TranslatableField("text"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("image alt text")
        verbose_name_plural = _("image alt texts")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "locale"], name="one_alt_text_per_image_and_locale"
            )
        ]

    def __str__(self) -> str:
        return self.text
