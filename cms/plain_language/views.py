"""The admin panel's endpoint: POST the text being edited, get the findings."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from cms.errors import error_response
from cms.locales import SIMPLE_LOCALE
from cms.plain_language.checker import german_number
from cms.plain_language.publishing import page_needs_review
from cms.plain_language.review import review_task_state
from cms.plain_language.selectors import (
    plain_language_check_text,
    translation_reader_text,
)

# A long handbook page has about 30,000 characters; this leaves room and keeps a
# request from tying up the worker.
MAX_TEXT_CHARS = 100_000


def _error(message: str, status: int, code: str) -> JsonResponse:
    """The one error shape of cms.errors, in the editor's admin language."""
    return error_response(status, code, message)


@require_POST
def plain_language_check_view(request: HttpRequest) -> JsonResponse:
    """Check ``{"text": …, "page_id": …}``; only pages in de-x-ls are checked.

    Registered as an admin URL (Wagtail requires admin access); Django's CSRF
    middleware protects the POST.
    """
    if len(request.body) > MAX_TEXT_CHARS * 4:
        return _error(
            _(
                "Der Text ist zu lang für die Prüfung (höchstens %(limit)s "
                "Zeichen). Teilen Sie die Seite auf."
            )
            % {"limit": german_number(MAX_TEXT_CHARS)},
            413,
            "text_too_long",
        )
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise TypeError
        # The translation editor sends no text: its segments are read from the
        # database, where it saves each one, except those being edited.
        text = "" if payload.get("source") == "translation" else payload["text"]
        if not isinstance(text, str):
            raise TypeError
        # Segments open in the translation editor: [{"source": …, "text": …}].
        editing = {
            str(item["source"]): str(item["text"])
            for item in payload.get("editing") or []
        }
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _error(
            _('Erwartet wird JSON mit dem Feld "text" (eine Zeichenkette).'),
            400,
            "invalid_request",
        )
    if len(text) > MAX_TEXT_CHARS:
        return _error(
            _(
                "Der Text ist zu lang für die Prüfung (höchstens %(limit)s "
                "Zeichen). Teilen Sie die Seite auf."
            )
            % {"limit": german_number(MAX_TEXT_CHARS)},
            413,
            "text_too_long",
        )
    page_id = payload.get("page_id")
    locale = None
    page = None
    if page_id is not None:
        page = Page.objects.filter(pk=page_id).select_related("locale").first()
        if page is None or not _may_open_editor(request, page):
            return _error(
                _("Diese Seite gibt es nicht, oder Sie dürfen sie nicht bearbeiten."),
                404,
                "page_not_found",
            )
        if page.locale.language_code != SIMPLE_LOCALE:
            return JsonResponse({"applies": False})
        locale = page.locale
        if payload.get("source") == "translation":
            text = translation_reader_text(page=page, editing=editing) or ""
    result = plain_language_check_text(text=text, locale=locale)
    answer: dict[str, Any] = {"applies": True, **result.as_dict()}
    if page is not None:
        answer["review"] = _review_status(request, page)
    return JsonResponse(answer)


def _may_open_editor(request: HttpRequest, page: Page) -> bool:
    # Writers edit; the Prüfgruppe opens the editor while the page is on its step.
    if page.permissions_for_user(request.user).can_edit():
        return True
    state = review_task_state(page=page)
    return state is not None and bool(
        state.task.specific.user_can_access_editor(page, request.user)
    )


def _review_status(request: HttpRequest, page: Page) -> dict[str, Any]:
    # For the editor's header: is the page with the Prüfgruppe, may this user
    # review it, where is the review screen.
    page = page.specific
    state = review_task_state(page=page)
    status: dict[str, Any] = {
        "needs_review": page_needs_review(page=page),
        "in_review": state is not None,
        "label": _("In Prüfung (Prüfgruppe Leichte Sprache)") if state else "",
    }
    if state is not None and state.task.specific.get_actions(page, request.user):
        status["review_url"] = reverse("plain_language_review", args=[page.pk])
    return status
