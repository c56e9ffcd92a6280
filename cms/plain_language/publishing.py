"""Publishing de-x-ls pages only through the Prüfgruppe (admin hooks call this).

Wagtail lets anyone with publish permission bypass a workflow, and
wagtail-localize's translation editor publishes directly. For pages under the
"Leichte Sprache" workflow both "Publish" buttons become "submit to the
Prüfgruppe": nothing typed is lost, and the page goes live only when the group
approves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page

from cms.locales import SIMPLE_LOCALE
from cms.plain_language.models import PlainLanguageReviewTask
from cms.plain_language.selectors import (
    synced_translation_get,
)


def page_needs_review(*, page: Page) -> bool:
    """Whether ``page`` is published through a Prüfgruppe step."""
    if page.locale.language_code != SIMPLE_LOCALE:
        return False
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return False
    return PlainLanguageReviewTask.objects.filter(
        workflow_tasks__workflow=workflow, active=True
    ).exists()


def publish_request_divert(*, request: HttpRequest, page: Page) -> HttpResponse | None:
    """Turn a publish request for a reviewed de-x-ls page into a submission.

    Page editor: the POST's "action-publish" becomes "action-submit" and Wagtail's
    edit view carries on. Translation editor (synced translations): the translation
    is saved as a draft and the workflow started here.
    """
    if request.method != "POST" or not page_needs_review(page=page):
        return None
    if request.POST.get("action-publish"):
        post = request.POST.copy()
        del post["action-publish"]
        post["action-submit"] = "1"
        request.POST = post  # type: ignore[assignment]
        return None
    if request.POST.get("action") != "publish":
        return None
    translation = synced_translation_get(page=page)
    if translation is None:
        return None
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    try:
        translation.save_target(user=request.user, publish=False)
    except ValidationError as exc:
        messages.error(
            request,
            _("Der Entwurf konnte nicht gespeichert werden: %(error)s")
            % {"error": "; ".join(exc.messages)},
        )
        return redirect(edit_url)
    page = Page.objects.get(pk=page.pk).specific
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == "needs_changes":
        workflow_state.resume(request.user)
    elif workflow_state is None:
        page.get_workflow().start(page, request.user)
    messages.success(
        request,
        _(
            "„%(title)s“ ist an die Prüfgruppe Leichte Sprache geschickt. Die Seite "
            "wird veröffentlicht, wenn die Prüfgruppe sie freigibt."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect(edit_url)
