"""The delivery API's files: every channel's current artifacts, listed and served.

Generic over channels: a file is served at ``artifacts/<channel>/<locale>.<ext>``
with the extension of its media type (``print/ar.pdf``, ``epub/de.epub``), its
SHA-256 as a strong ETag, and a JSON 404 while there is none. A channel whose
file is a set (audio: one file per page) serves its parts at
``artifacts/<channel>/<locale>/<name>`` while the current artifact lists them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ERRORS, LOCALE, ApiView
from cms.api.caching import conditional_json, etag_for, etag_matches
from cms.api.errors import ApiError
from cms.api.params import locale_param
from exports.artifacts import (
    artifact_current,
    artifact_file,
    artifact_filename,
    artifact_item,
    artifact_part_get,
    artifacts_current,
    artifacts_stamp,
)
from exports.content import document_bytes


class ArtifactListView(ApiView):
    @extend_schema(
        summary="Exported files per channel and locale (print PDFs, …)",
        parameters=[LOCALE],
        responses={200: schema.ArtifactListSerializer, 304: None, **ERRORS},
        tags=["artifacts"],
    )
    def get(self, request: Request) -> HttpResponse:
        locale = request.GET.get("locale")
        if locale:
            locale = locale_param(request.GET)
        # The newest artifact id moves whenever any channel's file becomes current.
        stamp = artifacts_stamp()
        current = list(artifacts_current(locale=locale or None))
        last_modified = max((a.built_at for a in current), default=None)
        items = [artifact_item(artifact) for artifact in current]
        return conditional_json(
            request,
            etag=etag_for("artifacts", locale, stamp),
            last_modified=last_modified,
            build=lambda: document_bytes({"items": items}),
        )


class ArtifactDownloadView(ApiView):
    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[Any, str]:
        # The body is a file, not rendered JSON: "Accept: application/pdf" is fine.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download the current file of a channel in a locale",
        operation_id="artifact_download",
        parameters=[
            OpenApiParameter(
                "channel",
                str,
                OpenApiParameter.PATH,
                description="Channel name as /api/v1/artifacts/ lists it (print).",
            ),
            OpenApiParameter(
                "locale",
                str,
                OpenApiParameter.PATH,
                enum=[loc.code for loc in settings.WEGWEISER_LOCALES],
                description="Content locale of the file.",
            ),
            OpenApiParameter(
                "ext",
                str,
                OpenApiParameter.PATH,
                description="Extension of the file's media type (pdf, epub, …).",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            304: None,
            **ERRORS,
        },
        tags=["artifacts"],
    )
    def get(
        self, request: Request, channel: str, locale: str, ext: str
    ) -> HttpResponseBase:
        artifact = artifact_current(channel=channel, locale=locale)
        path = artifact_file(artifact) if artifact else None
        if (
            artifact is None
            or artifact.extension != ext
            or path is None
            or not path.exists()
        ):
            raise ApiError(
                "not_found",
                _(
                    "No %(channel)s file for locale %(locale)s as .%(ext)s yet; "
                    "/api/v1/artifacts/ lists the files there are."
                )
                % {"channel": repr(channel), "locale": repr(locale), "ext": ext},
                404,
            )
        etag = quote_etag(artifact.sha256)
        if etag_matches(request, etag):
            response: HttpResponseBase = HttpResponse(status=304)
        else:
            response = FileResponse(
                path.open("rb"),
                content_type=artifact.media_type,
                as_attachment=request.GET.get("inline") is None,
                filename=artifact_filename(artifact),
            )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(artifact.built_at.timestamp())
        response["Cache-Control"] = settings.API_CACHE_CONTROL
        return response


class ArtifactPartView(ApiView):
    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[Any, str]:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download one file of a channel's current set (a page's audio, …)",
        operation_id="artifact_part_download",
        parameters=[
            OpenApiParameter("channel", str, OpenApiParameter.PATH),
            OpenApiParameter(
                "locale",
                str,
                OpenApiParameter.PATH,
                enum=[loc.code for loc in settings.WEGWEISER_LOCALES],
            ),
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                description="File name as the page document or manifest lists it.",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            304: None,
            **ERRORS,
        },
        tags=["artifacts"],
    )
    def get(
        self, request: Request, channel: str, locale: str, name: str
    ) -> HttpResponseBase:
        part = artifact_part_get(channel=channel, locale=locale, name=name)
        if part is None:
            raise ApiError(
                "not_found",
                _(
                    "No file %(name)s in the current %(channel)s set for locale "
                    "%(locale)s; page documents list the current files."
                )
                % {
                    "name": repr(name),
                    "channel": repr(channel),
                    "locale": repr(locale),
                },
                404,
            )
        etag = quote_etag(part.sha256 or part.artifact.sha256)
        if etag_matches(request, etag):
            response: HttpResponseBase = HttpResponse(status=304)
        else:
            response = FileResponse(part.path.open("rb"), content_type=part.media_type)
        response["ETag"] = etag
        response["Cache-Control"] = settings.API_CACHE_CONTROL
        return response
