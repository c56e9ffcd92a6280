"""Media files are reachable only through the view that checks visibility.

Files are real files under a temporary MEDIA_ROOT, fetched over the Django test
client the way the website and a browser would.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories.images import jpeg_with_gps
from tests.factories.pages import chapter_factory, handbook_factory, portrait_factory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    from django.core.cache import caches

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    # Wagtail caches renditions by image id; ids come again after a rollback.
    for cache in caches.all():
        cache.clear()


def new_image(title: str):
    return get_image_model().objects.create(
        title=title, file=ContentFile(jpeg_with_gps(), name=f"{title}.jpg")
    )


def urls_of(image) -> list[str]:
    return [image.file.url, image.get_rendition("width-480").url]


def test_a_public_image_s_rendition_is_served_its_original_never(client):
    handbook = handbook_factory()
    image = new_image("marktplatz")
    chapter_factory(
        handbook, body=[{"type": "image", "value": {"image": image.pk, "caption": ""}}]
    )
    original, rendition = urls_of(image)
    answer = client.get(rendition)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert client.get(original).status_code == 404


def test_an_image_no_public_page_shows_is_not_served(client):
    image = new_image("entwurf")
    for url in urls_of(image):
        assert client.get(url).status_code == 404


def test_a_withdrawn_portrait_s_photo_and_renditions_are_gone(client):
    handbook = handbook_factory()
    portrait = portrait_factory(handbook)
    photo = new_image("portrait-person")
    portrait.photo = photo
    portrait.save_revision().publish()
    original, rendition = urls_of(photo)
    assert client.get(rendition).status_code == 200

    portrait.consent.withdrawn_on = timezone.localdate()
    portrait.consent.save()
    assert client.get(rendition).status_code == 404
    assert client.get(original).status_code == 404


def test_an_image_in_a_private_collection_is_not_served(client):
    handbook = handbook_factory()
    image = new_image("intern")
    chapter_factory(
        handbook, body=[{"type": "image", "value": {"image": image.pk, "caption": ""}}]
    )
    rendition = image.get_rendition("width-480").url
    assert client.get(rendition).status_code == 200
    private = Collection.get_first_root_node().add_child(name="Nur intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="login"
    )
    image.collection = private
    image.save()
    assert client.get(rendition).status_code == 404


def test_editors_see_private_files_and_nginx_can_send_the_bytes(
    client, admin_user, settings
):
    image = new_image("nur-redaktion")
    original, rendition = urls_of(image)
    client.force_login(admin_user)
    assert client.get(original).status_code == 200
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    answer = client.get(rendition)
    assert answer.status_code == 200
    assert answer["X-Accel-Redirect"] == "/protected-media/" + rendition.removeprefix(
        "/media/"
    )
    assert answer["Cache-Control"] == "private, no-store"


def test_paths_outside_media_root_are_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/media/../cms/settings/base.py").status_code == 404
    assert client.get("/media/print/0000.pdf").status_code == 404


def test_a_channel_storing_files_inside_media_root_stops_start_up(settings):
    from django.core.exceptions import ImproperlyConfigured

    from exports.channels import channels_check_roots

    settings.ARTIFACTS_ROOT = settings.MEDIA_ROOT / "artifacts"
    with pytest.raises(ImproperlyConfigured, match="inside MEDIA_ROOT"):
        channels_check_roots()
