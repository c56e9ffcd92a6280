"""Removing embedded metadata (EXIF, GPS, XMP, comments) from uploaded images.

A portrait photo must never tell where a person lives. Re-encoding the pixels is the
only reliable way: EXIF, XMP, IPTC and maker notes can hide in many places.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, ImageSequence

# Formats Pillow can write back; anything else is refused by Wagtail's upload form.
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
}


def image_decodes_completely(data: bytes) -> bool:
    """Whether every frame of the image decodes: a truncated file (a GIF cut off in
    its last frame) opens fine and only fails later, in a rendition."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            for frame in ImageSequence.Iterator(img):
                frame.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        return False
    return True


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
            return _animation_without_comments(img)
        # Re-encoded even when no EXIF is visible: PNG text chunks, JPEG comments
        # and IPTC blocks can name people and places too.
        icc_profile = img.info.get("icc_profile")
        upright = ImageOps.exif_transpose(img)
        # Pillow writes a JPEG's or GIF's comment back from ``info`` unless told not
        # to; only what ``options`` names below is kept.
        upright.info = {}
        out = io.BytesIO()
        options = dict(_SAVE_OPTIONS[fmt])
        if icc_profile and fmt in {"JPEG", "PNG", "WEBP"}:
            options["icc_profile"] = icc_profile
        if fmt == "JPEG" and upright.mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
        upright.save(out, format=fmt, **options)
        return out.getvalue()


def _animation_without_comments(img: Image.Image) -> bytes:
    """An animated GIF re-encoded frame by frame (timing and looping kept), without
    the comment extensions any frame carried."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(img):
        durations.append(frame.info.get("duration", 100))
        copy = frame.copy()
        copy.info = {}
        frames.append(copy)
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=img.info.get("loop", 0),
        disposal=2,
    )
    return out.getvalue()
