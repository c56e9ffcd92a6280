"""Uploads through the admin: metadata stripped, credit and alt text in place."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Locale

from cms.images.models import HandbookImage, ImageAltText
from tests.factories.images import GPS_IFD, jpeg_with_gps


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(admin_client, data: bytes, name="foto.jpg", **fields):
    return admin_client.post(
        "/admin/images/add/",
        {
            "title": "Porträtfoto",
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "description": "Eine Frau lacht in die Kamera",
            "collection": "1",
            **fields,
        },
    )


def test_gps_and_camera_data_are_removed_on_upload(admin_client):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as img:
        assert img.getexif().get_ifd(GPS_IFD)  # the test file does carry a location
    response = upload(admin_client, original)
    assert response.status_code == 302, response.content[:2000]
    image = HandbookImage.objects.get(title="Porträtfoto")
    with image.open_file() as f:
        stored = f.read()
    with Image.open(io.BytesIO(stored)) as img:
        exif = img.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x0110 not in exif  # camera model
    assert image.file_size == len(stored)


def test_png_text_chunks_are_removed_too(admin_client):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Maria Muster, Hauptstraße 1, Laichingen")
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, format="PNG", pnginfo=info)
    upload(admin_client, out.getvalue(), name="grafik.png")
    image = HandbookImage.objects.get(title="Porträtfoto")
    with image.open_file() as f, Image.open(f) as img:
        assert "Author" not in img.info
        assert img.size == (40, 40)


def test_orientation_is_applied_before_metadata_goes(admin_client):
    # Orientation 6: the camera was turned; the stored pixels must be upright.
    upload(admin_client, jpeg_with_gps(size=(64, 32), orientation=6))
    image = HandbookImage.objects.get(title="Porträtfoto")
    assert (image.width, image.height) == (32, 64)


def test_upload_gets_default_credit_and_german_alt_text(admin_client):
    upload(admin_client, jpeg_with_gps())
    image = HandbookImage.objects.get(title="Porträtfoto")
    assert image.credit == "Foto: LRA ADK"
    alt = ImageAltText.objects.get(image=image, locale=Locale.get_default())
    assert alt.text == "Eine Frau lacht in die Kamera"


def test_alt_text_translation_is_a_row_of_its_own(admin_client):
    # Served documents fall back to the German row while a locale has none
    # (tests/api/test_pages.py); here: translating adds a row, the source stays.
    upload(admin_client, jpeg_with_gps())
    image = HandbookImage.objects.get(title="Porträtfoto")
    english = Locale.objects.get(language_code="en")
    assert not ImageAltText.objects.filter(image=image, locale=english).exists()
    source = ImageAltText.objects.get(image=image, locale=Locale.get_default())
    translation = source.copy_for_translation(english)
    translation.text = "A woman laughing"
    translation.save()
    texts = dict(
        ImageAltText.objects.filter(image=image).values_list(
            "locale__language_code", "text"
        )
    )
    assert texts == {"de": "Eine Frau lacht in die Kamera", "en": "A woman laughing"}


def test_oversized_upload_is_refused_with_a_form_error(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    response = upload(admin_client, jpeg_with_gps(size=(400, 400)))
    assert response.status_code == 200
    assert not HandbookImage.objects.filter(title="Porträtfoto").exists()
    assert (
        "zu groß" in response.content.decode()
        or "too large" in response.content.decode()
    )


def stored_bytes(title="Porträtfoto") -> bytes:
    with HandbookImage.objects.get(title=title).open_file() as f:
        return f.read()


def test_jpeg_comments_are_removed(admin_client):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(
        out, format="JPEG", comment=b"Maria Muster, Hauptstrasse 1, Laichingen"
    )
    assert upload(admin_client, out.getvalue()).status_code == 302
    stored = stored_bytes()
    assert b"Maria Muster" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert "comment" not in img.info


def animated_gif(comment: bytes) -> bytes:
    import random

    noise = random.Random(7)
    frames = [
        Image.frombytes("L", (120, 120), noise.randbytes(120 * 120)).convert("P")
        for _ in range(3)
    ]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        comment=comment,
        duration=100,
        loop=0,
    )
    return out.getvalue()


def test_animated_gif_comments_are_removed_and_the_animation_kept(admin_client):
    original = animated_gif(b"Maria Muster, Hauptstrasse 1, Laichingen")
    response = upload(admin_client, original, name="ablauf.gif")
    assert response.status_code == 302
    stored = stored_bytes()
    assert b"Maria Muster" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.n_frames == 3
        assert "comment" not in img.info


def test_a_truncated_gif_gets_a_form_error(admin_client):
    data = animated_gif(b"")[:-2000]
    response = upload(admin_client, data, name="kaputt.gif")
    assert response.status_code == 200
    assert "unvollständig" in response.content.decode()
    assert not HandbookImage.objects.filter(title="Porträtfoto").exists()


def test_an_image_over_40_megapixels_is_refused(admin_client, settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    out = io.BytesIO()
    Image.new("1", (8000, 5100)).save(out, format="PNG")  # 40.8 Mpx, a few kB
    response = upload(admin_client, out.getvalue(), name="riesig.png")
    assert response.status_code == 200
    assert not HandbookImage.objects.filter(title="Porträtfoto").exists()
