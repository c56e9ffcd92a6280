"""A withdrawal dated tomorrow takes effect tomorrow, in every channel, files
included — the clock is travelled (time-machine), never slept.

Deliveries run in this process here, even where CI has a real worker: the
worker is another process, and its clock cannot be moved. Everything else is
real: the reference receiver over HTTP, files on disk, the beat task that
announces the date coming due.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.images import get_image_model

from exports.artifacts import artifact_publish
from exports.tasks import consent_withdrawals_due_task
from tests.conftest import wait_until
from tests.factories.images import jpeg_with_gps
from tests.factories.pages import handbook_factory, portrait_factory

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACT_URL = "/api/v1/artifacts/print/de.pdf"


def everywhere(client, website, portrait, photo_url: str, cursor: str) -> dict:
    """Where the portrait can be seen, channel by channel."""
    changes = client.get(f"/api/v1/changes/?locale=de&since={cursor}").json()
    actions = [
        c["action"]
        for c in changes["changes"]
        if c["translation_key"] == str(portrait.translation_key)
    ]
    search = client.get(f"/api/v1/search/?q={portrait.title}&locale=de").json()
    pushed = website.current(portrait.translation_key).get("de")
    # The website's copy of the PDF: announced, or taken down (artifact.removed).
    pdf = website.current("artifact:print").get("de")
    return {
        "api": client.get(f"/api/v1/pages/{portrait.pk}/?locale=de").status_code == 200,
        "changes": bool(actions) and actions[-1] != "deleted",
        "search": portrait.pk in {item["id"] for item in search["items"]},
        "webhook": pushed is not None
        and json.loads(pushed["body"])["type"] == "page.updated",
        "photo": client.get(photo_url).status_code == 200,
        "print": client.get(ARTIFACT_URL).status_code == 200,
        "website_pdf": pdf is not None
        and json.loads(pdf["body"])["type"] == "artifact.updated",
    }


def test_a_withdrawal_dated_tomorrow_takes_effect_tomorrow_everywhere(
    website, wagtail_tree, tasks_in_this_process, client, settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    website.up()
    today = timezone.localdate()
    with time_machine.travel(
        timezone.make_aware(datetime.combine(today, time(15, 0))), tick=True
    ) as clock:
        handbook = handbook_factory()
        portrait = portrait_factory(handbook)
        photo = get_image_model().objects.create(
            title="Porträt Zeitreise",
            file=ContentFile(jpeg_with_gps(), name="portrait-zeitreise.jpg"),
        )
        portrait.photo = photo
        portrait.save_revision().publish()
        photo_url = photo.get_rendition("width-480").url
        cursor = client.get("/api/v1/changes/?locale=de").json()["next_cursor"]

        consent = portrait.consent
        consent.withdrawn_on = today + timedelta(days=1)
        consent.save()
        # Today's PDF still shows her, as it may until tomorrow.
        artifact_publish(
            channel="print",
            locale="de",
            content=b"%PDF-1.7 Person mit Foto",
            media_type="application/pdf",
        )
        assert wait_until(
            lambda: all(
                everywhere(client, website, portrait, photo_url, cursor).values()
            )
        ), everywhere(client, website, portrait, photo_url, cursor)

        # Just after midnight in the district's time zone, beat's check runs.
        clock.move_to(
            timezone.make_aware(datetime.combine(today + timedelta(days=1), time(0, 1)))
        )
        consent_withdrawals_due_task.delay()

        assert wait_until(
            lambda: (
                not any(
                    everywhere(client, website, portrait, photo_url, cursor).values()
                )
            )
        ), everywhere(client, website, portrait, photo_url, cursor)
        assert client.get(photo.file.url).status_code == 404

        # The next PDF (without her) is announced after the removal, in order.
        artifact_publish(
            channel="print",
            locale="de",
            content=b"%PDF-1.7 ohne Foto",
            media_type="application/pdf",
        )
        assert wait_until(
            lambda: everywhere(client, website, portrait, photo_url, cursor)[
                "website_pdf"
            ]
        )
        kinds = [
            (row["type"], row["sequence"])
            for row in website.messages("artifact:print")
            if row["locale"] == "de"
        ]
        assert [kind for kind, _sequence in kinds] == [
            "artifact.updated",
            "artifact.removed",
            "artifact.updated",
        ]
        sequences = [sequence for _kind, sequence in kinds]
        assert sequences == sorted(set(sequences))  # each newer than the last
