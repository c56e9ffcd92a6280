"""Read-along: a channel's spoken text, timed per sentence, for other channels to use.

A channel that reads pages aloud (audio) publishes, as its artifact, a *read-along
manifest* and marks the artifact with ``details[READ_ALONG] = True``; its audio
files are the artifact's parts (``details["parts"]``). Another channel (the EPUB's
Media Overlays) reads the current one through ``read_along_current`` and never
imports the channel that made it. It hears of a new one through the lifecycle's
``ExportChannel.artifact_published`` and ``artifact_is_read_along``.

The manifest (JSON)::

    {"pages": [{"id": <page id>,
                "audio": {"sha256": <of a part's file>, "duration": <s>, ...},
                "sentences": [{"text": <as shown>, "start": <s>, "end": <s>}, ...]},
               ...]}

``text`` is the sentence as the page shows it (compound splits removed, white
space collapsed), in reading order; ``start``/``end`` are seconds in the page's file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports.artifacts import artifact_file, artifact_root, artifacts_current
from exports.models import Artifact

logger = logging.getLogger(__name__)

# The details key a channel sets on an artifact that is a read-along manifest.
READ_ALONG = "read_along"


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence of a page and where it is heard in the page's file (seconds)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class SpokenPage:
    """A page read aloud: its file on disk and its sentences in reading order."""

    page_id: int
    path: Path
    media_type: str
    sha256: str
    duration: float
    sentences: tuple[SpokenSentence, ...]


@dataclass(frozen=True)
class ReadAlong:
    """A locale's current read-along: the spoken pages by page id."""

    artifact: Artifact
    pages: dict[int, SpokenPage]


def artifact_is_read_along(artifact: Artifact) -> bool:
    """Whether ``artifact`` is a read-along manifest (a channel's spoken text)."""
    return bool((artifact.details or {}).get(READ_ALONG))


def read_along_current(*, locale: str) -> ReadAlong | None:
    """The current read-along of ``locale``, or None when no channel made one.

    With several (two audio channels), the first by channel alias. Pages whose
    file is missing are left out, so a half-pruned set never names a lost file.
    """
    artifact = next(
        (a for a in artifacts_current(locale=locale) if artifact_is_read_along(a)),
        None,
    )
    if artifact is None:
        return None
    try:
        manifest = json.loads(artifact_file(artifact).read_bytes())
    except (OSError, ValueError) as exc:
        logger.warning("read-along %s/%s unreadable: %s", artifact.channel, locale, exc)
        return None
    return ReadAlong(artifact=artifact, pages=_spoken_pages(artifact, manifest))


def _spoken_pages(artifact: Artifact, manifest: Any) -> dict[int, SpokenPage]:
    parts = (artifact.details or {}).get("parts", {})
    root = artifact_root(artifact.channel).resolve()
    files: dict[str, tuple[Path, str]] = {}
    for part in parts.values() if isinstance(parts, dict) else ():
        if not isinstance(part, dict):
            continue
        path = (root / str(part.get("file", ""))).resolve()
        # Like ``artifact_part_get``: only a file under the channel's root.
        if path.is_relative_to(root) and path.is_file():
            files[str(part.get("sha256"))] = (path, str(part.get("media_type", "")))
    pages: dict[int, SpokenPage] = {}
    for page in manifest.get("pages", []) if isinstance(manifest, dict) else []:
        audio = page.get("audio") or {}
        sha256 = str(audio.get("sha256"))
        if sha256 not in files:
            continue
        path, media_type = files[sha256]
        pages[int(page["id"])] = SpokenPage(
            page_id=int(page["id"]),
            path=path,
            media_type=media_type,
            sha256=sha256,
            duration=float(audio.get("duration", 0.0)),
            sentences=tuple(
                SpokenSentence(
                    text=str(s["text"]), start=float(s["start"]), end=float(s["end"])
                )
                for s in page.get("sentences", [])
            ),
        )
    return pages
