"""Generated placeholder images for the demo: abstract graphics, never photos.

Generated at load time from the key, so the repository holds no binary images and
the demo can't carry anyone's likeness or location.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

# Muted colours that print well and keep white text readable.
PALETTE = [
    (38, 84, 124),
    (0, 109, 119),
    (131, 56, 78),
    (84, 101, 54),
    (112, 76, 140),
    (160, 82, 45),
    (52, 73, 94),
    (24, 106, 59),
    (142, 68, 38),
]


def _colour(key: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(key.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def illustration_png(
    key: str, label: str, size: tuple[int, int] = (1200, 800)
) -> bytes:
    """A chapter illustration: coloured field, circles, and the word 'Platzhalter'."""
    width, height = size
    base = _colour(key)
    img = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    digest = hashlib.sha256(key.encode()).digest()
    for i in range(6):
        r = 60 + digest[i] % 180
        x = digest[i + 6] * width // 255
        y = digest[i + 12] * height // 255
        tint = tuple(min(255, c + 25 + 10 * i) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tint)
    draw.text((60, height - 170), label, font=_font(64), fill="white")
    draw.text((60, height - 90), "Platzhaltergrafik", font=_font(36), fill="white")
    return _png(img)


def portrait_png(
    key: str, display_name: str, size: tuple[int, int] = (800, 1000)
) -> bytes:
    """A portrait placeholder: a silhouette with the initial and 'Beispiel'."""
    width = size[0]
    base = _colour(key)
    img = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    light = tuple(min(255, c + 60) for c in base)
    cx = width // 2
    draw.ellipse((cx - 150, 170, cx + 150, 470), fill=light)  # head
    draw.ellipse((cx - 300, 520, cx + 300, 1120), fill=light)  # shoulders
    initial = (display_name[:1] or "?").upper()
    draw.text((cx, 320), initial, font=_font(180), fill=base, anchor="mm")
    draw.rectangle((0, 0, width, 90), fill=(0, 0, 0))
    draw.text(
        (cx, 45), "Beispiel – fiktive Person", font=_font(40), fill="white", anchor="mm"
    )
    return _png(img)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
