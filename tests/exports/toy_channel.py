"""A toy export channel: the smallest thing one EXPORT_CHANNELS entry can add.

It remembers the content events it receives and, for each locale they name, builds
a small text file from that locale's content tree (``build``), with one part beside
it (the first title, served as a file of the set), through the core's build step
(``exports.artifacts.channel_artifacts_build``), which publishes it. It touches
nothing outside this module: no settings besides its entry, no tables, no URLs.
It also adds each page title's length to every page document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from exports.artifacts import channel_artifacts_build, file_write_atomically
from exports.channels import ArtifactFile, ExportChannel
from exports.content import HandbookTree, PageNode
from exports.models import Artifact, ContentEvent


class ToyChannel(ExportChannel):
    """Writes ``<locale>.txt``: the handbook's page titles, on every publish."""

    name: ClassVar[str] = "toy"

    def __init__(self, *, alias, options) -> None:
        super().__init__(alias=alias, options=options)
        self.events: list[ContentEvent] = []
        self.artifacts_heard: list[Artifact] = []

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        self.events.extend(events)
        channel_artifacts_build(self, locales=sorted({e.locale for e in events}))

    def build(self, tree: HandbookTree) -> ArtifactFile:
        titles = [node.title for node in tree.nodes()]
        text = "\n".join(["toy", tree.requested_locale, *titles]) + "\n"
        first = (titles[0] if titles else "").encode()
        file_write_atomically(self.artifact_root() / "parts" / "first.txt", first)
        part = {
            "file": "parts/first.txt",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(first).hexdigest(),
        }
        return ArtifactFile(
            content=text.encode(),
            media_type="text/plain",
            details={"parts": {"first.txt": part}},
        )

    def page_document_fields(self, node: PageNode) -> Mapping[str, Any]:
        return {"title_length": len(node.title)}

    def artifact_published(self, artifact: Artifact) -> None:
        self.artifacts_heard.append(artifact)
