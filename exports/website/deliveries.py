"""Recording website deliveries: fold content events and new files into pending rows.

Runs inside the transaction that changed the content (or made a file current), so
the rows commit or roll back with it. Only one delivery per endpoint, page and
locale is ``pending``: newer events fold into it. The broker is told after commit;
if it is down, the sweep (``sweep.py``) sends the rows later.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from celery import signature
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from exports.content import page_titles_get
from exports.models import Artifact, ContentEvent
from exports.website.endpoints import WebsiteConfig, endpoints_for
from exports.website.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# The delivery task's name (tasks.py); enqueued by name, so queued messages of older
# releases still run and this module needs nothing of the task module.
DELIVER_WEBHOOK_TASK = "exports.deliver_webhook"


def website_deliveries_record(
    *, channel: WebsiteConfig, events: Sequence[ContentEvent]
) -> list[int]:
    """Fold ``events`` into pending deliveries, one per endpoint, page and locale.

    Runs in the transaction that changed the content. A page with a delivery already
    waiting gets that row moved to the newer event instead of a second row. The
    broker is told after commit; if it is down, the sweep sends the rows later.
    """
    now = timezone.now()
    latest: dict[tuple, ContentEvent] = {}
    for event in events:
        latest[(event.translation_key, event.locale)] = event
    touched: list[int] = []
    titles = page_titles_get(page_ids={e.page_id for e in latest.values()})
    for endpoint in endpoints_for(channel):
        for (key, locale), event in latest.items():
            fields = {
                "sequence": event.pk,
                "page_id": event.page_id,
                "event_kind": event.kind,
                "page_title": titles.get(event.page_id, "")[:255],
            }
            touched.append(
                _pending_delivery_fold(
                    endpoint=endpoint, key=key, locale=locale, now=now, fields=fields
                )
            )
    transaction.on_commit(
        lambda: website_deliveries_enqueue(delivery_ids=touched, unqueued_only=True)
    )
    return touched


def artifact_translation_key(channel: str) -> uuid.UUID:
    """The fixed key under which a channel's files are delivered (one per channel).

    Deliveries are keyed by (endpoint, translation key, locale); a file has no
    page, so this stable UUID stands in and coalescing works unchanged.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wegweiser:artifact:{channel}")


def website_artifact_deliveries_record(
    *, channel: WebsiteConfig, artifact: Artifact
) -> list[int]:
    """Announce that ``artifact`` is its channel's new file (``artifact.updated``),
    or, for a removal marker, that the file was taken down (``artifact.removed``).

    Runs in the transaction that makes the new file current; the sequence (the
    artifact's id) only grows. A delivery still waiting for the same channel and
    locale takes the newer sequence instead of a second row; sending, retries, the
    sweep and replays are the page deliveries' own.
    """
    now = timezone.now()
    key = artifact_translation_key(artifact.channel)
    label = "removed" if artifact.is_removal else artifact.extension.upper()
    fields = {
        "sequence": artifact.pk,
        "page_id": None,
        "event_kind": "artifact",
        "artifact_channel": artifact.channel,
        "page_title": f"{label} ({artifact.channel})",
    }
    touched = [
        _pending_delivery_fold(
            endpoint=endpoint,
            key=key,
            locale=artifact.locale,
            now=now,
            fields=fields,
        )
        for endpoint in endpoints_for(channel)
    ]
    if touched:
        transaction.on_commit(
            lambda: website_deliveries_enqueue(delivery_ids=touched, unqueued_only=True)
        )
    return touched


def _pending_delivery_fold(
    *,
    endpoint: WebhookEndpoint,
    key: uuid.UUID | str,
    locale: str,
    now: datetime,
    fields: dict[str, Any],
) -> int:
    """The id of the one pending row for (endpoint, key, locale), ``fields`` set.

    A newer event folds into the row that has not been sent yet instead of adding
    a second one; the partial unique index keeps it to one under concurrency.
    """
    pending = WebhookDelivery.objects.filter(
        endpoint=endpoint, translation_key=key, locale=locale, status="pending"
    )
    delivery_id = pending.values_list("pk", flat=True).first()
    if delivery_id is None:
        try:
            with transaction.atomic():
                return WebhookDelivery.objects.create(
                    endpoint=endpoint,
                    translation_key=key,
                    locale=locale,
                    next_attempt_at=now,
                    **fields,
                ).pk
        except IntegrityError:
            # Another transaction created the pending row meanwhile.
            delivery_id = pending.values_list("pk", flat=True).get()
    WebhookDelivery.objects.filter(pk=delivery_id).update(**fields)
    return delivery_id


def website_deliveries_enqueue(
    *, delivery_ids: Iterable[int], unqueued_only: bool = False
) -> int:
    """Hand deliveries to the broker; returns how many it took.

    ``unqueued_only``: skip rows that already have a message on the way. A publish
    that folds into a waiting row needs no second message (the row is read when
    its message is taken, so it sends the newest state); without this, loading
    the demo handbook queued about 4,000 messages for 300 rows, and every other
    task waited behind them. A row whose message is lost is re-sent by the sweep.

    A broker that is down is logged, not raised: the rows stay pending and the
    sweep enqueues them once it is back. Publishing never fails because of it.
    """
    delivery_ids = list(delivery_ids)
    now = timezone.now()
    rows = WebhookDelivery.objects.filter(pk__in=delivery_ids, status="pending")
    if unqueued_only:
        # One UPDATE decides, so two committing publishes send one message.
        rows.filter(enqueued_at__isnull=True).update(enqueued_at=now)
        delivery_ids = list(
            rows.filter(enqueued_at=now).order_by("pk").values_list("pk", flat=True)
        )
    else:
        # Marked before sending: a worker may finish (and reschedule) the delivery
        # before apply_async returns, and its newer state must not be overwritten.
        rows.update(enqueued_at=now)
    sent: list[int] = []
    try:
        for delivery_id in delivery_ids:
            signature(DELIVER_WEBHOOK_TASK, args=(delivery_id,)).apply_async(
                retry=False
            )
            sent.append(delivery_id)
    except (BrokerUnavailable, OSError) as exc:
        unsent = delivery_ids[len(sent) :]
        WebhookDelivery.objects.filter(pk__in=unsent, status="pending").update(
            enqueued_at=None
        )
        logger.warning(
            "Broker unavailable, %d deliveries stay queued in the database for the "
            "next sweep: %s",
            len(unsent),
            exc,
        )
    return len(sent)


def delivery_back_to_pending(delivery: WebhookDelivery, **fields: Any) -> None:
    """Return a row to ``pending``, unless a newer one is already waiting.

    Then the newer row carries the latest state and this one is superseded.
    """
    try:
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status="pending", enqueued_at=None, **fields
            )
    except IntegrityError:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status="superseded",
            **{k: v for k, v in fields.items() if k.startswith("last_")},
            lease_expires_at=None,
        )
