"""Shared content reaches exactly the pages that show it (Wagtail's reference index).

Each test changes one thing a document embeds and reads the content events it
wrote: the outbox every channel (``changes/``, webhooks, print) is fed from.
"""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Locale

from cms.images.models import ImageAltText
from cms.snippets.models import Contact, GlossaryTerm, Organisation
from exports.models import ContentEvent
from tests.factories.images import jpeg_with_gps
from tests.factories.pages import chapter_factory, handbook_factory

pytestmark = pytest.mark.django_db


def events_since(mark: int) -> set[tuple[int, str, str]]:
    return set(
        ContentEvent.objects.filter(pk__gt=mark).values_list(
            "page_id", "locale", "kind"
        )
    )


def mark() -> int:
    return (
        ContentEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )


def pages_of(events) -> set[int]:
    return {page_id for page_id, _locale, _kind in events}


@pytest.fixture
def german():
    return Locale.objects.get(language_code="de")


@pytest.fixture
def image(german):
    from django.core.files.base import ContentFile

    return get_image_model().objects.create(
        title="Rathaus",
        file=ContentFile(jpeg_with_gps(), name="rathaus.jpg"),
        description="Das Rathaus",
    )


def test_a_contact_change_reaches_the_pages_showing_it_and_no_other(german):
    handbook = handbook_factory()
    organisation = Organisation.objects.create(
        name="Integrationsbüro", kind="authority", locale=german
    )
    contact = Contact.objects.create(
        name="Frau Berger", organisation=organisation, locale=german
    )
    showing = chapter_factory(handbook, body=[{"type": "contact", "value": contact.pk}])
    other = chapter_factory(handbook)
    start = mark()

    contact.phone = "07391 123"
    contact.save()

    changed = events_since(start)
    assert pages_of(changed) == {showing.pk}
    assert {kind for *_rest, kind in changed} == {"reference"}
    assert other.pk not in pages_of(changed)

    # One step further: the organisation shown inside the contact.
    start = mark()
    organisation.name = "Integrationsbüro Ehingen"
    organisation.save()
    assert pages_of(events_since(start)) == {showing.pk}


def test_an_image_alt_text_and_its_collection_reach_the_pages_showing_it(image):
    handbook = handbook_factory()
    showing = chapter_factory(
        handbook,
        body=[{"type": "image", "value": {"image": image.pk, "caption": "Rathaus"}}],
    )
    chapter_factory(handbook)
    start = mark()
    alt = ImageAltText.objects.get(image=image, locale__language_code="de")
    alt.text = "Das Rathaus am Marktplatz"
    alt.save()
    assert pages_of(events_since(start)) == {showing.pk}

    start = mark()
    private = Collection.get_first_root_node().add_child(name="Intern")
    image.collection = private
    image.save()
    assert pages_of(events_since(start)) == {showing.pk}

    start = mark()
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="login"
    )
    changed = events_since(start)
    assert pages_of(changed) == {showing.pk}
    assert {kind for *_rest, kind in changed} == {"visibility"}


def test_a_glossary_term_reaches_the_pages_whose_text_uses_its_word(german):
    handbook = handbook_factory()
    using = chapter_factory(
        handbook, intro="<p>Fragen Sie die Ausländer·behörde im Landratsamt.</p>"
    )
    chapter_factory(handbook, intro="<p>Kein Fachwort hier.</p>")
    # The word only inside a longer one: the tree marks nothing there.
    inside = chapter_factory(
        handbook, intro="<p>Die Ausländerbehördenleiterin grüßt.</p>"
    )
    term = GlossaryTerm.objects.create(
        term="Ausländerbehörde",
        slug="auslaenderbehoerde-test",
        explanation="Das Amt für Aufenthalt.",
        locale=german,
    )
    start = mark()
    term.explanation = "Das Amt, das über den Aufenthalt entscheidet."
    term.save()
    changed = events_since(start)
    assert using.pk in pages_of(changed)
    assert handbook.pk not in pages_of(changed)
    assert inside.pk not in pages_of(changed)
