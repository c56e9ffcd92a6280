"""Signal handlers: they only record what changed; services do the rest."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from exports.channels import channels_shared_content_changed
from exports.models import ContentEvent
from exports.services import content_events_record, content_stamp_bump


def on_page_published(sender: object, instance: Page, **kwargs: object) -> None:
    content_events_record(pages=[instance], kind=ContentEvent.Kind.PUBLISHED)


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


def on_shared_content_changed(
    sender: object, raw: bool = False, **kwargs: object
) -> None:
    if not raw:
        content_stamp_bump()
        channels_shared_content_changed()


def on_view_restriction_changed(
    sender: object, instance: Any, raw: bool = False, **kwargs: object
) -> None:
    """A page became private or public again: its subtree's documents change."""
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


def connect() -> None:
    from cms.images.models import HandbookImage, ImageAltText
    from cms.pages.models import PortraitConsent
    from cms.snippets.models import (
        Contact,
        GlossaryTerm,
        Municipality,
        Organisation,
        Topic,
    )

    page_published.connect(on_page_published, dispatch_uid="exports-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="exports-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="exports-moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="exports-deleted")
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
        for model in (
            Topic,
            Organisation,
            Contact,
            GlossaryTerm,
            Municipality,
            HandbookImage,
            ImageAltText,
        ):
            signal.connect(
                on_shared_content_changed,
                sender=model,
                dispatch_uid=f"stamp-{model.__name__}-{id(signal)}",
            )
