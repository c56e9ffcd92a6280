"""Every locale's EPUB of the demo handbook, built once per session and unpacked.

Two consent changes are made for these books and rolled back afterwards: Yonas
withdraws his Leichte Sprache consent (print stays), and the demo already has Rana
without print consent. fa has no translated pages in the demo: its book is German
text inside a Persian frame.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.db import transaction
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage, PortraitPage
from exports.content import build_content_tree, handbooks_source
from exports.epub.channel import EpubChannel

LOCALES = ("de", "de-x-ls", "en", "ar", "fa", "tr", "uk", "ro")
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@dataclass
class Book:
    """One locale's EPUB: its bytes, where it is unpacked, and its parts parsed."""

    locale: str
    path: Path
    folder: Path
    expected_chapters: list[str]

    def xml(self, name: str) -> ET.Element:
        return ET.parse(self.folder / "EPUB" / name).getroot()

    @property
    def package(self) -> ET.Element:
        return self.xml("package.opf")

    def spine(self) -> list[str]:
        """The content documents in reading order (file names)."""
        package = self.package
        hrefs = {
            item.get("id"): item.get("href")
            for item in package.iterfind("opf:manifest/opf:item", NS)
        }
        return [
            hrefs[ref.get("idref")]
            for ref in package.iterfind("opf:spine/opf:itemref", NS)
        ]

    def meta(self, prop: str) -> list[str]:
        return [
            (m.text or "")
            for m in self.package.iterfind("opf:metadata/opf:meta", NS)
            if m.get("property") == prop
        ]


def _expected_chapters(code: str) -> list[str]:
    """Chapter titles in ``code`` as the database has them: the live translation,
    else the German page (Leichte Sprache never falls back: left out)."""
    handbook = HandbookPage.objects.get(
        locale=Locale.get_default(), slug="handbuch-integration"
    )
    titles = []
    for german in ChapterPage.objects.child_of(handbook).live().order_by("path"):
        page = ChapterPage.objects.filter(
            translation_key=german.translation_key,
            locale__language_code=code,
            live=True,
        ).first()
        if page is None and code == "de-x-ls":
            continue
        titles.append((page or german).title)
    return titles


def _prepare_consent() -> None:
    yonas = PortraitPage.objects.get(locale=Locale.get_default(), slug="yonas")
    yonas.consent.simple = False
    yonas.consent.save()


@pytest.fixture(scope="session")
def epub_books(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Book]:
    out = tmp_path_factory.mktemp("epub")
    channel = EpubChannel(alias="epub", options={"LOCALES": list(LOCALES)})
    books: dict[str, Book] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        _prepare_consent()
        handbook = next(iter(handbooks_source()))
        for code in LOCALES:
            tree = build_content_tree(
                handbook=handbook,
                locale_code=code,
                audience=channel.tree_audience(code),
            )
            built = channel.build(tree)
            assert built is not None
            path = out / f"{code}.epub"
            path.write_bytes(built.content)
            folder = out / code
            with zipfile.ZipFile(path) as archive:
                archive.extractall(folder)
            chapters = _expected_chapters(code)
            books[code] = Book(
                locale=code, path=path, folder=folder, expected_chapters=chapters
            )
        transaction.set_rollback(True)
    return books
