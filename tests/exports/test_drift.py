"""Nothing stale, nothing leaked: after edits of every kind the website holds
exactly what the API serves, and no withdrawn or private file is reachable.

One scripted sequence (shared set-up, so it stays quick): the real Celery worker
delivers (with REDIS_URL and DATABASE_URL, as CI runs it; in-process otherwise)
over real HTTP to the reference receiver on 127.0.0.1. Afterwards every document
the receiver holds is compared byte for byte with the API's answer for the same
page and locale, and every page the API serves must be on the receiver. Leaving
out any one kind of change propagation (reference index, translation status,
consent, collection privacy …) leaves a receiver document behind the API, and the
comparison fails.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from cms.images.models import ImageAltText
from cms.pages.models import PortraitConsent
from cms.snippets.models import Contact, GlossaryTerm, Organisation, Topic
from tests.conftest import wait_until
from tests.exports.conftest import settled
from tests.exports.test_website_channel import document_part
from tests.factories.images import jpeg_with_gps
from tests.factories.pages import chapter_factory, handbook_factory, portrait_factory

pytestmark = pytest.mark.django_db(transaction=True)


def new_image(title: str):
    return get_image_model().objects.create(
        title=title,
        file=ContentFile(jpeg_with_gps(), name=f"{title}.jpg"),
        description=f"Bild {title}",
    )


def simple_translation(page) -> Page:
    """``page`` translated into Leichte Sprache through wagtail-localize, every
    segment translated, published: its status is ``up_to_date``."""
    simple = Locale.objects.get(language_code="de-x-ls")
    TranslationCreator(user=None, target_locales=[simple]).create_translations(page)
    source = TranslationSource.objects.get_for_instance(page)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            context=segment.context,
            locale=simple,
            data=f"{segment.string.data} (einfach)",
        )
    Translation.objects.get(source=source, target_locale=simple).save_target(
        publish=True
    )
    return page.get_translation(simple)


def api_document(client, page_id: int, locale: str) -> bytes | None:
    answer = client.get(f"/api/v1/pages/{page_id}/?locale={locale}")
    assert answer.status_code in (200, 404), (page_id, locale, answer.status_code)
    return answer.content if answer.status_code == 200 else None


def no_drift(website, client, pages) -> bool:
    # Polled gently: every poll reads 72 documents, and the API throttles
    # anonymous clients (API_THROTTLE_RATE).
    return wait_until(lambda: drift(website, client, pages) == [], 40, interval=5)


def drift(website, client, pages) -> list[str]:
    """Every (page, locale) where the receiver and the API disagree."""
    found = []
    locales = [code for code in Locale.objects.values_list("language_code", flat=True)]
    for page in pages:
        current = website.current(page.translation_key)
        for locale in locales:
            served = api_document(client, page.pk, locale)
            row = current.get(locale)
            if served is None:
                if row is not None and json.loads(row["body"])["type"] != (
                    "page.removed"
                ):
                    found.append(f"{page.title} [{locale}]: receiver still shows it")
                continue
            if row is None:
                found.append(f"{page.title} [{locale}]: never reached the receiver")
            elif document_part(row["body"]) != served:
                found.append(f"{page.title} [{locale}]: receiver differs from API")
    return found


def test_after_edits_of_every_kind_the_website_equals_the_api(
    website, pipeline, client
):
    website.up()
    german = Locale.objects.get(language_code="de")
    topic = Topic.objects.create(name="Mobilität", slug="mobilitaet-d", locale=german)
    organisation = Organisation.objects.create(
        name="Landratsamt", kind="authority", locale=german
    )
    contact = Contact.objects.create(
        name="Frau Yilmaz", organisation=organisation, locale=german
    )
    GlossaryTerm.objects.create(
        term="Ausländerbehörde",
        slug="auslaenderbehoerde-d",
        explanation="Das Amt für Aufenthalt.",
        locale=german,
    )
    townhall, portrait_photo = new_image("rathaus-d"), new_image("portrait-d")
    market = new_image("markt-d")

    # One page per kind of change, so that no change hides another's missing
    # propagation (a later event would carry the earlier edit along).
    handbook = handbook_factory()
    chapter = chapter_factory(handbook, title="Ankommen")
    with_contact = chapter_factory(
        handbook,
        title="Ansprechpartner",
        body=[{"type": "contact", "value": contact.pk}],
    )
    with_word = chapter_factory(
        handbook, title="Ämter", intro="<p>Die Ausländer·behörde hilft weiter.</p>"
    )
    with_image = chapter_factory(
        handbook,
        title="Rathaus",
        body=[{"type": "image", "value": {"image": market.pk, "caption": "Markt"}}],
    )
    with_private_image = chapter_factory(
        handbook,
        title="Intern",
        body=[{"type": "image", "value": {"image": townhall.pk, "caption": "Rathaus"}}],
    )
    other = chapter_factory(handbook, title="Unterwegs", topic=topic)
    consent = PortraitConsent.objects.create(
        reference="Drift", web=True, print=True, simple=True, given_on=date(2020, 1, 1)
    )
    portrait = portrait_factory(handbook, consent=consent)
    portrait.photo = portrait_photo
    portrait.save_revision().publish()
    simple = simple_translation(chapter)
    pages = [
        handbook,
        chapter,
        with_contact,
        with_word,
        with_image,
        with_private_image,
        other,
        portrait,
        simple,
    ]
    townhall_urls = [townhall.file.url, townhall.get_rendition("width-480").url]
    portrait_urls = [
        portrait_photo.file.url,
        portrait_photo.get_rendition("width-480").url,
    ]
    assert client.get(townhall_urls[1]).status_code == 200
    assert client.get(portrait_urls[1]).status_code == 200
    assert wait_until(settled)
    assert drift(website, client, pages) == []

    # Each edit is delivered before the next (else one delivery, built when it
    # is sent, would carry two edits and hide a missing one).
    def edit(save) -> None:
        save()
        assert wait_until(settled)

    # Snippets, each shown by one page, one of them through another snippet.
    contact.phone = "07391 779-0"
    edit(contact.save)
    organisation.name = "Landratsamt Alb-Donau-Kreis"
    edit(organisation.save)
    topic.name = "Mobilität im ländlichen Raum"
    edit(topic.save)
    glossary = GlossaryTerm.objects.get(slug="auslaenderbehoerde-d")
    glossary.explanation = "Das Amt, das über den Aufenthalt entscheidet."
    edit(glossary.save)
    # An image: its German alt text and its credit line.
    alt = ImageAltText.objects.get(image=market, locale=german)
    alt.text = "Der Marktplatz vor dem Rathaus"
    edit(alt.save)
    market.credit = "Foto: Stadt Ehingen"
    edit(market.save)
    # A newer German source: the Leichte Sprache version is outdated now.
    chapter.title = "Ankommen im Landkreis"
    edit(chapter.save_revision().publish)
    # The resident withdraws: the portrait and its photo go.
    consent.withdrawn_on = timezone.localdate()
    edit(consent.save)
    # An image moves into a private collection.
    private = Collection.get_first_root_node().add_child(name="Intern (Drift)")
    edit(
        lambda: CollectionViewRestriction.objects.create(
            collection=private, restriction_type="login"
        )
    )
    townhall.collection = private
    edit(townhall.save)

    assert no_drift(website, client, pages), drift(website, client, pages)
    # What the edits did is what the website shows (the checks above compared
    # receiver and API; these make sure the API itself moved).
    simple_row = website.current(simple.translation_key)["de-x-ls"]
    assert (
        json.loads(simple_row["body"])["data"]["document"]["meta"]["translation_status"]
        == "outdated"
    )
    contact_row = website.current(with_contact.translation_key)["de"]["body"]
    assert "07391 779-0" in contact_row
    private_row = website.current(with_private_image.translation_key)["de"]["body"]
    assert "rathaus-d" not in private_row
    assert all(
        json.loads(row["body"])["type"] == "page.removed"
        for row in website.current(portrait.translation_key).values()
    )
    for url in townhall_urls + portrait_urls:
        assert client.get(url).status_code == 404, url
