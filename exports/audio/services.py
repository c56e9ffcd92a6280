"""Building a locale's audio: every page read aloud, and the manifest that lists it.

The life of a locale's audio::

    publish ──► ArtifactBuild row (exports.builds: coalesced, claimed with a lease)
                               │  content tree (web audience: what the website shows)
                               ▼
             each page: source hash known? ──yes──► reuse its file
                               │ no
                               ▼
                  synthesize sentence by sentence, Opus, write atomically
                               ▼
             manifest JSON (pages, files, per-sentence timings) ──► artifact_publish
                               (same bytes as the current manifest: nothing announced)

A page that fails to speak fails its locale's build: the last good manifest stays
current, the error is in the log and on the admin's overview, and the build is
retried with backoff (clips already written are reused then).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.artifacts import artifact_part_path
from exports.audio.clips import MEDIA_TYPE, PageClip, page_clip_get
from exports.audio.script import page_sentences
from exports.audio.speech import SpeechBackend
from exports.content import HandbookTree
from exports.read_along import READ_ALONG

logger = logging.getLogger(__name__)

MANIFEST_MEDIA_TYPE = "application/json"
# Called with (pages done, pages in the locale) while a locale is read aloud.
PageProgress = Callable[[int, int], None]


@dataclass
class LocaleAudio:
    """A locale's audio as built: its manifest and what the build did."""

    manifest: dict[str, Any]
    clips: dict[int, PageClip] = field(default_factory=dict)
    synthesized: int = 0
    reused: int = 0
    seconds: float = 0.0


def locale_audio_build(
    tree: HandbookTree,
    *,
    channel: str,
    root: Path,
    backend: SpeechBackend,
    voice: str,
    lexicon: Mapping[str, str],
    progress: PageProgress | None = None,
) -> LocaleAudio:
    """Read every page of ``tree`` aloud (reusing unchanged pages) and list them."""
    started = time.perf_counter()
    language = tree.requested_locale
    nodes = list(tree.nodes())
    pages: list[dict[str, Any]] = []
    built = LocaleAudio(manifest={})
    for done, node in enumerate(nodes, start=1):
        sentences = page_sentences(node, language=language, lexicon=lexicon)
        if sentences:
            clip, synthesized = page_clip_get(
                root=root,
                backend=backend,
                voice=voice,
                language=language,
                title=node.title,
                sentences=sentences,
            )
            built.clips[node.id] = clip
            if synthesized:
                built.synthesized += 1
            else:
                built.reused += 1
            pages.append(
                {
                    "id": node.id,
                    "translation_key": str(node.translation_key),
                    "title": node.title,
                    "served_locale": node.meta.served_locale,
                    "audio": clip_item(channel=channel, locale=language, clip=clip),
                    "sentences": [
                        {"text": s.text, "start": s.start, "end": s.end}
                        for s in clip.sentences
                    ],
                }
            )
        if progress:
            progress(done, len(nodes))
    built.seconds = time.perf_counter() - started
    built.manifest = {
        "locale": language,
        "voice": backend.identity(voice),
        "media_type": MEDIA_TYPE,
        "duration": round(sum(c.duration for c in built.clips.values()), 3),
        "pages": pages,
    }
    return built


def clip_item(*, channel: str, locale: str, clip: PageClip) -> dict[str, Any]:
    """A page's audio file as the API lists it (manifest and page documents)."""
    return {
        "url": artifact_part_path(channel=channel, locale=locale, name=clip.key),
        "media_type": MEDIA_TYPE,
        "duration": clip.duration,
        "size": clip.size,
        "sha256": clip.sha256,
        "sentences": len(clip.sentences),
    }


def locale_audio_details(built: LocaleAudio, *, channel: str, locale: str) -> dict:
    """The artifact's details: the files of the set (served while current) and
    each page's item for its document. The manifest is a read-along one
    (``exports.read_along``): other channels (the EPUB) may read it."""
    return {
        READ_ALONG: True,
        "pages": len(built.clips),
        "duration": built.manifest["duration"],
        "synthesized": built.synthesized,
        "reused": built.reused,
        "clips": {
            str(page_id): clip_item(channel=channel, locale=locale, clip=clip)
            for page_id, clip in built.clips.items()
        },
        "parts": {
            clip.key: {
                "file": f"pages/{clip.key}",
                "media_type": MEDIA_TYPE,
                "sha256": clip.sha256,
            }
            for clip in built.clips.values()
        },
    }
