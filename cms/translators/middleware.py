"""Guards in front of wagtail-localize's own views: role-scoped users stay in their
locales, and its PO upload only gets files it can import."""

from __future__ import annotations

import contextlib
import os
import tempfile
from functools import partial

import polib
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.localization import get_localized_response
from wagtail.admin.utils import get_valid_next_url_from_request

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


# The header wagtail-localize writes into its PO downloads and reads back on upload.
LOCALIZE_PO_HEADER = "X-WagtailLocalize-TranslationID"


def localize_po_problem(data: bytes) -> str | None:
    """What is wrong with a PO file for wagtail-localize's upload, or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _("The PO file is not UTF-8. Save it as UTF-8 and upload it again.")
    # polib reads a *path* when given a string naming an existing file, so the
    # upload goes through a file of its own, removed whatever happens.
    fd, path = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        po = polib.pofile(path, encoding="utf-8")
    except (OSError, ValueError):
        return _(
            "The PO file cannot be read. Download the file for this translation "
            "again and copy your translations into it."
        )
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    if not po.metadata.get(LOCALIZE_PO_HEADER):
        return _(
            "This PO file has no header naming its translation (it was not "
            "downloaded from this translation, or the header was removed). "
            "Download the file for this translation again and copy your "
            "translations into it."
        )
    return None


class LocalizePoUploadGuardMiddleware:
    """Checks an upload to wagtail-localize's own PO import before its view runs.

    The view reads any size into a temporary file and answers 500 (leaving the file
    behind) for a PO without its header; here such uploads get an admin message and
    go back to the editor, and the view only sees files it can import.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or not request.user.is_authenticated
        ):
            return None
        if match.view_name != "wagtail_localize:upload_pofile":
            return None
        # In the user's admin language, like the view's own messages.
        return get_localized_response(self._refusal, request)

    def _refusal(self, request):
        problem = self._problem(request)
        if problem is None:
            return None
        messages.error(request, problem)
        return redirect(
            get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
        )

    @staticmethod
    def _problem(request) -> str | None:
        limit = settings.MAX_PO_UPLOAD_BYTES
        megabytes = f"{limit / 2**20:.0f}"
        too_large = _(
            "The PO file is too large: at most %(megabytes)s MB are accepted."
        ) % {"megabytes": megabytes}
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + 64 * 1024:  # the form's other fields and boundaries
            return too_large
        upload = request.FILES.get("file")
        if upload is None:
            return _("Choose a PO file to upload.")
        if upload.size > limit:
            return too_large
        problem = localize_po_problem(upload.read())
        upload.seek(0)
        return problem
