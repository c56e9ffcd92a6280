"""A channel added through one EXPORT_CHANNELS entry and nothing else takes part in
the whole lifecycle: it receives the content events, publishes a file through the
core, the API lists and serves it, and the website announces it."""

from __future__ import annotations

import hashlib
import json

import pytest

from exports.artifacts import channel_artifacts_build
from exports.channels import channel_get
from exports.content import handbooks_source
from exports.models import Artifact
from exports.website.models import WebhookDelivery
from tests.conftest import wait_until
from tests.factories.pages import chapter_factory, handbook_factory

TOY = {"BACKEND": "tests.exports.toy_channel.ToyChannel"}


@pytest.mark.django_db(transaction=True)
def test_a_toy_channel_receives_events_and_its_file_is_listed_served_and_announced(
    website, pipeline, settings, client, tmp_path
):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "toy": {**TOY, "OPTIONS": {"ROOT": str(tmp_path / "toy")}},
    }
    website.up()
    toy = channel_get("toy")

    # The toy builds the first handbook's tree; a new chapter in it must show.
    handbook = next(iter(handbooks_source()), None) or handbook_factory()
    chapter = chapter_factory(handbook, title="Ankommen im Landkreis")

    # The events, inside the publishing transaction.
    heard = {(e.translation_key, e.locale) for e in toy.events}
    assert (chapter.translation_key, "de") in heard
    # Its own file came back to it as a core event, like to every channel.
    assert any(a.channel == "toy" and a.locale == "de" for a in toy.artifacts_heard)

    artifact = Artifact.objects.get(channel="toy", locale="de", is_current=True)
    assert (tmp_path / "toy" / f"{artifact.sha256}.txt").exists()

    listing = client.get("/api/v1/artifacts/")
    assert listing.status_code == 200
    items = [i for i in listing.json()["items"] if i["channel"] == "toy"]
    item = next(i for i in items if i["locale"] == "de")
    assert item["url"] == "/api/v1/artifacts/toy/de.txt"
    assert item["media_type"] == "text/plain"
    assert item["sha256"] == artifact.sha256 and item["pages"] is None

    download = client.get(item["url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    body = b"".join(download.streaming_content)
    assert body.startswith(b"toy\nde\n")
    # Built from the content tree: the new chapter's title is in it.
    assert b"Ankommen im Landkreis" in body
    assert hashlib.sha256(body).hexdigest() == download["ETag"].strip('"')
    again = client.get(item["url"], HTTP_IF_NONE_MATCH=download["ETag"])
    assert again.status_code == 304
    # The extension follows the media type: the same file is no PDF.
    missing = client.get("/api/v1/artifacts/toy/de.pdf")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"

    # The website channel recorded and sent artifact.updated for it.
    delivery = WebhookDelivery.objects.filter(
        artifact_channel="toy", locale="de"
    ).latest("pk")
    assert delivery.event_kind == "artifact"

    def announced() -> list[dict]:
        return [
            json.loads(row["body"])
            for row in website.messages("artifact:toy")
            if row["locale"] == "de"
        ]

    assert wait_until(
        lambda: any(
            m["data"]["document"]["sha256"] == artifact.sha256 for m in announced()
        )
    )
    message = announced()[-1]
    assert message["type"] == "artifact.updated"
    assert message["data"]["document"] == item


@pytest.mark.django_db
def test_a_channel_adds_fields_to_page_documents_and_serves_the_parts_of_its_set(
    settings, client, tmp_path, demo_handbook
):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "toy": {**TOY, "OPTIONS": {"ROOT": str(tmp_path / "toy")}},
    }
    toy = channel_get("toy")
    page = client.get(f"/api/v1/pages/{demo_handbook.pk}/").json()
    assert page["channels"]["toy"] == {"title_length": len(demo_handbook.title)}
    # "channels" comes right before "meta", after the page type's own fields.
    assert list(page)[-2:] == ["channels", "meta"]

    assert client.get("/api/v1/artifacts/toy/de/first.txt").status_code == 404
    channel_artifacts_build(toy, locales=["de"])
    part = client.get("/api/v1/artifacts/toy/de/first.txt")
    assert part.status_code == 200
    assert b"".join(part.streaming_content) == demo_handbook.title.encode()
    # Only what the current set lists is served; nothing else under its root.
    (tmp_path / "toy" / "parts" / "other.txt").write_text("private")
    assert client.get("/api/v1/artifacts/toy/de/other.txt").status_code == 404
    assert client.get("/api/v1/artifacts/toy/en/first.txt").status_code == 404
