"""Fixtures for the delivery API tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.models import Page


@pytest.fixture(autouse=True)
def fresh_api_cache():
    """Cached bodies are keyed by ETag; rolled-back tests must not leave any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """GET an API path and return the response (JSON decoded as ``.data``)."""

    def get(path: str, **headers):
        response = client.get(f"/api/v1/{path}", headers=headers)
        response.data = response.json() if response.content else None
        return response

    return get


def demo_page(slug: str, locale: str = "de") -> Page:
    """A demo page by its German slug, in ``locale`` (its translation)."""
    source = Page.objects.get(slug=slug, locale__language_code="de")
    if locale == "de":
        return source
    return Page.objects.get(
        translation_key=source.translation_key, locale__language_code=locale
    )
