"""A translator for Arabic at work in a real browser (Debian's chromium, headless).

One scenario: log in, open a page's translation in wagtail-localize's editor,
translate its segments into ar, publish, and the Arabic page is live with them.
Screenshots land in test-output/ for a person to look at.
"""

from __future__ import annotations

import pytest
from wagtail.models import Locale
from wagtail_localize.operations import TranslationCreator

from cms.pages.models import ChapterPage
from cms.translators.services import role_groups_ensure
from tests.conftest import admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory
from tests.test_admin_browser import OUTPUT
from tests.translators.conftest import role_user, translated

ARABIC = {
    "Teilhabe im Verein": "المشاركة في النادي",
    "teilhabe-im-verein": "almusharaka-fi-alnadi",
    "Neu Zugezogene finden leichter in Vereine.": (
        "يجد القادمون الجدد طريقهم إلى النوادي بسهولة أكبر."
    ),
}


@pytest.fixture
def arabic_chapter(wagtail_tree):
    role_groups_ensure()
    handbook = handbook_factory(title="Handbuch Integration")
    chapter = chapter_factory(
        handbook,
        title="Teilhabe im Verein",
        slug="teilhabe-im-verein",
        intro="<p>Neu Zugezogene finden leichter in Vereine.</p>",
    )
    ar = Locale.objects.get(language_code="ar")
    creator = TranslationCreator(user=None, target_locales=[ar])
    creator.create_translations(handbook)
    creator.create_translations(chapter)
    return translated(chapter, "ar")


def test_arabic_translator_translates_and_publishes_a_page(
    browser,
    live_server,
    arabic_chapter,
    django_user_model,
):
    role_user(django_user_model, "ar", "uebersetzerin-ar")
    OUTPUT.mkdir(exist_ok=True)
    # No browser locale: the translator's admin language is English.
    with admin_browser_page(
        browser, live_server, "uebersetzerin-ar", locale=None
    ) as page:
        page.goto(f"{live_server.url}/admin/pages/{arabic_chapter.pk}/edit/")
        tabs = page.get_by_role("tab")
        tabs.first.wait_for()
        for index in range(tabs.count()):
            tabs.nth(index).click()
            while (button := page.get_by_role("button", name="Translate")).count():
                # The segment's <li> (the button sits in its toolbar's <li>).
                segment = button.first.locator("xpath=ancestor::li[2]").element_handle()
                source = segment.query_selector(":scope > *").inner_text().strip()
                button.first.click()
                segment.wait_for_selector("textarea").fill(ARABIC[source])
                segment.wait_for_selector("button:has-text('Save')").click()
                page.get_by_text(ARABIC[source], exact=True).first.wait_for()
        page.screenshot(path=OUTPUT / "translator-editor-ar.png", full_page=True)

        page.locator("button[name=action][value=publish]").click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUTPUT / "translator-published-ar.png", full_page=True)

        # The German source is not hers: one page says why, in German too.
        german = arabic_chapter.get_translation(Locale.get_default())
        answer = page.goto(f"{live_server.url}/admin/pages/{german.pk}/edit/")
        assert answer.status == 403
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "Ihre Rolle gilt nur für: ar." in page.content()
        page.screenshot(path=OUTPUT / "translator-refused-de.png", full_page=True)

    live = ChapterPage.objects.get(pk=arabic_chapter.pk)
    assert live.live and not live.has_unpublished_changes
    assert live.title == "المشاركة في النادي"
    assert "يجد القادمون الجدد طريقهم إلى النوادي" in live.intro
    assert live.locale.language_code == "ar"
    # The website reads it through the delivery API in Arabic, not as a fallback.
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    served = Client().get(f"/api/v1/pages/{live.pk}/?locale=ar").json()
    assert served["title"] == "المشاركة في النادي"
    assert served["meta"]["served_locale"] == "ar"
    assert served["meta"]["fallback"] is False
