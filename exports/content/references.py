"""What page nodes refer to, fetched in bulk: snippets, glossary, images; and the
StreamField blocks built from them.

A ``References`` is filled once per build (one page or a whole handbook) in a
fixed number of queries: glossary terms (one), contacts (two), images with every
needed locale's alt text (one) and their renditions (one).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from cms.images.models import ImageAltText
from cms.lookups import any_of
from cms.snippets.models import Contact, GlossaryTerm
from cms.translators.selectors import translated_object
from exports.content.inline import GlossaryMark, RichText, rich_text_parse
from exports.content.nodes import (
    Block,
    ContactBlock,
    ContactRef,
    GlossaryBlock,
    HeadingBlock,
    ImageBlock,
    ImageRef,
    MunicipalityRef,
    ParagraphBlock,
    QuoteBlock,
    Rendition,
    Step,
    StepsBlock,
    TermRef,
    TipBlock,
    TopicRef,
)
from exports.content.statements import CompiledModelQuery, model_query_compile
from exports.content.visibility import restricted_collection_exists

# Rendition widths offered for every image; the website picks from the srcset.
IMAGE_WIDTHS = (480, 960, 1600)
API_PREFIX = "/api/v1"


def page_api_path(page_id: int, locale_code: str) -> str:
    """The API path of a page in a locale (links in rich text point here)."""
    return f"{API_PREFIX}/pages/{page_id}/?locale={locale_code}"


@dataclass
class References:
    """Everything a build's pages refer to, localized along ``chain``."""

    requested: str
    chain: tuple[str, ...]
    glossary_by_id: dict[int, GlossaryTerm] = field(default_factory=dict)
    glossary_marks: list[GlossaryMark] = field(default_factory=list)
    # Every glossary term in the chain, each in its best locale.
    glossary_terms: list[GlossaryTerm] = field(default_factory=list)
    contacts_by_id: dict[int, Contact] = field(default_factory=dict)
    # served locale → image id → image (with that locale's alt text)
    images: dict[str, dict[int, Any]] = field(default_factory=dict)

    # -- fetching --------------------------------------------------------------------

    def fetch(
        self,
        *,
        image_ids: set[int],
        glossary_ids: set[int],
        contact_ids: set[int],
        served_locales: Iterable[str],
    ) -> None:
        """Fetch every referenced snippet and image in a fixed number of queries."""
        chain_filter = Q(locale__language_code__in=self.chain)
        terms = _chain_glossary(self.chain)
        # Terms a page names that are not among them (rare): from outside the
        # chain, or a copy in it that nobody has translated yet. Each is shown in
        # its best translated version, if there is one.
        outside = glossary_ids - {t.pk for t in terms}
        named = (
            list(GlossaryTerm.objects.filter(pk__in=outside).select_related("locale"))
            if outside
            else []
        )
        self.glossary_by_id = _localized(terms, glossary_ids, self.chain, named)
        best: dict[UUID, GlossaryTerm] = {}
        rank = {code: i for i, code in enumerate(self.chain)}
        for term in terms:
            code = term.locale.language_code
            if code not in rank:
                continue
            current = best.get(term.translation_key)
            if current is None or rank[code] < rank[current.locale.language_code]:
                best[term.translation_key] = term
        self.glossary_terms = list(best.values())
        self.glossary_marks = [
            GlossaryMark(term=t.term, slug=t.slug, explanation=t.explanation)
            for t in self.glossary_terms
        ]
        if contact_ids:
            keys = Contact.objects.filter(pk__in=contact_ids).values("translation_key")
            contacts = list(
                Contact.objects.filter(
                    Q(pk__in=contact_ids) | Q(chain_filter, translation_key__in=keys)
                ).select_related("locale", "organisation", "municipality")
            )
            self.contacts_by_id = _localized(contacts, contact_ids, self.chain)
        self.images = images_for_locales(image_ids, served_locales)

    # -- conversions -----------------------------------------------------------------

    def rich(self, value: Any, served: str) -> RichText:
        """Stored rich text as nodes, for a page served in ``served``."""
        return rich_text_parse(
            str(value or ""),
            page_link=lambda page_id: page_api_path(page_id, self.requested),
            glossary=self.glossary_marks,
            # Compound splits (Bürger·meister) are a German writing aid, used
            # by Leichte Sprache; other scripts may use U+00B7 differently.
            mediopunkt=served.split("-")[0] == "de",
        )

    def image(self, image_id: int | None, served: str) -> ImageRef | None:
        image = self.images.get(served, {}).get(image_id) if image_id else None
        return image_ref(image) if image is not None else None

    def contact(self, contact_id: int | None) -> ContactRef | None:
        return contact_ref(self.contacts_by_id.get(contact_id) if contact_id else None)

    def stream(self, raw: list[dict[str, Any]], served: str) -> tuple[Block, ...]:
        """A StreamField's blocks, in order; blocks whose target is gone (a deleted
        or private image, term or contact) are left out."""
        blocks: list[Block] = []
        for item in raw or []:
            kind = item.get("type")
            value: Any = item.get("value")
            block_id = item.get("id")
            block: Block | None = None
            if kind == "paragraph":
                block = ParagraphBlock(id=block_id, text=self.rich(value, served))
            elif kind == "heading":
                block = HeadingBlock(
                    id=block_id,
                    text=value.get("text", ""),
                    level=value.get("level", "h2"),
                )
            elif kind == "quote":
                block = QuoteBlock(
                    id=block_id,
                    text=value.get("text", ""),
                    attribution=value.get("attribution", ""),
                )
            elif kind == "image":
                image = self.image(value.get("image"), served)
                if image is not None:
                    block = ImageBlock(
                        id=block_id, image=image, caption=value.get("caption", "")
                    )
            elif kind == "tip":
                block = TipBlock(
                    id=block_id,
                    kind=value.get("kind", "tip"),
                    title=value.get("title", ""),
                    text=self.rich(value.get("text"), served),
                )
            elif kind == "steps":
                block = StepsBlock(
                    id=block_id,
                    title=value.get("title", ""),
                    steps=steps(value.get("steps", [])),
                )
            elif kind == "glossary":
                term = self.glossary_by_id.get(int(value)) if value else None
                if term is not None:
                    block = GlossaryBlock(
                        id=block_id,
                        term=TermRef(
                            slug=term.slug,
                            term=term.term,
                            explanation=term.explanation,
                            locale=term.locale.language_code,
                        ),
                    )
            elif kind == "contact":
                contact = self.contact(int(value) if value else None)
                if contact is not None:
                    block = ContactBlock(id=block_id, contact=contact)
            if block is not None:
                blocks.append(block)
        return tuple(blocks)


def _glossary_queryset(chain: tuple[str, ...]) -> QuerySet:
    """The glossary terms in a locale of ``chain`` that are translations (a copy
    nobody has translated yet shows German words: its fallback serves)."""
    return (
        GlossaryTerm.objects.filter(locale__language_code__in=chain)
        .filter(translated_object())
        .select_related("locale")
        .order_by("pk")
    )


_compiled_glossaries: dict[tuple[str, tuple[str, ...]], CompiledModelQuery | None] = {}


def _chain_glossary(chain: tuple[str, ...]) -> list[GlossaryTerm]:
    """Every glossary term in a locale of ``chain``, by id: one statement per
    chain, compiled once (every built document reads it)."""
    key = (connections[DEFAULT_DB_ALIAS].vendor, chain)
    if key not in _compiled_glossaries:
        _compiled_glossaries[key] = model_query_compile(_glossary_queryset(chain))
    compiled = _compiled_glossaries[key]
    if compiled is None:
        return list(_glossary_queryset(chain))
    return compiled.objects()


def stream_references(raw: list[dict]) -> tuple[set[int], set[int], set[int]]:
    """Image, glossary and contact ids referenced from a raw StreamField."""
    images: set[int] = set()
    glossary: set[int] = set()
    contacts: set[int] = set()
    for block in raw or []:
        value = block.get("value")
        kind = block.get("type")
        if kind == "image" and isinstance(value, dict) and value.get("image"):
            images.add(int(value["image"]))
        elif kind == "glossary" and value:
            glossary.add(int(value))
        elif kind == "contact" and value:
            contacts.add(int(value))
    return images, glossary, contacts


def steps(items: list[Any]) -> tuple[Step, ...]:
    """ListBlock items of steps (stored as {"type": "item", "value": {...}})."""
    out = []
    for item in items:
        value = item.get("value", item) if isinstance(item, dict) else {}
        out.append(Step(title=value.get("title", ""), text=value.get("text", "")))
    return tuple(out)


def topic_ref(topic: Any) -> TopicRef | None:
    return TopicRef(slug=topic.slug, name=topic.name) if topic is not None else None


def municipality_ref(municipality: Any) -> MunicipalityRef | None:
    if municipality is None:
        return None
    return MunicipalityRef(slug=municipality.slug, name=municipality.name)


def contact_ref(contact: Contact | None) -> ContactRef | None:
    if contact is None:
        return None
    organisation = contact.organisation
    return ContactRef(
        name=contact.name,
        role=contact.role,
        organisation=organisation.name if organisation else None,
        municipality=municipality_ref(contact.municipality),
        email=contact.email,
        phone=contact.phone,
    )


def image_ref(image: Any) -> ImageRef:
    """An image as channels receive it: renditions, srcset, localized alt, credit."""
    widths = [w for w in IMAGE_WIDTHS if w < image.width]
    widths.append(min(image.width, IMAGE_WIDTHS[-1]))
    renditions = image.get_renditions(*(f"width-{w}" for w in widths))
    sizes = sorted(
        (
            Rendition(width=r.width, height=r.height, url=r.full_url)
            for r in renditions.values()
        ),
        key=lambda r: r.width,
    )
    return ImageRef(
        id=image.pk,
        alt=image.localized_alt or image.description or "",
        credit=image.credit,
        width=image.width,
        height=image.height,
        renditions=tuple(sizes),
        srcset=", ".join(f"{r.url} {r.width}w" for r in sizes),
    )


def _images_queryset(image_ids: Any, codes: Iterable[str]) -> QuerySet:
    """Public images ``image_ids`` names, with their alt text in each of ``codes``
    (as ``alt_0``, ``alt_1`` …)."""
    alt_texts = {
        f"alt_{n}": Subquery(
            ImageAltText.objects.filter(
                image_id=OuterRef("pk"), locale__language_code=code
            ).values("text")[:1]
        )
        for n, code in enumerate(codes)
    }
    return (
        get_image_model()
        .objects.filter(any_of("pk", image_ids))
        .annotate(is_restricted=restricted_collection_exists(), **alt_texts)
        .filter(is_restricted=False)
    )


# Image ids no image has: the compiled statements' list parameter.
_IMAGES_SENTINEL = [-2_000_000_006, -2_000_000_007]
_compiled_images: dict[tuple[str, ...], CompiledModelQuery | None] = {}


def _images_compiled(codes: tuple[str, ...]) -> CompiledModelQuery | None:
    """``_images_queryset`` for ``codes``, compiled once (PostgreSQL: the ids are
    one array parameter): every built API page with a picture asks it."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return None
    if codes not in _compiled_images:
        _compiled_images[codes] = model_query_compile(
            _images_queryset(_IMAGES_SENTINEL, codes),
            get_image_model()._meta.pk,
            _IMAGES_SENTINEL,
            many=True,
        )
    return _compiled_images[codes]


def images_for_locales(
    image_ids: set[int], locale_codes: Iterable[str]
) -> dict[str, dict[int, Any]]:
    """Public images with renditions and alt text per locale: locale → id → image.

    Images in a view-restricted collection are left out: channels then show none.
    Two queries (images with every locale's alt text, renditions), whatever the
    number of images and locales.
    """
    codes = list(dict.fromkeys(locale_codes))
    if not codes or not image_ids:
        return {code: {} for code in codes}
    compiled = _images_compiled(tuple(codes))
    if compiled is not None:
        images = compiled.objects(list(image_ids))
        prefetch_related_objects(images, "renditions")
    else:
        images = list(
            _images_queryset(list(image_ids), codes).prefetch_related("renditions")
        )
    by_locale: dict[str, dict[int, Any]] = {}
    for n, code in enumerate(codes):
        by_locale[code] = {}
        for image in images:
            # One object per locale: the alt text is the only difference.
            localized = image if len(codes) == 1 else copy.copy(image)
            localized.localized_alt = getattr(image, f"alt_{n}")
            by_locale[code][image.pk] = localized
    return by_locale


def image_files(image_ids: set[int], spec: str | Filter) -> dict[int, Path]:
    """The file of rendition ``spec`` (a filter spec, or a ``Filter`` that writes
    its files its own way) of each public image, by id (print copies them into its
    build folder). Creates missing renditions."""
    if not image_ids:
        return {}
    images = (
        get_image_model()
        .objects.filter(pk__in=image_ids)
        .annotate(is_restricted=restricted_collection_exists())
        .filter(is_restricted=False)
    )
    return {image.pk: Path(image.get_rendition(spec).file.path) for image in images}


def _localized(
    objects: list, ids: set[int], chain: tuple[str, ...], named: Iterable[Any] = ()
) -> dict[int, Any]:
    """Map each referenced id to the best version of that snippet in ``chain``
    among ``objects``; ``named`` are referenced objects that may not serve, kept
    where no version of theirs does."""
    by_key: dict[tuple[UUID, str], Any] = {
        (o.translation_key, o.locale.language_code): o for o in objects
    }
    by_id = {o.pk: o for o in [*named, *objects]}
    result = {}
    for pk in ids:
        original = by_id.get(pk)
        if original is None:
            continue
        for code in chain:
            if (original.translation_key, code) in by_key:
                result[pk] = by_key[(original.translation_key, code)]
                break
        else:
            result[pk] = original
    return result
