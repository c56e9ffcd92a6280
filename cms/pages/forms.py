"""The portrait's admin form: the consent record is chosen here, and only here."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from cms.pages.services import portrait_consent_switch


class PortraitPageForm(WagtailAdminPageForm):
    """A changed consent record applies at once to every locale of the portrait.

    The record is not page content (page revisions never choose it), so the
    choice made here is written to the portrait's rows directly, not through the
    revision. Only users with the consent permission see the field at all.
    """

    def save(self, commit: bool = True):
        page = super().save(commit=False)
        if page.pk and "consent" in self.changed_data:
            portrait_consent_switch(page=page, consent=self.cleaned_data["consent"])
        if commit:
            page.save()
        return page
