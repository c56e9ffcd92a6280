"""wagtail-localize's own PO upload (in its translation editor) behind our checks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale
from wagtail_localize.models import Translation

from cms.pages.models import ChapterPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def translation(demo_handbook):
    chapter = ChapterPage.objects.get(locale=Locale.get_default(), number=1)
    return Translation.objects.get(
        source__object_id=chapter.translation_key, target_locale__language_code="ar"
    )


def upload(client, translation, data: bytes):
    edit_url = f"/admin/localize/translate/{translation.pk}/"
    response = client.post(
        f"/admin/localize/translate/{translation.pk}/pofile/upload/?next={edit_url}",
        {"file": SimpleUploadedFile("ar.po", data)},
    )
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def temp_files() -> set[Path]:
    return set(Path(tempfile.gettempdir()).iterdir())


def test_a_po_file_without_its_header_gets_a_message_not_a_500(
    admin_client, translation
):
    before = temp_files()
    response, messages = upload(
        admin_client, translation, b'msgid "Hallo"\nmsgstr "Marhaba"\n'
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/translate/{translation.pk}/")
    assert any("Kopf" in m or "header" in m for m in messages), messages
    assert temp_files() - before == set()  # nothing left behind


def test_a_po_file_over_the_limit_is_refused_with_a_message(
    admin_client, translation, settings
):
    settings.MAX_PO_UPLOAD_BYTES = 2000
    before = temp_files()
    data = b'msgid ""\nmsgstr ""\n' + b"# padding\n" * 400
    response, messages = upload(admin_client, translation, data)
    assert response.status_code == 302
    assert any("MB" in m for m in messages), messages
    assert temp_files() - before == set()


def test_the_downloaded_file_still_imports(admin_client, translation):
    download = admin_client.get(
        f"/admin/localize/translate/{translation.pk}/pofile/download/"
    )
    assert download.status_code == 200
    response, messages = upload(admin_client, translation, download.content)
    assert response.status_code == 302
    assert not any("Kopf" in m or "header" in m for m in messages), messages
