"""Admin screens of a file channel (``FileChannel``): every locale's file, the state
of its build with the last error, download, rebuild now.

One set of views for every such channel; the channel's alias comes from the URL
patterns it mounts (``FileChannel.admin_urls``). Views stay thin: they check
permissions and call ``exports.builds``.
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
from exports.builds import (
    FileBuilding,
    artifact_build_now,
    artifact_builds_overview,
    building_channels,
)

VIEW_PERMISSION = "exports.view_artifactbuild"
REBUILD_PERMISSION = "exports.rebuild_artifactbuild"


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Sie dürfen diese Ausgabe nicht sehen oder bauen."))


def _channel(alias: str) -> FileBuilding:
    channel = building_channels().get(alias)
    if channel is None:
        raise Http404(_("Diesen Kanal gibt es nicht."))
    return channel


def artifact_overview_view(request: HttpRequest, *, alias: str) -> TemplateResponse:
    """Every locale of the channel: current file, its build, download and rebuild."""
    _require(request, VIEW_PERMISSION)
    channel = _channel(alias)
    return TemplateResponse(
        request,
        channel.overview_template,
        {
            "page_title": str(channel.menu_label),
            "header_icon": channel.menu_icon,
            "channel": channel,
            "alias": alias,
            "rows": artifact_builds_overview(channel=alias),
            "can_rebuild": request.user.has_perm(REBUILD_PERMISSION),
        },
    )


def artifact_download_view(
    request: HttpRequest, locale: str, *, alias: str
) -> FileResponse:
    """The current file of ``locale``, for an editor to check it."""
    _require(request, VIEW_PERMISSION)
    _channel(alias)
    artifact = artifact_current(channel=alias, locale=locale)
    if artifact is None or not artifact_file(artifact).exists():
        raise Http404(_("Für diese Sprache gibt es noch keine Datei."))
    response = FileResponse(
        artifact_file(artifact).open("rb"),
        content_type=artifact.media_type,
        as_attachment=True,
        filename=artifact_filename(artifact),
    )
    response["ETag"] = f'"{artifact.sha256}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
def artifact_rebuild_view(
    request: HttpRequest, locale: str, *, alias: str
) -> HttpResponseRedirect:
    """Build one locale's file now, without waiting for the next publish.

    What the channel asks to confirm first (``rebuild_question``) needs the
    form's ``confirm`` box ticked.
    """
    _require(request, REBUILD_PERMISSION)
    channel = _channel(alias)
    if locale not in channel.hand_locales():
        raise Http404(_("Für diese Sprache wird keine Datei gebaut."))
    # A channel may ask first (print: a PDF mostly in German).
    question = channel.rebuild_question(artifact_current(channel=alias, locale=locale))
    if question and request.POST.get("confirm") != "on":
        messages.warning(request, question)
        return redirect(f"{alias}_artifacts:index")
    artifact_build_now(channel=alias, locale=locale)
    messages.success(
        request,
        _(
            "Die Datei (%(locale)s) wird neu gebaut. Laden Sie die Seite gleich neu, "
            "um das Ergebnis zu sehen."
        )
        % {"locale": locale},
    )
    return redirect(f"{alias}_artifacts:index")
