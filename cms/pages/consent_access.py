"""Who may see consent records: only those with the consent permission.

Wagtail checks its snippet views itself, but two ways to list the records ask
for nothing beyond admin access: the snippet chooser (the portrait's consent
field uses it) and wagtail-localize's snippet API (its translation editor reads
snippets through it). This middleware closes both for ``PortraitConsent``: a
user without ``pages.view_portraitconsent`` or ``pages.change_portraitconsent``
gets 403, whatever the URL's query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

# The permission that lets a user choose and change a portrait's consent record.
CONSENT_CHANGE_PERMISSION = "pages.change_portraitconsent"
CONSENT_READ_PERMISSIONS = ("pages.view_portraitconsent", CONSENT_CHANGE_PERMISSION)
# The chooser's URL names all live in this namespace.
CHOOSER_NAMESPACE = "wagtailsnippetchoosers_pages_portraitconsent"
LOCALIZE_SNIPPET_API = (
    "wagtail_localize:snippets_api_listing",
    "wagtail_localize:snippets_api_detail",
)


def may_read_consent(user) -> bool:
    """Whether ``user`` may list and read consent records."""
    return any(user.has_perm(p) for p in CONSENT_READ_PERMISSIONS)


def reads_consent_records(request: HttpRequest) -> bool:
    """Whether the request lists or reads consent records outside their views."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.namespace == CHOOSER_NAMESPACE:
        return True
    return (
        match.view_name in LOCALIZE_SNIPPET_API
        and match.kwargs.get("app_label") == "pages"
        and match.kwargs.get("model_name") == "portraitconsent"
    )


class ConsentRecordsMiddleware:
    """403 for consent records read through the chooser or wagtail-localize's
    snippet API by a user without the consent permission."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info.startswith("/admin/")
            and reads_consent_records(request)
            and not may_read_consent(request.user)
        ):
            raise PermissionDenied("Einwilligungen sehen nur Berechtigte.")
        return self.get_response(request)
