from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask


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
