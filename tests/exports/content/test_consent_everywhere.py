"""A consent's withdrawal date means the same in every channel.

One table of cases (withdrawn when, judged on which day) runs against every channel
that could show a portrait: the API, the webhook document, the changes feed, search,
the print data and the Leichte Sprache data. Withdrawal takes effect at the start
of its date in the district's time zone: withdrawn "tomorrow" is still visible
today and gone tomorrow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.api.params import cursor_encode
from cms.pages.models import PortraitIndexPage, PortraitPage
from exports.models import ContentEvent
from exports.print.data import print_source
from exports.print.layouts.simple import simple_print_data
from exports.website.models import WebhookDelivery
from exports.website.selectors import website_payload
from tests.exports.content.conftest import translate_fully

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)

# (withdrawn on, relative to TODAY; judged on, relative to TODAY; visible?)
CASES = [
    pytest.param(None, 0, True, id="never-withdrawn"),
    pytest.param(1, 0, True, id="withdrawn-tomorrow-seen-today"),
    pytest.param(1, 1, False, id="withdrawn-tomorrow-seen-tomorrow"),
    pytest.param(0, 0, False, id="withdrawn-today"),
    pytest.param(-1, 0, False, id="withdrawn-yesterday"),
]


@pytest.fixture
def portrait() -> PortraitPage:
    """A demo portrait with every consent given, also in Leichte Sprache."""
    page = PortraitPage.objects.get(slug="mariana", locale__language_code="de")
    consent = page.consent
    consent.web = consent.print = consent.simple = True
    consent.withdrawn_on = None
    consent.save()
    index = PortraitIndexPage.objects.get(locale__language_code="de")
    translate_fully(index, "de-x-ls")
    translate_fully(page, "de-x-ls")
    return page


def _api_shows(client, portrait: PortraitPage, cursor: int) -> bool:
    return client.get(f"/api/v1/pages/{portrait.pk}/").status_code == 200


def _webhook_shows(client, portrait: PortraitPage, cursor: int) -> bool:
    delivery = WebhookDelivery(
        translation_key=portrait.translation_key,
        locale="de",
        page_id=portrait.pk,
        event_kind=ContentEvent.Kind.CONSENT,
        sequence=1,
    )
    return b'"type":"page.updated"' in website_payload(delivery)


def _changes_show(client, portrait: PortraitPage, cursor: int) -> bool:
    since = cursor_encode(cursor)
    items = client.get(f"/api/v1/changes/?locale=de&since={since}").json()["changes"]
    actions = [
        i["action"]
        for i in items
        if i["translation_key"] == str(portrait.translation_key)
    ]
    assert actions, "the consent change is in the feed"
    return actions[-1] != "deleted"


def _search_shows(client, portrait: PortraitPage, cursor: int) -> bool:
    hits = client.get(f"/api/v1/search/?q={portrait.title.split()[0]}").json()
    return portrait.pk in {i["id"] for i in hits["items"]}


def _print_shows(client, portrait: PortraitPage, cursor: int) -> bool:
    data = print_source("de").data
    items = data["portraits"]["items"] if data["portraits"] else []
    return portrait.display_name in {i["name"] for i in items}


def _simple_shows(client, portrait: PortraitPage, cursor: int) -> bool:
    data = simple_print_data("de-x-ls")
    titles = {
        "".join(run.get("text", "") for run in section["title"])
        for chapter in data["chapters"]
        for section in chapter["sections"]
        if section["title"]
    }
    return portrait.title in titles


CHANNELS: dict[str, Callable[..., bool]] = {
    "api": _api_shows,
    "webhook": _webhook_shows,
    "changes": _changes_show,
    "search": _search_shows,
    "print": _print_shows,
    "simple": _simple_shows,
}


@pytest.mark.parametrize(("withdrawn", "judged", "visible"), CASES)
def test_every_channel_applies_the_same_withdrawal_date(
    client, monkeypatch, portrait, withdrawn, judged, visible
):
    real_localdate = timezone.localdate
    day = TODAY + timedelta(days=judged)
    # The district's "today" is what moves; nothing else about time changes.
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda *args, **kwargs: day if not args else real_localdate(*args, **kwargs),
    )
    cursor = ContentEvent.objects.order_by("-id").values_list("id", flat=True)[0]
    consent = portrait.consent
    consent.withdrawn_on = (
        None if withdrawn is None else TODAY + timedelta(days=withdrawn)
    )
    consent.note = f"case {withdrawn}/{judged}"  # a change even when the date is None
    consent.save()
    cache.clear()
    seen = {name: shows(client, portrait, cursor) for name, shows in CHANNELS.items()}
    assert seen == dict.fromkeys(CHANNELS, visible)
