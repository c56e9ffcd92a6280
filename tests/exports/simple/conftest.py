"""Helpers for the simple channel's tests: Leichte Sprache versions of pages."""

from __future__ import annotations

import pytest


def simple_version(page, *, intro: str | None = None, publish: bool = True):
    """The de-x-ls version of ``page``, made the way wagtail-localize copies it."""
    from wagtail.models import Locale

    simple = page.copy_for_translation(
        Locale.objects.get(language_code="de-x-ls"), copy_parents=True
    ).specific
    if intro is not None:
        simple.intro = intro
    revision = simple.save_revision()
    if publish:
        revision.publish()
    simple.refresh_from_db()
    return simple


@pytest.fixture
def simple_channel(settings, tmp_path):
    """The simple channel configured beside whatever channels a test has."""
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "simple": {
            "BACKEND": "exports.simple.channel.SimpleChannel",
            "OPTIONS": {},
        },
    }
    return tmp_path / "simple"
