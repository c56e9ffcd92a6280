"""Reads of the website channel: the webhook payload and the admin's overviews."""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from exports.artifacts import artifact_current, artifact_item
from exports.content import (
    Resolution,
    document_bytes,
    node_documents,
    page_nodes_build,
    page_versions_by_key,
)
from exports.website.models import WebhookDelivery, WebhookEndpoint

# Payload ``type`` values. A page that no longer serves a locale (unpublished,
# deleted, made private, consent withdrawn) is "removed" for that locale.
PAGE_UPDATED = "page.updated"
PAGE_REMOVED = "page.removed"
# A channel's file (a print PDF, …) in one locale was replaced by a new one …
ARTIFACT_UPDATED = "artifact.updated"
# … or taken down with none in its place yet (a consent withdrawn): a site that
# keeps a copy deletes it.
ARTIFACT_REMOVED = "artifact.removed"


def website_payload(delivery: WebhookDelivery) -> bytes:
    """The body of one webhook (see ``website_payloads``)."""
    return website_payloads([delivery])[0]


def website_payloads(deliveries: Sequence[WebhookDelivery]) -> list[bytes]:
    """The bodies of a batch of webhooks: each page's current state in its locale.

    A delivery that announces a file (``artifact_channel`` set) gets the file's
    payload instead (``artifact_payload``).

    The pages' nodes come from the content tree, built together for each locale of
    the batch (a fixed number of queries per locale, whatever the batch size), and
    ``data.document`` is the node's document: the exact bytes the delivery API
    serves for ``/api/v1/pages/<id>/?locale=…``. ``data.sequence`` grows with every
    change; receivers keep the highest.
    """
    by_locale: dict[str, list[WebhookDelivery]] = {}
    for delivery in deliveries:
        if not delivery.is_artifact:
            by_locale.setdefault(delivery.locale, []).append(delivery)
    pages: dict[tuple[str, UUID], tuple[Resolution | None, bytes | None]] = {}
    for code, group in by_locale.items():
        keys = {d.translation_key for d in group}
        resolutions = page_versions_by_key(locale_code=code, translation_keys=keys)
        nodes = page_nodes_build(list(resolutions.values()))
        documents = dict(
            zip(
                nodes,
                map(document_bytes, node_documents(list(nodes.values()))),
                strict=True,
            )
        )
        for key in keys:
            pages[(code, key)] = (resolutions.get(key), documents.get(key))
    return [
        artifact_payload(d)
        if d.is_artifact
        else _page_payload(d, *pages[(d.locale, d.translation_key)])
        for d in deliveries
    ]


def _page_payload(
    delivery: WebhookDelivery, resolution: Resolution | None, document: bytes | None
) -> bytes:
    """``document``: the node's document as ``document_bytes`` encodes it, or None
    (nothing serves the page: ``page.removed``)."""
    served = resolution.served if resolution else None
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
    doc = document if document is not None else b"null"
    return (
        head.encode() + b',"data":' + data_head.encode() + b',"document":' + doc + b"}}"
    )


def artifact_payload(delivery: WebhookDelivery) -> bytes:
    """``artifact.updated``: the current file of a channel in the delivery's locale;
    ``artifact.removed`` (``document`` null) when it has none (taken down).

    ``data.translation_key`` is ``artifact:<channel>`` (stable, one "page" per
    channel and locale on the receiver), ``page_id`` and ``revision`` are null,
    ``sequence`` is the file's id (it grows with every new file) and ``document``
    is the file's item exactly as ``/api/v1/artifacts/`` lists it.
    """
    artifact = artifact_current(
        channel=delivery.artifact_channel, locale=delivery.locale
    )
    payload = {
        "type": ARTIFACT_UPDATED if artifact else ARTIFACT_REMOVED,
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
