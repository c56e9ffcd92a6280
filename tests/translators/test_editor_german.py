"""German for what wagtail-localize leaves English in the German admin."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation
from lxml import html
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from cms.pages.models import ChapterPage
from tests.translators.conftest import translated

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = re.compile(
    r"January|February|March|April|May|June|July|August|September|October|"
    r"November|December"
)


def test_translation_dates_have_no_english_month(demo_handbook):
    manual = StringTranslation.objects.filter(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL
    ).first()
    with translation.override("de"):
        comment = manual.get_comment()
    assert not ENGLISH_MONTHS.search(comment), comment
    assert re.fullmatch(r"Manuell übersetzt am \d\d\.\d\d\.\d{4}", comment), comment


def test_the_editor_carries_the_german_words_for_its_english_ones(
    admin_client, demo_handbook
):
    chapter = ChapterPage.objects.get(locale=Locale.get_default(), number=1)
    body = admin_client.get(
        f"/admin/pages/{translated(chapter, 'en').pk}/edit/"
    ).content.decode()
    strings = json.loads(
        html.fromstring(body).get_element_by_id("translators-editor-strings").text
    )
    assert strings == {
        "heading": "Übersetzung: {source} → {target}",
        "moreActions": "Weitere Aktionen",
    }
    assert "translators/editor-strings.js" in body
    assert not ENGLISH_MONTHS.search(body.split('data-props="', 1)[1][:200_000])


@pytest.mark.parametrize(
    "english, german",
    [
        ("Locales", "Sprachen"),
        ("Switch locales", "Sprache wechseln"),
        ("More actions", "Weitere Aktionen"),
    ],
)
def test_project_catalogue_overrides_wagtails_words(english, german):
    with translation.override("de"):
        assert translation.gettext(english) == german


def test_available_in_n_locales_reads_sprachen(admin_client, demo_handbook):
    body = admin_client.get(f"/admin/pages/{demo_handbook.pk}/").content.decode()
    assert "Sprachen verfügbar" in body
    assert "Locales verfügbar" not in body
