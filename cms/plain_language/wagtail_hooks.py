"""Admin hooks: the live checker panel in the page editor, the check endpoint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.staticfiles import versioned_static
from wagtail.models import Page

from cms.plain_language.publishing import page_needs_review, publish_request_divert
from cms.plain_language.review import ReviewPanel, review_view
from cms.plain_language.views import plain_language_check_view


class SubmitForReviewMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to Leichte Sprache", named for what it does."""

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page is not None else None
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Erneut zur Prüfung einreichen")
        else:
            context["label"] = _("Zur Prüfung einreichen")
        return context


# Before wagtail-localize's hook, which serves its translation editor (and its
# publish action) on the same URL.
@hooks.register("before_edit_page", order=-10)
def divert_publish_to_review(request: HttpRequest, page: Page) -> HttpResponse | None:
    return publish_request_divert(request=request, page=page)


@hooks.register("construct_page_action_menu")
def hide_publish_for_reviewed_pages(
    menu_items: list[Any], request: HttpRequest, context: dict[str, Any]
) -> None:
    page = context.get("page")
    if page is not None and page.pk and page_needs_review(page=page):
        menu_items[:] = [
            SubmitForReviewMenuItem(order=item.order)
            if item.name == "action-submit"
            else item
            for item in menu_items
            if item.name != "action-publish"
        ]


@hooks.register("construct_homepage_panels")
def plain_language_review_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.insert(0, ReviewPanel(user=request.user))


@hooks.register("register_admin_urls")
def register_plain_language_urls() -> list[URLPattern]:
    return [
        path(
            "plain-language/check/",
            plain_language_check_view,
            name="plain_language_check",
        ),
        path(
            "plain-language/review/<int:page_id>/",
            review_view,
            name="plain_language_review",
        ),
    ]


@hooks.register("insert_editor_js")
def plain_language_panel_js() -> str:
    # The script asks the endpoint first; for pages outside de-x-ls the endpoint
    # answers {"applies": false} and no panel is shown.
    config = {
        "url": reverse("plain_language_check"),
        "debounceMs": 400,
        "strings": {
            "heading": _("Leichte Sprache: Prüfung"),
            "clean": _("Keine Befunde. Gut gemacht!"),
            "summary": _(
                "Befunde: {findings} in {flagged} von {sentences} Sätzen · "
                "Lesbarkeit (Flesch, Amstad): {flesch} · Wörter pro Satz: {mean}"
            ),
            "failed": _("Die Prüfung hat nicht geklappt:"),
            "error": _("Fehler"),
            "warning": _("Hinweis"),
            "field": _("Feld: {field}"),
            "otherField": _("Weitere Felder"),
            "show": _("Im Text zeigen"),
            "submit": _("Zur Prüfung einreichen"),
            "review": _("Prüfen und freigeben"),
            "collapse": _("Einklappen"),
            "expand": _("Aufklappen"),
        },
    }
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(config, "plain-language-config"),
        versioned_static("plain_language/panel.js"),
    )
