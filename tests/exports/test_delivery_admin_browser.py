"""An editor checks the website delivery screen in a real browser (headless chromium).

The website was down for three days: the editor sees the failing endpoint and the
failed deliveries, sends them again with one click, and the receiver gets them.
Screenshots land in test-output/.
"""

from __future__ import annotations

import pytest

from exports.website.models import WebhookDelivery
from tests.conftest import REPO, admin_browser_page, wait_until
from tests.exports.conftest import deliveries_sweep, settled, time_travel
from tests.factories.pages import handbook_factory

OUTPUT = REPO / "test-output"

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_sees_failed_deliveries_and_sends_them_again(
    browser, live_server, website, pipeline, django_user_model
):
    django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort"
    )
    handbook = handbook_factory(title="Handbuch Integration")
    assert wait_until(settled)
    time_travel(hours=73)
    deliveries_sweep()
    assert wait_until(
        lambda: WebhookDelivery.objects.filter(status="failed").count() == 7
    )

    with admin_browser_page(browser, live_server, "redakteurin") as page:
        page.get_by_role("link", name="Website-Versand").first.click()
        endpoints = page.get_by_test_id("endpoints")
        endpoints.get_by_text("website", exact=True).wait_for()
        assert endpoints.locator('[data-health="failing"]').count() == 1
        deliveries = page.get_by_test_id("deliveries")
        assert deliveries.locator('tr[data-status="failed"]').count() == 7
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=OUTPUT / "admin-website-delivery.png", full_page=True)

        website.up()
        page.get_by_role("button", name="Alle 7 fehlgeschlagenen").click()
        page.get_by_text("werden erneut gesendet").first.wait_for()
    assert wait_until(lambda: len(website.current(handbook.translation_key)) == 7)
