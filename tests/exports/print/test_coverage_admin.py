"""The print admin shows how much of each PDF is translated and asks before it
builds and publishes a PDF that is mostly fallback text."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from exports.models import ArtifactBuild
from tests.exports.print.test_pipeline import PRINT_CHANNEL, editor_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def print_channel(settings, website):
    """The print channel building German and Persian PDFs."""
    options = {**PRINT_CHANNEL["OPTIONS"], "LOCALES": ["de", "fa"]}
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "print": {**PRINT_CHANNEL, "OPTIONS": options},
    }


def test_coverage_per_locale_and_a_warning_before_a_mostly_german_pdf(
    print_channel, client
):
    # The test session translates nothing into fa: its PDF is all German.
    for code in ("de", "fa"):
        call_command("export", "print", "--locale", code, stdout=StringIO())
    client = editor_client(client)

    html = client.get("/admin/print/").content.decode()
    german_row = html.split('data-locale="de"')[1].split("</tr>")[0]
    persian_row = html.split('data-locale="fa"')[1].split("</tr>")[0]
    assert "(100 %)" in german_row and "coverage-warning" not in german_row
    assert "(0 %)" in persian_row and "coverage-warning" in persian_row

    refused = client.post("/admin/print/fa/rebuild/", follow=True)
    assert "nur 0 % der Teile übersetzt" in refused.content.decode()
    assert ArtifactBuild.objects.get(channel="print", locale="fa").state != "pending"

    client.post("/admin/print/fa/rebuild/", {"confirm": "on"})
    assert ArtifactBuild.objects.get(channel="print", locale="fa").state == "pending"
