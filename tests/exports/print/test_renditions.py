"""Print's pictures: baseline JPEG with the pixels of Wagtail's own rendition."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from wagtail.images import get_image_model

from exports.print.data import print_source
from exports.print.renditions import BaselineJpegFilter

pytestmark = pytest.mark.django_db


def test_printed_pictures_are_baseline_jpeg_with_wagtails_pixels(demo_handbook):
    source = print_source("ar", handbook=demo_handbook)
    assert source.files

    for name, path in source.files.items():
        image = get_image_model().objects.get(pk=int(Path(name).stem))
        # Wagtail's own rendition of the same spec, written progressive.
        wagtails = image.get_rendition("max-1200x1200|format-jpeg|jpegquality-82")
        with Image.open(path) as printed, Image.open(wagtails.file.path) as web:
            assert printed.format == "JPEG"
            assert not printed.info.get("progressive")
            assert web.info.get("progressive")
            assert printed.size == web.size
            assert printed.tobytes() == web.tobytes()


def test_a_spec_without_the_baseline_option_is_refused():
    with pytest.raises(ValueError, match="format-jpeg-baseline"):
        BaselineJpegFilter("max-1200x1200|format-jpeg|jpegquality-82")
