"""The delivery API's delta sync: what changed since a cursor.

Separate because it reads the content event log, not the pages: a client keeps its
copy current with created, updated and deleted entries and an opaque cursor.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ERRORS, LIMIT, LOCALE, ApiView
from cms.api.caching import conditional_json, etag_for
from cms.api.errors import ApiError
from cms.api.params import cursor_encode, cursor_param, limit_param, locale_param
from cms.api.selectors import changes_cursor_issued, changes_since, list_stamp
from exports.content import document_bytes, page_api_path

# What a client whose cursor was refused should do.
CURSOR_NOT_ISSUED = gettext_lazy(
    "This cursor was not issued by this server: it is newer than the newest "
    "change, or the server was restored from a backup since. Resync from the "
    "start: fetch every page again, then call changes/ without since."
)


class ChangesView(ApiView):
    @extend_schema(
        summary="What changed since a cursor: created, updated, deleted (delta sync)",
        parameters=[
            LOCALE,
            OpenApiParameter(
                "since", str, description="next_cursor of the previous call"
            ),
            LIMIT,
        ],
        responses={200: schema.ChangesSerializer, 304: None, **ERRORS},
        tags=["sync"],
    )
    def get(self, request: Request) -> HttpResponse:
        locale = locale_param(request.GET)
        cursor_in = cursor_param(request.GET)
        since = cursor_in.event_id
        limit = limit_param(request.GET)
        if not changes_cursor_issued(event_id=since, recorded_at=cursor_in.recorded_at):
            raise ApiError("invalid_cursor", str(CURSOR_NOT_ISSUED))
        _, newest_event, last_modified = list_stamp()

        def build() -> bytes:
            changes, cursor = changes_since(
                locale_code=locale, since=since, limit=limit
            )
            recorded_at = changes[-1].changed_at if changes else cursor_in.recorded_at
            return document_bytes(
                {
                    "locale": locale,
                    "changes": [
                        {
                            "translation_key": str(c.translation_key),
                            "action": c.action,
                            "reason": c.kind,
                            "changed_at": c.changed_at.isoformat(),
                            "id": c.page_id,
                            "api_url": page_api_path(c.page_id, locale)
                            if c.page_id
                            else None,
                        }
                        for c in changes
                    ],
                    "next_cursor": cursor_encode(cursor, recorded_at),
                    "has_more": cursor < newest_event and len(changes) == limit,
                }
            )

        return conditional_json(
            request,
            etag=etag_for("changes", locale, cursor_in, limit, newest_event),
            last_modified=last_modified,
            build=build,
        )
