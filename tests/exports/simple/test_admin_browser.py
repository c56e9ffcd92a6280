"""Leichte Sprache writers in a real browser (Debian's chromium, headless).

Screenshots land in test-output/simple/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO, admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory

OUTPUT = REPO / "test-output" / "simple"


@pytest.fixture
def writer_page(browser, live_server, wagtail_tree, django_user_model):
    django_user_model.objects.create_superuser(
        "schreiberin", "leichte-sprache@example.org", "ein-langes-passwort"
    )
    with admin_browser_page(browser, live_server, "schreiberin") as page:
        yield page


def test_ctrl_period_types_the_mediopunkt_in_title_and_rich_text(
    writer_page, live_server
):
    chapter = chapter_factory(handbook_factory(), title="Rathaus")
    page = writer_page

    page.goto(f"{live_server.url}/admin/pages/{chapter.pk}/edit/")
    title = page.locator("#id_title")
    title.click()
    title.press("End")
    title.type(" und Bürger")
    title.press("Control+Period")
    title.type("meister")
    assert title.input_value() == "Rathaus und Bürger·meister"

    editor = page.locator(".DraftEditor-root [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Der Gemeinde")
    page.keyboard.press("Control+Period")
    page.keyboard.type("rat hilft.")
    assert "Gemeinde·rat hilft." in editor.inner_text()


def test_the_coverage_screen_in_the_menu(writer_page, live_server):
    handbook = handbook_factory(title="Handbuch")
    chapter_factory(handbook, title="Ankommen im Landkreis")
    page = writer_page
    OUTPUT.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Leichte Sprache").first.click()
    page.wait_for_url(f"{live_server.url}/admin/leichte-sprache/")
    row = page.locator('tr[data-status="missing"]', has_text="Ankommen im Landkreis")
    row.wait_for()
    assert "fehlt" in row.inner_text()
    page.screenshot(path=OUTPUT / "admin-coverage.png", full_page=True)
