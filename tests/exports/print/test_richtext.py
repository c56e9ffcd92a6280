"""Rich text for print: the content tree's nodes become data, not markup."""

from __future__ import annotations

from exports.content.inline import GlossaryMark, RichText, rich_text_parse
from exports.print.richtext import print_blocks, text_blocks


def _rich(stored: str, glossary: tuple[GlossaryMark, ...] = ()) -> RichText:
    """Rich text as Wagtail stores it, as the content tree holds it."""
    return rich_text_parse(
        stored,
        page_link=lambda page_id: f"/api/v1/pages/{page_id}/?locale=de",
        glossary=glossary,
    )


def test_paragraphs_keep_bold_italic_and_glossary_terms_as_flags():
    blocks = print_blocks(
        _rich(
            "<p>Ein <b>starkes</b> und <i>leises</i> Ehrenamt.</p>",
            (GlossaryMark(term="Ehrenamt", slug="ehrenamt", explanation="…"),),
        )
    )
    assert blocks == [
        {
            "kind": "paragraph",
            "runs": [
                {"text": "Ein "},
                {"text": "starkes", "bold": True},
                {"text": " und "},
                {"text": "leises", "italic": True},
                {"text": " "},
                {"text": "Ehrenamt", "term": True},
                {"text": "."},
            ],
        }
    ]


def test_external_links_stay_and_links_into_the_api_become_plain_text():
    blocks = print_blocks(
        _rich(
            '<p><a href="https://example.org/kurs">Kurs</a> und '
            '<a linktype="page" id="3">Kapitel 3</a></p>'
        )
    )
    assert blocks[0]["runs"] == [
        {"text": "Kurs", "link": "https://example.org/kurs"},
        {"text": " und Kapitel 3"},
    ]


def test_headings_lists_quotes_and_line_breaks():
    blocks = print_blocks(
        _rich(
            "<h2>Titel</h2><ul><li>eins</li><li><b>zwei</b></li></ul>"
            "<ol><li>a<ul><li>a1</li></ul></li></ol>"
            "<blockquote>Zitat</blockquote><p>Zeile<br>neue Zeile</p>"
        )
    )
    assert blocks[0] == {"kind": "heading", "level": 2, "runs": [{"text": "Titel"}]}
    assert blocks[1] == {
        "kind": "list",
        "ordered": False,
        "items": [[{"text": "eins"}], [{"text": "zwei", "bold": True}]],
    }
    # A nested list keeps all its text, one level deep.
    assert blocks[2]["ordered"] is True
    assert [item[0]["text"] for item in blocks[2]["items"]] == ["a", "a1"]
    assert blocks[3] == {"kind": "quote", "runs": [{"text": "Zitat"}]}
    assert blocks[4]["runs"] == [
        {"text": "Zeile"},
        {"text": "\n"},
        {"text": "neue Zeile"},
    ]


def test_typst_syntax_is_just_text():
    typed = '#read("/etc/passwd") ] * $x$ <x> @ref \\'
    escaped = typed.replace("<", "&lt;").replace(">", "&gt;")
    assert print_blocks(_rich(f"<p>{escaped}</p>"))[0]["runs"] == [{"text": typed}]


def test_empty_and_whitespace_only_html_gives_no_blocks():
    assert print_blocks(_rich("")) == []
    assert print_blocks(None) == []
    assert print_blocks(_rich("<p> </p>\n<p></p>")) == []


def test_plain_text_fields_become_paragraphs():
    assert text_blocks("Erster.\n\nZweiter.") == [
        {"kind": "paragraph", "runs": [{"text": "Erster."}]},
        {"kind": "paragraph", "runs": [{"text": "Zweiter."}]},
    ]
