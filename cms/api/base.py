"""The base every delivery API view builds on: throttle and OpenAPI parameters.

The delivery API is what the district website reads, in any content locale. Views
stay thin: they check parameters, ask the selectors and exports.content, and answer
through ``conditional_json`` so every read has a strong ETag.

Separate from the view modules (pages, snippets, locales, search, changes, drafts,
artifacts) so each of them imports one shared view class and one vocabulary of
query parameters and error responses, and none imports another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from cms.api import schema
from cms.errors import error_language

LOCALE = OpenApiParameter(
    "locale",
    str,
    enum=[loc.code for loc in settings.WEGWEISER_LOCALES],
    description="Content locale (default de).",
)
FIELDS = OpenApiParameter(
    "fields", str, description="Comma-separated top-level fields to return."
)
LIMIT = OpenApiParameter("limit", int, description="Page size (1 … API_MAX_PAGE_SIZE).")
OFFSET = OpenApiParameter("offset", int, description="Items to skip.")
ERRORS = {
    400: schema.ErrorSerializer,
    404: schema.ErrorSerializer,
    429: schema.ErrorSerializer,
}


class ReadThrottle(AnonRateThrottle):
    scope = "anon_read"


class RememberedNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, its choice remembered per Accept header, format
    and renderers: every read negotiates before its view runs (a 304 too), and
    parsing the header again cost about a tenth of a 304's time in the view."""

    # At most this many different choices are kept: Accept headers are the
    # client's to choose, so the memory they may take is bounded.
    REMEMBERED = 256
    _chosen: ClassVar[dict[tuple[Any, ...], tuple[int, str]]] = {}

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        key = (
            request.META.get("HTTP_ACCEPT", ""),
            format_suffix
            or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE or ""),
            tuple(type(r) for r in renderers),
        )
        chosen = self._chosen.get(key)
        if chosen is not None:
            return renderers[chosen[0]], chosen[1]
        renderer, media_type = super().select_renderer(
            request, renderers, format_suffix
        )
        if len(self._chosen) < self.REMEMBERED:
            self._chosen[key] = (renderers.index(renderer), media_type)
        return renderer, media_type


class ApiView(APIView):
    throttle_classes = [ReadThrottle]
    content_negotiation_class = RememberedNegotiation

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        # Error messages, the API's and DRF's (405, 429 …), in the language the
        # request asks for (cms.errors); documents do not depend on it.
        with translation.override(error_language(request)):
            return super().dispatch(request, *args, **kwargs)
