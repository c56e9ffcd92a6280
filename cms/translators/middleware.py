"""Keeps role-scoped users to their locales in wagtail-localize's own views."""

from __future__ import annotations

from functools import partial

from wagtail.admin.localization import get_localized_response

from cms.translators.scope import locale_action_for, locales_refused_for
from cms.translators.views import locale_refused_view


class TranslatorLocaleScopeMiddleware:
    """Answer 403 when a request acts on a locale the user's role doesn't cover.

    Runs before the view (after authentication), so wagtail-localize's views need no
    patching; which URLs are checked, and how, is in :mod:`cms.translators.scope`.
    The answer is in the user's admin language, like every admin view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None  # Wagtail sends the visitor to the login page.
        action = locale_action_for(match=request.resolver_match, request=request)
        if action is None:
            return None
        refused = locales_refused_for(user=request.user, action=action)
        if not refused:
            return None
        return get_localized_response(
            partial(locale_refused_view, refused=refused), request
        )
