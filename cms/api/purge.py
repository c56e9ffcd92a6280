"""Purge the frontend cache (CDN, Varnish) for API URLs whose documents changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from celery import shared_task
from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from exports.content import page_api_path

if TYPE_CHECKING:
    from exports.models import ContentEvent


logger = logging.getLogger(__name__)


class TimedHTTPBackend(HTTPBackend):
    """Wagtail's HTTP purger (Varnish, nginx) with a timeout on every request.

    Wagtail's own waits without end: a purge URL that never answers held a worker
    slot for good. ``TIMEOUT`` (seconds, default 10) bounds connecting and each read.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 10))
        super().__init__(params)

    def purge(self, url: str) -> None:
        parsed = urlsplit(url)
        host = (parsed.hostname or "") + (f":{parsed.port}" if parsed.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [
                    self.cache_scheme,
                    self.cache_netloc,
                    parsed.path,
                    parsed.query,
                    parsed.fragment,
                ]
            ),
            headers={"Host": host, "User-Agent": "Wegweiser-frontendcache"},
        )
        try:
            # The scheme and host are the configured LOCATION, never a user input.
            with urlopen(request, timeout=self.timeout):
                pass
        except HTTPError as exc:
            logger.error("Purging %s failed: HTTP %d %s", url, exc.code, exc.reason)
        except (URLError, TimeoutError, OSError) as exc:
            logger.error("Purging %s failed: %s", url, getattr(exc, "reason", exc))


# A whole purge (every URL of a publish) gives up after the soft limit; a worker
# slot is never held longer than the hard one.
@shared_task(
    name="cms.api.purge_frontend_cache",
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
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
