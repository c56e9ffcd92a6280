"""The print layout ``simple``: the de-x-ls handbook as data for ``simple.typ``.

One home for the content: every page comes from ``page_document_for(page,
"de-x-ls")`` over the German tree, in its order, so the PDF shows what the API
serves. The data is plain JSON the template places as content (never markup):

- text is cut into sentences (one per line in print) made of runs: ``{"text",
  "strong"}`` or ``{"split": true}`` for a compound split (Mediopunkt), which the
  template prints as ``·`` marked as an artifact, so screen readers and text
  extraction read the whole word;
- pictures (with their alt text) are copied into the build folder as
  ``images/<id>.<ext>`` (``PrintSource.files``);
- each glossary word's first use on a page brings a note ``{"term",
  "explanation"}`` to the block where it appears; the template sets notes in a
  box beside that block (no footnotes in Leichte Sprache).

Pages without a public de-x-ls version are left out (the coverage report lists
them); portraits need consent for the Leichte Sprache version as well.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import pgettext
from wagtail.models import Locale, Page

from cms.locales import SIMPLE_LOCALE
from cms.pages.models import HandbookPage, PortraitPage
from exports.content import Document, page_document_for, public_pages
from exports.content.inline import MEDIOPUNKT, MEDIOPUNKT_SPLIT
from exports.print.data import PrintSource

Run = dict[str, Any]
Sentence = list[Run]
Block = dict[str, Any]

# A sentence ends at . ! or ? followed by a space and a capital, digit or quote.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"„»(]?[A-ZÄÖÜ0-9])")
ORDINAL_BEFORE = re.compile(r"(?:^|\s)\d{1,2}\.$")
HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)+")
# Pictures are printed from this rendition; Typst reads these formats.
IMAGE_SPEC = "width-1200"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif"})
HEADINGS = frozenset({"h2", "h3", "h4"})
# Block-level tags: each starts a new block of sentences.
BLOCKS = frozenset({"p", "li", "blockquote", *HEADINGS})


def _hyphen_runs(text: str, strong: bool) -> list[Run]:
    """Words with a hyphen (Alb-Donau-Kreis) are kept whole: no line break at
    their hyphen, so no line ends in a hyphen (Leichte Sprache)."""
    runs: list[Run] = []
    position = 0
    for word in HYPHENATED_WORD.finditer(text):
        if word.start() > position:
            runs.append({"text": text[position : word.start()], "strong": strong})
        runs.append({"text": word.group(), "strong": strong, "keep": True})
        position = word.end()
    if position < len(text):
        runs.append({"text": text[position:], "strong": strong})
    return runs


def text_runs(text: str, *, strong: bool = False) -> list[Run]:
    """``text`` as runs, with each compound split as a run of its own."""
    runs: list[Run] = []
    position = 0
    for split in MEDIOPUNKT_SPLIT.finditer(text):
        runs += _hyphen_runs(text[position : split.start()], strong)
        runs.append({"split": True})
        position = split.end()
    runs += _hyphen_runs(text[position:], strong)
    return runs


def _sentence_ends(text: str) -> list[tuple[int, int]]:
    """The whitespace spans between sentences in ``text``.

    A dot after a one- or two-digit number is an ordinal or a date ("1. Schritt",
    "am 3. März"), not the end of a sentence; a year ("2019. Dann") is.
    """
    return [
        match.span()
        for match in SENTENCE_END.finditer(text)
        if not ORDINAL_BEFORE.search(text, 0, match.start())
    ]


def sentences_split(runs: list[Run]) -> list[Sentence]:
    """Cut a block's runs into sentences, also where a sentence ends in one run
    and the next begins in another (``<strong>Wichtig.</strong> Dann …``).

    Whitespace is tidied; no word is dropped.
    """
    # The block's text in one string (a split counts as a letter), and where
    # each run starts in it.
    text = ""
    starts: list[int] = []
    cuts: list[tuple[int, int]] = []
    for run in runs:
        starts.append(len(text))
        if "break" in run:
            cuts.append((len(text), len(text) + 1))
            text += " "
        elif "split" in run:
            text += MEDIOPUNKT
        else:
            text += re.sub(r"\s+", " ", run["text"])
    cuts = sorted({*cuts, *_sentence_ends(text)})
    bounds: list[tuple[int, int]] = []
    position = 0
    for cut_start, cut_end in cuts:
        bounds.append((position, cut_start))
        position = cut_end
    bounds.append((position, len(text)))

    sentences: list[Sentence] = []
    for first, last in bounds:
        sentence: Sentence = []
        for run, run_start in zip(runs, starts, strict=True):
            if "break" in run:
                continue
            if "split" in run:
                if first <= run_start < last:
                    sentence.append(run)
                continue
            piece_text = re.sub(r"\s+", " ", run["text"])
            a = max(first, run_start) - run_start
            b = min(last, run_start + len(piece_text)) - run_start
            if a < b:
                sentence.append({**run, "text": piece_text[a:b]})
        if sentence and "text" in sentence[0]:
            sentence[0] = {**sentence[0], "text": sentence[0]["text"].lstrip()}
        if sentence and "text" in sentence[-1]:
            sentence[-1] = {**sentence[-1], "text": sentence[-1]["text"].rstrip()}
        sentence = [r for r in sentence if "split" in r or r["text"]]
        if sentence:
            sentences.append(sentence)
    return sentences


def plain_block(text: str, *, kind: str = "text") -> Block | None:
    """A block from a plain-text field (title, summary, quote …)."""
    sentences = sentences_split(text_runs(text))
    return {"kind": kind, "sentences": sentences, "notes": []} if sentences else None


class _HtmlBlocks(HTMLParser):
    """The channels' clean HTML as blocks of sentences."""

    def __init__(self, seen_terms: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.notes: list[dict[str, Any]] = []
        self.kind = "text"
        self.strong = 0
        self.in_split = 0
        self.term: dict[str, str] | None = None
        self.seen_terms = seen_terms

    def _flush(self) -> None:
        sentences = sentences_split(self.runs)
        if sentences:
            self.blocks.append(
                {"kind": self.kind, "sentences": sentences, "notes": self.notes}
            )
        self.runs, self.notes, self.kind = [], [], "text"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in BLOCKS:
            self._flush()
            self.kind = "heading" if tag in HEADINGS else "text"
            if tag == "li":
                self.runs.append({"text": "• ", "strong": False})
        elif tag == "br":
            # The writer broke the line: what follows starts a line of its own.
            self.runs.append({"break": True})
        elif tag in ("strong", "dfn"):
            self.strong += 1
            if tag == "dfn":
                slug = attributes.get("data-glossary") or ""
                self.term = {
                    "slug": slug,
                    "explanation": attributes.get("title") or "",
                    "text": "",
                }
        elif tag == "span" and attributes.get("class") == "mediopunkt":
            self.in_split += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()
        elif tag in ("strong", "dfn"):
            self.strong = max(0, self.strong - 1)
            if tag == "dfn" and self.term is not None:
                term, self.term = self.term, None
                if term["slug"] not in self.seen_terms:
                    self.seen_terms.add(term["slug"])
                    self.notes.append(
                        {
                            "term": text_runs(term["text"], strong=True),
                            "explanation": sentences_split(
                                text_runs(term["explanation"])
                            ),
                        }
                    )
        elif tag == "span" and self.in_split:
            self.in_split -= 1

    def handle_data(self, data: str) -> None:
        if self.in_split:
            self.runs.append({"split": True})
            if self.term is not None:
                self.term["text"] += MEDIOPUNKT
            return
        if self.term is not None:
            self.term["text"] += data
        self.runs.extend(text_runs(data, strong=bool(self.strong)))

    def result(self) -> list[Block]:
        self._flush()
        return self.blocks


def html_blocks(html: str | None, *, seen_terms: set[str]) -> list[Block]:
    """Blocks of sentences from clean HTML; glossary notes for first uses only."""
    parser = _HtmlBlocks(seen_terms)
    parser.feed(html or "")
    parser.close()
    return parser.result()


def image_file(image_id: int) -> Path | None:
    """The print-size rendition of a public image, on disk (None if unreadable)."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        path = Path(image.get_rendition(IMAGE_SPEC).file.path)
    except (NotImplementedError, OSError, ValueError):
        return None  # storage without local files, or the file is gone
    return path if path.suffix.lower() in IMAGE_SUFFIXES and path.exists() else None


def image_block(
    image: Document | None, caption: str, files: dict[str, Path]
) -> list[Block]:
    """A picture with its caption; its file is copied into the build folder."""
    if not image or not image.get("id"):
        return []
    path = image_file(int(image["id"]))
    if path is None:
        return []
    name = f"images/{image['id']}{path.suffix.lower()}"
    files[name] = path
    return [
        {
            "kind": "image",
            "src": name,
            # PDF/UA needs a text for every picture: the alt text, else the caption.
            "alt": image.get("alt") or caption or image.get("credit") or "",
            "sentences": sentences_split(text_runs(caption)),
            "credit": image.get("credit") or "",
            "notes": [],
        }
    ]


def _stream_blocks(
    stream: list[Document], seen_terms: set[str], files: dict[str, Path]
) -> list[Block]:
    blocks: list[Block] = []
    for item in stream:
        kind = item.get("type")
        if kind == "image":
            blocks += image_block(item.get("image"), item.get("caption") or "", files)
        elif kind == "paragraph":
            blocks += html_blocks(item.get("html"), seen_terms=seen_terms)
        elif kind == "heading":
            blocks += _plain(item.get("text"), kind="heading")
        elif kind == "quote":
            blocks += _plain(item.get("text"), kind="quote")
            blocks += _plain(item.get("attribution"))
        elif kind == "tip":
            blocks += _plain(item.get("title"), kind="heading")
            blocks += html_blocks(item.get("html"), seen_terms=seen_terms)
        elif kind == "steps":
            blocks += _plain(item.get("title"), kind="heading")
            blocks += _steps_blocks(item.get("steps") or [])
        elif kind == "glossary":
            term = item.get("term") or {}
            seen_terms.add(term.get("slug", ""))
            blocks.append(
                {
                    "kind": "term",
                    "sentences": [text_runs(term.get("term", ""), strong=True)],
                    "notes": [],
                    "explanation": sentences_split(
                        text_runs(term.get("explanation", ""))
                    ),
                }
            )
        elif kind == "contact":
            contact = item.get("contact") or {}
            lines = [
                contact.get(name) or ""
                for name in ("name", "role", "organisation", "email", "phone")
            ]
            runs = [text_runs(line) for line in lines if line]
            if runs:
                blocks.append({"kind": "contact", "sentences": runs, "notes": []})
    return blocks


def _plain(text: str | None, *, kind: str = "text") -> list[Block]:
    block = plain_block(text or "", kind=kind)
    return [block] if block else []


def _steps_blocks(steps: list[dict[str, Any]]) -> list[Block]:
    blocks: list[Block] = []
    for number, step in enumerate(steps, start=1):
        title = step.get("title") or ""
        blocks += _plain(f"{number}. {title}" if title else "", kind="heading")
        blocks += _plain(step.get("text"))
    return blocks


def section_blocks(document: Document, files: dict[str, Path]) -> list[Block]:
    """Everything a page says, in reading order, as blocks of sentences."""
    seen: set[str] = set()
    blocks: list[Block] = []
    kind = document.get("type")
    if kind == "recommendation":
        blocks += _plain(document.get("summary"))
        blocks += html_blocks(document.get("why"), seen_terms=seen)
        blocks += _steps_blocks(document.get("steps") or [])
        blocks += html_blocks(document.get("who_acts"), seen_terms=seen)
    elif kind == "best_practice":
        for name in ("what", "how", "outcome"):
            blocks += html_blocks(document.get(name), seen_terms=seen)
    elif kind == "portrait":
        blocks += image_block(document.get("photo"), "", files)
        blocks += _plain(document.get("quote"), kind="quote")
        blocks += _stream_blocks(document.get("story") or [], seen, files)
    else:
        blocks += html_blocks(document.get("intro"), seen_terms=seen)
        blocks += _stream_blocks(document.get("body") or [], seen, files)
    return blocks


def _simple_consent(page: Page) -> bool:
    if not isinstance(page, PortraitPage):
        return True
    consent = page.consent
    return bool(consent and consent.simple and consent.withdrawn_on is None)


def simple_print_data(
    locale_code: str = SIMPLE_LOCALE, files: dict[str, Path] | None = None
) -> dict[str, Any]:
    """The Leichte Sprache handbook as ``simple.typ`` reads it (see the module).

    Pictures' files are added to ``files`` (name in the build folder → path).
    """
    files = {} if files is None else files
    source_locale = Locale.get_default()
    handbook = public_pages(HandbookPage.objects.filter(locale=source_locale)).first()
    root: Document | None = None
    chapters: list[dict[str, Any]] = []
    if handbook is not None:
        root = page_document_for(handbook, locale_code)
        children: Any = public_pages(handbook.get_children()).order_by("path")
        for child in children.specific():
            document = page_document_for(child, locale_code)
            if document is None:
                continue
            sections = [{"title": None, "blocks": section_blocks(document, files)}]
            pages: Any = public_pages(child.get_children()).order_by("path")
            for page in pages.specific():
                if not _simple_consent(page):
                    continue
                page_document = page_document_for(page, locale_code)
                if page_document is None:
                    continue
                sections.append(
                    {
                        "title": text_runs(page_document["title"]),
                        "blocks": section_blocks(page_document, files),
                    }
                )
            chapters.append({"title": document["title"], "sections": sections})
    with translation.override(locale_code):
        labels = {
            "contents": pgettext("Leichte Sprache PDF", "Inhalt"),
            "page": pgettext("Leichte Sprache PDF", "Seite"),
            "simple": pgettext("Leichte Sprache PDF", "Leichte Sprache"),
        }
    title = root["title"] if root else (handbook.title if handbook else "")
    return {
        # Typst takes ISO 639 language codes only: Leichte Sprache is German
        # ("de" in the PDF's /Lang); the variant is named on the cover.
        "lang": locale_code.split("-")[0],
        "locale": locale_code,
        "title": title,
        "title_runs": text_runs(title),
        "subtitle": text_runs(root.get("subtitle") or "") if root else [],
        "publisher": (root.get("publisher") or "") if root else "",
        "publisher_runs": text_runs((root.get("publisher") or "") if root else ""),
        "edition_date": (root.get("edition_date") or "") if root else "",
        "intro": section_blocks(root, files) if root else [],
        "labels": labels,
        "chapters": chapters,
    }


def simple_print_source(locale_code: str = SIMPLE_LOCALE) -> PrintSource:
    """The Leichte Sprache PDF's source: the print layout ``simple`` (``LAYOUTS``)."""
    files: dict[str, Path] = {}
    data = simple_print_data(locale_code, files)
    return PrintSource(locale=locale_code, data=data, template="simple", files=files)
