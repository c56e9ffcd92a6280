"""Offline uploads never lose work: each refused entry is named and nothing stored
for it changes; the entries beside it are still imported."""

from __future__ import annotations

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from cms.pages.models import ChapterPage
from tests.translators.conftest import translated
from tests.translators.test_offline_files import _snapshot, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter_ar(demo_handbook):
    return translated(
        ChapterPage.objects.get(locale=Locale.get_default(), number=1), "ar"
    )


def upload(client, page, data: bytes, *, overwrite_newer=False) -> list[str]:
    form = {"file": SimpleUploadedFile("file.po", data)}
    if overwrite_newer:
        form["overwrite_newer"] = "on"
    response = client.post(f"/admin/translators/pages/{page.pk}/offline/upload/", form)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def _page_file(client, page) -> polib.POFile:
    return polib.pofile(download(client, page, "po", "page").decode())


def _stored(page, path: str, source: str | None = None) -> str:
    """The stored Arabic translation of a field (of one of its segments)."""
    found = StringTranslation.objects.filter(
        locale__language_code="ar",
        context__object_id=page.translation_key,
        context__path=path,
    )
    if source is not None:
        found = found.filter(translation_of__data=source)
    return found.get().data


def _rich_entry(po: polib.POFile) -> polib.POEntry:
    """An entry of a rich text field (its German text is a paragraph)."""
    return next(e for e in po if e.msgctxt.startswith("1:intro"))


def test_a_title_longer_than_the_field_is_refused_and_the_rest_imported(
    translator_client, chapter_ar
):
    po = _page_file(translator_client, chapter_ar)
    title = next(e for e in po if e.msgctxt == "1:title")
    title.msgstr = "ع" * 256  # ChapterPage.title allows 255
    intro = _rich_entry(po)
    intro.msgstr = "نص مقدمة جديد"
    stored_title = _stored(chapter_ar, "title")

    messages = upload(translator_client, chapter_ar, str(po).encode())

    assert any("has 256 characters, the field allows 255" in m for m in messages)
    assert messages[0].startswith("Imported 1 translations"), messages
    assert _stored(chapter_ar, "title") == stored_title
    path = intro.msgctxt.split(":", 1)[1]
    assert _stored(chapter_ar, path, intro.msgid) == "نص مقدمة جديد"


@pytest.mark.parametrize(
    "markup",
    [
        '<script>alert("x")</script>',
        '<a href="https://example.org/">Link</a>',
        "<img src=x onerror=alert(1)>",
    ],
)
def test_markup_the_editor_would_refuse_is_refused(
    translator_client, chapter_ar, markup
):
    po = _page_file(translator_client, chapter_ar)
    intro = _rich_entry(po)
    intro.msgstr = f"نص {markup}"
    before = _snapshot()

    messages = upload(translator_client, chapter_ar, str(po).encode())

    assert any("markup the editor does not allow" in m for m in messages), messages
    assert _snapshot() == before


def test_an_older_file_does_not_revert_a_newer_translation(
    translator_client, chapter_ar
):
    older = _page_file(translator_client, chapter_ar)
    newer = _page_file(translator_client, chapter_ar)
    next(e for e in newer if e.msgctxt == "1:title").msgstr = "العنوان الأحدث"
    assert upload(translator_client, chapter_ar, str(newer).encode())[0].startswith(
        "Imported 1"
    )
    next(e for e in older if e.msgctxt == "1:title").msgstr = "العنوان الأقدم"
    before = _snapshot()

    messages = upload(translator_client, chapter_ar, str(older).encode())

    assert any("is newer than this file" in m for m in messages), messages
    assert _snapshot() == before
    assert _stored(chapter_ar, "title") == "العنوان الأحدث"

    # On purpose, the translator may replace it.
    messages = upload(
        translator_client, chapter_ar, str(older).encode(), overwrite_newer=True
    )
    assert messages[0].startswith("Imported 1"), messages
    assert _stored(chapter_ar, "title") == "العنوان الأقدم"
