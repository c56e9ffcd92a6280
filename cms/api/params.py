"""Query parameters of the delivery API, checked with messages that say what to fix."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cms.api.errors import ApiError
from cms.api.selectors import municipality_slugs, topic_slugs
from cms.locales import SOURCE_LOCALE
from exports.content import UnknownLocale, content_locale_get

CURSOR_PREFIX = "wegweiser-changes:"
SEARCH_MAX_LENGTH = 200
FIELD_NAME = re.compile(r"^[a-z_]{1,40}$")
KNOWN_SHOWN = 12  # names listed in an "unknown …" message; the rest via their list
# Page ids are bigints: a larger number names no page (and would overflow the query).
PAGE_ID_MAX = 2**63 - 1


def locale_param(query: QueryDict) -> str:
    code = query.get("locale", SOURCE_LOCALE)
    try:
        return content_locale_get(code).code
    except UnknownLocale:
        known = ", ".join(loc.code for loc in settings.WEGWEISER_LOCALES)
        raise ApiError(
            "unknown_locale",
            _("The locale %(code)s is not configured; known: %(known)s.")
            % {"code": repr(code[:40]), "known": known},
        ) from None


def int_param(query: QueryDict, name: str, *, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(
            f"invalid_{name}",
            _("%(name)s must be a whole number, not %(value)s.")
            % {"name": name, "value": repr(raw[:40])},
        ) from None
    if not low <= value <= high:
        raise ApiError(
            f"{name}_out_of_range",
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def limit_param(query: QueryDict) -> int:
    return int_param(
        query,
        "limit",
        default=settings.API_DEFAULT_PAGE_SIZE,
        low=1,
        high=settings.API_MAX_PAGE_SIZE,
    )


def offset_param(query: QueryDict) -> int:
    return int_param(query, "offset", default=0, low=0, high=10**7)


def page_links(
    request: HttpRequest, *, total: int, limit: int, offset: int
) -> dict[str, str | None]:
    """``next`` and ``previous`` of a paginated list: its own URL (a path, like
    every ``api_url``) with another offset, or None at either end."""

    def at(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        return f"{request.path}?{query.urlencode()}"

    return {
        "next": at(offset + limit) if offset + limit < total else None,
        "previous": at(max(offset - limit, 0)) if offset > 0 else None,
    }


def fields_param(query: QueryDict, allowed: list[str]) -> list[str] | None:
    """The fields the client asked for, or None for all of them."""
    raw = query.get("fields")
    if raw is None or raw.strip() == "":
        return None
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        shown = ", ".join(repr(n[:40]) for n in unknown[:5])
        raise ApiError(
            "unknown_field",
            _("Unknown field(s) %(fields)s; available: %(available)s.")
            % {"fields": shown, "available": ", ".join(allowed)},
        )
    return names


def choose_fields(
    document: dict[str, Any], fields: list[str] | None, always: tuple[str, ...]
) -> dict[str, Any]:
    if fields is None:
        return document
    return {k: v for k, v in document.items() if k in always or k in fields}


def slug_param(query: QueryDict, name: str) -> str | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"[-a-z0-9_]{1,100}", raw):
        raise ApiError(
            f"invalid_{name}",
            _("%(name)s must be a slug such as 'ehingen', not %(value)s.")
            % {"name": name, "value": repr(raw[:40])},
        )
    return raw


def page_id_param(page_id: int) -> int:
    if page_id > PAGE_ID_MAX:
        raise ApiError("not_found", _("No page with this id or path."), 404)
    return page_id


def _known_slug_param(
    query: QueryDict,
    name: str,
    known_slugs: Callable[[], list[str]],
    unknown_message: str,
) -> str | None:
    """A filter's slug, or None without the filter; an unknown slug is a 400.

    An error rather than an empty list, so a typo in a link is not mistaken for
    "nothing here" — the same for every filter. ``unknown_message`` says so,
    with ``%(value)s`` and ``%(known)s``. The known slugs are read only when the
    filter is set: an unfiltered list costs no query for them.
    """
    slug = slug_param(query, name)
    if slug is None:
        return None
    known = known_slugs()
    if slug not in known:
        shown = ", ".join(known[:KNOWN_SHOWN]) + (
            " …" if len(known) > KNOWN_SHOWN else ""
        )
        raise ApiError(
            f"unknown_{name}",
            unknown_message
            % {"value": repr(slug), "known": shown or pgettext("known slugs", "none")},
        )
    return slug


def municipality_param(query: QueryDict) -> str | None:
    """The municipality a list is filtered by, or None when there is no filter."""
    return _known_slug_param(
        query,
        "municipality",
        municipality_slugs,
        _(
            "There is no municipality %(value)s; known: %(known)s (all of them: "
            "/api/v1/municipalities/)."
        ),
    )


def topic_param(query: QueryDict) -> str | None:
    """The topic (Handlungsfeld) a list is filtered by, or None."""
    return _known_slug_param(
        query,
        "topic",
        topic_slugs,
        _("There is no topic %(value)s; known topic slugs: %(known)s."),
    )


def search_param(query: QueryDict) -> str:
    raw = (query.get("q") or "").strip()
    if not raw:
        raise ApiError(
            "missing_query", _("Give the search words in q, e.g. ?q=Verein.")
        )
    if len(raw) > SEARCH_MAX_LENGTH:
        raise ApiError(
            "query_too_long",
            _("The search may be at most %(limit)s characters long.")
            % {"limit": SEARCH_MAX_LENGTH},
        )
    # Search is word based; symbols carry no meaning, so they are dropped rather
    # than handed to the database.
    cleaned = re.sub(r"[^\w\s\"'-]", " ", raw)
    if not cleaned.strip():
        raise ApiError("invalid_query", _("The search contains no words."))
    return " ".join(cleaned.split())


@dataclass(frozen=True)
class ChangesCursor:
    """Where a client stands in the changes feed: the newest event it has seen,
    and when that event was recorded (None in cursors of earlier releases)."""

    event_id: int
    recorded_us: int | None = None

    @property
    def recorded_at(self) -> datetime | None:
        if self.recorded_us is None:
            return None
        return EPOCH + timedelta(microseconds=self.recorded_us)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
INVALID_CURSOR = gettext_lazy(
    "since must be a cursor returned by this endpoint (next_cursor); "
    "leave it out to start from the beginning."
)


def cursor_encode(event_id: int, recorded_at: datetime | None = None) -> str:
    """The opaque ``next_cursor``: the event's id and the moment it was recorded,
    so a cursor names one event of this database and no other."""
    text = f"{CURSOR_PREFIX}{event_id}"
    if event_id and recorded_at is not None:
        delta = recorded_at.astimezone(UTC) - EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        text += f".{micros}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def cursor_param(query: QueryDict) -> ChangesCursor:
    """The ``since`` cursor, well-formed (whether it was issued is the view's
    check: ``changes_cursor_issued``)."""
    raw = query.get("since")
    if raw is None or raw == "":
        return ChangesCursor(0)
    try:
        decoded = base64.urlsafe_b64decode(raw.encode("ascii")).decode()
        if not decoded.startswith(CURSOR_PREFIX):
            raise ValueError
        event_text, _, recorded_text = decoded.removeprefix(CURSOR_PREFIX).partition(
            "."
        )
        cursor = ChangesCursor(
            int(event_text), int(recorded_text) if recorded_text else None
        )
        if cursor.event_id < 0 or (cursor.recorded_us or 0) < 0:
            raise ValueError
    except (ValueError, UnicodeError, binascii.Error):
        raise ApiError("invalid_cursor", str(INVALID_CURSOR)) from None
    return cursor
