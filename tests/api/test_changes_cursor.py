"""``changes/`` refuses a cursor it never issued, so a client notices a restore."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cms.api.params import cursor_encode
from exports.models import ContentEvent

pytestmark = pytest.mark.django_db


def changes(client, since: str = ""):
    return client.get(f"/api/v1/changes/?locale=de&since={since}&limit=5")


def test_an_issued_cursor_is_taken_and_a_future_one_refused(client):
    first = changes(client)
    assert first.status_code == 200
    cursor = first.json()["next_cursor"]
    assert changes(client, cursor).status_code == 200

    newest = ContentEvent.objects.order_by("-pk").first()
    future = cursor_encode(newest.pk + 10, newest.created_at)
    refused = changes(client, future)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid_cursor"
    assert "Resync from the start" in error["message"]


def test_a_cursor_from_before_a_restore_is_refused(client):
    """The event a cursor names was recorded at another moment: another database
    (a backup restored, its ids handed out again) recorded it."""
    first = changes(client).json()
    assert first["changes"], "the demo handbook recorded events"
    event = ContentEvent.objects.get(pk=ContentEvent.objects.order_by("pk")[4].pk)
    other_moment = cursor_encode(event.pk, event.created_at + timedelta(seconds=1))
    assert changes(client, other_moment).status_code == 400
    assert changes(client, cursor_encode(event.pk, event.created_at)).status_code == 200


def test_a_cursor_of_an_earlier_release_still_works_unless_it_is_ahead(client):
    newest = ContentEvent.objects.order_by("-pk").first()
    assert changes(client, cursor_encode(newest.pk)).status_code == 200
    assert changes(client, cursor_encode(newest.pk + 1)).status_code == 400
