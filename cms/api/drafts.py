"""The delivery API's preview endpoint: a draft as it would be published.

Serves the website's preview mode: a preview token (minted in the admin, checked in
cms.api.preview) names a page's draft revision, answered private and uncached.
Separate from the published reads because it never has an ETag and never falls
back, and from cms.api.preview so the admin's token minting needs no view code.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ERRORS, ApiView
from cms.api.preview import preview_document_for_token
from exports.content import document_bytes


class PreviewView(ApiView):
    @extend_schema(
        summary="A draft as it would be published, for the website's preview mode",
        parameters=[
            OpenApiParameter("token", str, required=True, description="preview token")
        ],
        responses={
            200: schema.PageDocumentSerializer,
            403: schema.ErrorSerializer,
            **ERRORS,
        },
        tags=["preview"],
    )
    def get(self, request: Request) -> HttpResponse:
        document = preview_document_for_token(request.GET.get("token", ""))
        response = HttpResponse(
            document_bytes(document), content_type="application/json"
        )
        response["Cache-Control"] = "private, no-store"
        return response
