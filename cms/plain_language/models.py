from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page, TaskState


class PlainLanguageReviewTask(GroupApprovalTask):
    """The "Prüfgruppe" step: people of the target group approve a de-x-ls page.

    The reviewer sees the rules checker's result; with ``max_findings`` set, a page
    with more findings cannot be approved (and so not published).
    """

    max_findings = models.PositiveIntegerField(
        _("höchstens Befunde"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, um nie zu sperren."),
    )

    admin_form_fields = [*GroupApprovalTask.admin_form_fields, "max_findings"]

    class Meta:
        verbose_name = _("Prüfgruppe (Leichte Sprache)")
        verbose_name_plural = _("Prüfgruppen (Leichte Sprache)")

    def approval_refusal(self, *, page: Page) -> str | None:
        """Why ``page`` (its latest revision) may not be approved, or None."""
        if self.max_findings is None:
            return None
        from cms.plain_language.checker import german_number
        from cms.plain_language.selectors import plain_language_check_page

        draft = page.get_latest_revision_as_object()
        found = len(plain_language_check_page(page=draft).findings)
        if found <= self.max_findings:
            return None
        return gettext(
            "Freigabe nicht möglich: Befunde der Prüfung: %(found)s, erlaubt sind "
            "höchstens %(allowed)s. Fordern Sie Änderungen an; die Schreiberin "
            "oder der Schreiber vereinfacht den Text und reicht ihn neu ein."
        ) % {"found": german_number(found), "allowed": german_number(self.max_findings)}

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not super().get_actions(obj, user):
            return []
        # One approval, always through the dialog that shows the checker's result
        # and refuses when there are too many findings. The workflow views ask for
        # the actions (with the page) before they validate the form, on the same
        # task instance: the form's check reads the page from here.
        self._page_under_review = obj
        return [
            ("reject", gettext("Änderungen anfordern"), True),
            ("approve", gettext("Freigeben"), True),
        ]

    def get_form_for_action(self, action: str) -> type[forms.Form]:
        if action != "approve":
            return super().get_form_for_action(action)
        from wagtail.forms import TaskStateCommentForm

        task = self

        class ApproveForm(TaskStateCommentForm):
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                page = getattr(task, "_page_under_review", None)
                if page is not None:
                    refusal = task.approval_refusal(page=page)
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ApproveForm

    def get_template_for_action(self, action: str) -> str:
        if action == "approve":
            return "plain_language/approve_modal.html"
        return super().get_template_for_action(action)

    def on_action(
        self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any
    ) -> Any:
        # A second guard for approvals that do not come through the modal form.
        if action_name == "approve":
            page = task_state.revision.content_object
            if isinstance(page, Page) and self.approval_refusal(page=page):
                return None
        return super().on_action(task_state, user, action_name, **kwargs)
