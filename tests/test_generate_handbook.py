import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from cms.pages.models import ChapterPage, HandbookPage

pytestmark = pytest.mark.django_db


def test_generates_a_valid_tree_in_every_locale(capsys):
    before = Page.objects.count()
    call_command("generate_handbook", pages=120, locales="de,en,ar")
    out = capsys.readouterr().out
    assert "121 pages × 3 locales" in out
    assert Page.objects.count() - before == 363
    assert Page.find_problems() == ([], [], [], [], [])
    handbook = HandbookPage.objects.filter(title__startswith="Synthetisches").first()
    descendants = handbook.get_descendants()
    assert descendants.count() == 120
    assert all(p.live for p in descendants)
    chapter = ChapterPage.objects.child_of(handbook).first()
    assert chapter.specific.body  # real StreamField content
    keys = ChapterPage.objects.filter(translation_key=chapter.translation_key)
    assert sorted(keys.values_list("locale__language_code", flat=True)) == [
        "ar",
        "de",
        "en",
    ]


def test_unknown_locale_is_a_clear_error():
    with pytest.raises(CommandError, match="locale xx is not configured; known: "):
        call_command("generate_handbook", pages=10, locales="de,xx")
