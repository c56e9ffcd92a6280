"""The delivery API's snippets: glossary terms and the district's municipalities.

Snippets are not pages: they have no tree, no page fallback and no field selection,
so they are served apart from the page views.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ERRORS, LOCALE, ApiView
from cms.api.caching import conditional_json, etag_for
from cms.api.params import locale_param
from cms.api.selectors import list_stamp
from cms.snippets.models import Municipality
from exports.content import (
    document_bytes,
    glossary_term_document,
    glossary_terms_get,
)


class GlossaryView(ApiView):
    @extend_schema(
        summary="Glossary terms with their plain explanation, in the locale",
        parameters=[LOCALE],
        responses={200: schema.GlossarySerializer, 304: None, **ERRORS},
        tags=["glossary"],
    )
    def get(self, request: Request) -> HttpResponse:
        locale = locale_param(request.GET)
        stamp, _, last_modified = list_stamp()

        def build() -> bytes:
            # The glossary a handbook's tree holds in this locale (print's too).
            terms = sorted(glossary_terms_get(locale), key=lambda t: t.slug)
            return document_bytes(
                {
                    "locale": locale,
                    "items": [glossary_term_document(t, locale) for t in terms],
                }
            )

        return conditional_json(
            request,
            etag=etag_for("glossary", locale, stamp),
            last_modified=last_modified,
            build=build,
        )


class MunicipalityListView(ApiView):
    @extend_schema(
        summary="Municipalities of the district that appear in the handbook",
        responses={
            200: schema.MunicipalityListSerializer,
            304: None,
            429: schema.ErrorSerializer,
        },
        tags=["municipalities"],
    )
    def get(self, request: Request) -> HttpResponse:
        stamp, _, last_modified = list_stamp()

        def build() -> bytes:
            items = [
                {"slug": m.slug, "name": m.name, "postal_code": m.postal_code}
                for m in Municipality.objects.order_by("name")
            ]
            return document_bytes({"items": items})

        return conditional_json(
            request,
            etag=etag_for("municipalities", stamp),
            last_modified=last_modified,
            build=build,
        )
