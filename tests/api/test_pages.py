"""Reading pages: locale fallback, field selection, rich text, images, errors."""

from __future__ import annotations

import pytest

from tests.api.conftest import demo_page

pytestmark = pytest.mark.django_db

CHAPTER_1 = "menschen-fuer-engagement-gewinnen"  # translated: en, ar, de-x-ls
CHAPTER_2 = "bildung-die-in-den-alltag-passt"  # German only


def test_translated_page_is_served_in_the_requested_locale(api):
    chapter = demo_page(CHAPTER_1)
    response = api(f"pages/{chapter.pk}/?locale=ar")
    assert response.status_code == 200
    data = response.data
    assert data["locale"] == "ar"
    assert data["id"] == demo_page(CHAPTER_1, "ar").pk
    assert data["title"] == demo_page(CHAPTER_1, "ar").title
    assert data["meta"]["requested_locale"] == "ar"
    assert data["meta"]["served_locale"] == "ar"
    assert data["meta"]["fallback"] is False
    assert data["meta"]["translation_status"] == "up_to_date"
    assert data["meta"]["source_revision"] == chapter.live_revision_id


def test_untranslated_page_falls_back_to_german_and_says_so(api):
    chapter = demo_page(CHAPTER_2)
    data = api(f"pages/{chapter.pk}/?locale=fa").data
    assert data["locale"] == "de"
    assert data["title"] == chapter.title
    assert data["meta"] == data["meta"] | {
        "requested_locale": "fa",
        "served_locale": "de",
        "fallback": True,
        "translation_status": "fallback",
    }


def test_missing_simple_version_is_reported_not_replaced(api):
    chapter = demo_page(CHAPTER_2)
    response = api(f"pages/{chapter.pk}/?locale=de-x-ls")
    assert response.status_code == 404
    assert response.data["error"]["code"] == "missing_in_locale"
    assert "never falls back" in response.data["error"]["message"]


def test_any_locale_version_id_reaches_the_same_page(api):
    arabic = demo_page(CHAPTER_1, "ar")
    data = api(f"pages/{arabic.pk}/?locale=en").data
    assert data["id"] == demo_page(CHAPTER_1, "en").pk


def test_page_by_path(api):
    chapter = demo_page(CHAPTER_1)
    data = api(f"pages/by-path/?path={chapter.url_path}&locale=en").data
    assert data["id"] == demo_page(CHAPTER_1, "en").pk
    missing = api("pages/by-path/?path=/gibt-es-nicht/")
    assert missing.status_code == 404
    assert missing.data["error"]["code"] == "not_found"


def test_field_selection_keeps_id_type_and_meta(api):
    chapter = demo_page(CHAPTER_1)
    data = api(f"pages/{chapter.pk}/?fields=title,number").data
    assert set(data) == {"id", "type", "meta", "title", "number"}


def test_rich_text_is_clean_html_with_glossary_terms_marked(api):
    chapter = demo_page(CHAPTER_1)
    body = api(f"pages/{chapter.pk}/").data["body"]
    html = " ".join(b["html"] for b in body if b["type"] == "paragraph")
    assert '<dfn data-glossary="ehrenamt"' in html
    assert "linktype" not in html and "<embed" not in html


def test_images_come_as_renditions_with_localized_alt_and_credit(api):
    from cms.images.models import ImageAltText

    chapter = demo_page(CHAPTER_1)
    body = api(f"pages/{chapter.pk}/?locale=ar").data["body"]
    image = next(b for b in body if b["type"] == "image")["image"]
    arabic_alt = ImageAltText.objects.get(
        image_id=image["id"], locale__language_code="ar"
    ).text
    assert image["alt"] == arabic_alt
    assert image["credit"]
    widths = [r["width"] for r in image["renditions"]]
    assert len(widths) >= 2 and widths == sorted(widths)
    assert image["srcset"].count("w,") == len(widths) - 1


def test_each_portrait_in_a_list_has_its_photo_alt_in_its_own_served_locale(api):
    """A list page mixes translated portraits with German fallbacks: each photo's
    alt text must come from the locale that portrait is served in."""
    from wagtail.models import Locale

    from cms.images.models import ImageAltText

    english = Locale.objects.get(language_code="en")
    german_first, translated = [
        demo_page(item["slug"]).specific
        for item in api("portraits/?locale=en&limit=2").data["items"]
    ]
    translation = translated.copy_for_translation(english, copy_parents=True)
    translation.save_revision().publish()
    for portrait in (german_first, translated):
        source = ImageAltText.objects.get(
            image_id=portrait.photo_id, locale__language_code="de"
        )
        alt = source.copy_for_translation(english)
        alt.text = f"English alt text for {portrait.display_name}"
        alt.save()

    items = api("portraits/?locale=en&limit=2").data["items"]

    assert [item["locale"] for item in items] == ["de", "en"]
    assert (
        items[0]["photo"]["alt"]
        == ImageAltText.objects.get(
            image_id=german_first.photo_id, locale__language_code="de"
        ).text
    )
    assert items[1]["photo"]["alt"] == (
        f"English alt text for {translated.display_name}"
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("pages/{id}/?locale=xx", "unknown_locale"),
        ("pages/{id}/?fields=title,nonsense", "unknown_field"),
        ("recommendations/?limit=0", "limit_out_of_range"),
        ("recommendations/?limit=101", "limit_out_of_range"),
        ("recommendations/?limit=abc", "invalid_limit"),
        ("recommendations/?offset=-1", "offset_out_of_range"),
        ("changes/?since=not-a-cursor", "invalid_cursor"),
        ("changes/?since=%25%25%25", "invalid_cursor"),
        ("search/?q=" + "a" * 201, "query_too_long"),
        ("search/?q=", "missing_query"),
        ("search/?q=(((((((((a*)*)*)*)*)*)*)*)*)", None),
        ("best-practices/?municipality=../../etc", "invalid_municipality"),
        ("best-practices/?municipality=atlantis", "unknown_municipality"),
        ("portraits/?municipality=atlantis", "unknown_municipality"),
        ("recommendations/?municipality=atlantis", "unknown_municipality"),
        ("recommendations/?municipality=Ehingen!", "invalid_municipality"),
    ],
)
def test_bad_requests_get_a_clear_json_error(api, query, code):
    chapter = demo_page(CHAPTER_1)
    response = api(query.format(id=chapter.pk))
    if code is None:  # symbols are dropped, the words still searched
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.data["error"]["code"] == code
    assert response.data["error"]["message"]


def test_unknown_municipality_names_the_known_ones_even_on_revalidation(api):
    # A client revalidating with a stale or wildcard ETag still learns of its typo.
    response = api("portraits/?municipality=ehingn", if_none_match="*")
    assert response.status_code == 400
    message = response.data["error"]["message"]
    assert "'ehingn'" in message
    assert "ehingen, laichingen, langenau" in message


def test_unknown_api_urls_answer_in_json(api):
    response = api("gibt-es-nicht/")
    assert response.status_code == 404
    assert response.data["error"]["code"] == "unknown_endpoint"


def test_locales_report_direction_fallbacks_and_coverage(api):
    items = {i["code"]: i for i in api("locales/").data["items"]}
    assert items["ar"]["direction"] == "rtl"
    assert items["fa"]["fallbacks"] == ["de"]
    assert items["de-x-ls"]["fallbacks"] == []
    assert items["de"]["coverage"] == 100.0
    assert 0 < items["ar"]["coverage"] < 100
    assert items["fa"]["coverage"] == 0.0


def test_lists_filter_and_paginate(api):
    data = api("best-practices/?municipality=ehingen&locale=en&limit=2").data
    assert data["count"] == 3 and len(data["items"]) == 2
    assert {i["municipality"]["slug"] for i in data["items"]} == {"ehingen"}
    second = api("best-practices/?municipality=ehingen&locale=en&limit=2&offset=2")
    assert len(second.data["items"]) == 1
    topic = api("recommendations/?topic=bildung").data
    assert topic["count"] == 2


# Demo recommendations naming each town (cms/demo/data); the first is translated.
NAMING_LANGENAU = {
    "menschen-persoenlich-ansprechen",
    "mobilitaetstrainings-und-radfahrkurse-anbieten",
    "begegnungsorte-mit-gemeinsamem-anlass-schaffen",
}
NAMING_LAICHINGEN = {
    "menschen-persoenlich-ansprechen",
    "wichtige-informationen-in-einfacher-sprache",
    "vereine-bei-der-interkulturellen-oeffnung-unterstuetzen",
}


def german_slugs(items: list[dict]) -> set[str]:
    """The German slugs of listed pages, whichever locale each is served in."""
    from wagtail.models import Page

    keys = [i["translation_key"] for i in items]
    return set(
        Page.objects.filter(
            translation_key__in=keys, locale__language_code="de"
        ).values_list("slug", flat=True)
    )


def test_recommendations_filter_by_municipality(api):
    everything = api("recommendations/?limit=100").data
    data = api("recommendations/?municipality=laichingen&limit=100").data
    assert data["count"] == len(data["items"]) == 3 < everything["count"]
    assert {i["slug"] for i in data["items"]} == NAMING_LAICHINGEN
    for item in data["items"]:
        assert {"slug": "laichingen", "name": "Laichingen"} in item["municipalities"]
    # District-wide recommendations name no town and only appear unfiltered.
    assert any(i["municipalities"] == [] for i in everything["items"])
    both = api("recommendations/?municipality=ehingen&topic=engagement").data
    assert [i["slug"] for i in both["items"]] == ["menschen-persoenlich-ansprechen"]
    assert [m["slug"] for m in both["items"][0]["municipalities"]] == [
        "ehingen",
        "laichingen",
        "langenau",
    ]


def test_municipality_filter_falls_back_like_the_list(api):
    """fa has no translations: every match is the German version, marked so."""
    data = api("recommendations/?municipality=langenau&locale=fa").data
    assert german_slugs(data["items"]) == NAMING_LANGENAU
    assert {i["locale"] for i in data["items"]} == {"de"}
    assert all(i["meta"]["fallback"] for i in data["items"])


def test_municipality_filter_finds_translations_by_their_synchronised_towns(api):
    data = api("recommendations/?municipality=langenau&locale=en").data
    assert german_slugs(data["items"]) == NAMING_LANGENAU
    by_locale = {i["locale"]: i for i in data["items"]}
    english = by_locale["en"]  # chapter 1's recommendation is translated
    assert english["slug"] != "menschen-persoenlich-ansprechen"
    assert english["meta"]["fallback"] is False
    assert [m["slug"] for m in english["municipalities"]] == [
        "ehingen",
        "laichingen",
        "langenau",
    ]


def test_recommendation_document_names_its_municipalities(api):
    page = demo_page("menschen-persoenlich-ansprechen")
    data = api(f"pages/{page.pk}/?locale=ar").data
    assert data["locale"] == "ar"
    assert [m["slug"] for m in data["municipalities"]] == [
        "ehingen",
        "laichingen",
        "langenau",
    ]


def test_chapter_tree_in_a_locale(api):
    handbook = demo_page("handbuch-integration")
    tree = api(f"handbooks/{handbook.pk}/tree/?locale=ar").data["tree"]
    assert tree["locale"] == "ar"
    chapters = [c for c in tree["children"] if c["type"] == "chapter"]
    assert len(chapters) == 6
    assert chapters[0]["locale"] == "ar" and chapters[1]["fallback"] is True
    assert any(c["type"] == "recommendation" for c in chapters[0]["children"])


def test_glossary_in_a_locale_with_fallback(api):
    items = api("glossary/?locale=tr").data["items"]
    assert len(items) == 18
    assert all(i["locale"] == "de" and i["fallback"] for i in items)
    arabic = api("glossary/?locale=ar").data["items"]
    assert all(i["locale"] == "ar" for i in arabic)


def test_search_finds_words_in_the_locale(api):
    hits = api("search/?q=Elterncafé&locale=de").data
    assert hits["count"] >= 1
    assert hits["items"][0]["title"] == "Elterncafé an der Grundschule"
    arabic = api("search/?q=Ehingen&locale=ar").data
    assert all(i["locale"] in ("ar", "de") for i in arabic["items"])


@pytest.mark.skipif(
    not __import__("tests.conftest", fromlist=["x"]).USING_REAL_SERVICES,
    reason="stemming needs PostgreSQL's text-search configurations",
)
def test_search_stems_with_the_locale_configuration(api):
    # "Elterncafés" is not written anywhere; German stemming still finds the page.
    hits = api("search/?q=Grundschulen&locale=de").data["items"]
    assert "Elterncafé an der Grundschule" in [h["title"] for h in hits]
    english = api("search/?q=engaging&locale=en").data["items"]
    assert english and all(h["locale"] in ("en", "de") for h in english)
