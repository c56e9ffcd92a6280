"""The demo's generated pictures: every character drawn, never a flat field."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from cms.demo.placeholders import _font, illustration_png, portrait_png

LABELS = (
    "Beispiel – fiktive Person",
    "Platzhaltergrafik – kein Foto",
    "Kapitelbild Öffnung",
)


def _glyph(char: str) -> bytes:
    mask = _font(40).getmask(char)
    return bytes(mask) + bytes(str(mask.size), "ascii")


def test_every_character_of_the_labels_has_a_glyph():
    # A character the font lacks is drawn as .notdef, the same box as a private-use
    # code point: the en dash was once such a box ("Beispiel ▯ fiktive Person").
    missing = _glyph("\ue000")
    for label in LABELS:
        for char in set(label) - {" "}:
            assert _glyph(char) != missing, f"{char!r} would print as a box"


def test_pictures_are_not_flat_fields_of_colour():
    for png in (
        illustration_png("img-engagement", "Kapitelbild Engagement"),
        portrait_png("portraet-yonas", "Yonas"),
    ):
        with Image.open(io.BytesIO(png)) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 200
            # Not one colour with a label: the upper half alone has structure.
            top = image.crop((0, image.height // 5, image.width, image.height // 2))
            extrema = ImageChops.difference(top, top.transpose(0)).getextrema()
            assert max(high for _, high in extrema) > 30


def test_the_same_key_draws_the_same_picture():
    assert illustration_png("k", "x") == illustration_png("k", "x")
