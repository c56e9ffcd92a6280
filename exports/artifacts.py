"""Channels' files (artifacts): where they are, what the API lists, how one is made.

Any channel that builds files (print's PDFs, an EPUB, an audio book) publishes them
through ``artifact_publish``: the bytes are written content-addressed and atomically
under the channel's artifact root, the row switches in one transaction, and every
channel hears of it (``ExportChannel.artifact_published``) inside that transaction,
so the website's announcement commits with the switch or not at all.

The life of a locale's file::

    build ──write <sha256>.<ext> (temp, fsync, rename)──► row current ──► announced
      │                                                       │
      └──same bytes as the current file: nothing changes      └──older rows pruned

A consent withdrawn or a page or collection made private takes down every file of
the locales it touches (``artifacts_withdraw``) until the channel has rebuilt them.
Files live under ``ARTIFACTS_ROOT``, outside ``MEDIA_ROOT``: the delivery API serves
a channel's current file and nothing else, never a file by its hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from exports.channels import (
    ExportChannel,
    channels,
    channels_artifact_published,
    channels_artifact_removed,
)
from exports.content import API_PREFIX, build_content_tree, handbooks_source
from exports.content.statements import CompiledModelQuery, model_query_compile
from exports.models import Artifact, ContentEvent, media_type_extension

# Files kept per channel and locale when the caller does not say (the current one
# included): a download that started before a switch still finds its file.
DEFAULT_KEEP = 3


# --- Reads ---------------------------------------------------------------------------


def artifact_root(channel: str) -> Path:
    """Where ``channel``'s files live (its ``artifact_root``; by alias if unknown)."""
    configured = channels().get(channel)
    if configured is None:
        return Path(settings.ARTIFACTS_ROOT) / channel
    return configured.artifact_root()


def artifact_file(artifact: Artifact) -> Path:
    """The file of ``artifact`` on disk."""
    return artifact_root(artifact.channel) / artifact.key


def artifacts_current(
    *, channel: str | None = None, locale: str | None = None
) -> QuerySet[Artifact]:
    """The current file of every (channel, locale), by channel and locale."""
    queryset = Artifact.objects.filter(is_current=True)
    if channel is not None:
        queryset = queryset.filter(channel=channel)
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset.order_by("channel", "locale")


# A locale code no locale has: compiled into the statement and swapped out.
_LOCALE_SENTINEL = "\x00wegweiser-artifact\x00"
_compiled_currents: dict[tuple[str, str], CompiledModelQuery | None] = {}


def artifact_current(*, channel: str, locale: str) -> Artifact | None:
    """The current file of one channel and locale, or None before the first build.

    Compiled once per channel: a channel that adds fields to page documents
    (``page_document_fields``) may ask for every document built.
    """
    key = (connections[DEFAULT_DB_ALIAS].vendor, channel)
    if key not in _compiled_currents:
        _compiled_currents[key] = model_query_compile(
            artifacts_current(channel=channel, locale=_LOCALE_SENTINEL)[:1],
            Artifact._meta.get_field("locale"),
            _LOCALE_SENTINEL,
        )
    compiled = _compiled_currents[key]
    if compiled is None:
        return artifacts_current(channel=channel, locale=locale).first()
    found = compiled.objects(locale)
    return found[0] if found else None


def artifacts_stamp() -> str:
    """Moves whenever any file becomes current or is withdrawn (the newest artifact
    id and how many there are)."""
    row = Artifact.objects.aggregate(newest=Max("pk"), count=Count("pk"))
    return f"{row['newest'] or 0}.{row['count']}"


def artifact_download_path(*, channel: str, locale: str, extension: str) -> str:
    """The delivery API path that serves the current file of a channel and locale."""
    return f"{API_PREFIX}/artifacts/{channel}/{locale}.{extension}"


def artifact_part_path(*, channel: str, locale: str, name: str) -> str:
    """The API path of a file that belongs to a channel's current artifact."""
    return f"{API_PREFIX}/artifacts/{channel}/{locale}/{name}"


@dataclass(frozen=True)
class ArtifactPart:
    """A file that belongs to an artifact (one page's audio of a locale's set)."""

    artifact: Artifact
    path: Path
    media_type: str
    sha256: str


def artifact_part_get(*, channel: str, locale: str, name: str) -> ArtifactPart | None:
    """The file ``name`` if the current artifact of channel and locale lists it.

    A channel whose artifact is a set of files (audio: one per page) lists them in
    ``details["parts"]`` as ``{name: {"file": path under its root, "media_type",
    "sha256"}}``. Only the current artifact's parts are served, so a file of a page
    that was withdrawn or changed is no longer reachable once the set is rebuilt.
    """
    artifact = artifact_current(channel=channel, locale=locale)
    parts = (artifact.details or {}).get("parts", {}) if artifact else {}
    part = parts.get(name) if isinstance(parts, dict) else None
    if artifact is None or not isinstance(part, dict):
        return None
    root = artifact_root(channel).resolve()
    path = (root / str(part.get("file", ""))).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return ArtifactPart(
        artifact=artifact,
        path=path,
        media_type=str(part.get("media_type", "application/octet-stream")),
        sha256=str(part.get("sha256", "")),
    )


def artifact_filename(artifact: Artifact) -> str:
    """The name a download is saved under (a channel may set ``details.filename``)."""
    named = artifact.details.get("filename") if artifact.details else None
    if isinstance(named, str) and named:
        return named
    return f"wegweiser-{artifact.channel}-{artifact.locale}.{artifact.extension}"


def artifact_item(artifact: Artifact) -> dict[str, Any]:
    """The API item of one file (``/api/v1/artifacts/`` and the webhook document)."""
    pages = artifact.details.get("pages") if artifact.details else None
    return {
        "channel": artifact.channel,
        "locale": artifact.locale,
        "url": artifact_download_path(
            channel=artifact.channel,
            locale=artifact.locale,
            extension=artifact.extension,
        ),
        "media_type": artifact.media_type,
        "size": artifact.size,
        "pages": pages,
        "sha256": artifact.sha256,
        "built_at": artifact.built_at.isoformat(),
        "build_seconds": round(artifact.build_seconds, 3),
    }


# --- Writes --------------------------------------------------------------------------


@dataclass(frozen=True)
class ArtifactPublication:
    """What ``artifact_publish`` did: the current row, and whether it is new."""

    artifact: Artifact
    # False: the bytes equal the current file's, nothing was switched or announced.
    is_new: bool


def artifact_publish(
    *,
    channel: str,
    locale: str,
    content: bytes,
    media_type: str,
    build_seconds: float = 0.0,
    source_hash: str = "",
    details: Mapping[str, Any] | None = None,
    keep: int | None = None,
    prune: bool = True,
) -> ArtifactPublication:
    """Make ``content`` the current file of ``channel`` in ``locale`` and announce it.

    The file is stored as ``<sha256>.<ext>`` (temporary file, fsync, rename) before
    the row switches, so a reader sees the old file or the whole new one and a
    failure leaves the last good file current. Bytes equal to the current file's
    only refresh its ``source_hash``. Runs in the caller's transaction if there is
    one (a caller that checks something, like print's lease, opens it first);
    then the caller passes ``prune=False`` and calls ``artifacts_prune`` after its
    commit, so no file goes before the rows that name it. Otherwise older files
    beyond ``keep`` are pruned here.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    key = f"{sha256}.{media_type_extension(media_type)}"
    file_write_atomically(artifact_root(channel) / key, content)
    with transaction.atomic():
        current = (
            Artifact.objects.select_for_update()
            .filter(channel=channel, locale=locale, is_current=True)
            .first()
        )
        if current is not None and current.sha256 == sha256:
            # Different inputs gave the same bytes: nothing new to announce.
            Artifact.objects.filter(pk=current.pk).update(source_hash=source_hash)
            current.source_hash = source_hash
            return ArtifactPublication(artifact=current, is_new=False)
        if current is not None:
            Artifact.objects.filter(pk=current.pk).update(is_current=False)
        # A removal marker has done its work once a newer file exists.
        Artifact.objects.filter(channel=channel, locale=locale, key="").delete()
        artifact = Artifact.objects.create(
            channel=channel,
            locale=locale,
            key=key,
            media_type=media_type,
            sha256=sha256,
            size=len(content),
            built_at=timezone.now(),
            build_seconds=build_seconds,
            source_hash=source_hash,
            details=dict(details or {}),
            is_current=True,
        )
        channels_artifact_published(artifact)
    if prune:
        artifacts_prune(channel=channel, locale=locale, keep=keep)
    return ArtifactPublication(artifact=artifact, is_new=True)


def artifacts_prune(*, channel: str, locale: str, keep: int | None = None) -> int:
    """Drop all but the newest ``keep`` files of a channel and locale.

    The current one is always kept; a file still named by another row (the same
    bytes built for another locale) stays on disk. Returns the rows dropped.
    """
    keep = max(1, keep if keep is not None else DEFAULT_KEEP)
    old = list(
        Artifact.objects.filter(channel=channel, locale=locale, is_current=False)
        .exclude(key="")  # a removal marker has no file
        .order_by("-built_at", "-pk")
        .values_list("pk", "key")[keep - 1 :]
    )
    if not old:
        return 0
    Artifact.objects.filter(pk__in=[pk for pk, _key in old]).delete()
    still_used = set(
        Artifact.objects.filter(
            channel=channel, key__in={key for _pk, key in old}
        ).values_list("key", flat=True)
    )
    root = artifact_root(channel)
    for _pk, key in old:
        if key not in still_used:
            (root / key).unlink(missing_ok=True)
    return len(old)


# Events after which a file may show what must no longer be shown: a consent
# withdrawn (or its date come), a page or collection made private.
WITHDRAWING_KINDS = frozenset(
    {ContentEvent.Kind.CONSENT, ContentEvent.Kind.DUE, ContentEvent.Kind.VISIBILITY}
)


def artifacts_withdraw(*, events: Iterable[ContentEvent]) -> int:
    """Take down every file of the locales a privacy event touches; returns how many.

    A PDF built before a consent was withdrawn shows the portrait, and so do the
    older files kept for downloads in progress. Every file (current and older) of
    every channel in those locales goes: the rows now, in the event's transaction
    (the API stops listing and serving them), the bytes once it commits. Where a
    current file went, a removal marker takes its place and every channel hears
    of it (the website announces ``artifact.removed``, so a site that copied the
    file takes it down too). The channels rebuild from the events they received.
    """
    locales = {e.locale for e in events if e.kind in WITHDRAWING_KINDS}
    if not locales:
        return 0
    rows = list(
        Artifact.objects.filter(locale__in=locales)
        .exclude(key="")
        .values_list("pk", "channel", "locale", "key", "is_current")
    )
    if not rows:
        return 0
    Artifact.objects.filter(pk__in=[pk for pk, *_rest in rows]).delete()
    now = timezone.now()
    for channel, locale in sorted({(c, loc) for _pk, c, loc, _k, cur in rows if cur}):
        removal = Artifact.objects.create(
            channel=channel,
            locale=locale,
            key="",
            media_type="",
            sha256="",
            size=0,
            built_at=now,
            build_seconds=0.0,
        )
        channels_artifact_removed(removal)

    def unlink() -> None:
        still_used = set(
            Artifact.objects.filter(
                key__in={key for _pk, _channel, _locale, key, _cur in rows}
            ).values_list("channel", "key")
        )
        for _pk, channel, _locale, key, _cur in rows:
            if (channel, key) not in still_used:
                (artifact_root(channel) / key).unlink(missing_ok=True)

    transaction.on_commit(unlink)
    return len(rows)


def file_write_atomically(target: os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` so a reader sees the old file or the whole new one.

    Temporary file in the same folder, fsync, rename, fsync of the folder: a crash
    at any point leaves no half-written file under a content address.
    """
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".building-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def channel_artifacts_build(
    channel: ExportChannel, *, locales: Iterable[str]
) -> list[ArtifactPublication]:
    """The lifecycle's build step: for each locale, build the handbook's content
    tree for the channel's audience, let the channel render it (``build``) and
    publish what it makes. Locales it makes nothing for are left out."""
    handbook = next(iter(handbooks_source()), None)
    if handbook is None:
        return []
    published = []
    for code in locales:
        tree = build_content_tree(
            handbook=handbook, locale_code=code, audience=channel.tree_audience(code)
        )
        built = channel.build(tree)
        if built is not None:
            published.append(
                artifact_publish(
                    channel=channel.alias,
                    locale=code,
                    content=built.content,
                    media_type=built.media_type,
                    details=built.details,
                )
            )
    return published
