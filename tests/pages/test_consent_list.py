"""The consents list, as the office reads it: Ja/Nein per channel and the state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from lxml import html

from cms.pages.models import PortraitConsent

pytestmark = pytest.mark.django_db


def consent_rows(admin_client) -> dict[str, list[str]]:
    """The test consents' rows → their cells' text, as the list shows them."""
    body = admin_client.get("/admin/snippets/pages/portraitconsent/").content
    rows = {}
    for row in html.fromstring(body).xpath("//table//tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
        for reference in ("Testperson Amal", "Testperson Bilal", "Testperson Chiara"):
            if any(cell.startswith(reference) for cell in cells):
                rows[reference] = cells
    return rows


def test_channels_read_ja_nein_and_a_withdrawal_shows_its_date(admin_client):
    today = timezone.localdate()
    PortraitConsent.objects.create(
        reference="Testperson Amal", web=True, print=False, simple=True,
        given_on=date(2019, 10, 1),
    )  # fmt: skip
    PortraitConsent.objects.create(
        reference="Testperson Bilal", web=True, print=True, simple=True,
        given_on=date(2019, 10, 1), withdrawn_on=date(2020, 6, 30),
    )  # fmt: skip
    PortraitConsent.objects.create(
        reference="Testperson Chiara", web=True, print=True, simple=False,
        given_on=date(2019, 10, 1), withdrawn_on=today + timedelta(days=3),
    )  # fmt: skip

    rows = consent_rows(admin_client)

    amal = rows["Testperson Amal"]
    assert amal.count("Ja") == 2 and amal.count("Nein") == 1
    assert "gültig" in amal
    assert not {"True", "False"} & set(amal)
    # Withdrawn: no channel may show the person any more, and the list says since when.
    bilal = rows["Testperson Bilal"]
    assert bilal.count("Nein") == 3 and "Ja" not in bilal
    assert "widerrufen am 30. Juni 2020" in bilal
    # Withdrawn as of a coming date: still shown until then, and the list says so.
    chiara = rows["Testperson Chiara"]
    assert chiara.count("Ja") == 2
    assert any(cell.startswith("widerrufen zum ") for cell in chiara)
