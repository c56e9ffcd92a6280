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


def _opaque_tag(tag: str) -> str:
    """The tag without its weakness marker: If-None-Match compares weakly
    (RFC 9110 13.1.2), and nginx weakens ETags when it compresses a body."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weakly compared) or ``*``."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH", "")
    tags = {_opaque_tag(t) for t in if_none_match.split(",") if t.strip()}
    return _opaque_tag(etag) in tags or "*" in tags


def _not_modified(
    request: HttpRequest, etag: str, last_modified: datetime | None
) -> bool:
    # From META, not request.headers: that builds a mapping of every header
    # first, a tenth of a 304's time in the view.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {_opaque_tag(t) for t in if_none_match.split(",")}
        return _opaque_tag(etag) in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


def conditional_json(
    request: HttpRequest,
    *,
    etag: str,
    last_modified: datetime | None,
    build: Callable[[], bytes],
    language: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Answer 304 when the client's copy is current; else the (cached) JSON body.

    ``language`` is the locale the body is in (sent as Content-Language).
    """
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
    if language:
        response["Content-Language"] = language
    response["Cache-Control"] = settings.API_CACHE_CONTROL
    response["Vary"] = "Accept-Encoding, Origin"
    return response
