"""Conditional requests: strong ETags, Last-Modified, and 304 without a body build.

An ETag is derived from what the body depends on (page versions, revisions, the
content stamp, the query), not from the body, so a revalidation costs one small
query. Bodies are cached under their ETag; a changed input makes a new key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag

BODY_CACHE_PREFIX = "api-body:"


def etag_for(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return quote_etag(digest[:40])


def _not_modified(
    request: HttpRequest, etag: str, last_modified: datetime | None
) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip() for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


def conditional_json(
    request: HttpRequest,
    *,
    etag: str,
    last_modified: datetime | None,
    build: Callable[[], bytes],
    status: int = 200,
) -> HttpResponse:
    """Answer 304 when the client's copy is current; else the (cached) JSON body."""
    if _not_modified(request, etag, last_modified):
        response = HttpResponse(status=304)
    else:
        key = BODY_CACHE_PREFIX + etag.strip('"')
        body = cache.get(key)
        if body is None:
            body = build()
            cache.set(key, body, timeout=settings.API_BODY_CACHE_SECONDS)
        response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = settings.API_CACHE_CONTROL
    response["Vary"] = "Accept-Encoding, Origin"
    return response
