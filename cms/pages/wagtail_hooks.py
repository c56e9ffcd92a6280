"""Admin registration of portrait consent records."""

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_columns import YesNoColumn
from cms.pages.models import PortraitConsent, consent_in_force


def consent_state_label(consent: PortraitConsent) -> str:
    """The consent's state today, in words for the office: "valid", "withdrawn on
    3 March 2026" or, for a withdrawal dated in the future, "withdrawn as of …"."""
    if consent.withdrawn_on is None:
        return gettext("valid")
    day = date_format(consent.withdrawn_on)
    if consent_in_force(withdrawn_on=consent.withdrawn_on):
        return gettext("withdrawn as of %(date)s") % {"date": day}
    return gettext("withdrawn on %(date)s") % {"date": day}


def _channel_column(channel: str) -> YesNoColumn:
    # What the channel may show today: a withdrawn consent is "No" everywhere,
    # whatever the signed form once allowed (the state column says why).
    return YesNoColumn(
        channel,
        label=PortraitConsent._meta.get_field(channel).verbose_name,
        accessor=lambda consent: consent.permits(channel),
        sort_key=channel,
    )


class PortraitConsentViewSet(SnippetViewSet):
    """Consent records: who agreed to which channel, and withdrawals."""

    model = PortraitConsent
    icon = "lock"
    menu_label = _("Portrait consents")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "reference",
        _channel_column("web"),
        _channel_column("print"),
        _channel_column("simple"),
        "given_on",
        Column(
            "state",
            label=_("Status"),
            accessor=consent_state_label,
            sort_key="withdrawn_on",
        ),
    ]
    list_filter = ["web", "print", "simple"]


register_snippet(PortraitConsentViewSet)
