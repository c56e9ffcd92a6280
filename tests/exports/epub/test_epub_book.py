"""The EPUB, read back: what a reading system, a screen reader and a checker see.

The books are built once per session (``conftest.epub_books``); epubcheck runs
once for all of them in one Java process, axe-core on a few documents in chromium.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree.ElementTree import tostring

import pytest
from axe_playwright_python.sync_playwright import Axe

from exports.epub.accessibility import accessibility_metadata
from exports.epub.book import EpubBook
from tests.exports.epub.conftest import EPUB_TYPE, LOCALES, NS, XML_LANG, Book

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
CHECK_ALL = Path(__file__).with_name("EpubCheckAll.java")
RTL = {"ar", "fa"}

# Marked so pytest-django creates the test database before the session fixture
# reads it.
pytestmark = pytest.mark.django_db


def _documents(book: Book) -> list[str]:
    return [name for name in book.spine() if name.endswith(".xhtml")]


def test_epubcheck_finds_no_errors_or_warnings_in_any_locale(epub_books):
    java = shutil.which("java")
    if java is None or not EPUBCHECK_JAR.exists():
        pytest.fail("epubcheck is missing: `make system-deps` installs it")
    paths = [str(epub_books[code].path) for code in LOCALES]
    run = subprocess.run(
        [java, "-cp", str(EPUBCHECK_JAR), str(CHECK_ALL), *paths],
        capture_output=True,
        text=True,
        timeout=600,
    )
    reports = run.stdout.split("=== ")[1:]
    assert len(reports) == len(LOCALES), run.stdout + run.stderr
    for report in reports:
        assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("code", LOCALES)
def test_every_document_says_its_language_and_direction(epub_books, code):
    book = epub_books[code]
    lang = code.split("-")[0]
    package = book.package
    assert package.find("opf:metadata/dc:language", NS).text == lang
    spine = package.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == ("rtl" if code in RTL else "ltr")
    seen = set()
    for name in ["nav.xhtml", *_documents(book)]:
        html = book.xml(name)
        assert html.get("lang") and html.get("lang") == html.get(XML_LANG), name
        assert html.get("dir") == ("rtl" if html.get("lang") in RTL else "ltr"), name
        seen.add(html.get("lang"))
    # The frame (navigation, glossary) is in the book's language.
    assert book.xml("nav.xhtml").get("lang") == lang
    assert book.xml("glossary.xhtml").get("lang") == lang
    if code == "fa":
        # No Persian pages in the demo: the German text says it is German.
        assert "de" in seen
    elif code != "de-x-ls":
        assert lang in seen


def test_a_translated_page_is_marked_arabic_and_a_fallback_german(epub_books):
    ar, fa = epub_books["ar"], epub_books["fa"]
    first = next(n for n in _documents(ar) if n.startswith("chapter-"))
    chapter = ar.xml(first)
    assert (chapter.get("lang"), chapter.get("dir")) == ("ar", "rtl")
    heading = "".join(chapter.find(".//x:h1", NS).itertext())
    assert re.search("[\u0600-\u06ff]", heading)
    fallback_name = next(n for n in _documents(fa) if n.startswith("chapter-"))
    fallback = fa.xml(fallback_name)
    assert (fallback.get("lang"), fallback.get("dir")) == ("de", "ltr")
    # Its entry in the Persian navigation is marked German as well.
    links = fa.xml("nav.xhtml").findall(".//x:nav[@id='toc']//x:a", NS)
    entry = next(a for a in links if a.get("href") == fallback_name)
    assert (entry.get("lang"), entry.get("dir")) == ("de", "ltr")


@pytest.mark.parametrize("code", ["de", "ar", "de-x-ls", "fa"])
def test_navigation_lists_the_chapters_in_order_then_the_back_matter(epub_books, code):
    book = epub_books[code]
    nav = book.xml("nav.xhtml")
    toc = nav.find(".//x:nav[@id='toc']", NS)
    assert toc.get(EPUB_TYPE) == "toc"
    top = ["".join(a.itertext()) for a in toc.findall("x:ol/x:li/x:a", NS)]
    chapters = [
        t for t in top if any(t.endswith(title) for title in book.expected_chapters)
    ]
    assert len(chapters) == len(book.expected_chapters) > 0
    for text, title in zip(chapters, book.expected_chapters, strict=True):
        assert text.endswith(title)
    hrefs = [a.get("href") for a in toc.findall("x:ol/x:li/x:a", NS)]
    assert hrefs[-3:] == ["glossary.xhtml", "credits.xhtml", "imprint.xhtml"]
    # Recommendations and practice examples are nested under their chapter, and
    # the navigation follows the reading order of the spine.
    nested = toc.findall("x:ol/x:li/x:ol/x:li/x:a", NS)
    assert nested
    order = [a.get("href") for a in toc.iter(f"{{{NS['x']}}}a")]
    spine = [n for n in book.spine() if n not in ("cover.xhtml", "nav.xhtml")]
    assert order == spine
    landmarks = nav.find(".//x:nav[@id='landmarks']", NS)
    kinds = [a.get(EPUB_TYPE) for a in landmarks.iter(f"{{{NS['x']}}}a")]
    assert kinds == ["cover", "toc", "bodymatter", "glossary"]


def _portrait_names(book: Book) -> set[str]:
    names = set()
    for name in _documents(book):
        if name.startswith("portrait-"):
            names.add("".join(book.xml(name).find(".//x:h1", NS).itertext()))
    return names


def test_portraits_follow_print_consent_and_leichte_sprache_its_own(epub_books):
    german = _portrait_names(epub_books["de"])
    # Rana gave no print consent; Navid withdrew his in 2020.
    assert "Rana" not in german and "Navid" not in german
    assert {"Yonas", "Mariana", "Farid"} <= german
    for code in ("en", "ar", "fa"):
        assert "Rana" not in _portrait_names(epub_books[code])
    # Yonas withdrew his Leichte Sprache consent for this session: the Leichte
    # Sprache book follows that consent, not print's.
    assert "Yonas" not in _portrait_names(epub_books["de-x-ls"])
    # Nor is his photo or his name anywhere else in that book.
    for name in _documents(epub_books["de-x-ls"]):
        text = (epub_books["de-x-ls"].folder / "EPUB" / name).read_text()
        assert "Yonas" not in text, name


@pytest.mark.parametrize("code", ["de", "en", "de-x-ls"])
def test_every_marked_term_links_to_the_glossary_and_back(epub_books, code):
    book = epub_books[code]
    glossary = book.xml("glossary.xhtml")
    entries = {
        dt.get("id"): dt for dt in glossary.iter(f"{{{NS['x']}}}dt") if dt.get("id")
    }
    assert entries
    uses = 0
    for name in _documents(book):
        if name == "glossary.xhtml":
            continue
        document = book.xml(name)
        for link in document.iter(f"{{{NS['x']}}}a"):
            if link.get(EPUB_TYPE) != "glossref":
                continue
            uses += 1
            target, _, anchor = link.get("href").partition("#")
            assert target == "glossary.xhtml" and anchor in entries, link.get("href")
            # The glossary entry links back to exactly this place.
            dd = _entry_dd(glossary, anchor)
            backs = [a.get("href") for a in dd.iter(f"{{{NS['x']}}}a")]
            assert f"{name}#{link.get('id')}" in backs
    assert uses >= 3
    # And every back link points at an element that exists.
    for link in glossary.iter(f"{{{NS['x']}}}a"):
        if link.get("role") == "doc-backlink":
            target, _, anchor = link.get("href").partition("#")
            ids = {e.get("id") for e in book.xml(target).iter() if e.get("id")}
            assert anchor in ids


def _entry_dd(glossary, term_id: str):
    children = list(glossary.iter())
    for index, element in enumerate(children):
        if element.get("id") == term_id:
            return next(e for e in children[index + 1 :] if e.tag == f"{{{NS['x']}}}dd")
    raise AssertionError(term_id)


@pytest.mark.parametrize("code", ["de", "ar"])
def test_accessibility_metadata_is_generated(epub_books, code):
    book = epub_books[code]
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert "textual" in book.meta("schema:accessModeSufficient")
    features = book.meta("schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(
        features
    )
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("dcterms:conformsTo") == [
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    ]
    (summary,) = book.meta("schema:accessibilitySummary")
    if code == "ar":
        assert re.search("[\u0600-\u06ff]", summary)
    else:
        assert "Inhaltsverzeichnis" in summary


def test_a_picture_without_alt_text_is_not_claimed_as_alternative_text():
    book = EpubBook(
        identifier="urn:uuid:0",
        locale="de",
        lang="de",
        direction="ltr",
        title="T",
        title_lang="de",
        subtitle="",
        publisher="",
        modified=None,  # type: ignore[arg-type]
        labels={},
        documents=[],
        resources=[],
        toc=[],
        landmarks=[],
        image_count=3,
        images_without_alt=1,
    )
    pairs = accessibility_metadata(book)
    assert ("schema:accessibilityFeature", "alternativeText") not in pairs
    assert ("schema:accessModeSufficient", "textual") not in pairs
    assert ("schema:accessModeSufficient", "textual,visual") in pairs


def test_fonts_from_the_repository_are_embedded(epub_books):
    for code, expected in (("de", "NotoSans-Regular.ttf"), ("ar", "NotoNaskhArabic")):
        fonts = list((epub_books[code].folder / "EPUB" / "fonts").iterdir())
        assert any(f.name.startswith(expected) for f in fonts)
        css = (epub_books[code].folder / "EPUB" / "style.css").read_text()
        assert "@font-face" in css and "fonts/NotoSans-Regular.ttf" in css
    assert not any(
        "Arabic" in f.name for f in (epub_books["de"].folder / "EPUB/fonts").iterdir()
    )


def test_cover_credits_and_imprint_are_in_the_book(epub_books):
    book = epub_books["de"]
    spine = book.spine()
    assert spine[:2] == ["cover.xhtml", "nav.xhtml"]
    package = book.package
    cover = [
        i.get("href")
        for i in package.iterfind("opf:manifest/opf:item", NS)
        if i.get("properties") == "cover-image"
    ]
    assert len(cover) == 1
    credits = "".join(book.xml("credits.xhtml").itertext())
    assert "Foto" in credits or "LRA" in credits
    imprint = "".join(book.xml("imprint.xhtml").itertext())
    assert "Impressum" in imprint and "Alb-Donau-Kreis" in imprint


# --- axe-core (serious and critical violations) --------------------------------------

AXE_SAMPLES = [
    ("de", "cover.xhtml"),
    ("de", "nav.xhtml"),
    ("de", "glossary.xhtml"),
    ("en", "first-chapter"),
    ("ar", "first-chapter"),
    ("ar", "nav.xhtml"),
    ("fa", "first-page"),
    ("de-x-ls", "first-chapter"),
    ("de", "first-portrait"),
    ("de", "imprint.xhtml"),
]


def _sample(book: Book, which: str) -> str:
    prefix = {"first-chapter": "chapter-", "first-page": "page-"}.get(which)
    if which == "first-portrait":
        prefix = "portrait-"
    if prefix is None:
        return which
    return next(n for n in _documents(book) if n.startswith(prefix))


def test_axe_finds_no_serious_or_critical_violations(epub_books, browser):
    axe = Axe()
    context = browser.new_context()
    page = context.new_page()
    found = {}
    try:
        for code, which in AXE_SAMPLES:
            book = epub_books[code]
            name = _sample(book, which)
            page.goto((book.folder / "EPUB" / name).as_uri())
            results = axe.run(page)
            serious = [
                f"{v['id']} ({v['impact']}): {v['help']}"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            found[f"{code}/{name}"] = serious
    finally:
        context.close()
    assert not any(found.values()), found
    assert len(found) == len(AXE_SAMPLES)


def test_compound_splits_in_leichte_sprache_are_seen_but_not_read(epub_books):
    book = epub_books["de-x-ls"]
    split = re.compile(r"(?<=\w)·(?=\w)")
    hidden = 0
    for name in _documents(book):
        body = book.xml(name).find("x:body", NS)
        for element in body.iter():
            if element.get("class") == "mediopunkt":
                assert element.get("aria-hidden") == "true"
                hidden += 1
                continue
            for text in (element.text, element.tail):
                assert not (text and split.search(text)), (name, text)
    # Headings and glossary words carry splits as well as running text.
    assert hidden > 20
    glossary = "".join(
        tostring(dfn, encoding="unicode")
        for dfn in book.xml("glossary.xhtml").iter(f"{{{NS['x']}}}dfn")
    )
    assert 'class="mediopunkt"' in glossary
