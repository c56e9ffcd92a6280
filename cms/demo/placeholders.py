"""Generated placeholder images for the demo: abstract graphics, never photos.

Generated at load time from the key, so the repository holds no binary images and
the demo can't carry anyone's likeness or location. Each picture is a small
landscape of hills, sun and houses (chapters) or a shaded silhouette (portraits) in
colours drawn from the key, and says plainly that it is a placeholder or an example.
Text is set in Noto Sans (shipped in ``fonts/``), which has every character the
labels use: Pillow's built-in font has no en dash and drew a missing-glyph box.
"""

from __future__ import annotations

import hashlib
import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSans-Bold.ttf"

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

RGB = tuple[int, int, int]


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def _colour(key: str) -> RGB:
    return PALETTE[_digest(key)[0] % len(PALETTE)]


def _mix(a: RGB, b: RGB, share: float) -> RGB:
    """``share`` of ``b`` mixed into ``a``."""
    return (
        round(a[0] + (b[0] - a[0]) * share),
        round(a[1] + (b[1] - a[1]) * share),
        round(a[2] + (b[2] - a[2]) * share),
    )


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size=size)


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A vertical gradient from ``top`` to ``bottom``."""
    column = Image.new("RGB", (1, size[1]))
    for y in range(size[1]):
        column.putpixel((0, y), _mix(top, bottom, y / max(1, size[1] - 1)))
    return column.resize(size)


def _hill(
    draw: ImageDraw.ImageDraw, width: int, base: int, amplitude: int, phase: float
) -> list[tuple[int, int]]:
    """The outline of a rolling hill along the picture's width."""
    points = [
        (x, round(base - amplitude * math.sin(x / width * math.pi * 1.6 + phase)))
        for x in range(0, width + 20, 20)
    ]
    return [(0, 10_000), *points, (width, 10_000)]


def illustration_png(
    key: str, label: str, size: tuple[int, int] = (1200, 800)
) -> bytes:
    """A chapter illustration: a calm landscape (sky, sun, layered hills, houses)
    with the chapter's name and the word 'Platzhaltergrafik'."""
    width, height = size
    base = _colour(key)
    digest = _digest(key)
    sky_top = _mix(base, (255, 255, 255), 0.55)
    sky_bottom = _mix(base, (255, 244, 220), 0.8)
    img = _gradient(size, sky_top, sky_bottom)

    # A soft sun, blurred so it glows rather than sits flat on the sky.
    glow = Image.new("L", size, 0)
    sun_x = width * (25 + digest[1] % 50) // 100
    sun_y = height * (18 + digest[2] % 14) // 100
    radius = height // 9
    ImageDraw.Draw(glow).ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=220
    )
    img.paste((255, 236, 190), mask=glow.filter(ImageFilter.GaussianBlur(radius / 3)))

    draw = ImageDraw.Draw(img)
    # Three hills, lighter far away and darker close by.
    for layer in range(3):
        share = 0.15 + 0.3 * layer
        colour = _mix(_mix(base, (255, 255, 255), 0.5), base, share)
        base_line = height * (55 + 11 * layer) // 100
        amplitude = height * (4 + digest[3 + layer] % 6) // 100
        phase = digest[6 + layer] / 255 * math.tau
        draw.polygon(_hill(draw, width, base_line, amplitude, phase), fill=colour)
    # A few small houses on the middle hill: a village, not a place one could find.
    middle = height * 66 // 100
    amplitude = height * (4 + digest[4] % 6) // 100
    phase = digest[7] / 255 * math.tau
    for n in range(3 + digest[10] % 3):
        x = width * (12 + n * 17 + digest[11 + n] % 9) // 100
        ground = round(middle - amplitude * math.sin(x / width * math.pi * 1.6 + phase))
        w, h = width // 30, width // 40
        wall = _mix(base, (255, 255, 255), 0.85)
        draw.rectangle((x - w // 2, ground - h, x + w // 2, ground + 4), fill=wall)
        draw.polygon(
            [
                (x - w // 2 - 6, ground - h),
                (x, ground - h - w // 2 - 4),
                (x + w // 2 + 6, ground - h),
            ],
            fill=_mix(base, (120, 40, 30), 0.5),
        )
    # The label on a dark band, so it reads on any colour.
    band_top = height - 190
    band = Image.new("L", (width, 190), 150)
    img.paste(_mix(base, (0, 0, 0), 0.55), (0, band_top), mask=band)
    draw = ImageDraw.Draw(img)
    draw.text((60, band_top + 30), label, font=_font(60), fill="white")
    draw.text(
        (60, band_top + 115),
        "Platzhaltergrafik – kein Foto",
        font=_font(34),
        fill=(235, 235, 235),
    )
    return _png(img)


def portrait_png(
    key: str, display_name: str, size: tuple[int, int] = (800, 1000)
) -> bytes:
    """A portrait placeholder: a shaded silhouette with the initial, on a soft
    background, under a band that says 'Beispiel – fiktive Person'."""
    width, height = size
    base = _colour(key)
    img = _gradient(size, _mix(base, (255, 255, 255), 0.7), _mix(base, (0, 0, 0), 0.1))
    # Soft light circles behind the figure.
    digest = _digest(key)
    halo = Image.new("L", size, 0)
    halo_draw = ImageDraw.Draw(halo)
    for i in range(4):
        r = 90 + digest[i] % 120
        x = digest[i + 4] * width // 255
        y = 120 + digest[i + 8] * (height // 2) // 255
        halo_draw.ellipse((x - r, y - r, x + r, y + r), fill=90)
    img.paste((255, 255, 255), mask=halo.filter(ImageFilter.GaussianBlur(30)))

    figure = Image.new("L", size, 0)
    figure_draw = ImageDraw.Draw(figure)
    cx = width // 2
    figure_draw.ellipse((cx - 150, 190, cx + 150, 490), fill=255)  # head
    figure_draw.ellipse((cx - 300, 540, cx + 300, 1140), fill=255)  # shoulders
    shade = _gradient(
        size, _mix(base, (255, 255, 255), 0.25), _mix(base, (0, 0, 0), 0.35)
    )
    img.paste(shade, mask=figure.filter(ImageFilter.GaussianBlur(2)))

    draw = ImageDraw.Draw(img)
    initial = (display_name[:1] or "?").upper()
    draw.text((cx, 340), initial, font=_font(170), fill="white", anchor="mm")
    draw.rectangle((0, 0, width, 96), fill=(20, 20, 20))
    draw.text(
        (cx, 48), "Beispiel – fiktive Person", font=_font(40), fill="white", anchor="mm"
    )
    return _png(img)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
