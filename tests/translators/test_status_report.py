"""Outdated segments, the status selectors and the translations report."""

from __future__ import annotations

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.pages.models import ChapterPage
from cms.translators.selectors import (
    changed_segments_for,
    translation_states_for_locale,
    translation_status_for,
)
from tests.translators.conftest import translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter_de(demo_handbook):
    return ChapterPage.objects.get(locale=Locale.get_default(), number=1)


def state_of(page, code):
    return next(
        s
        for s in translation_states_for_locale(locale_code=code)
        if s.source_page_id == page.pk
    )


def test_demo_translations_are_complete_and_the_rest_is_missing(
    demo_handbook, chapter_de
):
    states = translation_states_for_locale(locale_code="ar")
    by_id = {s.source_page_id: s for s in states}
    for page in chapter_de.get_descendants(inclusive=True):
        state = by_id[page.pk]
        assert state.translated_percent == 100
        assert state.status == "up_to_date"
    other = ChapterPage.objects.get(locale=Locale.get_default(), number=2)
    assert by_id[other.pk].status == "missing"
    assert by_id[other.pk].translated_percent == 0
    assert translation_status_for(translated(chapter_de, "ar")) == "up_to_date"


def test_the_report_costs_the_same_few_queries_for_any_number_of_pages(
    django_assert_max_num_queries, demo_handbook
):
    with django_assert_max_num_queries(6):
        states = translation_states_for_locale(locale_code="en")
    assert len(states) > 30


def test_a_changed_german_text_shows_as_outdated_then_sync_keeps_the_rest(
    chapter_de,
):
    chapter_ar = translated(chapter_de, "ar")
    before = state_of(chapter_de, "ar")

    chapter_de.title = "Menschen für das Ehrenamt gewinnen"
    chapter_de.save_revision().publish()

    # Before any sync: the page is outdated and the changed segment is named.
    assert translation_status_for(chapter_ar) == "outdated"
    assert state_of(chapter_de, "ar").source_changed
    changes = changed_segments_for(page=chapter_ar)
    assert [c.path for c in changes] == ["title"]
    assert changes[0].source == "Menschen für das Ehrenamt gewinnen"
    assert changes[0].previous_translation

    # wagtail-localize's sync brings the new text in; finished segments stay.
    TranslationSource.objects.get_for_instance(chapter_de).update_from_db()
    after = state_of(chapter_de, "ar")
    assert not after.source_changed
    assert after.counts.outdated == 1
    assert after.counts.translated == before.counts.translated - 1
    assert after.counts.missing == 0
    assert [c.path for c in changed_segments_for(page=chapter_ar)] == ["title"]
    assert translation_status_for(chapter_ar) == "outdated"

    # Translating the changed segment makes the page current again.
    segment = (
        TranslationSource.objects.get_for_instance(chapter_de)
        .stringsegment_set.select_related("string", "context")
        .get(context__path="title")
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        context=segment.context,
        locale=chapter_ar.locale,
        data="كسب الناس للعمل التطوعي",
    )
    assert translation_status_for(chapter_ar) == "up_to_date"
    assert changed_segments_for(page=chapter_ar) == []


def test_the_report_is_in_the_reports_menu_and_lists_pages(
    translator_client, chapter_de
):
    dashboard = translator_client.get("/admin/").content.decode()
    assert "/admin/translators/report/" in dashboard
    response = translator_client.get("/admin/translators/report/")
    body = response.content.decode()
    assert response.status_code == 200
    # A translator for ar sees ar first, named in her admin language (English).
    assert '<strong aria-current="page">Arabic</strong>' in body
    assert chapter_de.title in body
    assert "not translated" in body
    csv = translator_client.get("/admin/translators/report/?locale=en&export=csv")
    assert csv.status_code == 200
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert rows[0].startswith("locale_code,source_page_id,page_id,title")
    assert any(chapter_de.title in row and ",100," in row for row in rows)


def test_the_changes_view_names_the_changed_segment(translator_client, chapter_de):
    chapter_de.title = "Neuer Titel des Kapitels"
    chapter_de.save_revision().publish()
    chapter_ar = translated(chapter_de, "ar")
    body = translator_client.get(
        f"/admin/translators/pages/{chapter_ar.pk}/changes/"
    ).content.decode()
    assert "Neuer Titel des Kapitels" in body
    assert "outdated" in body
