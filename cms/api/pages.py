"""The delivery API's pages: one page (by id or path), the lists, a handbook's tree.

Everything here serves page documents built by exports.content: a page in the
requested locale with fallback, paginated summaries of one page type, and the
chapter outline of a handbook. Separate from the other reads because only pages
share a field selection (``ALWAYS``, ``page_summary``), list filters and fallback.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from wagtail.models import Page

from cms.api import schema
from cms.api.base import ERRORS, FIELDS, LIMIT, LOCALE, OFFSET, ApiView
from cms.api.caching import conditional_json, etag_for
from cms.api.errors import ApiError
from cms.api.params import (
    choose_fields,
    fields_param,
    limit_param,
    locale_param,
    municipality_param,
    offset_param,
    page_id_param,
    page_links,
    topic_param,
)
from cms.api.selectors import list_stamp, serving_pages
from cms.pages.models import (
    BestPracticePage,
    HandbookPage,
    PortraitPage,
    RecommendationPage,
)
from exports.channels import channels_fingerprint
from exports.content import (
    PAGE_TYPES,
    Document,
    PageNode,
    build_content_tree,
    document_build,
    document_bytes,
    listed_page_nodes_build,
    locale_chain,
    outline_document,
    page_version_resolve,
    summary_document,
)

ALWAYS = ("id", "type", "meta")
FILTER_HELP = {
    "topic": "Topic slug (Handlungsfeld).",
    "municipality": (
        "Municipality slug (see /api/v1/municipalities/); an unknown slug is a 400."
    ),
}
FILTER_PARAMS = {"topic": topic_param, "municipality": municipality_param}


# --- Pages ---------------------------------------------------------------------------


def page_detail_response(request: HttpRequest, **lookup: Any) -> HttpResponse:
    locale = locale_param(request.GET)
    resolution = page_version_resolve(locale_code=locale, **lookup)
    if resolution.served is None:
        if resolution.source is None and not resolution.versions:
            raise ApiError("not_found", _("No page with this id or path."), 404)
        fallbacks = locale_chain(locale)[1:]
        raise ApiError(
            "missing_in_locale",
            (
                _(
                    "This page has no public version in %(locale)s or its "
                    "fallbacks (%(fallbacks)s)."
                )
                if fallbacks
                else _(
                    "This page has no public version in %(locale)s (this locale "
                    "never falls back)."
                )
            )
            % {"locale": repr(locale), "fallbacks": ", ".join(fallbacks)},
            404,
        )
    page_type = schema.page_type_for_content_type(resolution.served.content_type_id)
    fields = fields_param(request.GET, schema.page_fields(page_type))
    served = resolution.served
    last_modified = max(
        filter(None, [served.last_published_at, resolution.stamp_at]), default=None
    )

    def build() -> bytes:
        document = document_build(resolution)
        if document is None:  # cannot happen: a version serves (checked above)
            raise ApiError("not_found", _("No page with this id or path."), 404)
        return document_bytes(choose_fields(document, fields, ALWAYS))

    return conditional_json(
        request,
        etag=etag_for("page", resolution.cache_key(), fields, channels_fingerprint()),
        last_modified=last_modified,
        build=build,
        language=served.locale,
    )


class PageDetailView(ApiView):
    @extend_schema(
        summary="One page in one locale, with fallback",
        parameters=[LOCALE, FIELDS],
        responses={200: schema.PageDocumentSerializer, 304: None, **ERRORS},
        tags=["pages"],
    )
    def get(self, request: Request, page_id: int) -> HttpResponse:
        return page_detail_response(request, page_id=page_id_param(page_id))


class PageByPathView(ApiView):
    @extend_schema(
        summary="One page by its path (in any locale) served in the requested locale",
        parameters=[
            OpenApiParameter("path", str, required=True, description="url path"),
            LOCALE,
            FIELDS,
        ],
        responses={200: schema.PageDocumentSerializer, 304: None, **ERRORS},
        tags=["pages"],
    )
    def get(self, request: Request) -> HttpResponse:
        path = request.GET.get("path", "")
        if not path or len(path) > 1000:
            raise ApiError(
                "invalid_path", _("Give a page path, e.g. ?path=/handbuch/.")
            )
        if not path.startswith("/"):
            path = "/" + path
        if not path.endswith("/"):
            path += "/"
        return page_detail_response(request, url_path=path)


# --- Lists ---------------------------------------------------------------------------


# What a list item's meta says of where its text comes from (the rest is the detail's).
SUMMARY_META = ("requested_locale", "served_locale", "fallback", "api_url")


def page_summary(node: PageNode, type_name: str) -> Document:
    """A list item: the page's node with the fields its type's summary shows."""
    return summary_document(node, schema.SUMMARY_FIELDS[type_name], SUMMARY_META)


class PageListView(ApiView):
    """A paginated list of one page type, served in the requested locale."""

    model: type[Page] = Page
    filters: dict[str, str] = {}  # query parameter → ORM lookup

    def filter_lookups(self, request: Request) -> dict[str, str]:
        """ORM lookups for the filters the request sets, each value checked."""
        lookups = {}
        for param, lookup in self.filters.items():
            value = FILTER_PARAMS[param](request.GET)
            if value is not None:
                lookups[lookup] = value
        return lookups

    def queryset(self, lookups: dict[str, str], locale: str) -> QuerySet:
        return serving_pages(self.model.objects.filter(**lookups), locale_code=locale)

    def get(self, request: Request) -> HttpResponse:
        locale = locale_param(request.GET)
        limit = limit_param(request.GET)
        offset = offset_param(request.GET)
        # Checked before the ETag: a bad filter is a 400, never a 304.
        lookups = self.filter_lookups(request)
        type_name = PAGE_TYPES[self.model]
        fields = fields_param(request.GET, schema.summary_fields(type_name))
        stamp, newest_event, last_modified = list_stamp()
        etag = etag_for(
            type_name, request.GET.urlencode(), locale, stamp, newest_event, limit
        )

        def build() -> bytes:
            queryset = self.queryset(lookups, locale)
            total = queryset.count()
            # SQL selects, filters, orders and pages; each item is its page's node.
            page_ids = list(
                queryset.values_list("pk", flat=True)[offset : offset + limit]
            )
            nodes = listed_page_nodes_build(locale_code=locale, page_ids=page_ids)
            items = [
                choose_fields(page_summary(node, type_name), fields, ALWAYS)
                for node in nodes
            ]
            return document_bytes(
                {
                    "count": total,
                    "limit": limit,
                    "offset": offset,
                    **page_links(request, total=total, limit=limit, offset=offset),
                    "locale": locale,
                    "items": items,
                }
            )

        return conditional_json(
            request,
            etag=etag,
            last_modified=last_modified,
            build=build,
            language=locale,
        )


def list_view(
    model: type[Page],
    *,
    filters: dict[str, str] | None = None,
    filter_help: dict[str, str] | None = None,
    summary: str,
    tag: str,
) -> type[PageListView]:
    params = [LOCALE, FIELDS, LIMIT, OFFSET]
    for name in filters or {}:
        help_text = {**FILTER_HELP, **(filter_help or {})}.get(name, f"{name} slug")
        params.append(OpenApiParameter(name, str, description=help_text))

    class View(PageListView):
        pass

    View.model = model
    View.filters = dict(filters or {})

    # A function of its own per view: extend_schema annotates the function it is
    # given, so decorating the shared PageListView.get would give every list the
    # last view's schema.
    def get(self: PageListView, request: Request) -> HttpResponse:
        return PageListView.get(self, request)

    View.get = extend_schema(  # type: ignore[method-assign]
        summary=summary,
        parameters=params,
        responses={200: schema.page_list_serializer(model), 304: None, **ERRORS},
        tags=[tag],
    )(get)
    View.__name__ = f"{model.__name__}ListView"
    View.__qualname__ = View.__name__
    return View


HandbookListView = list_view(HandbookPage, summary="Handbooks", tag="handbooks")
RecommendationListView = list_view(
    RecommendationPage,
    filters={"topic": "topic__slug", "municipality": "municipalities__slug"},
    filter_help={
        "municipality": (
            "Municipality slug (see /api/v1/municipalities/): only recommendations "
            "that name this town; those meant for the whole district name none "
            "and are left out. An unknown slug is a 400."
        )
    },
    summary="Recommendations for action (Handlungsempfehlungen)",
    tag="recommendations",
)
BestPracticeListView = list_view(
    BestPracticePage,
    filters={"topic": "topic__slug", "municipality": "municipality__slug"},
    summary="Best-practice examples (Praxisbeispiele)",
    tag="best practices",
)
PortraitListView = list_view(
    PortraitPage,
    filters={"municipality": "municipality__slug"},
    summary="Portraits of residents (with web consent only)",
    tag="portraits",
)


# --- Handbook tree -------------------------------------------------------------------


class HandbookTreeView(ApiView):
    @extend_schema(
        summary="The chapter tree of one handbook, every node served in the locale",
        parameters=[LOCALE],
        responses={200: schema.TreeSerializer, 304: None, **ERRORS},
        tags=["handbooks"],
    )
    def get(self, request: Request, page_id: int) -> HttpResponse:
        locale = locale_param(request.GET)
        resolution = page_version_resolve(
            locale_code=locale, page_id=page_id_param(page_id)
        )
        source = resolution.source
        if resolution.served is None or source is None:
            raise ApiError("not_found", _("No public handbook with this id."), 404)
        stamp, newest_event, last_modified = list_stamp()
        etag = etag_for("tree", resolution.cache_key(), newest_event, stamp)

        def build() -> bytes:
            tree = build_content_tree(
                handbook=Page.objects.get(pk=source.id),
                locale_code=locale,
            )
            if tree.root is None:
                raise ApiError("not_found", _("No public handbook with this id."), 404)
            return document_bytes(
                {"locale": locale, "tree": outline_document(tree.root)}
            )

        return conditional_json(
            request,
            etag=etag,
            last_modified=last_modified,
            build=build,
            language=locale,
        )
