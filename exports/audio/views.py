"""Admin screen of the audio channel: every locale's audio, its state, rebuild now.

Views stay thin: they check permissions, read the rows and enqueue the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exports.artifacts import artifact_current, artifact_download_path
from exports.audio.models import AudioBuild
from exports.audio.tasks import audio_build_task
from exports.channels import channel_get
from exports.models import Artifact

VIEW_PERMISSION = "exports.view_audiobuild"
REBUILD_PERMISSION = "exports.change_audiobuild"


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Sie dürfen die Vorlese-Ausgabe nicht sehen."))


@dataclass(frozen=True)
class AudioLocaleRow:
    locale: str
    name: str
    voice: str | None
    automatic: bool
    artifact: Artifact | None
    build: AudioBuild | None
    download: str | None

    @property
    def minutes(self) -> float:
        details: dict[str, Any] = self.artifact.details if self.artifact else {}
        return float(details.get("duration", 0)) / 60


def audio_overview_view(request: HttpRequest, alias: str) -> TemplateResponse:
    """Every locale: its audio set, the state of its last build, rebuild."""
    _require(request, VIEW_PERMISSION)
    channel = channel_get(alias)
    speech = getattr(channel, "speech", None)
    builds = {b.locale: b for b in AudioBuild.objects.filter(channel=alias)}
    rows = []
    for loc in settings.WEGWEISER_LOCALES:
        artifact = artifact_current(channel=alias, locale=loc.code)
        rows.append(
            AudioLocaleRow(
                locale=loc.code,
                name=loc.name,
                voice=speech.voice_for(loc.code) if speech else None,
                automatic=loc.code in getattr(channel, "locales", ()),
                artifact=artifact,
                build=builds.get(loc.code),
                download=artifact_download_path(
                    channel=alias, locale=loc.code, extension="json"
                )
                if artifact
                else None,
            )
        )
    return TemplateResponse(
        request,
        "exports/audio.html",
        {
            "page_title": _("Vorlesen"),
            "header_icon": "media",
            "alias": alias,
            "backend": speech.name if speech else "",
            "rows": rows,
            "can_rebuild": request.user.has_perm(REBUILD_PERMISSION),
        },
    )


@require_POST
def audio_rebuild_view(
    request: HttpRequest, alias: str, locale: str
) -> HttpResponseRedirect:
    """Queue reading one locale aloud now; unchanged pages keep their files."""
    _require(request, REBUILD_PERMISSION)
    channel = channel_get(alias)
    speech = getattr(channel, "speech", None)
    if speech is None or speech.voice_for(locale) is None:
        raise Http404(_("Für diese Sprache gibt es keine Stimme."))
    AudioBuild.objects.update_or_create(
        channel=alias,
        locale=locale,
        defaults={"state": AudioBuild.State.QUEUED, "last_error": ""},
    )
    audio_build_task.delay(alias, [locale])
    messages.success(
        request,
        _("Die Vorlese-Ausgabe für „%(locale)s“ wird im Hintergrund erzeugt.")
        % {"locale": locale},
    )
    return redirect("audio:index")
