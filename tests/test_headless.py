"""Wegweiser has no public HTML site: nothing bypasses the API's privacy rules."""

import pytest
from wagtail.models import Locale

from cms.pages.models import PortraitPage

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_portrait_page_is_not_served_publicly(client):
    portrait = PortraitPage.objects.filter(locale=Locale.get_default()).first()
    # Wagtail's own serving path (the site is rooted at the tree root); the page's
    # public address, if any, is on the district website (WEBSITE_PAGE_URL).
    url = portrait.url_path
    assert url.startswith("/") and url.count("/") > 2
    assert client.get(url).status_code == 404
    # The same page renders for an editor's preview.
    preview = portrait.make_preview_request()
    assert preview.status_code == 200
    assert portrait.display_name in preview.content.decode()


def test_landing_page_points_to_the_admin(client):
    assert "/admin/" in client.get("/").content.decode()
