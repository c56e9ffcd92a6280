"""What an editor sees in the Wagtail admin (German UI)."""

import pytest
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage, PortraitPage

pytestmark = pytest.mark.django_db


def test_admin_login_page_is_german(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
    assert "Anmelden" in response.content.decode()


@pytest.mark.parametrize("code", ["de", "en", "ar", "de-x-ls"])
def test_no_handbook_language_is_left_without_a_site(admin_client, demo_handbook, code):
    handbook = HandbookPage.objects.get(
        translation_key=demo_handbook.translation_key, locale__language_code=code
    )
    body = admin_client.get(f"/admin/pages/{handbook.pk}/").content.decode()
    assert "Es ist keine Website" not in body
    assert handbook.get_site() is not None


def test_explorer_lists_the_chapters(admin_client, demo_handbook):
    response = admin_client.get(f"/admin/pages/{demo_handbook.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for chapter in ChapterPage.objects.child_of(demo_handbook):
        assert chapter.title in body


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/admin/snippets/snippets/glossaryterm/", "Ehrenamt"),
        ("/admin/snippets/snippets/municipality/", "Laichingen"),
        ("/admin/snippets/snippets/organisation/", "Führungsakademie"),
        ("/admin/snippets/pages/portraitconsent/", "Beispiel"),
    ],
)
def test_snippet_listings_show_the_demo_data(admin_client, url, expected):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_field_labels_are_german(admin_client):
    portrait = PortraitPage.objects.filter(locale=Locale.get_default()).first()
    body = admin_client.get(f"/admin/pages/{portrait.pk}/edit/").content.decode()
    assert "Einwilligung" in body
    assert "Fiktives Beispiel" in body


def test_every_page_type_opens_in_the_editor(admin_client, demo_handbook):
    seen = set()
    for page in demo_handbook.get_descendants(inclusive=True).specific():
        if type(page) in seen:
            continue
        seen.add(type(page))
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, type(page).__name__
    assert len(seen) == 6


def test_preview_renders_a_chapter(admin_client, demo_handbook):
    chapter = ChapterPage.objects.child_of(demo_handbook).first()
    # What the admin's preview panel renders for the page.
    response = chapter.make_preview_request()
    assert response.status_code == 200
    assert chapter.title in response.content.decode()
