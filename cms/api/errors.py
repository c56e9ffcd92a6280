"""Every error the delivery API returns has one JSON shape, in the asked language.

``{"error": {"status": 400, "code": "unknown_locale", "message": "…"}}`` — the
message says what was wrong and what would be right, so the web team needs no
other documentation to fix a request. The shape and the choice of language live
in ``cms.errors`` (the admin's JSON endpoints share them): the message follows the
request's ``Accept-Language`` among the content locales, English when it names
none; ``Content-Language`` says which. ``code`` never changes with the language.

DRF's own messages (405, 429 …) are replaced here by the API's, so no error
arrives in DRF's wording or in a language DRF happens to have.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cms.errors import (
    error_body,
    error_language,
    error_language_mark,
    error_response,
)


class ApiError(exceptions.APIException):
    """A client error with a machine-readable code and a human message (written
    in the active language: views run under the request's error language)."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, status_code: int = 400) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code


SERVER_ERROR_MESSAGE = gettext_lazy(
    "The server failed to answer this request; it has been logged. Try again "
    "later, and tell the district's web team if it persists."
)
logger = logging.getLogger(__name__)


def server_error_response(request: HttpRequest) -> JsonResponse:
    """The 500 in the documented shape; the cause goes to the log, not the client."""
    with translation.override(error_language(request)):
        return error_response(500, "server_error", str(SERVER_ERROR_MESSAGE))


def _drf_message(exc: exceptions.APIException, request: Any, response: Response) -> str:
    """The API's own words for the errors DRF raises itself."""
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)  # set by DRF, absent from its stubs
        if wait:
            return _("Too many requests; retry in %(seconds)s s.") % {
                "seconds": f"{wait:.0f}"
            }
        return _("Too many requests.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("The method %(method)s is not allowed here; allowed: %(allowed)s.") % {
            "method": getattr(request, "method", "") or "?",
            "allowed": response.get("Allow", "GET, HEAD, OPTIONS"),
        }
    if isinstance(exc, exceptions.NotFound):
        return _("Nothing was found at this address.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("This resource is available as application/json only.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("The request body has a media type this API does not read.")
    if isinstance(exc, exceptions.ParseError):
        return _("The request body could not be read.")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return _("This needs authentication.")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("You may not do this.")
    detail = getattr(exc, "detail", str(exc))
    return detail if isinstance(detail, str) else str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, reshaped into the one error format; 500s included.

    ApiView.dispatch already runs in the request's error language (so the API's
    own messages are written in it); views that are no ApiView, such as the
    schema's, get it here.
    """
    request = context.get("request")
    language = error_language(request) if request is not None else None
    with translation.override(language or translation.get_language()):
        return _error_reshaped(exc, context)


def _error_reshaped(exc: Exception, context: dict) -> Response | None:
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = ApiError("not_found", _("Nothing was found at this address."), 404)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed: %s", getattr(request, "path", "?"))
        response = Response(
            error_body(500, "server_error", str(SERVER_ERROR_MESSAGE)), status=500
        )
    elif isinstance(exc, ApiError):
        response.data = error_body(
            response.status_code, exc.error_code, str(exc.detail)
        )
    elif isinstance(exc, exceptions.APIException):
        code = str(getattr(exc, "default_code", None) or "error")
        message = _drf_message(exc, request, response)
        response.data = error_body(response.status_code, code, message)
    error_language_mark(response)
    return response


def api_not_found_view(
    request: HttpRequest, *args: object, **kwargs: object
) -> JsonResponse:
    """Unknown URLs under /api/ answer in JSON too, not with an HTML page."""
    with translation.override(error_language(request)):
        return error_response(
            404,
            "unknown_endpoint",
            _("No API endpoint at %(path)s; see /api/v1/schema/ for all.")
            % {"path": request.path},
        )
