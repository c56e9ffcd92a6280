"""Right-to-left documents isolate left-to-right runs; machine-made segments are
named per field until a person reviews them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from cms.snippets.models import GlossaryTerm
from tests.api.conftest import demo_page

pytestmark = pytest.mark.django_db

CHAPTER_1 = "menschen-fuer-engagement-gewinnen"
HANDBOOK = "handbuch-integration"
LRI, PDI = "\u2066", "\u2069"


def _contacts(document: dict) -> list[dict]:
    return [b["contact"] for b in document["body"] if b["type"] == "contact"]


def test_latin_names_and_numbers_in_arabic_html_are_bdi_isolated(api):
    document = api(f"pages/{demo_page(HANDBOOK).pk}/?locale=ar").data
    assert document["locale"] == "ar"
    assert '<bdi dir="ltr">2019</bdi>' in document["intro"]
    assert '<bdi dir="ltr">Ehingen</bdi>' in document["intro"]
    # German stays as it is: nothing to isolate in a left-to-right document.
    german = api(f"pages/{demo_page(HANDBOOK).pk}/?locale=de").data
    assert "<bdi" not in german["intro"] and LRI not in german["title"]


def test_phone_and_email_in_an_arabic_contact_are_isolated(api):
    document = api(f"pages/{demo_page(CHAPTER_1).pk}/?locale=ar").data
    contacts = _contacts(document)
    assert contacts, "chapter 1 has a contact block"
    for contact in contacts:
        assert contact["phone"].startswith(LRI) and contact["phone"].endswith(PDI)
        assert contact["email"] == f"{LRI}{contact['email'][1:-1]}{PDI}"
        assert "@" in contact["email"]


def test_typed_bidi_override_is_removed_when_saved():
    term = GlossaryTerm.objects.filter(locale=Locale.get_default()).first()
    term.explanation = "Bild\u202egpj.exe\u200b ansehen"
    term.save()
    term.refresh_from_db()
    assert term.explanation == "Bildgpj.exe ansehen"


def test_a_translation_saved_with_controls_is_cleaned():
    stored = StringTranslation.objects.filter(locale__language_code="ar").first()
    stored.data = "\u202bنص\u202c \u2066مع\u2069 عزل"
    stored.save()
    stored.refresh_from_db()
    assert stored.data == "نص مع عزل"


def test_machine_translated_fields_are_listed_until_reviewed(api):
    chapter = demo_page(CHAPTER_1)
    title = StringTranslation.objects.get(
        locale__language_code="ar",
        context__object_id=chapter.translation_key,
        context__path="title",
    )
    title.translation_type = StringTranslation.TRANSLATION_TYPE_MACHINE
    title.save()

    meta = api(f"pages/{chapter.pk}/?locale=ar").data["meta"]
    assert meta["translation_status"] == "machine"
    assert meta["machine_translated_fields"] == ["title"]

    title.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL  # reviewed
    title.save()
    cache.clear()
    meta = api(f"pages/{chapter.pk}/?locale=ar").data["meta"]
    assert meta["machine_translated_fields"] == []
    assert meta["translation_status"] == "up_to_date"
