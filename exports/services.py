"""Writes of the pipeline core: content events (the outbox) and the content stamp."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.dispatch import Signal
from wagtail.models import Page

from exports.content import locales_reading
from exports.models import ContentEvent, ContentStamp

# Sent inside the writing transaction with ``events=[ContentEvent, ...]``. Channels
# listen to it to enqueue their delivery with ``transaction.on_commit``.
content_events_recorded = Signal()


def content_events_record(
    *, pages: Iterable[Page], kind: ContentEvent.Kind | str
) -> list[ContentEvent]:
    """Record that ``pages`` changed, once per locale whose document may change.

    A German page also changes every locale that falls back to German, so one
    German publish writes one event per such locale. Call inside the transaction
    that makes the change; the rows commit or roll back with it.
    """
    events = []
    for page in pages:
        if page.depth <= 1:
            continue  # the tree root is never a document
        revision_id = getattr(page, "live_revision_id", None)
        for locale in locales_reading(page.locale.language_code):
            events.append(
                ContentEvent(
                    translation_key=page.translation_key,
                    locale=locale,
                    page_id=page.pk,
                    kind=kind,
                    revision_id=revision_id,
                )
            )
    if events:
        # bulk_create keeps the ids on PostgreSQL and SQLite ≥ 3.35.
        events = ContentEvent.objects.bulk_create(events)
        content_events_recorded.send(sender=ContentEvent, events=events)
    return events


def content_stamp_bump() -> None:
    """Move the content stamp: shared content (snippets, images, consent) changed."""
    updated = ContentStamp.objects.update(value=F("value") + 1)
    if not updated:
        ContentStamp.objects.create(value=1)
