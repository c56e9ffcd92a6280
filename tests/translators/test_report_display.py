"""The translations report as office staff read it: names, Ja/Nein, short headings."""

from __future__ import annotations

import pytest
from lxml import html

pytestmark = pytest.mark.django_db


def test_report_names_languages_and_says_ja_nein(admin_client, demo_handbook):
    response = admin_client.get("/admin/translators/report/?locale=ar")
    page = html.fromstring(response.content)
    text = " ".join(page.text_content().split())

    # Languages by name, in the admin's language, not as codes.
    nav = " ".join(page.xpath("//nav[@aria-label='Sprache']")[0].text_content().split())
    for name in ("Leichte Sprache", "Englisch", "Arabisch", "Persisch", "Türkisch"):
        assert name in nav
    assert not {"de-x-ls", "en", "ar", "fa"} & set(nav.replace("·", " ").split())
    assert "Übersetzungsstand" in text and "Arabisch" in text

    changed = [
        " ".join(td.text_content().split())
        for td in page.xpath("//table//tbody/tr/td[last()-1]")
    ]
    assert changed and set(changed) <= {"Ja", "Nein"}
    assert "True" not in text and "False" not in text
