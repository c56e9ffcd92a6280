"""A translator for ar cannot work in other locales through wagtail-localize's views.

wagtail-localize checks Wagtail's page permissions (scoped by locale through each
locale's roots) or *snippet type* permissions (not scoped at all). Every request
here goes through the admin's URLs as the translation editor's JavaScript or a
person's browser sends it, logged in as the ``Translators ar`` member.
"""

from __future__ import annotations

from urllib.parse import urlencode

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from cms.snippets.models import GlossaryTerm
from tests.factories.pages import chapter_factory
from tests.translators.conftest import translate_into, translated

pytestmark = pytest.mark.django_db

XHR = {"x-requested-with": "XMLHttpRequest"}
# The reason, in the translator's admin language (English) and in German.
REFUSED_EN = "This is work in فارسی (fa), but your role covers only: ar."
REFUSED_DE = "Das ist Arbeit in فارسی (fa). Ihre Rolle gilt nur für: ar."
REFUSED_DE_SOURCE = "Das ist Arbeit in Deutsch (de). Ihre Rolle gilt nur für: ar."


def translation_of(obj, code: str) -> Translation:
    return Translation.objects.get(
        source__object_id=obj.translation_key, target_locale__language_code=code
    )


@pytest.fixture
def sources(demo_handbook):
    """The demo handbook and a glossary term, translated into ar (by the demo) and
    into fa (here): one page and one snippet per kind of translation."""
    term = GlossaryTerm.objects.filter(locale__language_code="de").first()
    translate_into(demo_handbook, "fa")
    translate_into(term, "fa")
    return {"page": demo_handbook, "snippet": term}


def assert_refused(response, *, json: bool = True) -> None:
    assert response.status_code == 403
    if json:
        # The one error shape of the API and the admin's JSON endpoints.
        error = response.json()["error"]
        assert error["code"] == "locale_refused" and error["status"] == 403
        assert REFUSED_EN in error["message"]
    else:
        body = response.content.decode()
        assert REFUSED_EN in body and REFUSED_DE in body


def row_in(snippet, code: str):
    return type(snippet).objects.get(
        translation_key=snippet.translation_key, locale__language_code=code
    )


def strings_in(obj, code: str):
    return StringTranslation.objects.filter(
        context__object_id=obj.translation_key, locale__language_code=code
    )


@pytest.mark.parametrize("kind", ["page", "snippet"])
def test_saving_a_string_in_the_editor(translator_client, sources, kind):
    source = sources[kind]

    def put(code: str):
        translation = translation_of(source, code)
        segment = StringSegment.objects.filter(source=translation.source).first()
        url = reverse(
            "wagtail_localize:edit_string_translation",
            args=[translation.pk, segment.pk],
        )
        body = urlencode({"value": f"Übersetzt ({code})"})
        return translator_client.put(
            url, body, content_type="application/x-www-form-urlencoded"
        )

    assert_refused(put("fa"))
    assert not strings_in(source, "fa").filter(data="Übersetzt (fa)").exists()
    assert put("ar").status_code == 200
    assert strings_in(source, "ar").filter(data="Übersetzt (ar)").exists()


@pytest.mark.parametrize("kind", ["page", "snippet"])
def test_downloading_and_uploading_wagtail_localize_po_files(
    translator_client, sources, kind
):
    source = sources[kind]

    def download(code: str):
        translation = translation_of(source, code)
        url = reverse("wagtail_localize:download_pofile", args=[translation.pk])
        return translator_client.get(url, headers=XHR)

    assert_refused(download("fa"))
    assert download("ar").status_code == 200

    def upload(code: str):
        translation = translation_of(source, code)
        po = translation.export_po()
        for entry in po:
            entry.msgstr = f"Hochgeladen ({code})"
        url = reverse("wagtail_localize:upload_pofile", args=[translation.pk])
        return translator_client.post(url, {"file": _po_upload(po)}, headers=XHR)

    assert_refused(upload("fa"))
    assert not strings_in(source, "fa").filter(data="Hochgeladen (fa)").exists()
    assert upload("ar").status_code == 302
    assert strings_in(source, "ar").filter(data="Hochgeladen (ar)").exists()


def _po_upload(po: polib.POFile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("translation.po", str(po).encode("utf-8"))


@pytest.mark.parametrize("kind", ["page", "snippet"])
def test_machine_translating(translator_client, sources, kind, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    source = sources[kind]
    fa = translation_of(source, "fa")
    url = reverse("wagtail_localize:machine_translate", args=[fa.pk])
    assert_refused(translator_client.post(url, headers=XHR))
    assert not strings_in(source, "fa").exists()

    ar = translation_of(source, "ar")
    url = reverse("wagtail_localize:machine_translate", args=[ar.pk])
    assert translator_client.post(url).status_code == 302


@pytest.mark.parametrize("kind", ["page", "snippet"])
def test_stopping_a_translation(translator_client, sources, kind):
    source = sources[kind]
    for code, expected in [("fa", 403), ("ar", 302)]:
        translation = translation_of(source, code)
        url = reverse("wagtail_localize:stop_translation", args=[translation.pk])
        response = translator_client.post(url, headers=XHR)
        assert response.status_code == expected, code
        translation.refresh_from_db()
        assert translation.enabled is (code == "fa")
    assert_refused(
        translator_client.post(
            reverse(
                "wagtail_localize:stop_translation",
                args=[translation_of(source, "fa").pk],
            ),
            headers=XHR,
        )
    )


def test_previewing_and_converting_a_page_translation(translator_client, sources):
    handbook = sources["page"]
    preview = reverse(
        "wagtail_localize:preview_translation",
        args=[translation_of(handbook, "fa").pk],
    )
    assert_refused(translator_client.get(preview, headers=XHR))
    convert_fa = reverse(
        "wagtail_localize:convert_to_alias", args=[translated(handbook, "fa").pk]
    )
    assert_refused(translator_client.post(convert_fa, headers=XHR))
    assert translated(handbook, "fa").alias_of_id is None

    preview = reverse(
        "wagtail_localize:preview_translation",
        args=[translation_of(handbook, "ar").pk],
    )
    assert translator_client.get(preview).status_code == 200
    convert_ar = reverse(
        "wagtail_localize:convert_to_alias", args=[translated(handbook, "ar").pk]
    )
    assert translator_client.get(convert_ar).status_code == 200  # the confirmation


@pytest.fixture
def translators_may_submit():
    """As if an administrator let translators start translations themselves."""
    Group.objects.get(name="Translators ar").permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtail_localize", codename="submit_translation"
        )
    )


def test_submitting_a_page_for_translation(
    translator_client, demo_handbook, translators_may_submit
):
    chapter = chapter_factory(demo_handbook, title="Neues Kapitel")
    url = reverse("wagtail_localize:submit_page_translation", args=[chapter.pk])
    fa, ar = (Locale.objects.get(language_code=c) for c in ("fa", "ar"))

    assert_refused(translator_client.post(url, {"locales": [fa.pk]}, headers=XHR))
    assert not Page.objects.filter(
        translation_key=chapter.translation_key, locale=fa
    ).exists()
    assert translator_client.post(url, {"locales": [ar.pk]}).status_code == 302
    assert translated(chapter, "ar").title == "Neues Kapitel"


def test_submitting_a_snippet_for_translation(
    translator_client, translators_may_submit
):
    term = GlossaryTerm.objects.create(
        term="Ehrenamt", slug="ehrenamt-neu", explanation="Freiwillige Arbeit."
    )
    url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["snippets", "glossaryterm", term.pk],
    )
    fa, ar = (Locale.objects.get(language_code=c) for c in ("fa", "ar"))
    assert_refused(translator_client.post(url, {"locales": [fa.pk]}, headers=XHR))
    assert not GlossaryTerm.objects.filter(
        translation_key=term.translation_key, locale=fa
    ).exists()
    assert translator_client.post(url, {"locales": [ar.pk]}).status_code == 302
    assert GlossaryTerm.objects.filter(
        translation_key=term.translation_key, locale=ar
    ).exists()


def test_syncing_writes_into_every_translated_locale(
    translator_client, sources, translators_may_submit
):
    # The demo handbook is translated into ar, en, de-x-ls and (here) fa: a sync
    # would re-extract and may publish all of them.
    source = TranslationSource.objects.get(object_id=sources["page"].translation_key)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    response = translator_client.get(url, headers=XHR)
    assert response.status_code == 403
    assert "your role covers only: ar" in response.json()["error"]["message"]

    chapter = chapter_factory(sources["page"], title="Nur Arabisch")
    translate_into(chapter, "ar")
    only_ar = TranslationSource.objects.get(object_id=chapter.translation_key)
    url = reverse("wagtail_localize:update_translations", args=[only_ar.pk])
    assert translator_client.get(url).status_code == 200


def test_editing_the_german_source_page_is_refused_in_both_languages(
    translator_client, demo_handbook
):
    edit = f"/admin/pages/{demo_handbook.pk}/edit/"
    response = translator_client.get(edit)
    assert response.status_code == 403
    body = response.content.decode()
    assert "This is work in Deutsch (de), but your role covers only: ar." in body
    assert REFUSED_DE_SOURCE in body
    assert "Translators de" not in body  # the source has editors, not translators
    assert "Editors de" in body

    response = translator_client.post(edit, {"action-publish": "1"}, headers=XHR)
    assert response.status_code == 403
    demo_handbook.refresh_from_db()
    assert demo_handbook.has_unpublished_changes is False


def test_the_source_editors_still_hand_work_out_to_every_locale(
    client, editor_de, demo_handbook
):
    client.force_login(editor_de)
    chapter = chapter_factory(demo_handbook, title="Für alle")
    url = reverse("wagtail_localize:submit_page_translation", args=[chapter.pk])
    fa = Locale.objects.get(language_code="fa")
    assert client.post(url, {"locales": [fa.pk]}).status_code == 302
    assert translated(chapter, "fa").title == "Für alle"
    # …but do not translate in the editor themselves.
    fa_translation = translation_of(chapter, "fa")
    download = reverse("wagtail_localize:download_pofile", args=[fa_translation.pk])
    assert client.get(download, headers=XHR).status_code == 403


@pytest.mark.parametrize(
    "url_of",
    [
        lambda s: f"/admin/pages/{s['page'].pk}/edit/",
        lambda s: f"/admin/pages/add/pages/chapterpage/{s['page'].pk}/",
        lambda s: f"/admin/pages/{s['page'].pk}/delete/",
        lambda s: f"/admin/translators/pages/{translated(s['page'], 'fa').pk}/offline/",
        lambda s: (
            "/admin/snippets/snippets/glossaryterm/edit/"
            f"{row_in(s['snippet'], 'fa').pk}/"
        ),
        lambda s: reverse(
            "wagtail_localize:download_pofile",
            args=[translation_of(s["snippet"], "fa").pk],
        ),
    ],
    ids=["edit-de", "add-in-de", "delete-de", "offline-fa", "snippet-fa", "po-fa"],
)
def test_people_get_one_refusal_page_that_says_why_in_german(
    translator_client, sources, url_of
):
    response = translator_client.get(url_of(sources), headers={"accept": "text/html"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Ihre Rolle gilt nur für: ar." in body
    assert "bitten Sie die Administration" in body
    assert "your role covers only: ar." in body  # the translator's own language
    assert 'href="/admin/"' in body
