"""Removing embedded metadata (EXIF, GPS, XMP, comments) from uploaded images.

A portrait photo must never tell where a person lives. Re-encoding the pixels is the
only reliable way: EXIF, XMP, IPTC and maker notes can hide in many places.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

# Formats Pillow can write back; anything else is refused by Wagtail's upload form.
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
}


def strip_image_metadata(data: bytes) -> bytes | None:
    """Return the image re-encoded without metadata (None: format left as it is).

    The EXIF orientation is applied to the pixels first, so a photo taken upright
    stays upright. The colour profile is kept: it describes colours, not people.
    """
    with Image.open(io.BytesIO(data)) as img:
        fmt = img.format or ""
        if fmt not in _SAVE_OPTIONS:
            return None
        if fmt == "GIF" and getattr(img, "is_animated", False):
            return None  # re-encoding would flatten the animation; GIFs carry no EXIF
        # Re-encoded even when no EXIF is visible: PNG text chunks, JPEG comments
        # and IPTC blocks can name people and places too.
        icc_profile = img.info.get("icc_profile")
        upright = ImageOps.exif_transpose(img)
        out = io.BytesIO()
        options = dict(_SAVE_OPTIONS[fmt])
        if icc_profile and fmt in {"JPEG", "PNG", "WEBP"}:
            options["icc_profile"] = icc_profile
        if fmt == "JPEG" and upright.mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
        upright.save(out, format=fmt, **options)
        return out.getvalue()
