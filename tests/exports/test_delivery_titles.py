"""The website delivery screen names each delivery by its page's title, read
through the content core (the website channel never queries pages itself)."""

from __future__ import annotations

import pytest

from exports.website.models import WebhookDelivery
from tests.factories.pages import chapter_factory, handbook_factory

pytestmark = pytest.mark.django_db


def test_a_delivery_is_named_by_the_title_of_its_page(website):
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Ankommen im Landkreis")
    chapter.title = "Ankommen im Alb-Donau-Kreis"
    chapter.save_revision().publish()

    titles = set(
        WebhookDelivery.objects.filter(
            translation_key=chapter.translation_key
        ).values_list("page_title", flat=True)
    )
    assert titles == {"Ankommen im Alb-Donau-Kreis"}
