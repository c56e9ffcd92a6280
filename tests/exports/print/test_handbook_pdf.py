"""The print PDF, read back: what a reader, a screen reader and an archive see.

Each locale is rendered once per module from the demo handbook, with two changes
made for these tests and rolled back afterwards: Yonas withdraws his print consent
(his web consent stays), and an editor adds text to a German chapter that looks like
Typst code. fa has no translated pages in the demo: its PDF is the German fallback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import escape
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from django.db import transaction
from PIL import Image
from pypdf import PdfReader
from wagtail.blocks import StreamValue
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage, PortraitPage
from exports.print.data import print_source
from exports.print.render import print_build

REPO = Path(__file__).resolve().parents[3]
PNG_DIR = REPO / "test-output" / "print"
LOCALES = ("de", "en", "ar", "fa")

# Marked so pytest-django creates the test database for this module; the module
# fixture below reads it before any test's own ``db`` fixture would.
pytestmark = pytest.mark.django_db

# What an editor might type, Typst syntax included; it must be printed as typed.
TYPST_HEADING = 'Kein Code: #read("/etc/passwd") ] * $x$ <x> @ref \\ Ende'
TYPST_PARAGRAPH = (
    'Auch im Absatz: #import "/etc/passwd" #eval("1+1") ]*[ $a^2$ <label> @ref '
    "\\\\ #set text(red) Schluss"
)

# Combining marks and direction controls that RTL text extraction reorders.
_RTL_MARKS = re.compile("[\u064b-\u065f\u0670\u200e\u200f\u202a-\u202e\u00ad]")


def _normal(text: str) -> str:
    """Join words hyphenated at line ends, collapse whitespace."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split())


def _rtl_words(text: str) -> set[str]:
    return set(_RTL_MARKS.sub("", text).split())


@dataclass
class ReadBack:
    locale: str
    pdf: bytes
    page_count: int
    text: str  # normalized text of all pages (pypdf)
    outline: list[str]  # top-level bookmark titles, in order
    bookmarks: list[str]  # every bookmark title, nested ones included
    chapter_titles: list[str]  # what the database says, in this locale
    chapter_intros: list[str]  # first intro paragraph of each chapter, as text

    def pikepdf(self) -> pikepdf.Pdf:
        return pikepdf.open(BytesIO(self.pdf))


def _expected_chapters(locale_code: str) -> tuple[list[str], list[str]]:
    """Chapter titles and first intro paragraphs in ``locale_code``, from the
    database: the live translation if there is one, else the German page."""
    handbook = HandbookPage.objects.get(
        locale=Locale.get_default(), slug="handbuch-integration"
    )
    titles, intros = [], []
    for german in ChapterPage.objects.child_of(handbook).live().order_by("path"):
        page = (
            ChapterPage.objects.filter(
                translation_key=german.translation_key,
                locale__language_code=locale_code,
                live=True,
            ).first()
            or german
        )
        titles.append(page.title)
        first = re.search(r"<p>(.*?)</p>", page.intro, re.S)
        intros.append(re.sub(r"<[^>]+>", "", first.group(1)) if first else "")
    return titles, intros


def _all_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles += _all_titles(item) if isinstance(item, list) else [item.title]
    return titles


def _prepare_changes() -> None:
    yonas = PortraitPage.objects.get(locale=Locale.get_default(), slug="yonas")
    yonas.consent.print = False
    yonas.consent.save()
    chapter = ChapterPage.objects.get(
        locale=Locale.get_default(), slug="bildung-die-in-den-alltag-passt"
    )
    raw = [
        *chapter.body.raw_data,
        {"type": "heading", "value": {"text": TYPST_HEADING, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{escape(TYPST_PARAGRAPH)}</p>"},
    ]
    chapter.body = StreamValue(chapter.body.stream_block, raw, is_lazy=True)
    chapter.save_revision().publish()


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker) -> dict[str, ReadBack]:
    results: dict[str, ReadBack] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        _prepare_changes()
        for code in LOCALES:
            rendered = print_build(print_source(code))
            reader = PdfReader(BytesIO(rendered.pdf))
            raw = "\n".join(page.extract_text() for page in reader.pages)
            titles, intros = _expected_chapters(code)
            results[code] = ReadBack(
                locale=code,
                pdf=rendered.pdf,
                page_count=rendered.page_count,
                text=_normal(raw),
                outline=[
                    item.title for item in reader.outline if not isinstance(item, list)
                ],
                bookmarks=_all_titles(reader.outline),
                chapter_titles=titles,
                chapter_intros=intros,
            )
        transaction.set_rollback(True)  # the changes were for this module only
    return results


@pytest.mark.parametrize("code", LOCALES)
def test_the_whole_handbook_is_printed(pdfs, code):
    pdf = pdfs[code]
    assert pdf.page_count >= 25
    assert len(PdfReader(BytesIO(pdf.pdf)).pages) == pdf.page_count


@pytest.mark.parametrize("code", LOCALES)
def test_bookmarks_list_every_chapter_in_order_in_the_locale(pdfs, code):
    pdf = pdfs[code]
    in_outline = [title for title in pdf.outline if title in pdf.chapter_titles]
    assert in_outline == pdf.chapter_titles


def test_arabic_chapters_carry_arabic_titles(pdfs):
    arabic, german = pdfs["ar"].chapter_titles, pdfs["de"].chapter_titles
    assert arabic[0] != german[0]
    assert re.search("[\u0600-\u06ff]", arabic[0])
    assert arabic[0] in pdfs["ar"].outline


@pytest.mark.parametrize("code", ["de", "en"])
def test_table_of_contents_names_chapters_with_page_numbers(pdfs, code):
    pdf = pdfs[code]
    reader = PdfReader(BytesIO(pdf.pdf))
    contents = _normal(reader.pages[2].extract_text())
    for title in pdf.chapter_titles:
        assert re.search(re.escape(_normal(title)) + r"[ .]*\d+", contents), title


@pytest.mark.parametrize("code", ["de", "en", "fa"])
def test_chapter_text_is_printed_in_the_locale(pdfs, code):
    pdf = pdfs[code]
    for intro in pdf.chapter_intros:
        assert _normal(intro) in pdf.text


def test_fa_falls_back_to_german_text(pdfs):
    assert pdfs["fa"].chapter_intros == pdfs["de"].chapter_intros


def test_arabic_chapter_text_is_printed_in_arabic(pdfs):
    # RTL extraction reorders combining marks and splits some ligatures, so words
    # are compared rather than whole sentences (poppler reads RTL more faithfully).
    pdf = pdfs["ar"]
    extracted = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.pdf, capture_output=True, check=True
    ).stdout.decode()
    found = _rtl_words(extracted)
    words = _rtl_words(pdf.chapter_intros[0])
    assert re.search("[\u0600-\u06ff]", pdf.chapter_intros[0])
    assert len(words & found) / len(words) > 0.8
    assert _normal(pdfs["de"].chapter_intros[0]) not in pdf.text


@pytest.mark.parametrize("code", LOCALES)
def test_document_language_and_title_are_set(pdfs, code):
    with pdfs[code].pikepdf() as pdf:
        assert str(pdf.Root.Lang) == code
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title")


@pytest.mark.parametrize("code", ["de", "ar"])
def test_pdf_is_tagged_and_identifies_as_pdf_ua_1(pdfs, code):
    with pdfs[code].pikepdf() as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        with pdf.open_metadata() as meta:
            assert meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"


@pytest.mark.parametrize("code", ["de", "ar"])
def test_every_font_is_embedded(pdfs, code):
    with pdfs[code].pikepdf() as pdf:
        fonts = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        ]
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type3":
                continue  # glyphs drawn in the PDF itself: nothing to embed
            described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = described.FontDescriptor
            assert any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ), font.get("/BaseFont")


def _figure_alts(pdf: pikepdf.Pdf) -> list[str]:
    return [
        str(obj.get("/Alt", ""))
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
    ]


def test_images_have_alt_text_in_the_locale(pdfs):
    with pdfs["de"].pikepdf() as pdf:
        alts = _figure_alts(pdf)
        assert alts
        assert all(alt.strip() for alt in alts)
        assert "Abstrakte Platzhaltergrafik für das Titelbild des Handbuchs" in alts
    with pdfs["ar"].pikepdf() as pdf:
        # The cover's alt text was translated; chapters served in German keep
        # their German alt text.
        assert any(re.search("[\u0600-\u06ff]", alt) for alt in _figure_alts(pdf))


def test_print_data_is_deterministic():
    from exports.print.data import print_source_hash

    first, second = print_source("en"), print_source("en")
    assert print_source_hash(first) == print_source_hash(second)


def test_a_typst_or_font_upgrade_changes_the_content_address(monkeypatch):
    # Same data, new renderer: the pipeline must not keep the old layout as
    # "unchanged".
    from exports.print import data
    from exports.print.data import print_source_hash

    source = print_source("de")
    before = print_source_hash(source)
    monkeypatch.setattr(data, "_renderer_fingerprint", lambda: "typst 99.0.0")
    assert print_source_hash(source) != before


@pytest.mark.parametrize("code", ["de", "fa"])
def test_only_portraits_with_print_consent_are_printed(pdfs, code):
    pdf = pdfs[code]
    # Mariana consented to print; Yonas withdrew it for these tests, Rana never
    # gave it (demo), Navid withdrew every consent (demo).
    assert "Mariana" in pdf.bookmarks
    assert "Mariana zog 2017" in pdf.text
    for name in ("Yonas", "Rana", "Navid"):
        assert name not in pdf.bookmarks
        assert name not in pdf.text


def test_yonas_stays_on_the_website(pdfs):
    from exports.content import page_document_for

    yonas = PortraitPage.objects.get(locale=Locale.get_default(), slug="yonas")
    assert page_document_for(yonas, "de") is not None


def test_editor_text_that_looks_like_typst_is_printed_literally(pdfs):
    pdf = pdfs["de"]
    assert _normal(TYPST_HEADING) in pdf.text
    assert _normal(TYPST_PARAGRAPH) in pdf.text
    assert "root:x:0:0" not in pdf.text
    assert "daemon:" not in pdf.text


def test_glossary_and_picture_credits_are_printed(pdfs):
    pdf = pdfs["de"]
    assert "Glossar" in pdf.outline
    assert "Bildnachweis" in pdf.outline
    assert "Ehrenamtskarte" in pdf.text
    assert re.search(r"Grafik: LRA ADK Seite \d+(, \d+)+", pdf.text)


def test_imprint_names_publisher_partner_and_funding_programme(pdfs):
    reader = PdfReader(BytesIO(pdfs["de"].pdf))
    imprint = _normal(reader.pages[1].extract_text())
    assert "Impressum" in imprint
    assert "Landratsamt Alb-Donau-Kreis" in imprint
    assert "Führungsakademie Baden-Württemberg" in imprint
    assert "Integration durch bürgerschaftliches Engagement und Zivilgesellschaft" in (
        imprint
    )


def _png(pdf: bytes, page: int, name: str) -> Path:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    prefix = PNG_DIR / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l",
         str(page), "-", str(prefix)],
        input=pdf, check=True,
    )  # fmt: skip
    return prefix.with_suffix(".png")


def test_first_page_and_an_rtl_page_are_kept_as_png(pdfs):
    assert shutil.which("pdftoppm"), "poppler-utils missing: make system-deps"
    reader = PdfReader(BytesIO(pdfs["ar"].pdf))
    chapter_one = next(
        item for item in reader.outline if not isinstance(item, list)
        if item.title == pdfs["ar"].chapter_titles[0]
    )  # fmt: skip
    rtl_page = reader.get_destination_page_number(chapter_one) + 1
    for path in (
        _png(pdfs["de"].pdf, 1, "de-page-1"),
        _png(pdfs["ar"].pdf, 1, "ar-page-1"),
        _png(pdfs["ar"].pdf, rtl_page, "ar-chapter-1"),
    ):
        assert path.stat().st_size > 20_000
        with Image.open(path) as image:
            assert image.size[0] > 500
            colours = image.convert("L").getcolors(maxcolors=256 * 256) or []
            assert len(colours) > 16, f"{path.name} looks blank"
