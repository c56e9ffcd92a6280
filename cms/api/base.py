"""The base every delivery API view builds on: throttle and OpenAPI parameters.

The delivery API is what the district website reads, in any content locale. Views
stay thin: they check parameters, ask the selectors and exports.content, and answer
through ``conditional_json`` so every read has a strong ETag.

Separate from the view modules (pages, snippets, locales, search, changes, drafts,
artifacts) so each of them imports one shared view class and one vocabulary of
query parameters and error responses, and none imports another.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter
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


class ApiView(APIView):
    throttle_classes = [ReadThrottle]

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        # Error messages, the API's and DRF's (405, 429 …), in the language the
        # request asks for (cms.errors); documents do not depend on it.
        with translation.override(error_language(request)):
            return super().dispatch(request, *args, **kwargs)
