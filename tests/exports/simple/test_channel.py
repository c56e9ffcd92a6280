"""The simple channel run by hand: the coverage report and the Leichte Sprache PDF."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string
from pypdf import PdfReader

from exports.channels import channel_get
from exports.print.data import PrintSource

pytestmark = pytest.mark.django_db


def test_the_simple_channel_is_configured_by_default():
    from django.conf import settings

    assert settings.EXPORT_CHANNELS["simple"]["BACKEND"] == (
        "exports.simple.channel.SimpleChannel"
    )
    source = import_string(settings.PRINT_SOURCES["de-x-ls"])
    assert source.__name__ == "simple_print_source"


def test_export_simple_prints_the_coverage_and_builds_the_pdf(
    demo_handbook, simple_channel
):
    out = StringIO()
    call_command("export", "simple", stdout=out)
    lines = out.getvalue().splitlines()

    assert any(line.startswith("unchecked") for line in lines), lines
    assert any(line.startswith("missing") for line in lines), lines
    coverage = next(line for line in lines if line.startswith("coverage de-x-ls"))
    assert "checked" in coverage and "missing" in coverage
    assert lines[-1].startswith("simple: 1 done, 0 failed, 0 skipped")
    pdf = simple_channel / "handbook-de-x-ls.pdf"
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert len(reader.pages) > 3


def test_another_locale_is_skipped_and_an_unknown_one_named(simple_channel):
    out = StringIO()
    call_command("export", "simple", "--locale", "en", stdout=out)
    assert "en: skipped, the simple channel serves de-x-ls only" in out.getvalue()
    assert not (simple_channel / "handbook-en.pdf").exists()

    with pytest.raises(CommandError, match="locale 'xx' is not configured"):
        call_command("export", "simple", "--locale", "xx", stdout=StringIO())


def test_the_print_pipeline_gets_the_leichte_sprache_layout(demo_handbook):
    from exports.simple.print import simple_print_source

    source = simple_print_source("de-x-ls")

    assert isinstance(source, PrintSource)
    assert source.template == "simple"
    assert channel_get("simple").name == "simple"


def test_with_de_x_ls_printed_the_pdf_becomes_the_current_print_artifact(
    demo_handbook, simple_channel, settings, tmp_path
):
    # The print pipeline stores, lists and announces it; OUTPUT_DIR stays empty.
    from exports.print.models import PrintArtifact

    settings.PRINT_LOCALES = ["de-x-ls"]
    settings.PRINT_ROOT = tmp_path / "print"
    out = StringIO()
    call_command("export", "simple", stdout=out)

    artifact = PrintArtifact.objects.get(locale="de-x-ls")
    assert "PDF de-x-ls built" in out.getvalue(), out.getvalue()
    assert not (simple_channel / "handbook-de-x-ls.pdf").exists()
    reader = PdfReader(settings.PRINT_ROOT / artifact.path)
    assert len(reader.pages) == artifact.page_count > 3
