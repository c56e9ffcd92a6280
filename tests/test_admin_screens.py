"""Editors' screens: book order, the dashboard's name, "View live", the preview."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.sql import emit_post_migrate_signal
from lxml import html
from wagtail.models import Page, Site

from cms.website_urls import website_page_url, website_page_url_template_check
from tests.factories.pages import chapter_factory, handbook_factory

pytestmark = pytest.mark.django_db

WEBSITE = "https://www.example.org/handbuch/{locale}{path}"


def test_explorer_lists_chapters_in_book_order(admin_client):
    handbook = handbook_factory(title="Handbuch in Reihenfolge")
    for title in ("Erstes Kapitel", "Zweites Kapitel", "Drittes Kapitel"):
        chapter_factory(handbook, title=title)
    body = admin_client.get(f"/admin/pages/{handbook.pk}/").content.decode()
    positions = [body.index(t) for t in ("Erstes", "Zweites", "Drittes")]
    assert positions == sorted(positions), "chapters not in book order"


def test_dashboard_is_headed_by_the_site_name_not_localhost(admin_client, settings):
    # The state Wagtail's own migration leaves: a default site without a name.
    Site.objects.update(site_name="", hostname="localhost")
    settings.WAGTAIL_SITE_NAME = "Handbuch Integration Alb-Donau"
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    page = html.fromstring(admin_client.get("/admin/").content)
    heading = " ".join(page.xpath("//h1")[0].text_content().split())
    assert heading == "Handbuch Integration Alb-Donau"
    assert "localhost" not in page.text_content()


def test_a_site_name_an_editor_gave_is_kept(admin_client):
    Site.objects.update(site_name="Integrationshandbuch")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert Site.objects.get(is_default_site=True).site_name == "Integrationshandbuch"


# --- "View live": the page on the district website --------------------------------


def test_website_page_url_fills_locale_and_encoded_path(settings):
    settings.WEBSITE_PAGE_URL = WEBSITE
    assert (
        website_page_url(locale="de-x-ls", path="/handbuch/bildung/")
        == "https://www.example.org/handbuch/de-x-ls/handbuch/bildung/"
    )
    assert website_page_url(locale="ar", path="/دليل/") == (
        "https://www.example.org/handbuch/ar/%D8%AF%D9%84%D9%8A%D9%84/"
    )
    settings.WEBSITE_PAGE_URL = ""
    assert website_page_url(locale="de", path="/handbuch/") is None


@pytest.mark.parametrize(
    "template, complaint",
    [
        ("https://www.example.org/{locale}/", "must contain {path}"),
        ("https://www.example.org/{lang}{path}", "found: lang, path"),
        ("/handbuch/{locale}{path}", "absolute http(s) address"),
        ("https://www.example.org/{path", "not a valid template"),
    ],
)
def test_a_bad_website_page_url_is_refused_with_what_to_write(template, complaint):
    with pytest.raises(ImproperlyConfigured, match="WEBSITE_PAGE_URL") as refused:
        website_page_url_template_check(template)
    assert complaint in str(refused.value)


def test_view_live_leads_to_the_page_on_the_website(admin_client, settings):
    settings.WEBSITE_PAGE_URL = WEBSITE
    handbook = handbook_factory(title="Handbuch Live", slug="handbuch-live")
    chapter = chapter_factory(handbook, title="Live-Kapitel", slug="live-kapitel")
    expected = "https://www.example.org/handbuch/de/handbuch-live/live-kapitel/"
    assert Page.objects.get(pk=chapter.pk).specific.url == expected

    listing = html.fromstring(admin_client.get(f"/admin/pages/{handbook.pk}/").content)
    live_links = listing.xpath("//a[normalize-space()='Live anzeigen']/@href")
    assert expected in live_links
    edit = admin_client.get(f"/admin/pages/{chapter.pk}/edit/").content.decode()
    assert f'href="{expected}"' in edit


def test_view_live_is_not_offered_without_a_website_address(admin_client, settings):
    settings.WEBSITE_PAGE_URL = ""
    handbook = handbook_factory(title="Handbuch ohne Website", slug="ohne-website")
    chapter = chapter_factory(handbook, title="Kapitel ohne Website", slug="kapitel")
    assert Page.objects.get(pk=chapter.pk).specific.url is None
    # It used to link to Wegweiser's own /ohne-website/kapitel/, which answers 404.
    assert admin_client.get("/ohne-website/kapitel/").status_code == 404

    listing = admin_client.get(f"/admin/pages/{handbook.pk}/").content.decode()
    assert "Live anzeigen" not in listing
    edit = admin_client.get(f"/admin/pages/{chapter.pk}/edit/").content.decode()
    assert 'href="/ohne-website/kapitel/"' not in edit
    # The page still belongs to the site (previews, the site's settings).
    assert chapter.get_site() is not None


# --- "Preview on the website" ------------------------------------------------------


def test_without_a_website_preview_editors_get_the_readable_preview(
    admin_client, settings
):
    settings.WEBSITE_PREVIEW_URL = ""
    handbook = handbook_factory(title="Handbuch Vorschau", slug="handbuch-vorschau")
    chapter = chapter_factory(handbook, title="Kapitel zum Ansehen")
    draft_url = f"/admin/pages/{chapter.pk}/view_draft/"

    edit = html.fromstring(admin_client.get(f"/admin/pages/{chapter.pk}/edit/").content)
    assert edit.xpath(f"//a[@href='{draft_url}' and normalize-space()='Vorschau']")
    assert "Vorschau auf der Website" not in edit.text_content()

    answer = admin_client.get(f"/admin/website-preview/{chapter.pk}/", follow=True)
    assert answer.redirect_chain[0][0] == draft_url
    assert answer["Content-Type"].startswith("text/html")
    preview = html.fromstring(answer.content)
    assert preview.xpath("//h1")[0].text_content() == "Kapitel zum Ansehen"


def test_with_a_website_preview_the_button_opens_the_website(admin_client, settings):
    settings.WEBSITE_PREVIEW_URL = "https://www.example.org/vorschau?token={token}"
    chapter = chapter_factory(handbook_factory(slug="handbuch-web-vorschau"))
    edit = admin_client.get(f"/admin/pages/{chapter.pk}/edit/").content.decode()
    assert "Vorschau auf der Website" in edit
    # The button asks first (minting hands out a readable link), the POST opens it.
    asked = admin_client.get(f"/admin/website-preview/{chapter.pk}/")
    assert asked.status_code == 200
    assert b"<form" in asked.content
    answer = admin_client.post(f"/admin/website-preview/{chapter.pk}/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("https://www.example.org/vorschau?token=")
