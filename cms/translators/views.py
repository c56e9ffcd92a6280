"""Admin views of the translators' workflow: offline files and the report.

Views stay thin: they check permissions, call a selector or a service and turn
the outcome into a response or a message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page

from cms.translators.offline import (
    SCOPES,
    OfflineFileError,
    bundle_to_po,
    bundle_to_xliff,
)
from cms.translators.selectors import offline_bundle_for, offline_translations_for
from cms.translators.services import offline_file_import

MAX_UPLOAD_BYTES = 5 * 2**20
FORMATS = {
    "po": ("text/x-gettext-translation; charset=utf-8", "po"),
    "xliff": ("application/xliff+xml; charset=utf-8", "xlf"),
}


def _translated_page_for(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def offline_view(request, page_id: int):
    """Download links and the upload form for one translated page."""
    page = _translated_page_for(request, page_id)
    translations = offline_translations_for(page=page, scope="chapter")
    return TemplateResponse(
        request,
        "translators/offline.html",
        {
            "page": page,
            "page_title": _("Offline translation"),
            "header_icon": "download",
            "has_translation": any(
                t.source.object_id == page.translation_key for t in translations
            ),
            "descendant_count": len(translations) - 1,
            "max_upload_mb": MAX_UPLOAD_BYTES // 2**20,
        },
    )


def offline_download_view(request, page_id: int):
    """A PO or XLIFF file of the page (``scope=page``) or chapter (``chapter``)."""
    page = _translated_page_for(request, page_id)
    file_format = request.GET.get("format", "po")
    scope = request.GET.get("scope", "page")
    if file_format not in FORMATS or scope not in SCOPES:
        raise Http404
    bundle = offline_bundle_for(page=page, scope=scope)
    if not bundle.parts:
        raise Http404("this page has no translation to download")
    if file_format == "po":
        body: str | bytes = bundle_to_po(
            bundle, created_at=timezone.now().strftime("%Y-%m-%d %H:%M%z")
        )
    else:
        body = bundle_to_xliff(bundle)
    content_type, extension = FORMATS[file_format]
    response = HttpResponse(body, content_type=content_type)
    name = f"{slugify(page.slug)}-{scope}-{page.locale.language_code}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def offline_upload_view(request, page_id: int):
    """Import an uploaded file; every refusal is a message, never a 500."""
    page = _translated_page_for(request, page_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a PO or XLIFF file to upload."))
    elif upload.size > MAX_UPLOAD_BYTES:
        messages.error(
            request,
            _("The file is larger than %(mb)s MB; nothing was imported.")
            % {"mb": MAX_UPLOAD_BYTES // 2**20},
        )
    else:
        try:
            result = offline_file_import(
                page=page, user=request.user, data=upload.read()
            )
        except OfflineFileError as exc:
            messages.error(
                request,
                _("“%(name)s” was not imported: %(reason)s.")
                % {"name": upload.name, "reason": exc},
            )
        else:
            messages.success(
                request,
                _(
                    "Imported %(imported)s translations (%(unchanged)s unchanged, "
                    "%(empty)s left empty, %(review)s still marked for review and "
                    "skipped). Publish the page in the translation editor."
                )
                % {
                    "imported": result.imported,
                    "unchanged": result.unchanged,
                    "empty": result.left_empty,
                    "review": result.needs_review_skipped,
                },
            )
            if result.with_errors:
                messages.warning(
                    request,
                    _("These translations need fixing in the editor: %(paths)s")
                    % {"paths": ", ".join(result.with_errors)},
                )
    return redirect("translators:offline", page_id=page.pk)
