"""Fallbacks and mixed directions in the printed handbook, read back from the PDF.

The test session's demo translates chapter 1 into ar (the other chapters and the
portraits fall back to German) and nothing into fa (the whole book falls back).
Each PDF is built once per module. Fallback notes are found with poppler's text
extraction (it orders right-to-left text faithfully); the order of digits is judged
from pdfplumber's character boxes, never from extracted text.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from exports.print.data import print_source
from exports.print.render import print_build

REPO = Path(__file__).resolve().parents[3]
PNG_DIR = REPO / "test-output" / "print"

pytestmark = pytest.mark.django_db

_MARKS = re.compile(
    "[\u064b-\u065f\u0670\u200c-\u200f\u202a-\u202e\u2066-\u2069\u00ad]"
)


@dataclass
class Printed:
    data: dict[str, Any]
    pdf: bytes

    def page_text(self, number: int) -> str:
        """Text of page ``number`` (1-based), as poppler reads it."""
        return subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-", "-"],
            input=self.pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker) -> dict[str, Printed]:
    out = {}
    with django_db_blocker.unblock():
        for code in ("ar", "fa"):
            source = print_source(code)
            out[code] = Printed(data=source.data, pdf=print_build(source).pdf)
    return out


def _words(text: str) -> set[str]:
    """Words by script: extraction may glue an Arabic word to a Latin one."""
    return set(
        re.findall(r"[\u0600-\u06ff\u200c]+|[A-Za-zÀ-ɏ]+|\d+", _MARKS.sub("", text))
    )


def _fallback_parts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every part of the print data that is served in another locale."""
    parts = []
    for chapter in data["chapters"]:
        parts.append(chapter)
        parts += chapter["recommendations"] + chapter["practices"]
    if data["portraits"]:
        parts.append(data["portraits"])
        parts += data["portraits"]["items"]
    return [p for p in parts if p["fallback"]]


def _title(part: dict[str, Any]) -> str:
    return part.get("name") or part["title"]


def _title_pages(pdf: bytes) -> dict[str, int]:
    """Every bookmark title → its 1-based page number."""
    reader = PdfReader(BytesIO(pdf))
    pages: dict[str, int] = {}

    def visit(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                pages.setdefault(
                    item.title, reader.get_destination_page_number(item) + 1
                )

    visit(reader.outline)
    return pages


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_every_fallback_part_opens_with_a_note_in_the_readers_language(printed, code):
    book = printed[code]
    parts = _fallback_parts(book.data)
    assert parts, "the demo must have fallback parts in this locale"
    pages = _title_pages(book.pdf)
    for part in parts:
        note = part["fallback"]
        assert note["lang"] == code and note["dir"] == "rtl"
        assert part["lang"] == "de" and part["dir"] == "ltr"
        page = pages[_title(part)]
        # The note may begin at the foot of the title's page and go on overleaf.
        text = book.page_text(page) + book.page_text(page + 1)
        missing = _words(note["text"]) - _words(text)
        assert not missing, f"{_title(part)!r} on page {page}: note missing"


def test_a_translated_part_has_no_note(printed):
    chapter_one = printed["ar"].data["chapters"][0]
    assert chapter_one["lang"] == "ar" and chapter_one["fallback"] is None


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_fallback_text_is_tagged_german(printed, code):
    book = printed[code]
    fallback_titles = [
        c for c in book.data["chapters"] if c["fallback"] and c["lang"] == "de"
    ]
    sections = 1 if book.data["portraits"]["fallback"] else 0
    # A handbook root that falls back sets its introduction and imprint in German.
    sections += 2 if book.data["front"]["fallback"] else 0
    with pikepdf.open(BytesIO(book.pdf)) as pdf:
        assert str(pdf.Root.Lang) == code
        german_headings = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary)
            and obj.get("/S") == "/H1"
            and str(obj.get("/Lang", "")) == "de"
        ]
    assert len(german_headings) == len(fallback_titles) + sections


def _phone_lines(page) -> list[str]:
    """Digit runs of 11 (a demo phone number), each ordered by glyph position."""
    lines: dict[int, list[dict]] = {}
    for char in page.chars:
        if char["text"].isdigit():
            lines.setdefault(round(char["top"]), []).append(char)
    return [
        "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
        for chars in lines.values()
        if len(chars) == 11
    ]


def test_phone_number_in_an_arabic_contact_card_reads_left_to_right(printed):
    book = printed["ar"]
    chapter_one = book.data["chapters"][0]
    assert chapter_one["lang"] == "ar"
    pages = _title_pages(book.pdf)
    first = pages[chapter_one["title"]]
    last = pages[book.data["chapters"][1]["title"]]
    found: list[tuple[int, str]] = []
    with pdfplumber.open(BytesIO(book.pdf)) as pdf:
        for number in range(first, last):
            page = pdf.pages[number - 1]
            for line in _phone_lines(page):
                found.append((number, line))
        assert found, "chapter 1 in Arabic has a contact card"
        for number, line in found:
            # "0731 000 1004": 0731 is drawn left of 1004 (reversed: 10040000731).
            assert re.fullmatch(r"0731000\d{4}", line), (number, line)
        PNG_DIR.mkdir(parents=True, exist_ok=True)
        card_page = pdf.pages[found[0][0] - 1]
        path = PNG_DIR / "ar-contact-card.png"
        card_page.to_image(resolution=90).save(path)
    assert path.stat().st_size > 20_000
