"""Request-level protections every response shares: the body cap and client address.

Separate from the views because they apply around every view: a body too large
is refused before Django reads it, the login lockout (django-axes) needs the
client's address as the API throttle counts it, and every response carries the
Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.errors import error_language, error_response


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind ``API_NUM_PROXIES`` proxies, the address the
    outermost of them saw (the same rule as DRF's throttle), else REMOTE_ADDR."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def login_locked_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' lockout answer: a page that says in German what happened."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = TemplateResponse(
        request,
        "cms/login_locked.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body exceeds ``MAX_REQUEST_BODY_BYTES``.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file uploads out, so without this a
    client could stream any amount to a temporary file (wagtail-localize's PO upload
    did). Checked on Content-Length before anything reads the body; a body without
    one is cut off at the limit by ``LimitedStream`` in Django's WSGI handler only
    when the server sets CONTENT_LENGTH, so the proxy must refuse chunked uploads
    beyond the same size.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return self.refused(request, length, limit)
        return self.get_response(request)

    @staticmethod
    def refused(request: HttpRequest, length: int, limit: int) -> HttpResponse:
        megabytes = f"{limit / 2**20:.0f}"
        if request.path.startswith("/api/"):
            with translation.override(error_language(request)):
                return error_response(
                    413,
                    "body_too_large",
                    _(
                        "The request body is %(length)s bytes; at most %(limit)s "
                        "are taken."
                    )
                    % {"length": length, "limit": limit},
                )
        message = _(
            "The upload is too large: at most %(megabytes)s MB are accepted. "
            "Make the file smaller and try again."
        ) % {"megabytes": megabytes}
        response = HttpResponse(message, status=413, content_type="text/plain")
        # The connection still carries the unread body.
        response["Connection"] = "close"
        return response


# What a view sets on its response to change django-csp's policy for it
# (csp.decorators), report-only included.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{part}{suffix}"
    for part in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


@cache
def _settings_policy() -> dict[str, str]:
    """The headers the settings' policies give a response that changes nothing,
    or {} when a policy excludes URL prefixes (then django-csp decides per path)."""
    policies = [
        getattr(settings, "CONTENT_SECURITY_POLICY", None) or {},
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {},
    ]
    if any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies):
        return {}
    headers = {
        HEADER: build_policy(),
        HEADER_REPORT_ONLY: build_policy(report_only=True),
    }
    return {name: value for name, value in headers.items() if value}


@receiver(setting_changed)
def _settings_policy_forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()


class PolicyOnceCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once.

    django-csp builds both headers from the settings on every response: about a
    sixth of the time of an API 304. Most responses change nothing about the
    policy (no decorator, no nonce), so they get the headers built once from the
    settings; a response that does, or a debug error page, goes through
    django-csp unchanged.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        headers = _settings_policy()
        if (
            not headers
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for name, value in headers.items():
            if name not in response:
                response[name] = value
        # As django-csp does: asking for a nonce now is an error, not a silent
        # nonce missing from the header already sent.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
