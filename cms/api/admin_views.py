"""Admin side of previews: an editor mints a token and opens the website preview."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.api.preview import preview_token_mint
from cms.errors import error_response
from exports.content import API_PREFIX


def website_preview_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """Mint a preview token; redirect to the website's preview when one is set up.

    Minting may save a revision and hands out a readable link, so it takes a POST
    (CSRF-checked); a GET, what the page header's button is, asks first.
    """
    params = request.POST if request.method == "POST" else request.GET
    wants_json = params.get("format") == "json"
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        if wants_json:
            # A script gets the one error shape (cms.errors), not an HTML page.
            return error_response(403, "permission_denied", _("You may not do this."))
        raise PermissionDenied
    if not settings.WEBSITE_PREVIEW_URL and not wants_json:
        # No website preview to open: an editor's browser gets the built-in
        # preview of the latest draft (nothing minted), not a token as raw JSON.
        return redirect("wagtailadmin_pages:view_draft", page.pk)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "cms/website_preview_confirm.html",
            {
                "page_title": _("Preview on the website"),
                "header_icon": "view",
                "page": page,
                "minutes": settings.API_PREVIEW_TOKEN_SECONDS // 60,
            },
        )
    try:
        token, expires = preview_token_mint(page=page, user=request.user)
    except PermissionError:
        if wants_json:
            return error_response(403, "permission_denied", _("You may not do this."))
        raise PermissionDenied from None
    api_url = request.build_absolute_uri(f"{API_PREFIX}/preview/?token={token}")
    if settings.WEBSITE_PREVIEW_URL and not wants_json:
        return redirect(settings.WEBSITE_PREVIEW_URL.format(token=token))
    return JsonResponse(
        {"token": token, "expires_at": expires.isoformat(), "api_url": api_url}
    )
