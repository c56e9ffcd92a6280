"""The audio channel backend: which locales are read aloud, by which synthesizer."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from exports.artifacts import artifact_current
from exports.audio import views
from exports.audio.models import Pronunciation, lexicon_for
from exports.audio.services import (
    MANIFEST_MEDIA_TYPE,
    audio_locale_run,
    locale_audio_build,
    locale_audio_details,
)
from exports.audio.speech import SpeechBackend, speech_backend_load
from exports.audio.tasks import audio_build_task
from exports.channels import (
    ArtifactFile,
    ExportChannel,
    ExportRefused,
    ExportSummary,
    Progress,
    channels,
)
from exports.content import HandbookTree, PageNode, content_locale_get
from exports.models import Artifact, ContentEvent
from exports.services import content_events_record, content_stamp_bump

# How long a process may serve page documents with a superseded audio set.
CLIPS_CACHE_SECONDS = 300


class AudioMenuItem(MenuItem):
    """*Vorlesen*, shown to those who may see the audio overview."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


class AudioChannel(ExportChannel):
    """Every page of every spoken locale read aloud: one Opus file per page.

    OPTIONS: ``LOCALES`` (read aloud on publish; default none, so a district turns
    it on knowingly — synthesis costs CPU), ``SPEECH`` (the speech backend,
    ``{"BACKEND": …, "OPTIONS": …}``; default espeak-ng), ``ROOT`` (default
    ``ARTIFACTS_ROOT/audio``). ``manage.py export audio --locale X`` reads any locale
    the synthesizer has a voice for.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "audio"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        locales = options.get("LOCALES", [])
        if isinstance(locales, str) or not all(isinstance(c, str) for c in locales):
            raise ImproperlyConfigured("OPTIONS['LOCALES'] must be a list of codes.")
        self.locales: tuple[str, ...] = tuple(locales)
        self.speech: SpeechBackend = speech_backend_load(options.get("SPEECH"))
        # What this process's last build of each locale did: (synthesized, reused).
        # The artifact's details keep the first build's counts when the manifest
        # comes out the same, so reports read these.
        self.last_counts: dict[str, tuple[int, int]] = {}
        for code in self.locales:
            if self.speech.voice_for(code) is None:
                raise ImproperlyConfigured(
                    f"the speech backend {self.speech.name!r} has no voice for "
                    f"{code!r}; remove it from LOCALES or add it to the backend's "
                    "VOICES."
                )

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        # A page's new audio (kind ``channel``, recorded below) changes no text.
        self._builds_request(
            {e.locale for e in events if e.kind != ContentEvent.Kind.CHANNEL}
        )

    def _builds_request(self, locales: set[str]) -> None:
        affected = sorted(locales & set(self.locales))
        if affected:
            alias = self.alias
            transaction.on_commit(lambda: audio_build_task.delay(alias, affected))

    def ready(self) -> None:
        # A lexicon entry changes what is spoken in its language (and in Leichte
        # Sprache for German): those locales are rebuilt; pages without the word
        # keep their files, since their source hash did not move.
        for signal in (post_save, post_delete):
            signal.connect(
                _pronunciation_changed,
                sender=Pronunciation,
                dispatch_uid=f"audio-lexicon-{signal is post_save}",
            )

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        own = {"alias": self.alias}
        urls = [
            path("", views.audio_overview_view, own, name="index"),
            path(
                "<str:locale>/rebuild/", views.audio_rebuild_view, own, name="rebuild"
            ),
        ]
        return [path("vorlesen/", include((urls, "audio"), namespace="audio"))]

    def admin_menu_items(self) -> list[MenuItem]:
        return [
            AudioMenuItem(
                gettext_lazy("Vorlesen"),
                reverse("audio:index"),
                icon_name="media",
                order=865,
            )
        ]

    def pronunciation_changed(self, language: str) -> None:
        """A lexicon entry of ``language`` changed: rebuild the locales it reads."""
        self._builds_request(
            {c for c in self.locales if c.split("-")[0] == language} | {language}
        )

    def build(self, tree: HandbookTree) -> ArtifactFile | None:
        voice = self.speech.voice_for(tree.requested_locale)
        if voice is None or tree.root is None:
            return None
        built = locale_audio_build(
            tree,
            channel=self.alias,
            root=self.artifact_root(),
            backend=self.speech,
            voice=voice,
            lexicon=lexicon_for(tree.requested_locale),
        )
        self.last_counts[tree.requested_locale] = (built.synthesized, built.reused)
        manifest = json.dumps(built.manifest, ensure_ascii=False, indent=1).encode()
        return ArtifactFile(
            content=manifest,
            media_type=MANIFEST_MEDIA_TYPE,
            details=locale_audio_details(
                built, channel=self.alias, locale=tree.requested_locale
            ),
        )

    def artifact_published(self, artifact: Artifact) -> None:
        # A new set changes the ``channels.audio`` field of its pages' documents:
        # the content stamp is in every document's ETag, so caches let go.
        if artifact.channel == self.alias:
            content_stamp_bump()
            key = self._clips_cache_key(artifact.locale)
            transaction.on_commit(lambda: cache.delete(key))
            # Pages whose file is new, changed or gone: their documents changed,
            # so the website (and ``changes/``) hear of it like of an edit.
            content_events_record(
                pages=Page.objects.filter(pk__in=_clips_changed(artifact))
                .select_related("locale")
                .order_by("path"),
                kind=ContentEvent.Kind.CHANNEL,
                locales=[artifact.locale],
            )

    def _clips_cache_key(self, locale: str) -> str:
        return f"exports-audio-clips:{self.alias}:{locale}"

    def page_document_fields(self, node: PageNode) -> Mapping[str, Any]:
        return self.page_documents_fields([node])[0]

    def page_documents_fields(
        self, nodes: Sequence[PageNode]
    ) -> Sequence[Mapping[str, Any]]:
        # Each page's file in the current set of its locale; none before the first
        # build or when the page has no text. Cached per locale (cleared when a
        # new set is published; the timeout bounds a per-process cache's staleness)
        # and read once per locale of the batch, so building a list of documents
        # costs no query and no cache round trip per page.
        by_locale: dict[str, Any] = {}
        added: list[Mapping[str, Any]] = []
        for node in nodes:
            locale = node.meta.requested_locale
            if locale not in by_locale:
                by_locale[locale] = self._clips(locale)
            clips = by_locale[locale]
            item = clips.get(str(node.id)) if isinstance(clips, dict) else None
            added.append({"audio": item} if item else {})
        return added

    def _clips(self, locale: str) -> Any:
        key = self._clips_cache_key(locale)
        clips = cache.get(key)
        if clips is None:
            artifact = artifact_current(channel=self.alias, locale=locale)
            clips = artifact.details.get("clips", {}) if artifact else {}
            cache.set(key, clips, timeout=CLIPS_CACHE_SECONDS)
        return clips

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        every = [loc.code for loc in settings.WEGWEISER_LOCALES]
        codes = list(locales or self.locales or every)
        for code in codes:
            content_locale_get(code)  # UnknownLocale names the configured ones
            if self.speech.voice_for(code) is None:
                raise ExportRefused(
                    f"the speech backend {self.speech.name!r} has no voice for "
                    f"{code!r}: nothing to read aloud"
                )
        summary = ExportSummary(channel=self.alias)
        if progress:
            progress(0, len(codes))
        for done, code in enumerate(codes, start=1):
            publication = audio_locale_run(self, locale=code)
            if publication is None:
                summary.failed += 1
                summary.details.append(f"{code}: failed (see the admin's Vorlesen)")
            else:
                details = publication.artifact.details
                synthesized, reused = self.last_counts.get(code, (0, 0))
                summary.details.append(
                    f"{code}: {details.get('pages')} pages, "
                    f"{details.get('duration', 0):.0f} s of audio "
                    f"({synthesized} synthesized, {reused} unchanged)"
                    + ("" if publication.is_new else ", manifest unchanged")
                )
                summary.done += 1
            if progress:
                progress(done, len(codes))
        return summary


def _clips_changed(artifact: Artifact) -> list[int]:
    """Ids of the pages whose clip differs between ``artifact`` and the set before."""
    before = (
        Artifact.objects.filter(
            channel=artifact.channel,
            locale=artifact.locale,
            is_current=False,
            pk__lt=artifact.pk,
        )
        .exclude(key="")
        .order_by("-pk")
        .first()
    )
    old = (before.details or {}).get("clips", {}) if before else {}
    new = (artifact.details or {}).get("clips", {})
    return [
        int(page_id)
        for page_id in old.keys() | new.keys()
        if old.get(page_id) != new.get(page_id)
    ]


def _pronunciation_changed(sender: Any, instance: Pronunciation, **kwargs: Any) -> None:
    # Looked up when it happens, so a changed EXPORT_CHANNELS setting applies.
    for channel in channels().values():
        if isinstance(channel, AudioChannel):
            channel.pronunciation_changed(instance.language)
