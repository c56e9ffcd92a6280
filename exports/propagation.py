"""Which pages a change of shared content touches, found through Wagtail's reference
index.

A page's document embeds more than the page: topics, organisations, contacts,
municipalities, glossary terms, images with their alt texts and credit, and the
privacy of the images' collections. When one of those changes, the documents of
exactly the pages that refer to it change, in the locales that read them; those
pages get content events (the outbox), so ``changes/``, the webhooks and every
channel hear of it like of a publish.

References are followed through ``wagtail.models.ReferenceIndex`` (the index the
admin's "Usage" tab reads): a contact's organisation changes the pages that show
the contact, so the walk goes on through other snippets until it reaches pages.
A translatable snippet counts with all its locale versions: a German page served
in English shows the English topic that shares its translation key.

Glossary terms are the one exception the index cannot see: pages do not point to
them, the content tree marks a term wherever its word occurs in a text. For a term
the pages whose stored text has the word as a whole word, as the tree marks it
(before or after the change; compound splits ignored), are added to the pages the
index names (glossary blocks).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    ReferenceIndex,
    TranslatableMixin,
)

from cms.locales import locale_chain, locales_reading
from exports.content import glossary_term_in

# How far the walk follows snippets that refer to snippets (contact → organisation
# → page is two steps); deeper chains do not exist in the content model.
MAX_REFERENCE_DEPTH = 4
# How a compound split (Bürger·meister) may be stored in a text.
MEDIOPUNKT_FORMS = ("\u00b7", "&middot;", "&#183;", "&#xb7;")


def _with_translations(objects: Iterable[models.Model]) -> list[models.Model]:
    """``objects`` and every locale version of the translatable ones."""
    found: dict[tuple[type[models.Model], Any], models.Model] = {}
    by_model: dict[type[models.Model], set] = {}
    for obj in objects:
        found[(type(obj), obj.pk)] = obj
        if isinstance(obj, TranslatableMixin):
            by_model.setdefault(type(obj), set()).add(obj.translation_key)
    for model, keys in by_model.items():
        for obj in model._default_manager.filter(translation_key__in=keys):
            found[(model, obj.pk)] = obj
    return list(found.values())


def pages_referring_to(objects: Iterable[models.Model]) -> set[int]:
    """Ids of the live pages that show any of ``objects``, directly or through other
    snippets, by Wagtail's reference index."""
    page_type = ContentType.objects.get_for_model(Page).pk
    frontier = {
        (ReferenceIndex._get_base_content_type(obj).pk, str(obj.pk))
        for obj in _with_translations(objects)
        if obj.pk is not None
    }
    seen = set(frontier)
    page_ids: set[int] = set()
    for _depth in range(MAX_REFERENCE_DEPTH):
        if not frontier:
            break
        condition = Q()
        by_type: dict[int, set[str]] = {}
        for type_id, object_id in frontier:
            by_type.setdefault(type_id, set()).add(object_id)
        for type_id, object_ids in by_type.items():
            condition |= Q(to_content_type_id=type_id, to_object_id__in=object_ids)
        rows = ReferenceIndex.objects.filter(condition).values_list(
            "base_content_type_id", "content_type_id", "object_id"
        )
        referrers: set[tuple[int, str]] = set()
        for base_type, concrete_type, object_id in rows.distinct():
            if base_type == page_type:
                page_ids.add(int(object_id))
                continue
            model = ContentType.objects.get_for_id(concrete_type).model_class()
            referrers.add((base_type, object_id))
            # A snippet's other locale versions show the same thing translated.
            if model is not None and issubclass(model, TranslatableMixin):
                for pk in model._default_manager.filter(
                    translation_key__in=model._default_manager.filter(
                        pk=object_id
                    ).values("translation_key")
                ).values_list("pk", flat=True):
                    referrers.add((base_type, str(pk)))
        frontier = referrers - seen
        seen |= frontier
    return set(
        Page.objects.filter(pk__in=page_ids, live=True).values_list("pk", flat=True)
    )


def images_in_collection(collection: Collection) -> list[models.Model]:
    """The images in ``collection`` and the collections below it."""
    return list(
        get_image_model()
        .objects.filter(collection__path__startswith=collection.path)
        .only("pk")
    )


def pages_showing_collection(restriction: CollectionViewRestriction) -> set[int]:
    """Pages showing an image of the restricted collection (or one below it)."""
    collection = Collection.objects.filter(pk=restriction.collection_id).first()
    if collection is None:
        return set()
    return pages_referring_to(images_in_collection(collection))


def _stored_text(page: Page) -> str:
    """Every text a page stores, flattened, compound splits removed."""
    parts = []
    for field in page._meta.concrete_fields:
        value = field.value_from_object(page)
        if value is None or isinstance(field, models.ForeignKey):
            continue
        if isinstance(field, StreamField):
            parts.append(json.dumps(value.raw_data, ensure_ascii=False, default=str))
        elif isinstance(value, str):
            parts.append(value)
    text = "\n".join(parts)
    for form in MEDIOPUNKT_FORMS:
        text = text.replace(form, "")
    return text


def pages_using_words(*, words: Sequence[str], locale_code: str) -> set[int]:
    """Live pages that show a glossary term of ``locale_code`` worded as one of
    ``words`` (whole words, as the content tree marks them), in every locale whose
    fallback chain reaches the term's."""
    wanted = [w.replace("\u00b7", "") for w in words if w.strip()]
    if not wanted:
        return set()
    readers = locales_reading(locale_code)
    codes = {code for reader in readers for code in locale_chain(reader)}
    pages = Page.objects.filter(
        live=True, depth__gt=1, locale__language_code__in=codes
    ).specific(defer=False)
    found = set()
    for page in pages:
        text = _stored_text(page)
        if any(glossary_term_in(word, text) for word in wanted):
            found.add(page.pk)
    return found
