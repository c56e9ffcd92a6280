"""A toy export channel: the smallest thing one EXPORT_CHANNELS entry can add.

It remembers the content events it receives and, for each locale they name,
publishes a small text file through the core (``exports.artifacts``). It touches
nothing outside this module: no settings besides its entry, no tables, no URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from exports.artifacts import artifact_publish
from exports.channels import ExportChannel
from exports.models import Artifact, ContentEvent


class ToyChannel(ExportChannel):
    """Writes ``<locale>.txt`` listing the pages that changed, on every publish."""

    name: ClassVar[str] = "toy"

    def __init__(self, *, alias, options) -> None:
        super().__init__(alias=alias, options=options)
        self.events: list[ContentEvent] = []
        self.artifacts_heard: list[Artifact] = []

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        self.events.extend(events)
        for locale in sorted({event.locale for event in events}):
            keys = sorted(str(e.translation_key) for e in events if e.locale == locale)
            artifact_publish(
                channel=self.alias,
                locale=locale,
                content=("\n".join(["toy", locale, *keys]) + "\n").encode(),
                media_type="text/plain",
            )

    def artifact_published(self, artifact: Artifact) -> None:
        self.artifacts_heard.append(artifact)
