"""The delivery API's full-text search in one locale.

Separate because it is the one read that depends on the database backend
(PostgreSQL full-text search or the SQLite fallback in the selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ERRORS, LIMIT, LOCALE, OFFSET, ApiView
from cms.api.caching import conditional_json, etag_for
from cms.api.params import (
    limit_param,
    locale_param,
    offset_param,
    page_links,
    search_param,
)
from cms.api.selectors import list_stamp, search_pages
from exports.content import (
    document_bytes,
    listed_page_nodes_build,
    search_hit_document,
)


class SearchView(ApiView):
    @extend_schema(
        summary="Full-text search in one locale",
        parameters=[
            OpenApiParameter("q", str, required=True, description="search words"),
            LOCALE,
            LIMIT,
            OFFSET,
        ],
        responses={200: schema.SearchResultSerializer, 304: None, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request) -> HttpResponse:
        locale = locale_param(request.GET)
        query = search_param(request.GET)
        limit = limit_param(request.GET)
        offset = offset_param(request.GET)
        stamp, newest_event, last_modified = list_stamp()

        def build() -> bytes:
            pages = search_pages(
                query=query, locale_code=locale, using_postgres=settings.USING_POSTGRES
            )
            total = pages.count()
            # SQL selects, ranks and pages; each item is its page's node, as in
            # the lists (a page that stopped serving since is left out).
            page_ids = list(pages.values_list("pk", flat=True)[offset : offset + limit])
            nodes = listed_page_nodes_build(locale_code=locale, page_ids=page_ids)
            items = [search_hit_document(node) for node in nodes]
            return document_bytes(
                {
                    "query": query,
                    "locale": locale,
                    "count": total,
                    "limit": limit,
                    "offset": offset,
                    **page_links(request, total=total, limit=limit, offset=offset),
                    "items": items,
                }
            )

        return conditional_json(
            request,
            etag=etag_for("search", locale, query, limit, offset, stamp, newest_event),
            last_modified=last_modified,
            build=build,
            language=locale,
        )
