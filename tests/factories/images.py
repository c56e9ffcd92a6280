"""Image files for tests, made with Pillow."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(64, 32), orientation: int | None = None) -> bytes:
    """A JPEG carrying EXIF with a GPS position (Ulm), camera model and orientation."""
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Testkamera"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {
        1: "N",
        2: (48.0, 23.0, 55.0),
        3: "E",
        4: (9.0, 59.0, 30.0),
    }
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()
