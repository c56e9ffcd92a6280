"""The "Druckansicht" preview mode: an editor sees the draft as it will print."""

from __future__ import annotations

import base64
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from wagtail.models import Locale

from cms.pages.models import ChapterPage, PortraitPage

DRAFT_SENTENCE = 'Nur im Entwurf: #read("/etc/passwd") ] * <b>fett?</b>'


def _pdf_text(html: str) -> str:
    encoded = re.search(r'href="data:application/pdf;base64,([^"]+)"', html)
    assert encoded, "the preview offers its PDF"
    reader = PdfReader(BytesIO(base64.b64decode(encoded.group(1))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text).split())


@pytest.fixture
def chapter(demo_handbook):
    return ChapterPage.objects.get(
        locale=Locale.get_default(), slug="bildung-die-in-den-alltag-passt"
    )


def test_every_handbook_page_offers_the_print_preview_mode(chapter):
    assert ("print", "Druckansicht") in [
        (name, str(label)) for name, label in chapter.preview_modes
    ]
    assert ("print", "Druckansicht") in [
        (name, str(label)) for name, label in PortraitPage().preview_modes
    ]


def test_print_preview_shows_the_draft_not_the_live_page(chapter):
    live = chapter.make_preview_request(preview_mode="print")
    draft = ChapterPage.objects.get(pk=chapter.pk)
    draft.title = "Entwurfstitel für die Druckansicht"
    draft.intro = "<p>" + "Ein neuer Absatz im Entwurf. " * 300 + "</p>"
    draft.intro += f"<p>{DRAFT_SENTENCE.replace('<', '&lt;')}</p>"
    preview = draft.make_preview_request(preview_mode="print")

    assert preview.status_code == 200
    html = preview.content.decode()
    pages = int(re.search(r'data-pages="(\d+)"', html).group(1))
    assert pages > int(re.search(r'data-pages="(\d+)"', live.content.decode())[1])
    assert html.count("data:image/png;base64,") == pages
    text = _pdf_text(html)
    assert "Entwurfstitel für die Druckansicht" in text
    assert DRAFT_SENTENCE in text
    assert "root:x:0" not in text
    # The live page is unchanged: previewing saves nothing.
    chapter.refresh_from_db()
    assert chapter.title != draft.title


def test_editor_text_stays_out_of_the_preview_html(chapter):
    draft = ChapterPage.objects.get(pk=chapter.pk)
    draft.title = '<script>alert("x")</script> Titel'
    html = draft.make_preview_request(preview_mode="print").content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html  # only in the escaped <title>


def test_arabic_page_previews_right_to_left_in_arabic(chapter):
    arabic = ChapterPage.objects.get(
        translation_key=chapter.get_parent().get_children().first().translation_key,
        locale__language_code="ar",
    )
    response = arabic.make_preview_request(preview_mode="print")
    assert response.status_code == 200
    text = _pdf_text(response.content.decode())
    assert re.search("[\u0600-\u06ff]{3}", text)


def test_default_preview_mode_still_works(chapter):
    response = chapter.make_preview_request(preview_mode="")
    assert response.status_code == 200
    assert chapter.title in response.content.decode()


def test_admin_preview_pane_shows_the_edited_form_for_print(
    client, demo_handbook, django_user_model
):
    """The way the admin does it: the edit form is posted, the pane then loads."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    from cms.pages.models import PortraitIndexPage

    index = PortraitIndexPage.objects.get(locale=Locale.get_default())
    admin = django_user_model.objects.create_superuser(
        username="redaktion", email="redaktion@example.org", password="pw"
    )
    client.force_login(admin)
    url = f"/admin/pages/{index.pk}/edit/preview/"
    form = nested_form_data(
        {
            "title": "Porträts im Entwurf",
            "slug": index.slug,
            "intro": rich_text("<p>Ein Satz, den nur der Entwurf kennt.</p>"),
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
        }
    )
    posted = client.post(url, form)
    assert posted.json()["is_valid"], posted.json()

    response = client.get(url + "?mode=print")

    assert response.status_code == 200
    html = response.content.decode()
    assert "data:image/png;base64," in html
    text = _pdf_text(html)
    assert "Porträts im Entwurf" in text
    assert "Ein Satz, den nur der Entwurf kennt." in text
