"""The page tree can't be built wrong: each type only where it belongs."""

import pytest
from wagtail.models import Page

from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from tests.factories.pages import chapter_factory, handbook_factory


@pytest.fixture
def tree(db):
    handbook = handbook_factory()
    chapter = chapter_factory(handbook)
    return handbook, chapter


def test_each_page_type_only_under_its_parent(tree):
    handbook, chapter = tree
    root = Page.get_first_root_node()
    assert HandbookPage.can_create_at(root)
    assert ChapterPage.can_create_at(handbook)
    assert not ChapterPage.can_create_at(root)
    assert not ChapterPage.can_create_at(chapter)
    assert RecommendationPage.can_create_at(chapter)
    assert BestPracticePage.can_create_at(chapter)
    assert not RecommendationPage.can_create_at(handbook)
    assert not PortraitPage.can_create_at(handbook)
    assert PortraitIndexPage.can_create_at(handbook)
    assert not HandbookPage.can_create_at(handbook)


def test_only_one_portrait_index_per_handbook(tree):
    handbook, _ = tree
    handbook.add_child(instance=PortraitIndexPage(title="Porträts", slug="portraets"))
    assert not PortraitIndexPage.can_create_at(handbook)


def test_admin_refuses_a_recommendation_directly_under_the_handbook(tree, admin_client):
    handbook, chapter = tree
    wrong = admin_client.get(
        f"/admin/pages/add/pages/recommendationpage/{handbook.pk}/"
    )
    right = admin_client.get(f"/admin/pages/add/pages/recommendationpage/{chapter.pk}/")
    # The admin turns the editor away (403 or back to the dashboard with a
    # message) instead of showing the form.
    assert wrong.status_code in (302, 403)
    assert right.status_code == 200
    assert 'name="summary"' in right.content.decode()
