"""Page nodes per page type: the node's fields and how they are built.

A page type is known to the tree through one ``PageType`` entry here: its model,
its node class, what to fetch with it and a builder from the specific page to the
node's fields. A new page type adds its model (cms.pages), an entry here and the
templates that lay it out; the tree, the API documents and the webhook payloads
follow from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from wagtail.models import Page

from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from exports.content.inline import RichText
from exports.content.nodes import (
    Block,
    ContactRef,
    ImageRef,
    MunicipalityRef,
    PageNode,
    Partner,
    Step,
    TopicRef,
)
from exports.content.references import (
    References,
    contact_ref,
    municipality_ref,
    steps,
    stream_references,
    topic_ref,
)

# --- Node types ----------------------------------------------------------------------


@dataclass(kw_only=True)
class HandbookNode(PageNode):
    type: ClassVar[str] = "handbook"
    subtitle: str
    intro: RichText
    edition_date: date | None
    edition: str
    printer: str
    print_run: int | None
    publisher: str | None
    partners: tuple[Partner, ...]
    funding_note: RichText
    imprint: RichText
    cover_image: ImageRef | None


@dataclass(kw_only=True)
class ChapterNode(PageNode):
    type: ClassVar[str] = "chapter"
    number: int | None
    topic: TopicRef | None
    intro: RichText
    body: tuple[Block, ...]


@dataclass(kw_only=True)
class RecommendationNode(PageNode):
    type: ClassVar[str] = "recommendation"
    topic: TopicRef | None
    municipalities: tuple[MunicipalityRef | None, ...]
    summary: str
    why: RichText
    steps: tuple[Step, ...]
    who_acts: RichText


@dataclass(kw_only=True)
class BestPracticeNode(PageNode):
    type: ClassVar[str] = "best_practice"
    municipality: MunicipalityRef | None
    topic: TopicRef | None
    what: RichText
    how: RichText
    outcome: RichText
    contact: ContactRef | None


@dataclass(kw_only=True)
class PortraitIndexNode(PageNode):
    type: ClassVar[str] = "portrait_index"
    intro: RichText


@dataclass(kw_only=True)
class PortraitNode(PageNode):
    type: ClassVar[str] = "portrait"
    display_name: str
    is_example: bool
    municipality: MunicipalityRef | None
    origin: str
    year_of_arrival: int | None
    quote: str
    story: tuple[Block, ...]
    photo: ImageRef | None


# --- Builders ------------------------------------------------------------------------

Fields = dict[str, Any]


def _handbook(page: HandbookPage, refs: References, served: str) -> Fields:
    publisher = page.publisher
    return {
        "subtitle": page.subtitle,
        "intro": refs.rich(page.intro, served),
        "edition_date": page.edition_date,
        "edition": page.edition,
        "printer": page.printer,
        "print_run": page.print_run,
        "publisher": publisher.name if publisher else None,
        "partners": tuple(
            Partner(organisation=p.organisation.name, role=p.role)
            for p in page.partners.all()
        ),
        "funding_note": refs.rich(page.funding_note, served),
        "imprint": refs.rich(page.imprint, served),
        "cover_image": refs.image(page.cover_image_id, served),
    }


def _chapter(page: ChapterPage, refs: References, served: str) -> Fields:
    return {
        "number": page.number,
        "topic": topic_ref(page.topic),
        "intro": refs.rich(page.intro, served),
        "body": refs.stream(page.body.raw_data, served),
    }


def _recommendation(page: RecommendationPage, refs: References, served: str) -> Fields:
    return {
        "topic": topic_ref(page.topic),
        "municipalities": tuple(municipality_ref(m) for m in page.municipalities.all()),
        "summary": page.summary,
        "why": refs.rich(page.why, served),
        "steps": steps(page.steps.raw_data),
        "who_acts": refs.rich(page.who_acts, served),
    }


def _best_practice(page: BestPracticePage, refs: References, served: str) -> Fields:
    return {
        "municipality": municipality_ref(page.municipality),
        "topic": topic_ref(page.topic),
        "what": refs.rich(page.what, served),
        "how": refs.rich(page.how, served),
        "outcome": refs.rich(page.outcome, served),
        # The page's own contact as stored (blocks localize theirs).
        "contact": contact_ref(page.contact),
    }


def _portrait_index(page: PortraitIndexPage, refs: References, served: str) -> Fields:
    return {"intro": refs.rich(page.intro, served)}


def _portrait(page: PortraitPage, refs: References, served: str) -> Fields:
    return {
        "display_name": page.display_name,
        "is_example": page.is_example,
        "municipality": municipality_ref(page.municipality),
        "origin": page.origin,
        "year_of_arrival": page.year_of_arrival,
        "quote": page.quote,
        "story": refs.stream(page.story.raw_data, served),
        "photo": refs.image(page.photo_id, served),
    }


@dataclass(frozen=True)
class PageType:
    """What the tree knows about one page model."""

    model: type[Page]
    node: type[PageNode]
    build: Callable[[Any, References, str], Fields]
    # Fetched with the page (one query per type, plus one per prefetch).
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # Fields whose StreamField blocks refer to images, terms and contacts.
    streams: tuple[str, ...] = ()
    # Foreign keys to images on the page itself.
    image_fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.node.type

    def references(self, page: Page) -> tuple[set[int], set[int], set[int]]:
        """Image, glossary and contact ids ``page`` refers to."""
        images: set[int] = set()
        glossary: set[int] = set()
        contacts: set[int] = set()
        for name in self.streams:
            i, g, c = stream_references(getattr(page, name).raw_data)
            images |= i
            glossary |= g
            contacts |= c
        images |= {getattr(page, f) for f in self.image_fields if getattr(page, f)}
        return images, glossary, contacts


PAGE_TYPE_LIST: tuple[PageType, ...] = (
    PageType(
        HandbookPage,
        HandbookNode,
        _handbook,
        select_related=("publisher",),
        prefetch_related=("partners__organisation",),
        image_fields=("cover_image_id",),
    ),
    PageType(ChapterPage, ChapterNode, _chapter, ("topic",), streams=("body",)),
    PageType(
        RecommendationPage,
        RecommendationNode,
        _recommendation,
        ("topic",),
        prefetch_related=("municipalities",),
    ),
    PageType(
        BestPracticePage,
        BestPracticeNode,
        _best_practice,
        (
            "topic",
            "municipality",
            "contact__organisation",
            "contact__municipality",
        ),
    ),
    PageType(PortraitIndexPage, PortraitIndexNode, _portrait_index),
    PageType(
        PortraitPage,
        PortraitNode,
        _portrait,
        ("municipality",),
        streams=("story",),
        image_fields=("photo_id",),
    ),
)
PAGE_TYPES_BY_MODEL: dict[type[Page], PageType] = {t.model: t for t in PAGE_TYPE_LIST}
# The API's name for each page type, and back.
PAGE_TYPES: dict[type[Page], str] = {t.model: t.name for t in PAGE_TYPE_LIST}
PAGE_MODELS: dict[str, type[Page]] = {t.name: t.model for t in PAGE_TYPE_LIST}
