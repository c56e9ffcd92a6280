"""The image upload form: Wagtail's, refusing files that do not decode completely."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from cms.images.metadata import image_decodes_completely


class HandbookImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with one more check.

    A damaged file gets a form error here instead of failing later, when its
    metadata is stripped or a rendition is made.
    """

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and not self.errors.get("file"):
            upload.seek(0)
            complete = image_decodes_completely(upload.read())
            upload.seek(0)
            if not complete:
                raise forms.ValidationError(
                    _(
                        "The image file is damaged or incomplete (perhaps the "
                        "upload or download was cut off). Open it in an image "
                        "program, save it again and upload the new file."
                    ),
                    code="incomplete_image",
                )
        return upload
