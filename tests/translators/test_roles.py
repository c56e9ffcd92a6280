"""Locale-scoped roles, checked through the admin views a person would use."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale
from wagtail_localize.models import StringSegment, Translation

from cms.snippets.models import GlossaryTerm
from cms.translators.services import role_groups_ensure
from tests.translators.conftest import translated

pytestmark = pytest.mark.django_db

XHR = {"x-requested-with": "XMLHttpRequest"}


def test_every_content_locale_has_its_group(settings):
    names = set(Group.objects.values_list("name", flat=True))
    assert "Editors de" in names
    for loc in settings.WEGWEISER_LOCALES:
        if loc.code != "de":
            assert f"Translators {loc.code}" in names


def test_ensuring_the_roles_twice_changes_nothing():
    before = GroupPagePermission.objects.count()
    role_groups_ensure()
    role_groups_ensure()
    assert GroupPagePermission.objects.count() == before


def test_arabic_translator_edits_the_arabic_page_in_wagtail_localize(
    translator_client, demo_handbook
):
    ar_page = translated(demo_handbook, "ar")
    response = translator_client.get(f"/admin/pages/{ar_page.pk}/edit/")
    assert response.status_code == 200
    # wagtail-localize's translation editor, not Wagtail's plain form.
    assert "wagtail-localize" in response.content.decode()


@pytest.mark.parametrize("code", ["de", "en", "de-x-ls"])
def test_arabic_translator_may_not_edit_other_locales(
    translator_client, demo_handbook, code
):
    page = translated(demo_handbook, code)
    edit = f"/admin/pages/{page.pk}/edit/"
    # Scripts and people alike get a 403 that names the locale and the role.
    assert translator_client.get(edit, headers=XHR).status_code == 403
    assert (
        translator_client.post(edit, {"action-publish": "1"}, headers=XHR).status_code
        == 403
    )
    response = translator_client.get(edit)
    assert response.status_code == 403
    assert f"({code}), but your role covers only: ar." in response.content.decode()
    page.refresh_from_db()
    assert page.has_unpublished_changes is False


def test_arabic_translator_may_not_create_pages_in_the_source(
    translator_client, demo_handbook
):
    url = f"/admin/pages/add/pages/chapterpage/{demo_handbook.pk}/"
    assert translator_client.get(url, headers=XHR).status_code == 403


def test_arabic_translator_cannot_write_strings_of_the_english_translation(
    translator_client, demo_handbook
):
    en_translation = Translation.objects.get(
        source__object_id=demo_handbook.translation_key,
        target_locale__language_code="en",
    )
    segment = StringSegment.objects.filter(source=en_translation.source).first()
    edit = reverse(
        "wagtail_localize:edit_string_translation",
        args=[en_translation.pk, segment.pk],
    )
    assert translator_client.put(edit, {"value": "x"}).status_code == 403
    download = reverse("wagtail_localize:download_pofile", args=[en_translation.pk])
    assert translator_client.get(download, headers=XHR).status_code == 403


def test_arabic_translator_edits_arabic_snippets_only(translator_client):
    term = GlossaryTerm.objects.filter(locale__language_code="de").first()
    for code, expected in [("ar", 200), ("de", 403), ("en", 403)]:
        row = GlossaryTerm.objects.get(
            translation_key=term.translation_key, locale__language_code=code
        )
        url = f"/admin/snippets/snippets/glossaryterm/edit/{row.pk}/"
        assert translator_client.get(url, headers=XHR).status_code == expected, code
    de_row = GlossaryTerm.objects.get(
        translation_key=term.translation_key, locale__language_code="de"
    )
    response = translator_client.get(
        f"/admin/snippets/snippets/glossaryterm/edit/{de_row.pk}/"
    )
    assert response.status_code == 403
    assert "your role covers only: ar" in response.content.decode()


def test_source_editor_works_in_german_only(client, editor_de, demo_handbook):
    client.force_login(editor_de)
    assert client.get(f"/admin/pages/{demo_handbook.pk}/edit/").status_code == 200
    add = f"/admin/pages/add/pages/chapterpage/{demo_handbook.pk}/"
    assert client.get(add).status_code == 200
    ar_page = translated(demo_handbook, "ar")
    assert (
        client.get(f"/admin/pages/{ar_page.pk}/edit/", headers=XHR).status_code == 403
    )
    submit = reverse(
        "wagtail_localize:submit_page_translation", args=[demo_handbook.pk]
    )
    assert client.get(submit).status_code == 200


def test_a_handbook_translated_into_a_new_locale_is_open_to_its_translators(
    client, django_user_model, demo_handbook
):
    from wagtail_localize.operations import TranslationCreator

    from tests.translators.conftest import role_user

    fa = Locale.objects.get(language_code="fa")
    TranslationCreator(user=None, target_locales=[fa]).create_translations(
        demo_handbook
    )
    fa_page = translated(demo_handbook, "fa")
    client.force_login(role_user(django_user_model, "fa", "uebersetzer-fa"))
    assert client.get(f"/admin/pages/{fa_page.pk}/edit/").status_code == 200
