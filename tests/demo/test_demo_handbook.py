"""The demo demo_handbook an editor finds after `make run` (loaded once per session)."""

import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from cms.demo.loader import demo_handbook_load, demo_missing_strings
from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.snippets.models import GlossaryTerm, Municipality, Organisation
from cms.translators.selectors import translation_status_for

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


@pytest.fixture
def second_demo(tmp_path):
    """A copy of the demo data under another handbook slug, to load beside it."""
    from cms.demo import loader

    data_dir = tmp_path / "data"
    shutil.copytree(Path(loader.DATA_DIR), data_dir)
    handbook_yaml = data_dir / "handbook.yaml"
    handbook_yaml.write_text(
        handbook_yaml.read_text().replace("slug: handbuch-integration", "slug: zweit")
    )
    return data_dir


def test_a_page_with_missing_strings_stays_german_and_is_reported(second_demo):
    """An incomplete file translates what it can; the rest is listed, not loaded.

    The same load also applies imperfections.yaml for en: one chapter left out on
    purpose, one German summary revised after translating (en stays behind).
    """
    en = second_demo / "translations" / "en.yaml"
    english = yaml.safe_load(en.read_text())
    dropped = (
        "Kurze, klar umrissene Einsätze senken die Hemmschwelle für den Einstieg. "
        "Aus einem ersten kleinen Engagement wird oft eine dauerhafte Mitarbeit."
    )
    del english["strings"][dropped]
    en.write_text(yaml.safe_dump(english, allow_unicode=True))
    revised = "Persönlich eingeladen kommen die meisten."
    (second_demo / "imperfections.yaml").write_text(
        yaml.safe_dump(
            {
                "missing": {"en": ["engagement-tandems-langenau"]},
                "outdated": [
                    {
                        "page": "menschen-persoenlich-ansprechen",
                        "field": "summary",
                        "behind": ["en"],
                        "revised": revised,
                    }
                ],
            },
            allow_unicode=True,
        )
    )

    result = demo_handbook_load(data_dir=second_demo, locales=["en"], chapters=[1])

    english_result = result.translations["en"]
    assert list(result.translations) == ["en"]
    assert english_result.left_out == ["Engagement-Tandems in Langenau"]
    # Only chapter 1 was asked for; its other pages are translated.
    assert english_result.skipped["Engagement in überschaubaren Aufgaben anbieten"] == [
        dropped
    ]
    english = Locale.objects.get(language_code="en")
    german_pages = result.handbook.get_descendants().specific()
    skipped = german_pages.get(slug="engagement-in-ueberschaubaren-aufgaben")
    assert not Page.objects.filter(
        translation_key=skipped.translation_key, locale=english
    ).exists()
    chapter = german_pages.get(slug="menschen-fuer-engagement-gewinnen")
    assert Page.objects.get(translation_key=chapter.translation_key, locale=english)
    # The revised German summary is published; the English page keeps the
    # translation of the earlier text and says it is outdated.
    revised_page = german_pages.get(slug="menschen-persoenlich-ansprechen")
    assert revised_page.summary == revised
    english_page = RecommendationPage.objects.get(
        translation_key=revised_page.translation_key, locale=english
    )
    assert english_page.summary.startswith("The most effective")
    assert translation_status_for(english_page) == "outdated"
    assert result.outdated and "behind in en" in result.outdated[0]


def test_missing_strings_are_listed_for_translators(tmp_path):
    from cms.demo import loader

    data_dir = tmp_path / "data"
    shutil.copytree(Path(loader.DATA_DIR), data_dir)
    (data_dir / "translations" / "tr.yaml").write_text(
        "locale: tr\nstrings:\n  Ehrenamt: Gönüllülük\n", encoding="utf-8"
    )
    report = demo_missing_strings("tr", data_dir=data_dir)
    everything = [text for texts in report.values() for text in texts]
    assert "Ehrenamt" not in everything
    assert "Menschen für Engagement gewinnen" in everything
    assert any("Integration gemeinsam gestalten" in name for name in report)
