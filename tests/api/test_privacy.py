"""The API never shows what isn't public. Each test fails if its rule is removed."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.pages.models import PortraitPage
from tests.api.conftest import demo_page
from tests.factories.pages import chapter_factory, recommendation_factory

pytestmark = pytest.mark.django_db


def portrait(name: str) -> PortraitPage:
    return PortraitPage.objects.get(slug=name, locale__language_code="de")


def listed_ids(api, path: str) -> set[int]:
    return {i["id"] for i in api(path).data["items"]}


def test_drafts_are_not_served(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen").specific
    published_title = chapter.title
    chapter.title = "Entwurf, noch nicht freigegeben"
    chapter.save_revision()
    data = api(f"pages/{chapter.pk}/").data
    assert data["title"] == published_title


def test_unpublished_pages_are_neither_read_nor_listed(api):
    page = demo_page("menschen-persoenlich-ansprechen").specific
    page.unpublish()
    assert api(f"pages/{page.pk}/").status_code == 404
    assert page.pk not in listed_ids(api, "recommendations/?limit=100")


def test_unpublished_translation_falls_back_to_the_public_source(api):
    arabic = demo_page("menschen-persoenlich-ansprechen", "ar").specific
    arabic.unpublish()
    data = api(f"pages/{arabic.pk}/?locale=ar").data
    assert data["meta"]["served_locale"] == "de"


def test_private_pages_and_their_subtree_are_hidden(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    child = demo_page("menschen-persoenlich-ansprechen")
    PageViewRestriction.objects.create(
        page=chapter, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert api(f"pages/{chapter.pk}/").status_code == 404
    assert api(f"pages/{child.pk}/").status_code == 404
    assert child.pk not in listed_ids(api, "recommendations/?limit=100")
    hits = api("search/?q=ansprechen&limit=100").data["items"]
    assert child.pk not in {i["id"] for i in hits}


def test_portraits_without_web_consent_are_hidden(api):
    person = portrait("yonas")
    person.consent.web = False
    person.consent.save()
    assert api(f"pages/{person.pk}/").status_code == 404
    assert person.pk not in listed_ids(api, "portraits/?limit=100")


def test_portraits_with_withdrawn_consent_are_hidden(api):
    navid = portrait("navid")
    assert navid.consent.withdrawn_on is not None  # withdrawn in the demo
    assert api(f"pages/{navid.pk}/").status_code == 404
    assert navid.pk not in listed_ids(api, "portraits/?limit=100")
    person = portrait("mariana")
    assert api(f"pages/{person.pk}/").status_code == 200
    person.consent.withdrawn_on = date(2026, 11, 1)
    person.consent.save()
    assert api(f"pages/{person.pk}/").status_code == 404


def test_portraits_without_a_consent_record_are_hidden(api):
    person = portrait("farid")
    PortraitPage.objects.filter(pk=person.pk).update(consent=None)
    assert api(f"pages/{person.pk}/").status_code == 404


def test_consent_records_never_appear(api):
    person = portrait("mariana")
    raw = api(f"pages/{person.pk}/").content.decode()
    assert "consent" not in raw
    assert person.consent.reference not in raw
    schema = api("schema/?format=json").content.decode()
    assert "withdrawn_on" not in schema


def test_images_in_private_collections_are_left_out(api):
    chapter = demo_page("menschen-fuer-engagement-gewinnen")
    body = api(f"pages/{chapter.pk}/").data["body"]
    image_block = next(b for b in body if b["type"] == "image")
    from cms.images.models import HandbookImage

    image = HandbookImage.objects.get(pk=image_block["image"]["id"])
    private = Collection.get_first_root_node().add_child(name="Intern")
    image.collection = private
    image.save()
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editors"))
    body = api(f"pages/{chapter.pk}/").data["body"]
    assert not [b for b in body if b["type"] == "image"]


def test_new_draft_pages_are_invisible_until_published(api, demo_handbook):
    chapter = chapter_factory(demo_handbook)
    page = recommendation_factory(chapter)
    page.unpublish()
    assert api(f"pages/{page.pk}/").status_code == 404
