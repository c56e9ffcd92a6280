"""Signal handlers: they only record what changed; services do the rest.

Every change to something a served document contains ends as content events for
the (page, locale) pairs whose documents change (``content_events_record``), in
the transaction that made it: pages directly, shared content (snippets, images,
alt texts, collection privacy) through Wagtail's reference index
(``exports.propagation``), translation status through wagtail-localize's rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.images.models import HandbookImage, ImageAltText
from cms.locales import SOURCE_LOCALE, locales_reading
from cms.pages.models import PortraitConsent
from cms.pages.services import portrait_consent_switched
from cms.snippets.models import Contact, GlossaryTerm, Municipality, Organisation, Topic
from exports.channels import channels_shared_content_changed
from exports.models import ContentEvent
from exports.propagation import (
    pages_referring_to,
    pages_showing_collection,
    pages_using_words,
)
from exports.services import content_events_record, content_stamp_bump

# Snippets a document embeds; a change reaches the pages that refer to them.
SHARED_MODELS = (Topic, Organisation, Contact, GlossaryTerm, Municipality)


def _pages(ids: set[int]) -> Any:
    return Page.objects.filter(pk__in=ids).select_related("locale")


def on_page_published(sender: object, instance: Page, **kwargs: object) -> None:
    content_events_record(pages=[instance], kind=ContentEvent.Kind.PUBLISHED)
    if instance.locale.language_code != SOURCE_LOCALE:
        return
    # A newer source makes its translations outdated. Locales falling back to the
    # source got an event above; the others (Leichte Sprache) need their own.
    reading = set(locales_reading(SOURCE_LOCALE))
    translations = (
        Page.objects.filter(translation_key=instance.translation_key, live=True)
        .exclude(locale__language_code__in=reading)
        .select_related("locale")
    )
    content_events_record(pages=translations, kind=ContentEvent.Kind.TRANSLATION)


def on_page_unpublished(sender: object, instance: Page, **kwargs: object) -> None:
    content_events_record(pages=[instance], kind=ContentEvent.Kind.UNPUBLISHED)


def on_page_moved(sender: object, instance: Page, **kwargs: object) -> None:
    # Paths change for the page and everything below it.
    moved = Page.objects.filter(path__startswith=instance.path).select_related("locale")
    content_events_record(pages=moved, kind=ContentEvent.Kind.MOVED)


def on_page_deleted(sender: object, instance: Page, **kwargs: object) -> None:
    if instance.first_published_at is None:
        return  # never published: no channel has it
    content_events_record(pages=[instance], kind=ContentEvent.Kind.DELETED)


def on_consent_changed(
    sender: object, instance: Any, raw: bool = False, **kwargs: object
) -> None:
    if raw:
        return
    content_stamp_bump()
    portraits = Page.objects.filter(portraitpage__consent=instance).select_related(
        "locale"
    )
    content_events_record(pages=portraits, kind=ContentEvent.Kind.CONSENT)


def on_consent_switched(sender: object, translation_key: Any, **kwargs: object) -> None:
    """A portrait now uses another consent record, in every locale."""
    content_stamp_bump()
    portraits = Page.objects.filter(translation_key=translation_key).select_related(
        "locale"
    )
    content_events_record(pages=portraits, kind=ContentEvent.Kind.CONSENT)


def _remember_glossary_word(
    sender: object, instance: GlossaryTerm, raw: bool = False, **kwargs: object
) -> None:
    # A renamed term leaves the pages that used the old word: both count.
    if raw or instance.pk is None:
        return
    instance._stored_term = (
        GlossaryTerm.objects.filter(pk=instance.pk).values_list("term", flat=True)
    ).first()


def _shared_pages(instance: Any) -> set[int]:
    """The pages whose documents show ``instance`` (a snippet, image, alt text)."""
    if isinstance(instance, ImageAltText):
        image = HandbookImage(pk=instance.image_id)
        return pages_referring_to([image])
    pages = pages_referring_to([instance])
    if isinstance(instance, GlossaryTerm):
        words = [instance.term, getattr(instance, "_stored_term", None) or ""]
        pages |= pages_using_words(
            words=words, locale_code=instance.locale.language_code
        )
    return pages


def on_shared_content_changed(
    sender: object, instance: Any, raw: bool = False, **kwargs: object
) -> None:
    if raw:
        return
    content_stamp_bump()
    channels_shared_content_changed()
    content_events_record(
        pages=_pages(_shared_pages(instance)), kind=ContentEvent.Kind.REFERENCE
    )


def on_view_restriction_changed(
    sender: object, instance: Any, raw: bool = False, **kwargs: object
) -> None:
    """A page or collection became private or public again: the documents of the
    pages below it, or of the pages showing its images, change."""
    if raw:
        return
    content_stamp_bump()
    if isinstance(instance, PageViewRestriction):
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is None:
            return  # deleted together with its page; the delete is recorded
        pages = Page.objects.filter(path__startswith=page.path, live=True)
        content_events_record(
            pages=pages.select_related("locale"), kind=ContentEvent.Kind.VISIBILITY
        )
    elif isinstance(instance, CollectionViewRestriction):
        channels_shared_content_changed()
        content_events_record(
            pages=_pages(pages_showing_collection(instance)),
            kind=ContentEvent.Kind.VISIBILITY,
        )


def on_segment_translated(
    sender: object, instance: StringTranslation, raw: bool = False, **kwargs: object
) -> None:
    """A translator saved or removed a segment: the translation's status changes."""
    if raw:
        return
    pages = Page.objects.filter(
        translation_key=instance.context.object_id,
        locale_id=instance.locale_id,
        live=True,
    ).select_related("locale")
    content_events_record(pages=pages, kind=ContentEvent.Kind.TRANSLATION)


def on_source_extracted(
    sender: object, instance: TranslationSource, raw: bool = False, **kwargs: object
) -> None:
    """The source text was extracted again (a sync): every translation's status
    is measured against the new text."""
    if raw:
        return
    pages = (
        Page.objects.filter(translation_key=instance.object_id, live=True)
        .exclude(locale_id=instance.locale_id)
        .select_related("locale")
    )
    content_events_record(pages=pages, kind=ContentEvent.Kind.TRANSLATION)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="exports-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="exports-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="exports-moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="exports-deleted")
    portrait_consent_switched.connect(
        on_consent_switched, dispatch_uid="exports-consent-switched"
    )
    pre_save.connect(
        _remember_glossary_word, sender=GlossaryTerm, dispatch_uid="glossary-word"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_consent_changed,
            sender=PortraitConsent,
            dispatch_uid=f"consent-{id(signal)}",
        )
        for model in (PageViewRestriction, CollectionViewRestriction):
            signal.connect(
                on_view_restriction_changed,
                sender=model,
                dispatch_uid=f"restriction-{model.__name__}-{id(signal)}",
            )
        signal.connect(
            on_segment_translated,
            sender=StringTranslation,
            dispatch_uid=f"segment-translated-{id(signal)}",
        )
    post_save.connect(
        on_source_extracted, sender=TranslationSource, dispatch_uid="source-extracted"
    )
    # Saves are followed after the write; deletes before it, while the reference
    # index still knows who pointed at the deleted row.
    for signal in (post_save, pre_delete):
        for model in (*SHARED_MODELS, HandbookImage, ImageAltText):
            signal.connect(
                on_shared_content_changed,
                sender=model,
                dispatch_uid=f"stamp-{model.__name__}-{id(signal)}",
            )
