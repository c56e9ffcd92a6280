"""An editor's first steps in a real browser (Debian's chromium, headless).

Screenshots land in test-output/ for a person to look at.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import REPO, admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory, portrait_factory

OUTPUT = REPO / "test-output"


@pytest.fixture
def editor_page(browser, live_server, wagtail_tree, django_user_model):
    django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort"
    )
    with admin_browser_page(browser, live_server, "redakteurin") as page:
        yield page


def test_editor_finds_the_handbook_and_a_portraits_consent(editor_page, live_server):
    from cms.pages.models import PortraitConsent

    handbook = handbook_factory(title="Handbuch Integration")
    chapter = chapter_factory(handbook, title="Menschen für Engagement gewinnen")
    consent = PortraitConsent.objects.create(
        reference="Beispiel Rana", web=True, print=False, simple=True,
        given_on=date(2019, 10, 1),
    )  # fmt: skip
    portrait = portrait_factory(handbook, consent=consent)
    page = editor_page
    OUTPUT.mkdir(exist_ok=True)

    # The dashboard speaks German.
    assert page.locator("html").get_attribute("lang") == "de"

    # Pages explorer: the handbook lists its chapter.
    page.goto(f"{live_server.url}/admin/pages/{handbook.pk}/")
    page.get_by_role("link", name=chapter.title).first.wait_for()
    page.screenshot(path=OUTPUT / "admin-explorer.png", full_page=True)

    # The portrait's editor shows which channels the person agreed to.
    page.goto(f"{live_server.url}/admin/pages/{portrait.pk}/edit/")
    consent_text = page.get_by_text("Beispiel Rana").first
    consent_text.wait_for()
    summary = consent_text.inner_text()
    assert "Druckausgabe ✗" in summary
    assert "Website ✓" in summary
    page.screenshot(path=OUTPUT / "admin-portrait.png", full_page=True)
