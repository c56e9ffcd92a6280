"""The Leichte Sprache coverage: per German page missing, outdated, unchecked or
checked, in the admin and in the delivery API's locale listing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from exports.simple.selectors import simple_coverage_get
from tests.exports.simple.conftest import simple_version
from tests.factories.pages import chapter_factory, handbook_factory

pytestmark = pytest.mark.django_db


def prufgruppe_approve(page, user) -> None:
    """Send ``page``'s latest revision through a Prüfgruppe workflow and approve it,
    as a reviewer does in the admin (Wagtail's workflow API)."""
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from cms.plain_language.models import PlainLanguageReviewTask

    group = Group.objects.create(name=f"Prüfgruppe {page.pk}")
    user.groups.add(group)
    task = PlainLanguageReviewTask.objects.create(name=f"Prüfgruppe {page.pk}")
    task.groups.set([group])
    workflow = Workflow.objects.create(name=f"Leichte Sprache {page.pk}")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=page)
    state = workflow.start(page, user)
    state.current_task_state.approve(user=user)
    page.refresh_from_db()


def statuses(*pages) -> list[str]:
    by_page = {p.source_page_id: p.status for p in simple_coverage_get().pages}
    return [by_page[page.pk] for page in pages]


@pytest.fixture
def four_chapters(admin_user):
    """One German chapter per status."""
    handbook = handbook_factory()
    missing, outdated, unchecked, checked = (
        chapter_factory(handbook, title=title)
        for title in ("Fehlt", "Veraltet", "Ungeprüft", "Geprüft")
    )
    for chapter in (outdated, unchecked):
        simple_version(chapter)
    prufgruppe_approve(simple_version(checked, publish=False), admin_user)
    # The German text changes after the simple version was published.
    outdated.title = "Veraltet (neu)"
    outdated.save_revision().publish()
    return missing, outdated, unchecked, checked


def test_each_german_page_has_the_status_of_its_simple_version(four_chapters):
    assert statuses(*four_chapters) == ["missing", "outdated", "unchecked", "checked"]


def test_a_draft_or_unpublished_simple_version_counts_as_missing(admin_user):
    handbook = handbook_factory()
    draft, unpublished = chapter_factory(handbook), chapter_factory(handbook)
    simple_version(draft, publish=False)
    simple_version(unpublished).unpublish()

    assert statuses(draft, unpublished) == ["missing", "missing"]


def test_a_new_revision_not_approved_is_unchecked_again(four_chapters):
    checked = four_chapters[3]
    from wagtail.models import Locale

    simple = checked.get_translation(Locale.objects.get(language_code="de-x-ls"))
    simple.save_revision().publish()

    assert statuses(checked) == ["unchecked"]


def test_the_locale_listing_counts_statuses_and_its_etag_follows_them(
    client, admin_user
):
    def listing():
        response = client.get("/api/v1/locales/")
        items = {item["code"]: item for item in response.json()["items"]}
        return response, items

    chapter = chapter_factory(handbook_factory())
    simple = simple_version(chapter, publish=False)
    response, items = listing()
    before = items["de-x-ls"]["simple_coverage"]
    assert items["de"]["simple_coverage"] is None
    assert before["total"] == sum(
        before[s] for s in ("checked", "unchecked", "outdated", "missing")
    )
    etag = response["ETag"]
    assert (
        client.get("/api/v1/locales/", headers={"If-None-Match": etag}).status_code
        == 304
    )

    prufgruppe_approve(simple, admin_user)

    response, items = listing()
    after = items["de-x-ls"]["simple_coverage"]
    assert after["checked"] == before["checked"] + 1
    assert after["missing"] == before["missing"] - 1
    assert response["ETag"] != etag
    assert (
        client.get("/api/v1/locales/", headers={"If-None-Match": etag}).status_code
        == 200
    )


def test_the_admin_shows_counts_and_filters_by_status(four_chapters, admin_client):
    missing, checked = four_chapters[0], four_chapters[3]

    page = admin_client.get("/admin/leichte-sprache/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Leichte Sprache" in html
    for chapter, status in zip(
        four_chapters, ("missing", "outdated", "unchecked", "checked"), strict=True
    ):
        assert f'data-status="{status}" data-source-page="{chapter.pk}"' in html
    # A missing page offers to translate it, the others to edit the simple page.
    assert f"/admin/localize/submit/page/{missing.pk}/" in html

    only_missing = admin_client.get("/admin/leichte-sprache/?status=missing")
    rows = only_missing.content.decode()
    assert f'data-source-page="{missing.pk}"' in rows
    assert f'data-source-page="{checked.pk}"' not in rows
    menu = admin_client.get("/admin/").content.decode()
    assert "/admin/leichte-sprache/" in menu


def test_a_german_change_not_yet_synced_stays_outdated_until_translated(demo_handbook):
    """wagtail-localize's timestamps count too: republishing the simple page
    without the new German text does not make it current."""
    from wagtail.models import Locale, Page
    from wagtail_localize.models import (
        StringTranslation,
        Translation,
        TranslationSource,
    )

    chapter = Page.objects.get(
        slug="menschen-fuer-engagement-gewinnen", locale__language_code="de"
    ).specific
    simple = chapter.get_translation(
        Locale.objects.get(language_code="de-x-ls")
    ).specific
    assert statuses(chapter) == ["unchecked"]

    chapter.title = "Menschen für das Ehren·amt gewinnen (neu)"
    chapter.save_revision().publish()
    simple.save_revision().publish()  # newer than the German page, same text
    assert statuses(chapter) == ["outdated"]

    source = TranslationSource.objects.get_for_instance(chapter)
    source.update_from_db()  # the writer syncs: the new German title comes in
    segment = source.stringsegment_set.select_related("string", "context").get(
        context__path="title"
    )
    StringTranslation.objects.create(
        translation_of=segment.string,
        context=segment.context,
        locale=simple.locale,
        data="Menschen für das Ehren·amt finden",
    )
    Translation.objects.get(source=source, target_locale=simple.locale).save_target(
        publish=True
    )
    assert statuses(chapter) == ["unchecked"]


def test_the_report_takes_the_same_queries_for_more_pages(
    demo_handbook, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        simple_coverage_get()
    handbook = handbook_factory()
    for _ in range(5):
        simple_version(chapter_factory(handbook))

    with django_assert_num_queries(len(before.captured_queries)):
        coverage = simple_coverage_get()
    assert coverage.total >= 6
