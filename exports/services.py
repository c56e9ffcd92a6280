"""Writes of the pipeline core: content events (the outbox), the content stamp, and
consent withdrawals that come due."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from cms.pages.models import PortraitConsent
from exports.content import locales_reading
from exports.models import ContentEvent, ContentStamp

# Sent inside the writing transaction with ``events=[ContentEvent, ...]``. Channels
# listen to it to enqueue their delivery with ``transaction.on_commit``.
content_events_recorded = Signal()


def content_events_record(
    *,
    pages: Iterable[Page],
    kind: ContentEvent.Kind | str,
    locales: Iterable[str] | None = None,
) -> list[ContentEvent]:
    """Record that ``pages`` changed, once per locale whose document may change.

    A German page also changes every locale that falls back to German, so one
    German publish writes one event per such locale; ``locales`` narrows that to
    the locales that changed (a new audio file of one locale). Call inside the
    transaction that makes the change; the rows commit or roll back with it.
    """
    only = set(locales) if locales is not None else None
    events = []
    for page in pages:
        if page.depth <= 1:
            continue  # the tree root is never a document
        revision_id = getattr(page, "live_revision_id", None)
        for locale in locales_reading(page.locale.language_code):
            if only is not None and locale not in only:
                continue
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


def content_events_record_by_id(
    *,
    page_ids: Iterable[int],
    kind: ContentEvent.Kind | str,
    locales: Iterable[str] | None = None,
) -> list[ContentEvent]:
    """``content_events_record`` for pages named by id, in tree order: a channel
    knows its pages by the ids in its artifacts and never queries pages itself."""
    return content_events_record(
        pages=Page.objects.filter(pk__in=list(page_ids))
        .select_related("locale")
        .order_by("path"),
        kind=kind,
        locales=locales,
    )


def content_stamp_bump() -> None:
    """Move the content stamp: shared content (snippets, images, consent) changed."""
    updated = ContentStamp.objects.update(value=F("value") + 1)
    if not updated:
        ContentStamp.objects.create(value=1)


# How far back the daily check looks for withdrawals that came due: beat may have
# been stopped for a while, and a missed date must still be announced.
WITHDRAWALS_LOOKBACK = timedelta(days=31)


def consent_withdrawals_due_record(*, today: date | None = None) -> int:
    """Record that portraits whose consent withdrawal date has come left every
    channel; returns how many portraits were announced.

    A withdrawal dated in the future takes effect at the start of its date
    (``consent_in_force``); nothing is written at that moment, so this runs
    from beat (hourly) and announces every portrait whose withdrawal came due
    since its last event. Idempotent: a portrait with an event from the
    withdrawal date on is already known to every channel.
    """
    today = today or timezone.localdate()
    due = PortraitConsent.objects.filter(
        withdrawn_on__lte=today, withdrawn_on__gte=today - WITHDRAWALS_LOOKBACK
    )
    announced = []
    for consent in due:
        assert consent.withdrawn_on is not None  # filtered above
        start = timezone.make_aware(datetime.combine(consent.withdrawn_on, time.min))
        portraits = Page.objects.filter(portraitpage__consent=consent).exclude(
            Exists(
                ContentEvent.objects.filter(
                    page_id=OuterRef("pk"),
                    kind__in=[ContentEvent.Kind.CONSENT, ContentEvent.Kind.DUE],
                    created_at__gte=start,
                )
            )
        )
        announced.extend(portraits.select_related("locale"))
    if announced:
        with transaction.atomic():
            content_stamp_bump()
            content_events_record(pages=announced, kind=ContentEvent.Kind.DUE)
    return len(announced)
