"""The image renditions print places: baseline (sequential) JPEG.

Wagtail writes every JPEG rendition progressive (``Filter.run``), which suits the
web: a picture shows coarse at once and sharpens while it loads. A PDF has no use
for that, and it costs every print build: Typst decodes each picture in full when it
compiles (the JPEG itself goes into the PDF unchanged), and it decodes a progressive
JPEG at less than half the speed of a baseline one with the same pixels (the demo
handbook's 14 pictures: about 60 ms of CPU against 25 ms per build).

So print asks for its renditions through ``BaselineJpegFilter``, a ``Filter``
subclass: Wagtail's documented way to write rendition files differently
(``AbstractImage.generate_rendition_file``). The pixels are those of a progressive
rendition of the same spec (same size and quantisation: the two encodings store the
same coefficients in another order); the file is about 4 % larger.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from wagtail.images.models import Filter

# The option of ``format-jpeg`` that names these renditions. Wagtail's own Filter
# ignores it; it keeps them apart from progressive renditions of an otherwise equal
# spec (a rendition is stored and looked up by its spec).
BASELINE = "baseline"


class BaselineJpegFilter(Filter):
    """A rendition filter that writes baseline JPEG instead of progressive.

    Its spec asks for JPEG with the ``baseline`` option, e.g.
    ``max-1200x1200|format-jpeg-baseline|jpegquality-82``. Orientation, resizing,
    filters and quality are as in Wagtail's ``Filter.run``; only the JPEG encoding
    differs.
    """

    def __init__(self, spec: str) -> None:
        if f"format-jpeg-{BASELINE}" not in spec.split("|"):
            raise ValueError(
                f"{spec!r} does not ask for baseline JPEG; "
                f"add format-jpeg-{BASELINE} to it"
            )
        super().__init__(spec=spec)

    def run(self, image: Any, output: IO[bytes], source: Any = None) -> Any:
        # Filter.run up to its encoding, for the one output format this filter has.
        with self.get_willow_image(image, source) as willow:
            env: dict[str, Any] = {"original-format": willow.format_name}
            willow = willow.auto_orient()
            transform = self.get_transform(
                image, (willow.image.width, willow.image.height)
            )
            willow = willow.crop(transform.get_rect().round())
            willow = willow.resize(transform.size)
            for operation in self.filter_operations:
                willow = operation.run(willow, image, env) or willow
            quality = env.get(
                "jpeg-quality", getattr(settings, "WAGTAILIMAGES_JPEG_QUALITY", 76)
            )
            if willow.has_alpha():
                willow = willow.set_background_color_rgb((255, 255, 255))
            return willow.save_as_jpeg(
                output, quality=quality, progressive=False, optimize=True
            )
