"""The audio channel backend: which locales are read aloud, by which synthesizer.

Its builds run on the generic file-channel lifecycle (``exports.file_channel``,
``exports.builds``): publishes owe the affected locales a build, coalesced over
``BUILD_DELAY``; a worker claims the locale's ``ArtifactBuild`` row with a lease,
reads the locale aloud (``build``: unchanged pages keep their files) and publishes
the manifest; a failure is retried with backoff and shown on *Vorlesen* with its
error; ``manage.py export audio --locale X`` builds by hand. What audio adds: the
speech backend and lexicon, longer time limits (a locale takes minutes to speak),
the pages whose clip changed announced as ``channel`` events, each page's clip in
its API document, and the clip counts of the last build in the overview.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.artifacts import artifact_current
from exports.audio.models import Pronunciation, lexicon_for
from exports.audio.services import (
    MANIFEST_MEDIA_TYPE,
    locale_audio_build,
    locale_audio_details,
)
from exports.audio.speech import SpeechBackend, speech_backend_load

# Registers the task name that messages of older releases carry.
from exports.audio.tasks import audio_build_task  # noqa: F401
from exports.builds import OverviewNote, artifact_builds_request
from exports.channels import ArtifactFile, channels
from exports.content import HandbookTree, PageNode
from exports.file_channel import FileChannel
from exports.models import Artifact, ContentEvent
from exports.services import content_events_record_by_id, content_stamp_bump

# How long a process may serve page documents with a superseded audio set.
CLIPS_CACHE_SECONDS = 300


class AudioChannel(FileChannel):
    """Every page of every spoken locale read aloud: one Opus file per page.

    OPTIONS: ``FileChannel``'s, except that ``LOCALES`` (read aloud on publish)
    defaults to none, so a district turns it on knowingly — synthesis costs CPU;
    ``SOFT_TIME_LIMIT``/``TIME_LIMIT`` default to 1500/1600 s. ``SPEECH``: the
    speech backend (``{"BACKEND": …, "OPTIONS": …}``; default espeak-ng). The
    admin's *Jetzt vorlesen* and ``manage.py export audio --locale X`` read any
    locale the synthesizer has a voice for.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "audio"
    menu_label = gettext_lazy("Vorlesen")
    menu_icon = "media"
    menu_order = 865
    admin_path = "vorlesen"
    overview_template = "exports/audio.html"
    overview_no_file = gettext_lazy("noch nicht vorgelesen")
    overview_download = gettext_lazy("Liste mit Zeitmarken")
    # Reading a whole locale aloud takes minutes, laying it out seconds.
    soft_time_limit = 1500
    time_limit = 1600

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        locales = options.get("LOCALES", [])
        if isinstance(locales, str) or not all(isinstance(c, str) for c in locales):
            raise ImproperlyConfigured("OPTIONS['LOCALES'] must be a list of codes.")
        super().__init__(alias=alias, options={**options, "LOCALES": locales})
        self.speech: SpeechBackend = speech_backend_load(options.get("SPEECH"))
        for code in self.locales:
            if self.speech.voice_for(code) is None:
                raise ImproperlyConfigured(
                    f"the speech backend {self.speech.name!r} has no voice for "
                    f"{code!r}; remove it from LOCALES or add it to the backend's "
                    "VOICES."
                )

    # -- content events ----------------------------------------------------------------

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        # A page's new audio (kind ``channel``, recorded below) changes no text.
        super().events_recorded(
            [e for e in events if e.kind != ContentEvent.Kind.CHANNEL]
        )

    def ready(self) -> None:
        super().ready()
        # A lexicon entry changes what is spoken in its language (and in Leichte
        # Sprache for German): those locales are rebuilt; pages without the word
        # keep their files, since their source hash did not move.
        for signal in (post_save, post_delete):
            signal.connect(
                _pronunciation_changed,
                sender=Pronunciation,
                dispatch_uid=f"audio-lexicon-{signal is post_save}",
            )

    def pronunciation_changed(self, language: str) -> None:
        """A lexicon entry of ``language`` changed: rebuild the locales it reads."""
        affected = sorted(c for c in self.locales if language in (c, c.split("-")[0]))
        if affected:
            artifact_builds_request(channel=self.alias, locales=affected)

    # -- building ----------------------------------------------------------------------

    def hand_locales(self) -> tuple[str, ...]:
        every = [loc.code for loc in settings.WEGWEISER_LOCALES]
        return tuple(c for c in every if self.speech.voice_for(c) is not None)

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
        manifest = json.dumps(built.manifest, ensure_ascii=False, indent=1).encode()
        return ArtifactFile(
            content=manifest,
            media_type=MANIFEST_MEDIA_TYPE,
            details=locale_audio_details(
                built, channel=self.alias, locale=tree.requested_locale
            ),
            # This build's own counts: equal bytes keep the first build's details.
            build_details={"synthesized": built.synthesized, "reused": built.reused},
        )

    def result_facts(self, artifact: Artifact) -> list[str]:
        details = artifact.details or {}
        return [
            f"{details.get('pages', 0)} pages",
            f"{details.get('duration', 0):.0f} s of audio",
        ]

    def build_facts(self, details: Mapping[str, Any]) -> list[str]:
        return [
            f"{details.get('synthesized', 0)} synthesized",
            f"{details.get('reused', 0)} unchanged",
        ]

    # -- admin overview ----------------------------------------------------------------

    def locale_label(self, locale_code: str) -> str:
        voice = self.speech.voice_for(locale_code)
        return f"{_('Stimme')} {voice}" if voice else _("keine Stimme")

    def overview_notes(self, artifact: Artifact) -> list[OverviewNote]:
        details = artifact.details or {}
        minutes = float(details.get("duration", 0)) / 60
        return [
            OverviewNote(
                f"{_('Seiten')}: {details.get('pages', 0)} · "
                f"{number_format(minutes, 1)} min",
                testid="pages",
            )
        ]

    def build_notes(self, details: Mapping[str, Any]) -> list[OverviewNote]:
        return [
            OverviewNote(
                f"{_('neu gesprochen')}: {details.get('synthesized', 0)} · "
                f"{_('unverändert')}: {details.get('reused', 0)}",
                testid="clip-counts",
            )
        ]

    # -- the set's pages -------------------------------------------------------------

    def artifact_published(self, artifact: Artifact) -> None:
        # A new set changes the ``channels.audio`` field of its pages' documents:
        # the content stamp is in every document's ETag, so caches let go.
        if artifact.channel == self.alias:
            content_stamp_bump()
            key = self._clips_cache_key(artifact.locale)
            transaction.on_commit(lambda: cache.delete(key))
            # Pages whose file is new, changed or gone: their documents changed,
            # so the website (and ``changes/``) hear of it like of an edit.
            content_events_record_by_id(
                page_ids=_clips_changed(artifact),
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
