"""The Leichte Sprache PDF, read back as a reader and a screen reader get it."""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from io import BytesIO

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from exports.print.layouts.simple import (
    UNIT_STARTS,
    print_sentences,
    sentences_split,
    simple_print_source,
    text_runs,
)
from exports.print.render import print_build
from tests.conftest import REPO

SIMPLE_OUTPUT = REPO / "test-output" / "simple"


_built: dict[str, tuple] = {}


@pytest.fixture
def simple_pdf(db):
    """The demo handbook's Leichte Sprache PDF, built once for the module (the
    demo data is the same for every test; each test rolls back its own)."""
    if "pdf" not in _built:
        source = simple_print_source("de-x-ls")
        _built["pdf"] = (source.data, print_build(source))
    return _built["pdf"]


def sentence_text(sentence) -> str:
    return "".join("·" if "split" in run else run["text"] for run in sentence)


def read_as(text: str) -> str:
    """As a reader sees it: the no-break spaces of sense units are spaces."""
    return text.replace("\xa0", " ")


def main_sentences(data) -> list[str]:
    blocks = [*data["intro"]]
    for chapter in data["chapters"]:
        for section in chapter["sections"]:
            blocks += section["blocks"]
    return [
        read_as(sentence_text(s))
        for block in blocks
        if block["kind"] in ("text", "quote", "heading")
        for s in block["sentences"]
    ]


def notes(data) -> list[dict]:
    found = [n for block in data["intro"] for n in block["notes"]]
    for chapter in data["chapters"]:
        for section in chapter["sections"]:
            found += [n for block in section["blocks"] for n in block["notes"]]
    return found


def lines_of(reader: PdfReader) -> list[str]:
    return [
        read_as(line).strip()
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def test_sentences_are_cut_where_they_end():
    runs = text_runs("Das ist der Bürger·meister. Er hilft! Und Sie?")

    assert [read_as(sentence_text(s)) for s in sentences_split(runs)] == [
        "Das ist der Bürger·meister.",
        "Er hilft!",
        "Und Sie?",
    ]


def test_a_sentence_may_end_in_one_run_and_the_next_begin_in_another():
    runs = [
        {"text": "Das ist ", "strong": False},
        {"text": "wichtig.", "strong": True},
        {"text": " Am 3. März ist das Fest. Es war 2019. Dann", "strong": False},
        {"break": True},
        {"text": "neue Zeile", "strong": False},
    ]

    assert [read_as(sentence_text(s)) for s in sentences_split(runs)] == [
        "Das ist wichtig.",
        "Am 3. März ist das Fest.",
        "Es war 2019.",
        "Dann",
        "neue Zeile",
    ]


def test_the_pdf_is_tagged_german_with_cover_contents_and_chapters(simple_pdf):
    data, rendered = simple_pdf
    reader = PdfReader(BytesIO(rendered.pdf))
    root = reader.trailer["/Root"]

    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root
    assert data["chapters"], "the demo has a Leichte Sprache chapter"
    text = "\n".join(lines_of(reader))
    assert data["title"].split(":")[0] in reader.pages[0].extract_text()
    assert "Leichte Sprache" in reader.pages[0].extract_text()
    assert data["labels"]["contents"] in reader.pages[1].extract_text()
    for chapter in data["chapters"]:
        assert chapter["title"] in text


def test_pictures_are_printed_with_their_alt_text(simple_pdf):
    data, rendered = simple_pdf
    reader = PdfReader(BytesIO(rendered.pdf))
    pictures = [
        block
        for chapter in data["chapters"]
        for section in chapter["sections"]
        for block in section["blocks"]
        if block["kind"] == "image"
    ]

    assert pictures, "the demo's first chapter has a picture"
    assert all(p["alt"] for p in pictures)
    cover = 1 if data["cover_image"] else 0
    assert sum(len(page.images) for page in reader.pages) == len(pictures) + cover
    assert b"/Alt" in rendered.pdf


def test_every_sentence_starts_on_its_own_line(simple_pdf):
    data, rendered = simple_pdf
    lines = lines_of(PdfReader(BytesIO(rendered.pdf)))
    sentences = main_sentences(data)

    assert len(sentences) > 30
    not_at_line_start = [
        s
        for s in sentences
        # The line may end early at a sense unit ("Das Kapitel zeigt:").
        if not any(
            line.startswith(s[:20].strip()) or (len(line) >= 10 and s.startswith(line))
            for line in lines
        )
    ]
    assert not not_at_line_start


def test_no_line_ends_in_a_hyphen(simple_pdf):
    _, rendered = simple_pdf
    lines = lines_of(PdfReader(BytesIO(rendered.pdf)))

    assert [line for line in lines if line.endswith("-")] == []


def test_text_is_left_aligned_with_a_ragged_right_edge(simple_pdf, tmp_path):
    """Justified text would end every wrapped line at the column's edge."""
    _, rendered = simple_pdf
    pdf = tmp_path / "simple.pdf"
    pdf.write_bytes(rendered.pdf)
    layout = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "6", "-bbox-layout", pdf, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [
        (float(x_min), float(x_max), "".join(words))
        for x_min, x_max, words in re.findall(
            r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>',
            layout,
            re.DOTALL,
        )
    ]
    left = min(x for x, _, _ in lines)
    main_column = [line for line in lines if abs(line[0] - left) < 1]
    # Lines that wrap inside a sentence (the sentence goes on below).
    wrapped = [
        x_max
        for _, x_max, words in main_column
        if not re.search(r"[.!?:]</word>\s*$", words)
    ]
    # Justified, most wrapped lines would end at the same point.
    same_end = max(Counter(round(x) for x in wrapped).values())

    assert len(main_column) > 40
    assert len(wrapped) > 10
    assert same_end < len(wrapped) / 4, sorted(wrapped)


def test_all_text_is_at_least_14_points_and_there_are_no_footnotes(simple_pdf):
    _, rendered = simple_pdf
    reader = PdfReader(BytesIO(rendered.pdf))
    sizes: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes.append(font_size * scale)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    text = "\n".join(lines_of(reader))

    assert sizes
    assert min(sizes) >= 13.99
    assert not set("¹²³⁴⁵⁶⁷⁸⁹⁰") & set(text)


def test_glossary_words_are_explained_in_boxes_beside_the_text(simple_pdf):
    data, rendered = simple_pdf
    text = " ".join(lines_of(PdfReader(BytesIO(rendered.pdf))))
    boxes = notes(data)

    assert boxes, "the demo's Leichte Sprache text uses glossary words"
    for box in boxes:
        term = read_as(sentence_text(box["term"]))
        first = read_as(sentence_text(box["explanation"][0]))
        assert term in text
        # The box is narrow: its first sentence wraps, so compare word by word.
        assert " ".join(first.split()[:3]) in text


def single_glyph_artifacts(page, reader) -> int:
    """Marked-content artifacts holding one glyph (a page footer holds more)."""
    count, inside, glyphs = 0, False, b""
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"BMC" and operands[0] == "/Artifact":
            inside, glyphs = True, b""
        elif operator == b"EMC" and inside:
            inside = False
            count += 0 < len(glyphs) <= 2  # one glyph: one or two bytes
        elif inside and operator == b"Tj":
            glyphs += operands[0].original_bytes
        elif inside and operator == b"TJ":
            glyphs += b"".join(
                o.original_bytes for o in operands[0] if hasattr(o, "original_bytes")
            )
    return count


def test_compound_splits_are_shown_but_marked_as_artifacts(simple_pdf):
    """Screen readers skip artifacts, so they read "Gemeinderat" whole."""
    _, rendered = simple_pdf
    reader = PdfReader(BytesIO(rendered.pdf))
    shown_in_all = 0
    for page in reader.pages:
        shown = len(re.findall(r"(?<=\w)·(?=\w)", page.extract_text()))
        artifacts = single_glyph_artifacts(page, reader)
        assert artifacts >= shown
        shown_in_all += shown

    assert shown_in_all >= 10


def test_page_two_is_rendered_for_a_person_to_look_at(simple_pdf, tmp_path):
    _, rendered = simple_pdf
    SIMPLE_OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = SIMPLE_OUTPUT / "handbook-de-x-ls.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "2",
            "-l",
            "3",
            pdf,
            SIMPLE_OUTPUT / "page",
        ],
        check=True,
    )

    assert sorted(p.name for p in SIMPLE_OUTPUT.glob("page-*.png"))


# --- Layout rules (Netzwerk Leichte Sprache, DIN SPEC 33429) -------------------------


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_a_sentence_never_breaks_across_pages(simple_pdf):
    # Once "Ende." stood alone at the top of a page, its sentence begun on the last.
    data, rendered = simple_pdf
    pages = page_texts(PdfReader(BytesIO(rendered.pdf)))
    sentences = [" ".join(s.split()) for s in main_sentences(data)]
    split = [s for s in sentences if not any(s in page for page in pages)]

    assert len(sentences) > 30
    assert not split


def test_lines_break_at_sense_units(simple_pdf):
    """No wrapped line ends in a preposition or a conjunction, no line is one
    word that belongs to a longer sentence."""
    data, rendered = simple_pdf
    lines = [
        " ".join(line.split()) for line in lines_of(PdfReader(BytesIO(rendered.pdf)))
    ]
    sentences = [" ".join(s.split()) for s in main_sentences(data)]
    wrapped = [
        line
        for line in lines
        if not re.search(r"[.!?:]$", line)
        and line not in sentences
        and any(line in s for s in sentences)
    ]
    dangling = [line for line in wrapped if line.split()[-1].lower() in UNIT_STARTS]
    lonely = [
        line
        for line in lines
        if len(line.split()) == 1
        and not any(line == s for s in sentences)
        and any(s.endswith(" " + line) for s in sentences)
    ]

    assert len(wrapped) > 20
    assert not dangling
    assert not lonely


def test_sense_units_keep_short_phrases_together():
    (sentence,) = print_sentences(
        text_runs("Das ist gut für die Menschen in der Stadt.")
    )
    text = sentence_text(sentence)

    assert text.split(" ") == [
        "Das\xa0ist\xa0gut",
        "für\xa0die\xa0Menschen",
        "in\xa0der\xa0Stadt.",
    ]


def test_explanation_boxes_hold_their_longest_words(simple_pdf, tmp_path):
    # "Integrations·management" once ran out of its box into the page margin.
    _, rendered = simple_pdf
    pdf = tmp_path / "simple.pdf"
    pdf.write_bytes(rendered.pdf)
    layout = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    right_edge = page_width - 1.6 / 2.54 * 72  # the right margin is 1.6 cm
    too_wide = [
        (word, float(x_max))
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', layout)
        if float(x_max) > right_edge + 1
    ]

    assert not too_wide


def test_no_italics(simple_pdf):
    import pikepdf

    _, rendered = simple_pdf
    with pikepdf.open(BytesIO(rendered.pdf)) as pdf:
        fonts = {
            str(obj.get("/BaseFont", ""))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        }
    assert fonts
    assert not [font for font in fonts if "Italic" in font]


def test_cover_has_the_month_a_picture_and_the_title_as_a_heading(simple_pdf):
    import pikepdf

    _, rendered = simple_pdf
    reader = PdfReader(BytesIO(rendered.pdf))
    cover = reader.pages[0].extract_text()

    assert "März 2020" in cover
    assert "2020-03-01" not in cover
    assert len(reader.pages[0].images) == 1
    with pikepdf.open(BytesIO(rendered.pdf)) as pdf:
        first_page = pdf.pages[0].obj.objgen
        headings_on_cover = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary)
            and str(obj.get("/S", "")) in ("/H1", "/H")
            and "/Pg" in obj
            and obj.Pg.objgen == first_page
        ]
    assert headings_on_cover


def test_contents_name_the_chapters_not_yet_in_leichte_sprache(simple_pdf):
    data, rendered = simple_pdf
    contents = " ".join(
        PdfReader(BytesIO(rendered.pdf)).pages[1].extract_text().split()
    )

    assert data["missing_chapters"], "the demo has one chapter in Leichte Sprache"
    assert "gibt es noch nicht in Leichter Sprache" in contents
    for title in data["missing_chapters"]:
        assert title in contents
    assert data["chapters"][0]["title"] not in data["missing_chapters"]


def test_reviewed_pages_are_kept_as_png(simple_pdf):
    _, rendered = simple_pdf
    SIMPLE_OUTPUT.mkdir(parents=True, exist_ok=True)
    for number in (1, 2, 5, 12):
        prefix = SIMPLE_OUTPUT / f"page-{number}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(number),
             "-l", str(number), "-", str(prefix)],
            input=rendered.pdf, check=True,
        )  # fmt: skip
        assert prefix.with_suffix(".png").stat().st_size > 10_000
