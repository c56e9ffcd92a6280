"""Checking a page: the text a reader sees, from the page's fields."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from cms.plain_language.selectors import page_reader_text, plain_language_check_page
from cms.snippets.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def test_reader_text_has_title_and_body_without_html(ls_chapter):
    text, __ = page_reader_text(page=ls_chapter)
    lines = text.splitlines()
    assert lines[0] == ls_chapter.title
    assert "<" not in text and ">" not in text
    assert ls_chapter.slug not in lines
    assert len(lines) > 3


def test_page_check_uses_the_locale_glossary_and_glossary_blocks(ls_chapter):
    term = GlossaryTerm.objects.filter(locale=ls_chapter.locale).first()
    assert term is not None, "the demo glossary is translated into de-x-ls"
    ls_chapter.title = f"Das {term.term} hilft Ihnen."
    ls_chapter.body = []

    def unexplained() -> list[str]:
        result = plain_language_check_page(page=ls_chapter)
        return [
            f.sentence
            for f in result.findings
            if f.rule == "glossary-unexplained" and f"„{term.term}“" in f.message
        ]

    assert unexplained() == [ls_chapter.title]
    # A glossary block on the page explains the term.
    ls_chapter.body = [("glossary", term)]
    assert unexplained() == []


def test_every_demo_de_x_ls_page_can_be_checked():
    pages = Page.objects.filter(locale__language_code="de-x-ls").specific()
    assert pages
    for page in pages:
        result = plain_language_check_page(page=page)
        assert result.scores.sentences > 0, page
