"""A de-x-ls page from the demo handbook, edited in Wagtail's normal page editor."""

from __future__ import annotations

import pytest
from wagtail.models import Page
from wagtail_localize.models import Translation

from cms.pages.models import ChapterPage


@pytest.fixture
def ls_chapter(db) -> ChapterPage:
    """The demo's first chapter in Leichte Sprache, converted to manual editing.

    Synced translations open wagtail-localize's editor; "Stop synced translation"
    (Translation.enabled = False) hands the page to the normal page editor.
    """
    page = (
        Page.objects.filter(locale__language_code="de-x-ls", depth=3)
        .type(ChapterPage)
        .first()
    )
    assert page is not None, "the demo handbook has no de-x-ls chapter"
    Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=page.locale
    ).update(enabled=False)
    return page.specific
