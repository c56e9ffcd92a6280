"""Template tags for the Prüfgruppe screens."""

from __future__ import annotations

from django import template
from wagtail.models import Page

from cms.plain_language.checker import CheckResult
from cms.plain_language.selectors import plain_language_check_page

register = template.Library()


@register.simple_tag
def plain_language_review_result(page: Page) -> CheckResult:
    """The checker's result for the draft under review."""
    return plain_language_check_page(page=page.get_latest_revision_as_object())
