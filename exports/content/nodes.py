"""The content tree's node types: plain, typed, channel-neutral data.

A tree is one handbook in one locale: ``HandbookTree`` → page nodes (handbook,
chapters, recommendations, best practices, the portraits section and portraits) →
blocks → rich text (``exports.content.inline``). Every value is already resolved:
the served locale version, its fallback and translation status, visibility for the
audience the tree was built for, localized snippets and glossary terms, images with
renditions, alt text and credit. Channels read nodes; none of them queries pages.

The page node types per page model live in ``exports.content.pages``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from exports.content.inline import RichText

TranslationStatus = Literal["up_to_date", "outdated", "machine", "fallback"]


# --- References ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rendition:
    width: int
    height: int
    url: str


@dataclass(frozen=True, kw_only=True)
class ImageRef:
    """A public image as channels place it: renditions, localized alt, credit."""

    id: int
    alt: str
    credit: str
    width: int
    height: int
    renditions: tuple[Rendition, ...]
    srcset: str


@dataclass(frozen=True, kw_only=True)
class TopicRef:
    slug: str
    name: str


@dataclass(frozen=True, kw_only=True)
class MunicipalityRef:
    slug: str
    name: str


@dataclass(frozen=True, kw_only=True)
class ContactRef:
    name: str
    role: str
    organisation: str | None
    municipality: MunicipalityRef | None
    email: str
    phone: str


@dataclass(frozen=True, kw_only=True)
class TermRef:
    """A glossary term in the tree's locale (or its fallback)."""

    slug: str
    term: str
    explanation: str
    # The locale the term is written in (a fallback's own); not in documents.
    locale: str = field(default="", metadata={"json": None})


@dataclass(frozen=True, kw_only=True)
class Partner:
    organisation: str
    role: str


@dataclass(frozen=True, kw_only=True)
class Step:
    title: str
    text: str


# --- Blocks (StreamField) ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Block:
    """One StreamField block; ``type`` is its name in the stream and the API."""

    type: ClassVar[str] = ""
    id: str | None


@dataclass(frozen=True, kw_only=True)
class ParagraphBlock(Block):
    type: ClassVar[str] = "paragraph"
    text: RichText = field(metadata={"json": "html"})


@dataclass(frozen=True, kw_only=True)
class HeadingBlock(Block):
    type: ClassVar[str] = "heading"
    text: str
    level: str


@dataclass(frozen=True, kw_only=True)
class QuoteBlock(Block):
    type: ClassVar[str] = "quote"
    text: str
    attribution: str


@dataclass(frozen=True, kw_only=True)
class ImageBlock(Block):
    type: ClassVar[str] = "image"
    image: ImageRef
    caption: str


@dataclass(frozen=True, kw_only=True)
class TipBlock(Block):
    type: ClassVar[str] = "tip"
    kind: str
    title: str
    text: RichText = field(metadata={"json": "html"})


@dataclass(frozen=True, kw_only=True)
class StepsBlock(Block):
    type: ClassVar[str] = "steps"
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True, kw_only=True)
class GlossaryBlock(Block):
    type: ClassVar[str] = "glossary"
    term: TermRef


@dataclass(frozen=True, kw_only=True)
class ContactBlock(Block):
    type: ClassVar[str] = "contact"
    contact: ContactRef


# --- Pages ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PageMeta:
    """Where a node's text comes from and how current it is."""

    requested_locale: str
    served_locale: str
    # True when another locale of the chain is served (no translation of its own).
    fallback: bool
    translation_status: TranslationStatus
    revision: int | None
    source_revision: int | None
    first_published_at: datetime | None
    last_published_at: datetime | None
    api_url: str
    # Fields a machine translated and no person has reviewed yet (wagtail-localize
    # segment paths: "title", "body.<block id>.text"); empty for everything else.
    machine_translated_fields: tuple[str, ...] = ()

    # The page on the district website (WEBSITE_PAGE_URL), if one is configured.
    website_url: str | None = None


@dataclass(kw_only=True)
class PageNode:
    """One page served in the tree's locale. Subclasses add the page type's fields.

    ``children`` follow the German source tree's order; only visible ones are in it.
    """

    type: ClassVar[str] = "page"
    id: int
    translation_key: UUID
    locale: str
    title: str
    slug: str
    path: str
    meta: PageMeta = field(metadata={"document": "last"})
    children: list[PageNode] = field(default_factory=list, metadata={"json": None})

    def walk(self) -> Iterator[PageNode]:
        """This node and every node below it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(kw_only=True)
class HandbookTree:
    """One handbook in one locale, as one audience may see it."""

    requested_locale: str
    audience: str
    # The handbook's root node; None when the handbook itself is not visible.
    root: PageNode | None
    # Every glossary term, each in the tree's locale or its fallback.
    glossary: tuple[TermRef, ...] = ()
    # The date visibility was judged on.
    on: date | None = None

    def nodes(self) -> Iterator[PageNode]:
        """Every node of the tree, in reading order."""
        if self.root is not None:
            yield from self.root.walk()
