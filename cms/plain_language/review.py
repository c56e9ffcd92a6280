"""The Prüfgruppe's review screen: the draft's findings, a comment per finding,
"Freigeben" or "Änderungen anfordern" in one place.

Wagtail's own workflow dialog still works (the same task, the same checks); this
screen is where the dashboard panel and the page header send reviewers.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState

from cms.plain_language.checker import CheckResult
from cms.plain_language.models import PlainLanguageReviewTask
from cms.plain_language.selectors import plain_language_check_page

# The longest comment one finding may get; the whole comment is Wagtail's text.
MAX_COMMENT_CHARS = 2_000


def review_task_state(*, page: Page) -> TaskState | None:
    """The open Prüfgruppe step of ``page``, or None."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return None
    if not isinstance(task_state.task.specific, PlainLanguageReviewTask):
        return None
    return task_state


def review_states_for(*, user: Any) -> list[TaskState]:
    """Prüfgruppe steps waiting for ``user`` (oldest first)."""
    states = []
    for task in PlainLanguageReviewTask.objects.filter(active=True):
        states += list(
            task.get_task_states_user_can_moderate(user)
            .select_related("workflow_state")
            .order_by("started_at")
        )
    return states


def review_comment_compose(
    *, result: CheckResult, general: str, per_finding: dict[int, str]
) -> str:
    """One comment for Wagtail's history: the general remark, then each finding's."""
    parts = [general.strip()] if general.strip() else []
    for index, note in sorted(per_finding.items()):
        if not note.strip() or index >= len(result.findings):
            continue
        finding = result.findings[index]
        parts.append(
            _("Zu „%(sentence)s“ (%(message)s): %(note)s")
            % {
                "sentence": finding.sentence,
                "message": finding.message,
                "note": note.strip()[:MAX_COMMENT_CHARS],
            }
        )
    return "\n\n".join(parts)


def _page_and_state(request: HttpRequest, page_id: int) -> tuple[Page, TaskState]:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404(_("Diese Seite gibt es nicht."))
    page = page.specific
    task_state = review_task_state(page=page)
    if task_state is None:
        raise Http404(_("Diese Seite wartet nicht auf die Prüfgruppe."))
    task = task_state.task.specific
    if not task.get_actions(page, request.user):
        raise Http404(_("Sie gehören nicht zur Prüfgruppe dieser Seite."))
    return page, task_state


def review_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the draft's findings; POST ``action`` = approve / reject, comments."""
    page, task_state = _page_and_state(request, page_id)
    task: PlainLanguageReviewTask = task_state.task.specific
    draft = page.get_latest_revision_as_object()
    result = plain_language_check_page(page=draft)
    error = None
    per_finding: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        per_finding = {
            int(key.removeprefix("finding-")): str(value)
            for key, value in request.POST.items()
            if key.startswith("finding-") and key.removeprefix("finding-").isdigit()
        }
        comment = review_comment_compose(
            result=result,
            general=request.POST.get("comment", ""),
            per_finding=per_finding,
        )
        if action not in {"approve", "reject"}:
            error = _("Wählen Sie „Freigeben“ oder „Änderungen anfordern“.")
        elif action == "approve" and (refusal := task.approval_refusal(page=page)):
            error = refusal
        elif action == "reject" and not comment:
            error = _(
                "Schreiben Sie kurz, was sich ändern soll: allgemein oder bei einem "
                "Befund."
            )
        else:
            task.on_action(task_state, request.user, action, comment=comment)
            title = page.get_admin_display_title()
            if action == "approve":
                messages.success(
                    request,
                    _("„%(title)s“ ist freigegeben.") % {"title": title},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Für „%(title)s“ sind Änderungen angefordert. Die "
                        "Schreiberin oder der Schreiber sieht Ihre Kommentare."
                    )
                    % {"title": title},
                )
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "plain_language/review.html",
        {
            "page": page,
            "draft": draft,
            "task": task,
            "result": result,
            # Typed comments stay in their fields when the decision is refused.
            "items": [
                (finding, per_finding.get(index, ""))
                for index, finding in enumerate(result.findings)
            ],
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
        status=400 if error else 200,
    )


class ReviewPanel(Component):
    """Dashboard panel: pages waiting for the reader's Prüfgruppe."""

    name = "plain_language_review"
    template_name = "plain_language/review_panel.html"
    order = 90

    def __init__(self, *, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        pages = []
        for state in review_states_for(user=self.user):
            page = state.workflow_state.content_object
            if isinstance(page, Page):
                pages.append(
                    {
                        "title": page.get_admin_display_title(),
                        "url": reverse("plain_language_review", args=[page.pk]),
                        "since": state.started_at,
                    }
                )
        return {"pages": pages}
