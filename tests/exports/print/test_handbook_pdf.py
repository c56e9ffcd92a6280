"""The print PDF, read back: what a reader, a screen reader and an archive see.

Each locale is rendered once per module from the demo handbook, with two changes
made for these tests and rolled back afterwards: Yonas withdraws his print consent
(his web consent stays), and an editor adds text to a German chapter that looks like
Typst code. fa has no translated pages in the demo: its PDF is the German fallback.
"""

from __future__ import annotations

import itertools
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
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader
from wagtail.blocks import StreamValue
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage, PortraitPage
from exports.print.data import print_source
from exports.print.locale_text import babel_locale, format_decimal
from exports.print.render import print_build

REPO = Path(__file__).resolve().parents[3]
PNG_DIR = REPO / "test-output" / "print"
LOCALES = ("de", "en", "ar", "fa")
WEBSITE_PAGE_URL = "https://www.example.org/integration/{locale}/{path}"

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
    data: dict  # the print data the PDF was made from

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
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(WEBSITE_PAGE_URL=WEBSITE_PAGE_URL),
    ):
        _prepare_changes()
        for code in LOCALES:
            source = print_source(code)
            rendered = print_build(source)
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
                data=source.data,
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


def _png(pdf: bytes, page: int, name: str, dpi: int = 80) -> Path:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    prefix = PNG_DIR / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "-f", str(page), "-l",
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


# --- Typography: what a book designer checks page by page ----------------------------


def _pages_layout(pdf: bytes) -> list[list[str]]:
    """Each page's non-empty lines as poppler lays them out (footer last)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in text.split("\f")
    ]


def _line_boxes(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x_min, y_min, x_max, y_max, text) of every line poppler finds on ``page``."""
    layout = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    lines = []
    for x0, y0, x1, y1, body in re.findall(
        r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
        r"(.*?)</line>",
        layout,
        re.DOTALL,
    ):
        words = re.findall(r">([^<]*)</word>", body)
        lines.append((float(x0), float(y0), float(x1), float(y1), " ".join(words)))
    return lines


def _chapter_page(pdf: ReadBack, index: int) -> int:
    reader = PdfReader(BytesIO(pdf.pdf))
    item = next(
        i for i in reader.outline
        if not isinstance(i, list) and i.title == pdf.chapter_titles[index]
    )  # fmt: skip
    return reader.get_destination_page_number(item) + 1


@pytest.mark.parametrize("code", ["de", "ar", "fa"])
def test_chapter_label_sits_clear_above_the_chapter_title(pdfs, code):
    # The label ("Kapitel 1") once touched the title in German and printed over it
    # in Arabic and Persian, where Naskh letters rise far above the Latin cap height.
    pdf = pdfs[code]
    for index in range(2):
        lines = _line_boxes(pdf.pdf, _chapter_page(pdf, index))
        # The title is the first line set in 21 pt; the label is the line above.
        at = next(n for n, line in enumerate(lines) if line[3] - line[1] > 20)
        label_box, title_box = lines[at - 1], lines[at]
        assert label_box[4].endswith(str(index + 1)) or label_box[4].startswith(
            str(index + 1)
        ), label_box
        assert title_box[1] - label_box[3] >= 2, (label_box, title_box)
        # Label, title and the first lines below: none prints over another.
        for a, b in itertools.combinations(lines[: at + 4], 2):
            side_by_side = a[0] < b[2] and b[0] < a[2]
            same_line = abs(a[3] - b[3]) < 1  # poppler cuts some RTL lines in two
            overlap = min(a[3], b[3]) - max(a[1], b[1])
            assert not side_by_side or same_line or overlap < 1, (a, b)


def _sticky_texts(data: dict) -> set[str]:
    """Headings, titles and labels: what must never end a page."""
    labels = data["labels"]
    found = {labels[k] for k in ("why", "steps", "who_acts", "what", "how", "outcome")}

    def from_blocks(blocks):
        for block in blocks:
            if block["kind"] == "heading":
                found.add("".join(run["text"] for run in block["runs"]))
            elif block["kind"] == "tip":
                title = labels.get(block["tone"], labels["tip"])
                found.add(f"{title}: {block['title']}" if block["title"] else title)
            elif block["kind"] == "steps":
                found.add(block["title"])
                found.update(step["title"] for step in block["steps"])

    for chapter in data["chapters"]:
        found.add(chapter["title"])
        from_blocks(chapter["intro"] + chapter["body"])
        for rec in chapter["recommendations"]:
            found.add(rec["title"])
            found.update(step["title"] for step in rec["steps"])
            from_blocks(rec["why"] + rec["who_acts"])
        for practice in chapter["practices"]:
            found.add(practice["title"])
            from_blocks(practice["what"] + practice["how"] + practice["outcome"])
    return {_normal(text) for text in found if text.strip()}


@pytest.mark.parametrize("code", ["de", "en"])
def test_no_page_ends_with_a_heading_label_or_box_title(pdfs, code):
    pdf = pdfs[code]
    sticky = _sticky_texts(pdf.data)
    stranded = []
    for number, lines in enumerate(_pages_layout(pdf.pdf), start=1):
        if number < 4 or len(lines) < 3:
            continue  # cover, imprint, contents
        last = _normal(lines[-2])  # lines[-1] is the folio
        if any(text.endswith(last) or text.startswith(last) for text in sticky):
            stranded.append((number, last))
    assert not stranded


def test_boxes_that_run_on_are_marked_at_both_ends(pdfs):
    pdf = pdfs["de"]
    labels = pdf.data["labels"]
    pages = [_normal(" ".join(lines)) for lines in _pages_layout(pdf.pdf)]
    split = 0
    cursor = _chapter_page(pdf, 0) - 1  # the contents list the titles too
    for chapter in pdf.data["chapters"]:
        for rec in chapter["recommendations"]:
            title = _normal(rec["title"])
            start = next(n for n in range(cursor, len(pages)) if title in pages[n])
            # The box's last line names the municipalities.
            after = pages[start].split(title, 1)[1]
            end = start
            if labels["municipalities"] + ":" not in after:
                end = next(
                    n for n in range(start + 1, len(pages))
                    if labels["municipalities"] + ":" in pages[n]
                )  # fmt: skip
            for n in range(start, end):
                assert labels["continues"] in pages[n], (rec["title"], n + 1)
            for n in range(start + 1, end + 1):
                assert f"{labels['continued']}: {title}" in pages[n], (title, n + 1)
            split += end > start
            cursor = end
    assert split, "the demo has recommendations that run across a page"


def test_imprint_says_each_fact_once_and_closes_with_the_print_line(pdfs):
    imprint = _normal(PdfReader(BytesIO(pdfs["de"].pdf)).pages[1].extract_text())
    for fact in (
        "Herausgeber",
        "Führungsakademie Baden-Württemberg",
        "Stand",
        "Förderung",
        "Kooperationspartner",
    ):
        assert imprint.count(fact) == 1, fact
    assert "Stand: März 2020" in imprint
    assert "1. Auflage · 1.500 Exemplare" in imprint
    assert "Druck: Druckerei Beispiel GmbH, Ulm (fiktiv)" in imprint


@pytest.mark.parametrize("code", ["de", "fa"])
def test_portrait_count_follows_the_portraits_printed(pdfs, code):
    pdf = pdfs[code]
    reader = PdfReader(BytesIO(pdf.pdf))
    outline = list(reader.outline)
    title = pdf.data["portraits"]["title"]
    at = next(
        n for n, item in enumerate(outline)
        if not isinstance(item, list) and item.title == title
    )  # fmt: skip
    printed = [item.title for item in outline[at + 1]]
    count = len(pdf.data["portraits"]["items"])
    assert printed == [p["name"] for p in pdf.data["portraits"]["items"]]
    assert count == 6  # nine in the demo: Rana, Navid and (here) Yonas not in print
    assert (
        format_decimal(count, locale=babel_locale(code))
        in pdf.data["portraits"]["count"]
    )
    if code == "de":
        assert "6 Porträts in dieser Ausgabe" in pdf.text


def _glossary_terms(pdf: ReadBack) -> list[str]:
    reader = PdfReader(BytesIO(pdf.pdf))
    item = next(
        i for i in reader.outline if not isinstance(i, list) and i.title == "Glossar"
    )
    first = reader.get_destination_page_number(item)
    lines = [
        line.strip()
        for page in reader.pages[first : first + 2]
        for line in page.extract_text().splitlines()
    ]
    terms = [entry["term"] for entry in pdf.data["glossary"]]
    return [line for line in lines if line in terms]


def test_glossary_is_in_german_alphabetical_order(pdfs):
    printed = _glossary_terms(pdfs["de"])
    assert len(printed) == len(pdfs["de"].data["glossary"])
    # Umlauts sort with their base letter (DIN 5007), not after Z.
    assert printed.index("Migrationsberatung") < printed.index("ÖPNV")
    assert printed.index("ÖPNV") < printed.index("Patenschaft")
    assert printed[-1] == "Verein"


def test_glossary_order_follows_each_locale():
    from exports.print.locale_text import glossary_collator

    def ordered(code, words):
        return sorted(words, key=glossary_collator(code).getSortKey)

    assert ordered("de", ["Verein", "ÖPNV", "Ost"]) == ["ÖPNV", "Ost", "Verein"]
    # Persian letters in the Persian alphabet: پ after ب, گ after ک.
    assert ordered("fa", ["گل", "کار", "پدر", "باغ"]) == ["باغ", "پدر", "کار", "گل"]
    # Ukrainian: є after е, і after и.
    assert ordered("uk", ["іспит", "инший", "єдність", "ера"]) == [
        "ера",
        "єдність",
        "инший",
        "іспит",
    ]


def test_months_are_written_as_each_locale_writes_them():
    from datetime import date

    from exports.print.locale_text import month_year

    day = date(2020, 3, 1)
    assert month_year(day, "de") == "März 2020"
    assert month_year(day, "de-x-ls") == "März 2020"
    assert month_year(day, "en") == "March 2020"
    # Lower case in Ukrainian, with CLDR's narrow no-break space before "р.".
    assert month_year(day, "uk") == "березень 2020\u202fр."
    assert month_year(day, "fa") == "مارس 2020"


@pytest.mark.parametrize("code", ["de", "ar"])
def test_each_chapter_carries_a_qr_code_that_opens_it_on_the_website(
    pdfs, code, tmp_path
):
    import zxingcpp

    pdf = pdfs[code]
    chapter = pdf.data["chapters"][0]
    handbook = HandbookPage.objects.get(locale__language_code=code)
    page = ChapterPage.objects.child_of(handbook).live().order_by("path").first()
    if page is None:  # no translation: the German page, in this language
        german = HandbookPage.objects.get(locale=Locale.get_default())
        page = ChapterPage.objects.child_of(german).live().order_by("path").first()
    expected = WEBSITE_PAGE_URL.format(locale=code, path=page.url_path.lstrip("/"))
    assert chapter["qr"]["url"] == expected
    png = _png(pdf.pdf, _chapter_page(pdf, 0), f"{code}-chapter-1-qr", dpi=200)
    with Image.open(png) as image:
        found = [b.text for b in zxingcpp.read_barcodes(image)]
    assert expected in found
    if code == "de":  # the address is printed beside the code, to type in
        assert expected.split("://")[1] in pdf.text.replace(" ", "")


def test_without_a_website_address_print_has_no_qr_codes(settings):
    settings.WEBSITE_PAGE_URL = ""
    data = print_source("de").data
    assert [c["qr"] for c in data["chapters"]] == [None] * len(data["chapters"])


def test_reviewed_pages_are_kept_as_png(pdfs):
    # The pages the book designer named, to look at after every change.
    for code, pages in (("de", (2, 5, 7)), ("ar", (6, 8, 9)), ("fa", (6,))):
        for number in pages:
            path = _png(pdfs[code].pdf, number, f"{code}-page-{number}")
            assert path.stat().st_size > 20_000
