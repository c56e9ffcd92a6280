"""The one JSON error shape of every endpoint a program reads, and its language.

``{"error": {"status": 400, "code": "unknown_locale", "message": "…"}}`` — the
delivery API (cms.api) and the admin's JSON endpoints (the plain-language check,
the translation editor's refusals) answer alike. ``code`` is stable English for
programs; ``message`` is for the person reading it, and ``Content-Language`` says
which language it is written in.

Which language: the delivery API follows the request's ``Accept-Language`` among
the configured content locales, and answers in English to a client that names
none of them (a server-side fetch sends no Accept-Language; the codes, the schema
and the web team's documentation are English, so English is what such a client's
log should show, not the source language German). The admin's endpoints answer in
the editor's admin language, like the admin around them.

Here, below cms.api and the admin apps, so both build the same body.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

# The language of an API error when Accept-Language names no content locale.
ERROR_FALLBACK_LANGUAGE = "en"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The documented error object."""
    return {"error": {"status": status, "code": code, "message": message}}


def error_response(status: int, code: str, message: str) -> JsonResponse:
    """The error as a JSON response, marked with the active language (the one the
    message was written in: build it under the same ``translation.override``)."""
    response = JsonResponse(error_body(status, code, message), status=status)
    error_language_mark(response)
    return response


def error_language_mark(response: HttpResponseBase) -> None:
    """``Content-Language`` of the message, and ``Vary: Accept-Language``: a shared
    cache that keeps a 404 (heuristically cacheable) must not hand one client's
    language to another."""
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    patch_vary_headers(response, ["Accept-Language"])


def error_language(request: HttpRequest) -> str:
    """The content locale ``Accept-Language`` prefers, else English.

    ``de-AT`` counts as ``de``; Leichte Sprache (``de-x-ls``) only when asked
    for by its code. ``*`` and languages that are no content locale are skipped.
    """
    codes = {locale.code.lower(): locale.code for locale in settings.WEGWEISER_LOCALES}
    codes.setdefault(ERROR_FALLBACK_LANGUAGE, ERROR_FALLBACK_LANGUAGE)
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for language, quality in parse_accept_lang_header(header):
        if quality <= 0:
            continue
        tag = language.lower()
        if tag in codes:
            return codes[tag]
        if tag.split("-")[0] in codes:
            return codes[tag.split("-")[0]]
    return ERROR_FALLBACK_LANGUAGE
