"""Offline round trips: PO and XLIFF 2.0 files out of the admin and back in."""

from __future__ import annotations

import subprocess

import polib
import pytest
from django.contrib.messages import get_messages
from translate.storage import xliff2
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.pages.models import ChapterPage
from cms.translators.offline import bundle_to_po
from cms.translators.selectors import offline_bundle_for
from tests.factories.pages import chapter_factory
from tests.translators.conftest import translate_into, translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter_de(demo_handbook):
    return ChapterPage.objects.get(locale=Locale.get_default(), number=1)


@pytest.fixture
def chapter_ar(chapter_de):
    return translated(chapter_de, "ar")


def download(client, page, file_format, scope="chapter") -> bytes:
    response = client.get(
        f"/admin/translators/pages/{page.pk}/offline/download/",
        {"format": file_format, "scope": scope},
    )
    assert response.status_code == 200, response
    return response.content


def upload(client, page, data: bytes, name="file.po") -> list[str]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/admin/translators/pages/{page.pk}/offline/upload/",
        {"file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_offers_both_formats_for_page_and_chapter(
    translator_client, chapter_ar
):
    body = translator_client.get(
        f"/admin/translators/pages/{chapter_ar.pk}/offline/"
    ).content.decode()
    assert "format=po&amp;scope=chapter" in body
    assert "format=xliff&amp;scope=page" in body
    # Reachable from the page's header in the admin.
    edit = translator_client.get(f"/admin/pages/{chapter_ar.pk}/").content.decode()
    assert f"/admin/translators/pages/{chapter_ar.pk}/offline/" in edit


def test_chapter_po_file_passes_msgfmt_check(translator_client, chapter_ar, tmp_path):
    data = download(translator_client, chapter_ar, "po")
    path = tmp_path / "chapter.po"
    path.write_bytes(data)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # The demo translated the whole chapter: every message is translated.
    assert "untranslated" not in result.stderr
    po = polib.pofile(data.decode())
    descendants = chapter_ar.get_descendants().count()
    assert len(po.metadata["X-Wegweiser-Parts"].split()) == 1 + descendants


def test_po_round_trip_imports_the_changed_entry_only(translator_client, chapter_ar):
    po = polib.pofile(download(translator_client, chapter_ar, "po").decode())
    entry = next(e for e in po if e.msgctxt == "1:title")
    entry.msgstr = "عنوان جديد للفصل"
    messages = upload(translator_client, chapter_ar, str(po).encode())
    assert messages[0].startswith("Imported 1 translations"), messages
    stored = StringTranslation.objects.get(
        locale__language_code="ar",
        context__object_id=chapter_ar.translation_key,
        context__path="title",
    )
    assert stored.data == "عنوان جديد للفصل"
    assert stored.translation_type == "manual"


def test_xliff_round_trips_through_translate_toolkit(translator_client, chapter_ar):
    data = download(translator_client, chapter_ar, "xliff")
    store = xliff2.Xliff2File.parsestring(data)
    bundle = offline_bundle_for(page=chapter_ar, scope="chapter")
    # translate-toolkit sees every segment with its source and translation.
    assert [u.source for u in store.units] == [u.source for u in bundle.units]
    assert [u.target for u in store.units] == [u.target for u in bundle.units]
    assert store.gettargetlanguage() == "ar"

    # Untouched, the file comes back through the toolkit with nothing to import.
    before = _snapshot()
    messages = upload(translator_client, chapter_ar, bytes(store), "c.xlf")
    assert messages[0].startswith("Imported 0 translations"), messages
    assert _snapshot() == before

    # A translator changes two units in their tool.
    store.units[0].target = "فصل معدل"
    store.units[-1].target = "نص معدل في الأداة"
    before = StringTranslation.objects.filter(locale__language_code="ar").count()
    messages = upload(translator_client, chapter_ar, bytes(store), "c.xlf")
    after = offline_bundle_for(page=chapter_ar, scope="chapter")
    assert after.units[0].target == "فصل معدل"
    assert after.units[-1].target == "نص معدل في الأداة"
    assert [u.target for u in after.units[1:-1]] == [
        u.target for u in bundle.units[1:-1]
    ]
    assert (
        StringTranslation.objects.filter(locale__language_code="ar").count() == before
    )


def _snapshot():
    return sorted(
        StringTranslation.objects.filter(locale__language_code="ar").values_list(
            "translation_of_id", "context_id", "data"
        )
    )


def test_a_file_for_another_page_is_refused(
    translator_client, chapter_ar, demo_handbook
):
    handbook_ar = translated(demo_handbook, "ar")
    data = download(translator_client, chapter_ar, "po", scope="page")
    before = _snapshot()
    messages = upload(translator_client, handbook_ar, data)
    assert f"page {chapter_ar.pk}" in messages[0]
    assert _snapshot() == before


def test_a_file_for_another_locale_is_refused(
    translator_client, chapter_de, chapter_ar
):
    chapter_en = translated(chapter_de, "en")
    bundle = offline_bundle_for(page=chapter_en, scope="page")
    bundle.page_id = chapter_ar.pk  # same page, but made for English
    data = bundle_to_po(bundle, created_at="2026-11-24 10:00+0000").encode()
    before = _snapshot()
    messages = upload(translator_client, chapter_ar, data)
    assert "translates into en, but this page is in ar" in messages[0]
    assert _snapshot() == before


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"\xff\xfe not utf-8 \x00", "UTF-8"),
        (b'msgid "x"\nmsgstr "y"\n', "Wegweiser header"),
        (
            b'msgid "a"\nmsgstr "b"\nnot po\n',
            "cannot be read: Syntax error in po file (line 3)",
        ),
        (b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'>", "XML"),
        (b"<xliff version='1.2'><file/></xliff>", "XLIFF 2.0"),
        (
            b"<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;'>]><x>&b;</x>",
            "XML",
        ),
    ],
)
def test_malformed_files_are_refused(translator_client, chapter_ar, data, reason):
    before = _snapshot()
    messages = upload(translator_client, chapter_ar, data)
    assert reason in messages[0], messages
    assert _snapshot() == before


def test_a_file_made_before_the_german_text_changed_is_refused(
    translator_client, chapter_de, chapter_ar
):
    po = polib.pofile(download(translator_client, chapter_ar, "po", "page").decode())
    po[0].msgstr = "ترجمة قديمة"

    chapter_de.title = "Menschen für Engagement gewinnen (neu)"
    chapter_de.save_revision().publish()
    TranslationSource.objects.get_for_instance(chapter_de).update_from_db()

    before = _snapshot()
    messages = upload(translator_client, chapter_ar, str(po).encode())
    assert "changed after this file was made" in messages[0]
    assert _snapshot() == before


def test_an_edited_source_text_is_refused(translator_client, chapter_ar):
    po = polib.pofile(download(translator_client, chapter_ar, "po", "page").decode())
    po[0].msgid = po[0].msgid + " (geändert)"
    po[0].msgstr = "x"
    before = _snapshot()
    messages = upload(translator_client, chapter_ar, str(po).encode())
    assert "does not match the German text" in messages[0]
    assert _snapshot() == before


def test_empty_and_fuzzy_entries_change_nothing(translator_client, chapter_ar):
    po = polib.pofile(download(translator_client, chapter_ar, "po", "page").decode())
    po[0].msgstr = ""
    po[1].msgstr = "اقتراح غير مؤكد"
    po[1].flags.append("fuzzy")
    before = _snapshot()
    messages = upload(translator_client, chapter_ar, str(po).encode())
    assert _snapshot() == before
    assert "1 left empty, 1 still marked for review" in messages[0], messages


def _msgfmt_check(data: bytes, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "page.po"
    path.write_bytes(data)
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )


def test_a_page_that_repeats_a_text_gives_a_valid_po_file(
    translator_client, demo_handbook, tmp_path
):
    # "Ja." twice in one field (two segments, one context) and again in two other
    # fields; "Nein." translated in the editor with a stray last line break.
    chapter = chapter_factory(
        demo_handbook,
        title="Ja.",
        intro="<p>Ja.</p><p>Nein.</p><p>Ja.</p>",
        body=[("paragraph", "<p>Ja.</p>")],
    )
    translate_into(chapter, "ar")
    chapter_ar = translated(chapter, "ar")
    source = TranslationSource.objects.get(object_id=chapter.translation_key)
    segment = source.stringsegment_set.get(string__data="Nein.")
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=chapter_ar.locale,
        context=segment.context,
        data="لا.\n",
    )

    data = download(translator_client, chapter_ar, "po", scope="page")
    result = _msgfmt_check(data, tmp_path)
    assert result.returncode == 0, result.stderr
    po = polib.pofile(data.decode())
    keys = [(e.msgctxt, e.msgid) for e in po]
    assert len(keys) == len(set(keys))
    assert [e.msgctxt for e in po if e.msgid == "Ja."] == [
        "1:title",
        "1:intro",
        f"1:body.{chapter.body[0].id}",
    ]

    # Translating the repeated text once translates both places on the page.
    next(e for e in po if e.msgctxt == "1:intro" and e.msgid == "Ja.").msgstr = "نعم."
    messages = upload(translator_client, chapter_ar, str(po).encode())
    assert messages[0].startswith("Imported 1 translations"), messages
    assert (
        StringTranslation.objects.get(
            context__object_id=chapter.translation_key,
            context__path="intro",
            translation_of__data="Ja.",
            locale=chapter_ar.locale,
        ).data
        == "نعم."
    )


def test_refusals_are_in_the_translators_admin_language(
    translator_client, translator_ar, chapter_de, chapter_ar
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(translator_ar)
    profile.preferred_language = "de"
    profile.save()
    messages = [m.strip() for m in upload(translator_client, chapter_ar, b"")]
    assert messages == [
        "„file.po“ wurde nicht übernommen: die Datei ist leer: wählen Sie die PO- "
        "oder XLIFF-Datei, die Sie übersetzt haben."
    ]
    bundle = offline_bundle_for(page=translated(chapter_de, "en"), scope="page")
    bundle.page_id = chapter_ar.pk
    data = bundle_to_po(bundle, created_at="2026-11-24 10:00+0000").encode()
    messages = upload(translator_client, chapter_ar, data)
    assert "laden Sie sie auf der Seite in en hoch" in messages[-1], messages
