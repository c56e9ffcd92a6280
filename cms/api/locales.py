"""The delivery API's locales: each content locale with fallbacks and coverage.

Separate because it is the one view that asks every channel for what it adds per
locale (``locale_facts``), and describes the locales rather than content in them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from cms.api import schema
from cms.api.base import ApiView
from cms.api.caching import conditional_json, etag_for
from cms.api.selectors import list_stamp, locale_coverage
from exports.channels import channels
from exports.content import document_bytes


class LocaleListView(ApiView):
    @extend_schema(
        summary="Content locales with direction, fallback chain and coverage",
        responses={
            200: schema.LocaleListSerializer,
            304: None,
            429: schema.ErrorSerializer,
        },
        tags=["locales"],
    )
    def get(self, request: Request) -> HttpResponse:
        stamp, newest_event, last_modified = list_stamp()
        coverage = list(locale_coverage())
        # What the channels add per locale (e.g. simple's Leichte Sprache coverage).
        # Computed before the ETag and part of it: a Prüfgruppe approval or a
        # German publish changes a page's status without touching the stamp's
        # inputs in every case (approvals are not content events).
        facts = {c.code: locale_facts(c.code) for c in coverage}

        def build() -> bytes:
            items = [
                {
                    "code": c.code,
                    "name": c.name,
                    "direction": c.direction,
                    "fallbacks": list(c.fallbacks),
                    "is_source": c.is_source,
                    "pages": c.pages,
                    "translated_pages": c.translated,
                    "coverage": c.coverage,
                    **facts[c.code],
                }
                for c in coverage
            ]
            return document_bytes({"items": items})

        return conditional_json(
            request,
            etag=etag_for("locales", stamp, newest_event, document_bytes(facts)),
            last_modified=last_modified,
            build=build,
        )


def locale_facts(locale_code: str) -> dict[str, Any]:
    """What every channel adds to a locale's item, merged in settings order."""
    merged: dict[str, Any] = {}
    for channel in channels().values():
        merged.update(channel.locale_facts(locale_code))
    return merged
