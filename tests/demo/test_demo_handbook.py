"""The demo demo_handbook an editor finds after `make run` (loaded once per session)."""

import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from cms.demo.loader import DemoDataError, demo_handbook_load
from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.snippets.models import GlossaryTerm, Municipality, Organisation

pytestmark = pytest.mark.django_db


def test_handbook_tree_has_the_promised_shape(demo_handbook):
    chapters = ChapterPage.objects.child_of(demo_handbook).live()
    assert chapters.count() >= 5
    assert sorted(c.number for c in chapters) == list(range(1, chapters.count() + 1))
    german = Locale.get_default()
    assert RecommendationPage.objects.filter(locale=german).live().count() >= 8
    practices = BestPracticePage.objects.filter(locale=german).live()
    assert practices.count() >= 6
    towns = set(practices.values_list("municipality__name", flat=True))
    assert {"Laichingen", "Langenau"} <= towns
    assert any(t.startswith("Ehingen") for t in towns)
    index = PortraitIndexPage.objects.child_of(demo_handbook).get()
    assert PortraitPage.objects.child_of(index).live().count() == 9


def test_snippets_name_the_towns_the_partners_and_explain_terms():
    assert Municipality.objects.count() == 3
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "Landratsamt Alb-Donau-Kreis" in names
    assert "Führungsakademie Baden-Württemberg" in names
    german_terms = GlossaryTerm.objects.filter(locale=Locale.get_default())
    assert german_terms.count() >= 15
    assert all(len(t.explanation) > 20 for t in german_terms)


def test_imprint_names_publisher_partner_funding_and_the_2019_process(demo_handbook):
    assert demo_handbook.publisher.name == "Landratsamt Alb-Donau-Kreis"
    roles = {p.organisation.name: p.role for p in demo_handbook.partners.all()}
    assert "Führungsakademie Baden-Württemberg" in roles
    text = demo_handbook.imprint + demo_handbook.funding_note
    for expected in ("2019", "Ehingen", "Laichingen", "Langenau"):
        assert expected in text
    assert "Integration durch bürgerschaftliches Engagement" in text


def test_portraits_are_marked_as_fictional_with_generated_photos():
    portraits = PortraitPage.objects.filter(locale=Locale.get_default())
    for portrait in portraits:
        assert portrait.is_example
        assert "fiktive Person" in str(portrait.story)
        with portrait.photo.open_file() as f, Image.open(f) as img:
            assert not img.getexif()  # generated, no camera, no location
    per_town = {}
    for p in portraits:
        per_town[p.municipality.slug] = per_town.get(p.municipality.slug, 0) + 1
    assert per_town == {"ehingen": 3, "laichingen": 3, "langenau": 3}


def test_demo_shows_both_consent_exceptions():
    portraits = PortraitPage.objects.filter(locale=Locale.get_default())
    assert [p for p in portraits if not p.consent.permits("print")]
    withdrawn = [p for p in portraits if p.consent.is_withdrawn]
    assert withdrawn and not withdrawn[0].consent.permits("web")


@pytest.mark.parametrize("code", ["en", "ar", "de-x-ls"])
def test_chapter_one_is_translated_through_wagtail_localize(demo_handbook, code):
    locale = Locale.objects.get(language_code=code)
    chapter = ChapterPage.objects.child_of(demo_handbook).get(number=1)
    translated = ChapterPage.objects.get(
        translation_key=chapter.translation_key, locale=locale
    )
    assert translated.live
    assert translated.title != chapter.title
    for child in chapter.get_children():
        page = Page.objects.get(translation_key=child.translation_key, locale=locale)
        assert page.live and page.title != child.title
        translation = Translation.objects.get(
            source__object_id=child.translation_key, target_locale=locale
        )
        total, done = translation.get_progress()
        assert total > 0 and done == total
    # Linked snippets point at their translations, not at the German rows.
    assert translated.topic.locale == locale


def test_recommendations_name_towns_and_translations_keep_them(demo_handbook):
    german = RecommendationPage.objects.filter(locale=Locale.get_default()).live()
    named = {
        page.translation_key: {m.slug for m in page.municipalities.all()}
        for page in german
    }
    towns = set().union(*named.values())
    assert towns == {"ehingen", "laichingen", "langenau"}
    assert any(not slugs for slugs in named.values())  # some are district-wide
    # Chapter 1's recommendations are translated; the towns come along unchanged.
    translated = RecommendationPage.objects.filter(
        translation_key__in=named, locale__language_code__in=["en", "ar", "de-x-ls"]
    )
    assert translated.count() == 6
    assert any(named[page.translation_key] for page in translated)
    for page in translated:
        assert {m.slug for m in page.municipalities.all()} == named[
            page.translation_key
        ]


def test_arabic_translation_is_arabic_text(demo_handbook):
    arabic = Locale.objects.get(language_code="ar")
    translated = HandbookPage.objects.get(
        translation_key=demo_handbook.translation_key, locale=arabic
    )
    assert any("\u0600" <= ch <= "\u06ff" for ch in translated.title)


def test_loading_again_changes_nothing(demo_handbook):
    pages_before = Page.objects.count()
    result = demo_handbook_load()
    assert not result.created
    assert result.handbook.pk == demo_handbook.pk
    assert Page.objects.count() == pages_before


def test_incomplete_translation_file_is_reported_and_writes_nothing(tmp_path):
    from cms.demo import loader

    data_dir = tmp_path / "data"
    shutil.copytree(Path(loader.DATA_DIR), data_dir)
    handbook_yaml = data_dir / "handbook.yaml"
    handbook_yaml.write_text(
        handbook_yaml.read_text().replace("slug: handbuch-integration", "slug: zweit")
    )
    en = data_dir / "translations" / "en.yaml"
    english = yaml.safe_load(en.read_text())
    dropped = next(iter(english["strings"]))
    del english["strings"][dropped]
    en.write_text(yaml.safe_dump(english, allow_unicode=True))
    pages_before = Page.objects.count()
    with pytest.raises(DemoDataError, match=r"en\.yaml lacks 1 strings") as excinfo:
        demo_handbook_load(data_dir=data_dir)
    assert dropped in str(excinfo.value)
    assert Page.objects.count() == pages_before
