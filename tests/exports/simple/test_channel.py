"""The simple channel run by hand: the coverage report and the Leichte Sprache PDF."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from exports.artifacts import artifact_file
from exports.channels import channel_get
from exports.models import Artifact
from exports.print.data import PrintSource
from exports.print.layouts import print_layout_builder
from tests.exports.conftest import channel_options_override

pytestmark = pytest.mark.django_db


def test_the_simple_channel_is_configured_by_default():
    from django.conf import settings

    assert settings.EXPORT_CHANNELS["simple"]["BACKEND"] == (
        "exports.simple.channel.SimpleChannel"
    )
    # Its PDF is the print channel's, in the Leichte Sprache layout.
    layouts = settings.EXPORT_CHANNELS["print"]["OPTIONS"]["LAYOUTS"]
    assert print_layout_builder(layouts["de-x-ls"]).__name__ == "simple_tree_source"


def test_export_simple_prints_the_coverage_and_how_the_pdf_is_built(
    demo_handbook, simple_channel
):
    out = StringIO()
    call_command("export", "simple", stdout=out)
    lines = out.getvalue().splitlines()

    assert any(line.startswith("unchecked") for line in lines), lines
    assert any(line.startswith("missing") for line in lines), lines
    coverage = next(line for line in lines if line.startswith("coverage de-x-ls"))
    assert "checked" in coverage and "missing" in coverage
    assert any("manage.py export print --locale de-x-ls" in line for line in lines), (
        lines
    )
    assert lines[-1].startswith("simple: 1 done, 0 failed, 0 skipped")
    # The simple channel builds nothing itself: no artifact of its own.
    assert not Artifact.objects.filter(channel="simple").exists()


def test_another_locale_is_skipped_and_an_unknown_one_named(simple_channel):
    out = StringIO()
    call_command("export", "simple", "--locale", "en", stdout=out)
    assert "en: skipped, the simple channel serves de-x-ls only" in out.getvalue()

    with pytest.raises(CommandError, match="locale 'xx' is not configured"):
        call_command("export", "simple", "--locale", "xx", stdout=StringIO())


def test_the_print_pipeline_gets_the_leichte_sprache_layout(demo_handbook):
    from exports.print.layouts.simple import simple_print_source

    source = simple_print_source("de-x-ls")

    assert isinstance(source, PrintSource)
    assert source.template == "simple"
    assert channel_get("simple").name == "simple"


def test_with_de_x_ls_printed_the_pdf_becomes_the_current_print_artifact(
    demo_handbook, simple_channel, settings, tmp_path
):
    # The print pipeline stores, lists and announces it, in the simple layout.
    channel_options_override(
        settings, "print", LOCALES=["de-x-ls"], ROOT=str(tmp_path / "print")
    )
    out = StringIO()
    call_command("export", "print", "--locale", "de-x-ls", stdout=out)

    artifact = Artifact.objects.get(channel="print", locale="de-x-ls")
    assert "de-x-ls built" in out.getvalue(), out.getvalue()
    assert artifact_file(artifact).parent == tmp_path / "print"
    reader = PdfReader(artifact_file(artifact))
    assert len(reader.pages) == artifact.details["pages"] > 3
