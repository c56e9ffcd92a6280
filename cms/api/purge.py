"""Purge the frontend cache (CDN, Varnish) for API URLs whose documents changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from celery import shared_task
from django.conf import settings
from django.db import transaction

from exports.content import page_api_path

if TYPE_CHECKING:
    from exports.models import ContentEvent


@shared_task(name="cms.api.purge_frontend_cache", max_retries=5)
def purge_frontend_cache_task(urls: list[str]) -> None:
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)


def on_content_events_recorded(
    sender: object, events: Iterable[ContentEvent], **kwargs: object
) -> None:
    """After the transaction commits, purge every changed page URL and the lists."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    base = settings.API_PUBLIC_BASE_URL.rstrip("/")
    urls = sorted(
        {base + page_api_path(e.page_id, e.locale) for e in events}
        | {f"{base}/api/v1/changes/?locale={e.locale}" for e in events}
    )
    transaction.on_commit(lambda: purge_frontend_cache_task.delay(urls))
