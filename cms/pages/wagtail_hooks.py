"""Admin registration of portrait consent records."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.pages.models import PortraitConsent


class PortraitConsentViewSet(SnippetViewSet):
    """Consent records: who agreed to which channel, and withdrawals."""

    model = PortraitConsent
    icon = "lock"
    menu_label = _("Portrait consents")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["reference", "web", "print", "simple", "given_on", "withdrawn_on"]
    list_filter = ["web", "print", "simple"]


register_snippet(PortraitConsentViewSet)
