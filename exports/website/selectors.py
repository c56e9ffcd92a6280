"""Reads of the website channel: the webhook payload and the admin's overviews."""

from __future__ import annotations

import json

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from exports.artifacts import artifact_current, artifact_item
from exports.content import document_build, document_bytes, page_version_resolve
from exports.website.models import WebhookDelivery, WebhookEndpoint

# Payload ``type`` values. A page that no longer serves a locale (unpublished,
# deleted, made private, consent withdrawn) is "removed" for that locale.
PAGE_UPDATED = "page.updated"
PAGE_REMOVED = "page.removed"
# A channel's file (a print PDF, …) in one locale was replaced by a new one.
ARTIFACT_UPDATED = "artifact.updated"


def website_payload(delivery: WebhookDelivery) -> bytes:
    """The body of one webhook: the page's current state in the delivery's locale.

    A delivery that announces a file (``artifact_channel`` set) gets the file's
    payload instead (``artifact_payload``).

    ``data.document`` is spliced in as the exact bytes the delivery API serves for
    ``/api/v1/pages/<id>/?locale=…``, so pulled and pushed documents are identical.
    ``data.sequence`` grows with every change; receivers keep the highest.
    """
    if delivery.is_artifact:
        return artifact_payload(delivery)
    resolution = page_version_resolve(
        locale_code=delivery.locale, translation_key=delivery.translation_key
    )
    document = document_build(resolution)
    served = resolution.served
    data = {
        "translation_key": str(delivery.translation_key),
        "locale": delivery.locale,
        "page_id": served.id if served else delivery.page_id,
        "sequence": delivery.sequence,
        "revision": served.live_revision_id if served else None,
        "event": delivery.event_kind,
    }
    envelope = {
        "type": PAGE_UPDATED if document is not None else PAGE_REMOVED,
        "timestamp": timezone.now().isoformat(),
    }
    head = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))[:-1]
    data_head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))[:-1]
    doc = document_bytes(document) if document is not None else b"null"
    return (
        head.encode() + b',"data":' + data_head.encode() + b',"document":' + doc + b"}}"
    )


def artifact_payload(delivery: WebhookDelivery) -> bytes:
    """``artifact.updated``: the current file of a channel in the delivery's locale.

    ``data.translation_key`` is ``artifact:<channel>`` (stable, one "page" per
    channel and locale on the receiver), ``page_id`` and ``revision`` are null,
    ``sequence`` is the file's id (it grows with every new file) and ``document``
    is the file's item exactly as ``/api/v1/artifacts/`` lists it.
    """
    artifact = artifact_current(
        channel=delivery.artifact_channel, locale=delivery.locale
    )
    payload = {
        "type": ARTIFACT_UPDATED,
        "timestamp": timezone.now().isoformat(),
        "data": {
            "translation_key": f"artifact:{delivery.artifact_channel}",
            "locale": delivery.locale,
            "page_id": None,
            "sequence": max(delivery.sequence, artifact.pk if artifact else 0),
            "revision": None,
            "event": delivery.event_kind,
            "document": artifact_item(artifact) if artifact else None,
        },
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def endpoint_overview() -> list[dict]:
    """Every endpoint with its delivery counts per status, for the admin."""
    counts = {
        row["endpoint_id"]: row
        for row in WebhookDelivery.objects.values("endpoint_id").annotate(
            pending=Count("pk", filter=Q(status="pending")),
            sending=Count("pk", filter=Q(status="sending")),
            delivered=Count("pk", filter=Q(status="delivered")),
            failed=Count("pk", filter=Q(status="failed")),
        )
    }
    return [
        {"endpoint": endpoint, "counts": counts.get(endpoint.pk, {})}
        for endpoint in WebhookEndpoint.objects.order_by("name")
    ]


def deliveries_list(*, status: str | None = None) -> QuerySet[WebhookDelivery]:
    """Deliveries newest first, optionally of one status."""
    queryset = WebhookDelivery.objects.select_related("endpoint").order_by("-pk")
    if status:
        queryset = queryset.filter(status=status)
    return queryset
