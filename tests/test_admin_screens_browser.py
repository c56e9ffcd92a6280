"""The editors' screens in a real browser (Debian's chromium, headless), at 1400 px.

One session walks the screens office staff use most; screenshots land in
test-output/ for a person to look at: the dashboard, the consents list, the
translations report and the translation editor.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management.sql import emit_post_migrate_signal
from wagtail.models import Locale, Page, Site
from wagtail_localize.operations import TranslationCreator

from cms.pages.models import PortraitConsent
from tests.conftest import admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory
from tests.test_admin_browser import OUTPUT
from tests.translators.conftest import translated

LONG_TITLE = "Menschen für bürgerschaftliches Engagement gewinnen"


@pytest.fixture
def office(wagtail_tree, django_user_model):
    # The site as Wagtail's migration leaves it ("localhost", no name); migrate then
    # names it, as `make run` and a deployment do.
    Site.objects.update_or_create(
        hostname="localhost", port=80, defaults={
            "site_name": "", "is_default_site": True,
            "root_page": Page.get_first_root_node(),
        },
    )  # fmt: skip
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    handbook = handbook_factory(title="Integration gemeinsam gestalten")
    chapter = chapter_factory(handbook, title=LONG_TITLE)
    english = Locale.objects.get(language_code="en")
    creator = TranslationCreator(user=None, target_locales=[english])
    creator.create_translations(handbook)
    creator.create_translations(chapter)
    PortraitConsent.objects.create(
        reference="Beispiel Amal", web=True, print=False, simple=True,
        given_on=date(2019, 10, 1),
    )  # fmt: skip
    PortraitConsent.objects.create(
        reference="Beispiel Bilal", web=True, print=True, simple=True,
        given_on=date(2019, 10, 1), withdrawn_on=date(2020, 6, 30),
    )  # fmt: skip
    django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort"
    )
    return chapter


def test_office_screens_read_german_and_calm(browser, live_server, office):
    OUTPUT.mkdir(exist_ok=True)
    with admin_browser_page(browser, live_server, "redakteurin", width=1400) as page:
        # Dashboard: the site's name, not the host name.
        heading = page.locator("h1").first
        assert heading.inner_text().strip() == "Wegweiser"
        assert "localhost" not in page.locator("main").inner_text()
        page.screenshot(path=OUTPUT / "admin-dashboard.png", full_page=True)

        # Consents: Ja/Nein per channel, and the state in words.
        page.goto(f"{live_server.url}/admin/snippets/pages/portraitconsent/")
        bilal = page.locator("tr", has_text="Beispiel Bilal")
        assert "widerrufen am 30. Juni 2020" in bilal.inner_text()
        amal = page.locator("tr", has_text="Beispiel Amal").inner_text()
        assert "gültig" in amal and "Nein" in amal and "True" not in amal
        page.screenshot(path=OUTPUT / "admin-consents.png", full_page=True)

        # The report at 1400 px: a long German title stays readable.
        page.goto(f"{live_server.url}/admin/translators/report/?locale=en")
        title = page.get_by_text(LONG_TITLE, exact=True).first
        box = title.bounding_box()
        assert box is not None and box["width"] >= 250, box
        assert (
            page.locator("nav[aria-label=Sprache]")
            .inner_text()
            .startswith("Leichte Sprache")
        )
        page.screenshot(path=OUTPUT / "admin-translation-report.png", full_page=True)

        # wagtail-localize's editor: its hard-coded English comes out German.
        english = translated(office, "en")
        page.goto(f"{live_server.url}/admin/pages/{english.pk}/edit/")
        page.get_by_role(
            "heading", name="Übersetzung: Deutsch → English"
        ).first.wait_for()
        editor = page.locator(".js-translation-editor")
        assert " to English translation" not in editor.inner_text()
        assert editor.locator("text=More actions").count() == 0
        assert editor.locator(".w-sr-only", has_text="Weitere Aktionen").count() >= 1
        page.screenshot(path=OUTPUT / "admin-translation-editor.png", full_page=True)
