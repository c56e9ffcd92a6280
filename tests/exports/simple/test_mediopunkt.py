"""Compound splits (Mediopunkt) are stored once and rendered per channel."""

from __future__ import annotations

import json

import pytest

from exports.content.inline import GlossaryMark, rich_text_html, rich_text_parse
from tests.conftest import wait_until
from tests.exports.conftest import settled
from tests.exports.simple.conftest import simple_version
from tests.factories.pages import chapter_factory, handbook_factory

SPLIT_HTML = '<span class="mediopunkt" aria-hidden="true">·</span>'


def no_links(page_id: int) -> None:
    return None


def rich_text_clean(source: str, **kwargs) -> str:
    """Stored rich text as the API serves it: parsed into the tree, then HTML."""
    return rich_text_html(rich_text_parse(source, **kwargs))


def test_german_rich_text_marks_splits_for_screen_readers():
    html = rich_text_clean(
        "<p>Der Bürger·meister hilft · immer.</p>",
        page_link=no_links,
        mediopunkt=True,
    )

    assert html == f"<p>Der Bürger{SPLIT_HTML}meister hilft · immer.</p>"


def test_other_languages_keep_the_character_as_it_is():
    html = rich_text_clean("<p>a·b</p>", page_link=no_links)

    assert html == "<p>a·b</p>"


def test_a_glossary_word_is_found_with_or_without_a_split():
    html = rich_text_clean(
        "<p>Fragen Sie den Bürger·meister.</p>",
        page_link=no_links,
        glossary=[GlossaryMark("Bürgermeister", "buergermeister", "Chef im Rathaus")],
        mediopunkt=True,
    )

    assert (
        '<dfn data-glossary="buergermeister" title="Chef im Rathaus">'
        f"Bürger{SPLIT_HTML}meister</dfn>"
    ) in html


@pytest.mark.django_db(transaction=True)
def test_a_simple_publish_pushes_the_marked_split_as_the_api_serves_it(
    website, pipeline, client
):
    website.up()
    chapter = chapter_factory(handbook_factory(), title="Ankommen")
    simple = simple_version(chapter, intro="<p>Der Bürger·meister hilft Ihnen.</p>")

    assert wait_until(lambda: "de-x-ls" in website.current(simple.translation_key)), (
        website.messages(simple.translation_key)
    )
    row = website.current(simple.translation_key)["de-x-ls"]
    payload = json.loads(row["body"])
    assert payload["type"] == "page.updated"
    assert payload["data"]["locale"] == "de-x-ls"
    document = payload["data"]["document"]
    assert document["intro"] == f"<p>Der Bürger{SPLIT_HTML}meister hilft Ihnen.</p>"
    api = client.get(f"/api/v1/pages/{simple.pk}/?locale=de-x-ls")
    assert api.status_code == 200
    pushed = row["body"].encode() if isinstance(row["body"], str) else row["body"]
    assert pushed.split(b',"document":', 1)[1][:-2] == api.content
    assert wait_until(settled)


@pytest.mark.django_db
def test_search_finds_the_whole_word_without_the_split(client):
    chapter = chapter_factory(handbook_factory(), title="Im Rathaus")
    simple_version(chapter, intro="<p>Der Bürger·meister leitet das Rathaus.</p>")

    for query in ("Bürgermeister", "Bürger·meister"):
        response = client.get(
            "/api/v1/search/", {"q": query, "locale": "de-x-ls"}
        ).json()
        assert "Im Rathaus" in [hit["title"] for hit in response["items"]], query
