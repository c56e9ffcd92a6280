"""Admin hooks: locale scope of the roles, offline files, the translations report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import TranslatableMixin

from cms.translators.selectors import role_locale_codes_for


@hooks.register("before_edit_snippet")
def edit_snippet_in_role_locale_only(request, instance):
    """Keep a translator to the snippet rows of their own locales.

    Page permissions are scoped by locale through each locale's roots; snippet
    permissions are per model, so without this hook a translator for ar could edit
    the German rows. Runs before wagtail-localize's hook of the same name. Denied
    the way Wagtail denies (a 403 to scripts, the dashboard with a message to
    people), with a message that names the locales.
    """
    if not isinstance(instance, TranslatableMixin):
        return None
    codes = role_locale_codes_for(user=request.user)
    if codes is None or instance.locale.language_code in codes:
        return None
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        raise PermissionDenied
    messages.error(
        request,
        _("“%(object)s” is in %(locale)s; your role covers: %(codes)s.")
        % {
            "object": instance,
            "locale": instance.locale.get_display_name(),
            "codes": ", ".join(sorted(codes)),
        },
    )
    return redirect("wagtailadmin_home")
