"""Editors search the German source with German stemming on PostgreSQL."""

import pytest
from django.conf import settings
from wagtail.models import Page

from tests.factories.pages import chapter_factory, handbook_factory


@pytest.mark.skipif(
    not settings.USING_POSTGRES,
    reason="German stemming is PostgreSQL's; SQLite has a plain fallback",
)
@pytest.mark.django_db
def test_inflected_german_words_find_each_other(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        handbook = handbook_factory(title="Suchtest")
        chapter = chapter_factory(
            handbook,
            title="Zusammenhalt im Ort",
            intro="<p>Die Vereine suchen neue Helferinnen für ihre Feste.</p>",
        )
    pages = Page.objects.live().descendant_of(handbook)
    # "Verein" and "Vereins" share the stem of "Vereine"; a plain tokenizer
    # would find neither.
    assert chapter.page_ptr in pages.search("Verein")
    assert chapter.page_ptr in pages.search("Vereins")
    assert chapter.page_ptr not in pages.search("Vorstand")
