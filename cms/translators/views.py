"""Admin views of the translators' workflow: offline files and the report.

Views stay thin: they check permissions, call a selector or a service and turn
the outcome into a response or a message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language as translation_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from cms.admin_columns import YesNoColumn
from cms.errors import error_response
from cms.locales import LOCALE_NAMES, SOURCE_LOCALE, locale_label
from cms.translators.offline import (
    SCOPES,
    OfflineFileError,
    bundle_to_po,
    bundle_to_xliff,
)
from cms.translators.roles import group_name_for
from cms.translators.selectors import (
    PageTranslationState,
    changed_segments_for,
    offline_bundle_for,
    offline_translations_for,
    role_locale_codes_for,
    translation_states_for_locale,
    translation_status_for,
)
from cms.translators.services import offline_file_import

MAX_UPLOAD_BYTES = 5 * 2**20
FORMATS = {
    "po": ("text/x-gettext-translation; charset=utf-8", "po"),
    "xliff": ("application/xliff+xml; charset=utf-8", "xlf"),
}


# --- Locale scope -------------------------------------------------------------------


def _locale_refusal_text(refused: list[str], codes: set[str]) -> tuple[str, str]:
    """What is wrong and what to do, in the active language."""
    names = ", ".join(f"{LOCALE_NAMES.get(c, c)} ({c})" for c in refused)
    reason = _("This is work in %(locales)s, but your role covers only: %(codes)s.") % {
        "locales": names,
        "codes": ", ".join(sorted(codes)),
    }
    remedy = _(
        "Open the page or snippet in your own language instead. If you should work "
        "in %(locales)s too, ask an administrator to add you to this group: "
        "%(groups)s."
    ) % {"locales": names, "groups": ", ".join(map(group_name_for, refused))}
    return reason, remedy


def locale_refused_view(request, *, refused: list[str]):
    """The 403 a role-scoped user gets for work in another locale.

    Scripts (the translation editor's REST calls) get JSON; people get an admin
    page that says why and what to do, in their admin language and, if that is not
    German, in German too: the administrators they will ask read German.
    """
    codes = role_locale_codes_for(user=request.user) or set()
    reason, remedy = _locale_refusal_text(refused, codes)
    wants_json = (
        request.headers.get("x-requested-with") == "XMLHttpRequest"
        or request.method in ("PUT", "DELETE")
        or not request.accepts("text/html")
    )
    if wants_json:
        # The one error shape of cms.errors, in the admin language.
        return error_response(403, "locale_refused", f"{reason} {remedy}")
    german = None
    if translation_language() != SOURCE_LOCALE:
        with override(SOURCE_LOCALE):
            german = _locale_refusal_text(refused, codes)
    return TemplateResponse(
        request,
        "translators/locale_refused.html",
        {
            "page_title": _("Not your locale"),
            "header_icon": "lock",
            "reason": reason,
            "remedy": remedy,
            "german": german,
        },
        status=403,
    )


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
    # An upload of this file later is checked against translations stored since.
    bundle.created_at = timezone.now().isoformat()
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
            _(
                "The file is larger than %(mb)s MB; nothing was imported. Download "
                "and upload single pages instead of the whole chapter."
            )
            % {"mb": MAX_UPLOAD_BYTES // 2**20},
        )
    else:
        try:
            result = offline_file_import(
                page=page,
                user=request.user,
                data=upload.read(),
                overwrite_newer=request.POST.get("overwrite_newer") == "on",
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
            for refusal in result.refused:
                messages.error(request, refusal)
            if result.with_errors:
                messages.warning(
                    request,
                    _("These translations need fixing in the editor: %(paths)s")
                    % {"paths": ", ".join(result.with_errors)},
                )
    return redirect("translators:offline", page_id=page.pk)


# --- Translations report ------------------------------------------------------------

STATUS_LABELS = {
    "up_to_date": gettext_lazy("up to date"),
    "outdated": gettext_lazy("outdated"),
    "machine": gettext_lazy("machine translated"),
    "missing": gettext_lazy("not translated"),
}


def _report_locale_codes() -> list[str]:
    return [loc.code for loc in settings.WEGWEISER_LOCALES if not loc.is_source]


def _changes_url(state: PageTranslationState) -> str | None:
    if state.page_id is None:
        return None
    return reverse("translators:changes", args=[state.page_id])


class TranslationStatusReportView(ReportView):
    """Per locale and per page: translated %, outdated, machine, missing."""

    page_title = gettext_lazy("Translation status")
    header_icon = "wagtail-localize-language"
    index_url_name = "translators:report"
    index_results_url_name = "translators:report_results"
    results_template_name = "translators/report_results.html"
    paginate_by = 100
    any_permission_required = ["wagtailadmin.access_admin"]
    permission_policy = None
    columns = [
        # Column headings do not wrap: with long ones ("Deutscher Text seit Abgleich
        # geändert") the title was left one syllable wide at 1400 px. Short headings,
        # and the title asks for a third of the table.
        TitleColumn(
            "title", label=gettext_lazy("Page"), get_url=_changes_url, width="35%"
        ),
        Column("depth", label=gettext_lazy("Level")),
        Column("translated_percent", label=gettext_lazy("Translated %")),
        Column("counts.outdated", label=pgettext_lazy("segments", "Outdated")),
        Column("counts.machine", label=pgettext_lazy("segments", "Machine")),
        Column("counts.missing", label=pgettext_lazy("segments", "Missing")),
        YesNoColumn("source_changed", label=gettext_lazy("German changed")),
        StatusTagColumn("status_label", label=gettext_lazy("Status")),
    ]
    list_export = [
        "locale_code",
        "source_page_id",
        "page_id",
        "title",
        "translated_percent",
        "counts.total",
        "counts.translated",
        "counts.outdated",
        "counts.machine",
        "counts.missing",
        "source_changed",
        "status",
    ]

    def user_has_permission(self, permission):
        return self.request.user.has_perm("wagtailadmin.access_admin")

    @cached_property
    def locale_code(self) -> str:
        codes = _report_locale_codes()
        asked = self.request.GET.get("locale")
        if asked in codes:
            return asked
        own = role_locale_codes_for(user=self.request.user) or set()
        return next((c for c in codes if c in own), codes[0] if codes else "de")

    def get_page_subtitle(self):
        return locale_label(self.locale_code)

    def get_queryset(self):
        states = translation_states_for_locale(locale_code=self.locale_code)
        for state in states:
            # For the status tag column and the export (a frozen dataclass).
            object.__setattr__(state, "status_label", STATUS_LABELS[state.status])
        return states

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["report_locales"] = [
            (code, locale_label(code)) for code in _report_locale_codes()
        ]
        context["current_locale"] = self.locale_code
        states = self.object_list
        context["totals"] = {
            status: sum(1 for s in states if s.status == status)
            for status in STATUS_LABELS
        }
        return context


def changed_segments_view(request, page_id: int):
    """Which segments of a translated page changed in German, with old wording."""
    page = get_object_or_404(Page, pk=page_id).specific
    if page.locale_id == Locale.get_default().pk:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit() and not (
        request.user.has_perm("wagtail_localize.submit_translation")
    ):
        raise PermissionDenied
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, translations__target_locale=page.locale_id
    ).first()
    return TemplateResponse(
        request,
        "translators/changes.html",
        {
            "page": page,
            "page_title": _("Changes in German"),
            "header_icon": "wagtail-localize-language",
            "status": STATUS_LABELS[translation_status_for(page)],
            "changes": changed_segments_for(page=page),
            "can_sync": source is not None
            and request.user.has_perm("wagtail_localize.submit_translation"),
            "source": source,
        },
    )
