"""Every error the delivery API returns has one JSON shape.

``{"error": {"status": 400, "code": "unknown_locale", "message": "…"}}`` — the
message says what was wrong and what would be right, so the web team needs no
other documentation to fix a request. Messages are English whatever the request's
``Accept-Language`` (the response says so in ``Content-Language``): the API's own
messages and DRF's (405, 429 …) must not arrive in two languages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApiError(exceptions.APIException):
    """A client error with a machine-readable code and a human message."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, status_code: int = 400) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code


# The language of every error message (see the module docstring).
ERROR_LANGUAGE = "en"
SERVER_ERROR_MESSAGE = (
    "The server failed to answer this request; it has been logged. Try again "
    "later, and tell the district's web team if it persists."
)
logger = logging.getLogger(__name__)


def error_body(status_code: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status_code, "code": code, "message": message}}


def server_error_response() -> JsonResponse:
    """The 500 in the documented shape; the cause goes to the log, not the client."""
    response = JsonResponse(
        error_body(500, "server_error", SERVER_ERROR_MESSAGE), status=500
    )
    response["Content-Language"] = ERROR_LANGUAGE
    return response


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, reshaped into the one error format; 500s included."""
    if isinstance(exc, Http404):
        exc = ApiError("not_found", str(exc) or "Not found.", 404)
    response = exception_handler(exc, context)
    if response is None:
        request = context.get("request")
        logger.exception("API request failed: %s", getattr(request, "path", "?"))
        return Response(
            error_body(500, "server_error", SERVER_ERROR_MESSAGE),
            status=500,
            headers={"Content-Language": ERROR_LANGUAGE},
        )
    if isinstance(exc, ApiError):
        code, message = exc.error_code, str(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        code = "throttled"
        wait = getattr(exc, "wait", None)  # set by DRF, absent from its stubs
        message = "Too many requests."
        if wait:
            message = f"Too many requests; retry in {wait:.0f} s."
    else:
        code = getattr(exc, "default_code", "error")
        detail = getattr(exc, "detail", str(exc))
        message = detail if isinstance(detail, str) else str(detail)
    response.data = error_body(response.status_code, code, message)
    response["Content-Language"] = ERROR_LANGUAGE
    return response


def api_not_found_view(
    request: HttpRequest, *args: object, **kwargs: object
) -> JsonResponse:
    """Unknown URLs under /api/ answer in JSON too, not with an HTML page."""
    response = JsonResponse(
        error_body(
            404,
            "unknown_endpoint",
            f"No API endpoint at {request.path}; see /api/v1/schema/ for all.",
        ),
        status=404,
    )
    response["Content-Language"] = ERROR_LANGUAGE
    return response
