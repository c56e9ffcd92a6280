"""Consent records are airtight: one person's, changed only with the permission,
never listed or read by translators — tried through the admin, as a user would."""

from __future__ import annotations

from datetime import date

import pytest
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    streamfield,
)

from cms.pages.models import PortraitConsent
from tests.factories.pages import handbook_factory, portrait_factory
from tests.translators.conftest import role_user

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/snippets/choose/pages/portraitconsent/"
LOCALIZE_API = "/admin/localize/api/snippets/pages/portraitconsent/"


@pytest.fixture
def two_people():
    handbook = handbook_factory()
    withdrawn = PortraitConsent.objects.create(
        reference="Formular Amal",
        web=True,
        given_on=date(2019, 10, 1),
        withdrawn_on=date(2026, 1, 1),
    )
    amal = portrait_factory(handbook, consent=withdrawn)
    granted = PortraitConsent.objects.create(
        reference="Formular Jonas", web=True, given_on=date(2019, 10, 1)
    )
    jonas = portrait_factory(handbook, consent=granted)
    return amal, jonas


def edit_form(portrait, **changes) -> dict:
    fields = {
        "title": portrait.title,
        "slug": portrait.slug,
        "display_name": portrait.display_name,
        "is_example": "on",
        "municipality": portrait.municipality_id,
        "origin": portrait.origin,
        "year_of_arrival": "",
        "quote": portrait.quote,
        "story": streamfield([]),
        "photo": "",
        "consent": portrait.consent_id,
        "comments": inline_formset([]),
        "action-publish": "1",
    }
    fields.update(changes)
    return nested_form_data({k: v for k, v in fields.items() if v is not None})


def test_an_editor_without_the_permission_cannot_switch_the_record(
    client, django_user_model, two_people
):
    amal, jonas = two_people
    client.force_login(role_user(django_user_model, "de", "redakteurin-de"))
    edit_url = f"/admin/pages/{amal.pk}/edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'name="consent"' not in page.content.decode()

    # A crafted POST naming Jonas's record publishes, but the record stays.
    response = client.post(edit_url, edit_form(amal, consent=jonas.consent_id))
    assert response.status_code == 302, response.content.decode()[:2000]
    amal.refresh_from_db()
    assert amal.consent_id != jonas.consent_id
    assert client.get(f"/api/v1/pages/{amal.pk}/?locale=de").status_code == 404


def test_nobody_can_attach_another_person_s_record(admin_client, two_people):
    amal, jonas = two_people
    edit_url = f"/admin/pages/{amal.pk}/edit/"
    assert 'name="consent"' in admin_client.get(edit_url).content.decode()
    response = admin_client.post(edit_url, edit_form(amal, consent=jonas.consent_id))
    assert response.status_code == 200  # the form again, with the error
    assert "gehört zu einem anderen Porträt" in response.content.decode()
    amal.refresh_from_db()
    assert amal.consent_id != jonas.consent_id
    assert admin_client.get(f"/api/v1/pages/{amal.pk}/?locale=de").status_code == 404


def test_a_consent_officer_switches_a_portrait_to_its_new_record(
    admin_client, two_people
):
    amal, _jonas = two_people
    renewed = PortraitConsent.objects.create(
        reference="Formular Amal (neu)", web=True, given_on=date(2026, 2, 1)
    )
    old_revision = amal.latest_revision
    edit_url = f"/admin/pages/{amal.pk}/edit/"
    response = admin_client.post(edit_url, edit_form(amal, consent=renewed.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    amal.refresh_from_db()
    assert amal.consent_id == renewed.pk
    assert admin_client.get(f"/api/v1/pages/{amal.pk}/?locale=de").status_code == 200
    # The record is Amal's now: Jonas's portrait cannot take it.
    renewed.refresh_from_db()
    assert renewed.portrait_key == amal.translation_key
    # An old revision never brings back the record it named.
    old_revision.publish()
    amal.refresh_from_db()
    assert amal.consent_id == renewed.pk


@pytest.mark.parametrize("role", ["ar", "de"])
def test_translators_and_editors_cannot_list_or_read_consent_records(
    client, django_user_model, two_people, role
):
    amal, _jonas = two_people
    client.force_login(role_user(django_user_model, role, f"rolle-{role}"))
    for url in (
        CHOOSER,
        f"{CHOOSER}results/?q=Formular",
        LOCALIZE_API,
        f"{LOCALIZE_API}{amal.consent_id}/",
        "/admin/snippets/pages/portraitconsent/",
    ):
        answer = client.get(url)
        assert answer.status_code in (302, 403), (url, answer.status_code)
        assert first_listed().encode() not in answer.content


def first_listed() -> str:
    """The reference the chooser's first page shows first."""
    return PortraitConsent.objects.order_by("reference").first().reference


def test_those_with_the_permission_still_use_the_chooser(admin_client, two_people):
    answer = admin_client.get(CHOOSER)
    assert answer.status_code == 200
    assert first_listed() in answer.json()["html"]
    assert admin_client.get(LOCALIZE_API).status_code == 200


def test_the_consent_office_keeps_the_records(client, django_user_model, two_people):
    # Whoever files the signed forms records and withdraws consents without being
    # an administrator: the group "Einwilligungen", made by migrate.
    from django.contrib.auth.models import Group

    amal, _jonas = two_people
    clerk = django_user_model.objects.create_user("datenschutz", "ds@example.org", "x")
    clerk.groups.add(Group.objects.get(name="Einwilligungen"))
    client.force_login(clerk)
    listing = client.get("/admin/snippets/pages/portraitconsent/")
    assert listing.status_code == 200
    assert b"Formular Jonas" in listing.content
    assert client.get(CHOOSER).status_code == 200
    edit = f"/admin/snippets/pages/portraitconsent/edit/{amal.consent_id}/"
    assert client.get(edit).status_code == 200
