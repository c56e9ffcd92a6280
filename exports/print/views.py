"""Admin screens of the print channel: every locale's PDF, its build, rebuild now.

Views stay thin: they check permissions and call selectors and services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exports.artifacts import artifact_current, artifact_file, artifact_filename
from exports.print.options import print_options_all
from exports.print.selectors import print_overview
from exports.print.services import print_build_now

VIEW_PERMISSION = "exports.view_printbuild"
REBUILD_PERMISSION = "exports.rebuild_printbuild"


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Sie dürfen die Druckausgabe nicht sehen oder bauen."))


def _print_channel_alias() -> str | None:
    return next(iter(print_options_all()), None)


def _print_locales(alias: str | None) -> list[str]:
    return list(print_options_all()[alias].locales) if alias else []


def print_overview_view(request: HttpRequest) -> TemplateResponse:
    """Every print locale: current PDF, state of its build, download and rebuild."""
    _require(request, VIEW_PERMISSION)
    alias = _print_channel_alias()
    rows = (
        print_overview(
            channel=alias,
            locales=_print_locales(alias),
            min_translated=print_options_all()[alias].min_translated,
        )
        if alias
        else []
    )
    return TemplateResponse(
        request,
        "exports/print.html",
        {
            "page_title": _("Druckausgabe"),
            "header_icon": "doc-full",
            "channel": alias,
            "rows": rows,
            "can_rebuild": request.user.has_perm(REBUILD_PERMISSION),
        },
    )


def print_download_view(request: HttpRequest, locale: str) -> FileResponse:
    """The current PDF of ``locale``, for an editor to check before it is printed."""
    _require(request, VIEW_PERMISSION)
    alias = _print_channel_alias()
    artifact = artifact_current(channel=alias, locale=locale) if alias else None
    if artifact is None or not artifact_file(artifact).exists():
        raise Http404(_("Für diese Sprache gibt es noch kein PDF."))
    response = FileResponse(
        artifact_file(artifact).open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=artifact_filename(artifact),
    )
    response["ETag"] = f'"{artifact.sha256}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
def print_rebuild_view(request: HttpRequest, locale: str) -> HttpResponseRedirect:
    """Build one locale's PDF now, without waiting for the next publish."""
    _require(request, REBUILD_PERMISSION)
    alias = _print_channel_alias()
    if alias is None or locale not in _print_locales(alias):
        raise Http404(_("Für diese Sprache wird kein PDF gebaut."))
    row = print_overview(
        channel=alias,
        locales=[locale],
        min_translated=print_options_all()[alias].min_translated,
    )[0]
    if row.coverage_low and request.POST.get("confirm_low_coverage") != "on":
        messages.warning(
            request,
            _(
                "Im PDF (%(locale)s) sind nur %(percent)s %% der Teile übersetzt; "
                "der Rest erscheint auf Deutsch, mit Hinweis. Bestätigen Sie, dass "
                "es trotzdem neu gebaut und veröffentlicht werden soll."
            )
            % {"locale": locale, "percent": row.coverage_percent},
        )
        return redirect("print_artifacts:index")
    print_build_now(channel=alias, locale=locale)
    messages.success(
        request,
        _(
            "Das PDF (%(locale)s) wird neu gebaut. Laden Sie die Seite gleich neu, "
            "um das Ergebnis zu sehen."
        )
        % {"locale": locale},
    )
    return redirect("print_artifacts:index")
