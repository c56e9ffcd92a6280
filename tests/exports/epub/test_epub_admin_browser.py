"""An editor checks the E-Books page in a real browser (headless chromium): every
locale with its state, builds one now, and downloads the result."""

from __future__ import annotations

import pytest

from exports.content import handbooks_source
from exports.models import Artifact, ArtifactBuild
from tests.conftest import REPO, admin_browser_page, wait_until
from tests.exports.conftest import channel_options_override
from tests.factories.pages import handbook_factory

OUTPUT = REPO / "test-output"

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_rebuilds_an_epub_and_downloads_it(
    browser, live_server, settings, pipeline, django_user_model
):
    channel_options_override(settings, "epub", LOCALES=["de", "en"], BUILD_DELAY=0)
    django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort"
    )
    # A new handbook (the demo is gone after another transactional test) is a
    # publish: its builds may already run when the page opens.
    if next(iter(handbooks_source()), None) is None:
        handbook_factory(title="Handbuch Integration")

    with admin_browser_page(browser, live_server, "redakteurin") as page:
        page.get_by_role("link", name="E-Books (EPUB)").first.click()
        table = page.get_by_test_id("artifact-locales")
        # count() does not wait: let the page the click opened arrive first.
        table.locator("tr[data-locale]").first.wait_for()
        assert table.locator("tr[data-locale]").count() == 2

        row = table.locator('tr[data-locale="de"]')
        row.get_by_role("button", name="Jetzt neu bauen").click()
        page.get_by_text("wird neu gebaut").first.wait_for()
        assert wait_until(
            lambda: (
                Artifact.objects.filter(
                    channel="epub", locale="de", is_current=True
                ).exists()
                and ArtifactBuild.objects.filter(
                    channel="epub", locale="de", state="done"
                ).exists()
            )
        )
        page.reload()
        row = page.get_by_test_id("artifact-locales").locator('tr[data-locale="de"]')
        assert row.get_attribute("data-state") == "done"
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=OUTPUT / "admin-epub.png", full_page=True)
        with page.expect_download() as download:
            row.get_by_role("link", name="Herunterladen").click()
        assert download.value.suggested_filename == "wegweiser-handbuch-de.epub"
