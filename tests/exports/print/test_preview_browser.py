"""The Druckansicht in the admin's preview pane, in a real browser (chromium).

The screenshot lands in test-output/print/ for a person to look at.
"""

from __future__ import annotations

from tests.conftest import REPO, admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory

OUTPUT = REPO / "test-output" / "print"


def test_editor_switches_the_preview_pane_to_druckansicht(
    browser, live_server, wagtail_tree, django_user_model
):
    django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort"
    )
    handbook = handbook_factory(title="Handbuch Integration")
    chapter = chapter_factory(
        handbook,
        title="Mobil sein im ländlichen Raum",
        intro="<p>Wer kein Auto hat, braucht andere Wege zum Kurs.</p>",
    )
    with admin_browser_page(browser, live_server, "redakteurin", width=1400) as page:
        page.goto(f"{live_server.url}/admin/pages/{chapter.pk}/edit/")
        page.locator('[data-side-panel-toggle="preview"]').first.click()
        pane = page.frame_locator("#w-preview-iframe")
        # The pane first shows the default mode; switching before it has loaded is
        # lost on a slow machine.
        pane.locator("h1", has_text=chapter.title).wait_for()
        modes = page.locator("#id_preview_mode")
        assert "Druckansicht" in modes.inner_text()
        modes.select_option("print")

        first_page = pane.locator('img[src^="data:image/png"]').first
        first_page.wait_for()
        assert "Seite 1 von" in first_page.get_attribute("alt")
        assert pane.locator("a[download]").count() == 1
        # A short chapter prints on one page, the draft mark in its header.
        assert pane.locator('img[src^="data:image/png"]').count() == 1
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUTPUT / "admin-druckansicht.png")
