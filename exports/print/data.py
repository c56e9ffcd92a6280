"""The content tree for print: one JSON-serialisable dict per locale.

Built from the same documents the delivery API serves (``page_document_for``), in the
German tree's order, so print and web never disagree. Rich text arrives as clean
HTML and leaves as print blocks (``exports.print.richtext``): data, never Typst
markup. Images are copied in as JPEG renditions through ``PrintSource.files``.

The dict is deterministic (no timestamps, fixed order): its hash is the build's
content address (``print_source_hash``).

Shape (every text is plain data; ``blocks`` are print blocks)::

    lang, locale, dir, title, subtitle, publisher, edition, labels{…}, preview
    front{lang, dir}   (the language cover, introduction and imprint are in)
    cover{title, subtitle, publisher, edition, image}
    intro[blocks]
    imprint{publisher, partners[{organisation, role}], funding[blocks],
            text[blocks], edition}
    chapters[{number, title, intro[blocks], body[blocks],
              recommendations[{title, topic, municipalities, summary, why,
                               steps, who_acts}],
              practices[{title, municipality, topic, what, how, outcome,
                         contact}]}]
    portraits{title, intro[blocks], items[{name, municipality, origin, year,
              quote, story[blocks], photo, example}]}
    glossary[{term, explanation}]
    credits[{credit, images[id]}]

An image is ``{id, path, alt, width, height, credit}``; ``path`` names a file in
the build folder. Chapters, recommendations, practices, portraits and the portraits
section also carry ``lang`` and ``dir``: the language their text is in, which for a
fallback is not the handbook's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from cms.pages.models import (
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
)
from cms.snippets.models import GlossaryTerm
from exports.content import (
    PageVersion,
    Resolution,
    content_locale_get,
    document_build,
    images_for_locales,
    locale_chain,
    page_document_for,
    public_pages,
    restricted_path_exists,
)
from exports.print.richtext import plain_runs, print_blocks, text_blocks

Data = dict[str, Any]

# Images go into the PDF at this size at most: sharp enough for A4 at the sizes the
# template places them, small enough to keep builds fast.
PRINT_RENDITION = "max-1200x1200|format-jpeg|jpegquality-82"


@dataclass(frozen=True)
class PrintSource:
    """Everything one PDF is made of: template name, JSON data, files to copy in.

    ``files`` maps names inside the build folder (``images/12.jpg``) to files on
    disk; ``data`` refers to them by those names.
    """

    locale: str
    data: dict[str, Any]
    template: str = "handbook"
    files: dict[str, Path] = field(default_factory=dict)


def print_source(
    locale_code: str, *, handbook: HandbookPage | None = None
) -> PrintSource:
    """The handbook in ``locale_code``, ready for ``print_build``.

    ``handbook`` (its German root page) picks one of several handbooks; by default
    the first public one.
    """
    tree = _PrintTree(locale_code)
    data = tree.handbook_data(handbook)
    return PrintSource(locale=locale_code, data=data, files=tree.files())


def print_preview_source(page: Page) -> PrintSource:
    """One page as the editor is previewing it (the unsaved draft), for print.

    The page is laid out the way the handbook prints it, in the page's own locale,
    as a short document of its own: a chapter as a chapter, a recommendation or a
    practice example inside its chapter, a portrait in the portraits section.
    """
    locale_code = page.locale.language_code
    tree = _PrintTree(locale_code)
    data = tree.preview_data(page)
    return PrintSource(locale=locale_code, data=data, files=tree.files())


def print_source_hash(source: PrintSource) -> str:
    """The build's content address: renderer, template, data and every file's bytes.

    Equal hash, equal PDF: the pipeline skips a build whose hash it already has. The
    Typst version and the fonts are part of it, so upgrading either rebuilds every
    PDF after the next publish or worker start instead of keeping stale layouts.
    """
    digest = hashlib.sha256()
    digest.update(_renderer_fingerprint().encode())
    template = Path(__file__).resolve().parent / "templates" / f"{source.template}.typ"
    digest.update(template.read_bytes())
    digest.update(print_data_hash(source.data).encode())
    for name in sorted(source.files):
        digest.update(name.encode())
        digest.update(hashlib.sha256(source.files[name].read_bytes()).digest())
    return digest.hexdigest()


@cache
def _renderer_fingerprint() -> str:
    """Typst's version and the font files' names and sizes (read once per process)."""
    fonts = Path(__file__).resolve().parent / "fonts"
    parts = [f"typst {version('typst')}"]
    parts += [f"{f.name}:{f.stat().st_size}" for f in sorted(fonts.glob("*.ttf"))]
    return "\n".join(parts)


def print_data(locale_code: str) -> dict[str, Any]:
    """The handbook in ``locale_code`` as the print template reads it."""
    return print_source(locale_code).data


def print_data_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: equal content, equal address."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


# --- Selecting pages -----------------------------------------------------------------


def print_pages(queryset: QuerySet) -> QuerySet:
    """What may be printed: public pages, portraits only with print consent.

    ``public_pages`` admits portraits by their *web* consent; print asks the
    person's print consent instead (someone may agree to the website and not to
    paper, or the other way round), and a withdrawn consent excludes them.
    """
    if queryset.model is PortraitPage:
        return (
            queryset.filter(live=True)
            .annotate(is_restricted=restricted_path_exists())
            .filter(
                is_restricted=False,
                consent__print=True,
                consent__withdrawn_on__isnull=True,
            )
        )
    return public_pages(queryset)


# --- Building ------------------------------------------------------------------------


class _PrintTree:
    """Builds the print data for one locale and remembers the images it placed."""

    def __init__(self, locale_code: str) -> None:
        self.content_locale = content_locale_get(locale_code)  # or UnknownLocale
        self.locale_code = locale_code
        self.chain = locale_chain(locale_code)
        self.source_locale = Locale.get_default()
        # Every image document placed, in order of first use: id → document.
        self.images: dict[int, Data] = {}

    # -- whole handbook --------------------------------------------------------------

    def handbook_data(self, handbook: HandbookPage | None = None) -> Data:
        if handbook is None:
            handbook = (
                public_pages(HandbookPage.objects.filter(locale=self.source_locale))
                .order_by("path")
                .first()
            )
        root = page_document_for(handbook, self.locale_code) if handbook else None
        chapters: list[Data] = []
        portraits: Data | None = None
        if handbook is not None:
            for chapter in public_pages(
                ChapterPage.objects.child_of(handbook).filter(locale=self.source_locale)
            ).order_by("path"):
                document = page_document_for(chapter, self.locale_code)
                if document is None:
                    continue
                entry = self._chapter(document)
                for child in public_pages(
                    Page.objects.child_of(chapter).filter(locale=self.source_locale)
                ).order_by("path"):
                    self._chapter_child(
                        entry, page_document_for(child, self.locale_code)
                    )
                chapters.append(entry)
            index = public_pages(
                PortraitIndexPage.objects.child_of(handbook).filter(
                    locale=self.source_locale
                )
            ).first()
            if index is not None:
                portraits = self._portraits(index)
        return self._assemble(root, chapters, portraits, glossary=self._glossary())

    # -- one page for the print preview ----------------------------------------------

    def preview_data(self, page: Page) -> Data:
        document = _draft_page_document(page)
        chapters: list[Data] = []
        portraits: Data | None = None
        root: Data | None = None
        kind = document["type"]
        if kind == "handbook":
            root = document
        elif kind == "chapter":
            chapters.append(self._chapter(document))
        elif kind in ("recommendation", "best_practice"):
            parent = page.get_parent().specific if page.pk else None
            title = parent.title if isinstance(parent, ChapterPage) else ""
            number = parent.number if isinstance(parent, ChapterPage) else None
            entry: Data = {
                **_language(document),
                "number": number,
                "title": title,
                "intro": [],
                "body": [],
                "recommendations": [],
                "practices": [],
            }
            self._chapter_child(entry, document)
            chapters.append(entry)
        elif kind == "portrait_index":
            portraits = {
                **_language(document),
                "title": document["title"],
                "intro": print_blocks(document["intro"]),
                "items": [],
            }
        elif kind == "portrait":
            parent = page.get_parent().specific if page.pk else None
            portraits = {
                **_language(document),
                "title": parent.title if parent else "",
                "intro": [],
                "items": [self._portrait(document)],
            }
        data = self._assemble(root, chapters, portraits, glossary=[])
        # PDF/UA needs a document title; the page's own names the preview.
        data["title"] = data["title"] or document["title"]
        data["preview"] = True
        return data

    # -- parts -----------------------------------------------------------------------

    def _assemble(
        self,
        root: Data | None,
        chapters: list[Data],
        portraits: Data | None,
        *,
        glossary: list[Data],
    ) -> Data:
        cover_image = self._image(root.get("cover_image")) if root else None
        with translation.override(self.locale_code):
            labels = _labels()
            edition = (
                date_format(_date(root["edition_date"]), "F Y")
                if root and root.get("edition_date")
                else ""
            )
        title = root["title"] if root else ""
        subtitle = (root.get("subtitle") or "") if root else ""
        publisher = (root.get("publisher") or "") if root else ""
        return {
            "lang": self.locale_code.split("-")[0],
            "locale": self.locale_code,
            "dir": self.content_locale.direction,
            "title": title
            or (chapters[0]["title"] if chapters else "")
            or labels["handbook"],
            "subtitle": subtitle,
            "publisher": publisher,
            "edition": edition,
            "labels": labels,
            "preview": False,
            "cover": {
                "title": title,
                "subtitle": subtitle,
                "publisher": publisher,
                "edition": edition,
                "image": cover_image,
            }
            if root
            else None,
            "intro": print_blocks(root.get("intro")) if root else [],
            "imprint": {
                "publisher": publisher,
                "partners": [
                    {"organisation": p["organisation"], "role": p["role"]}
                    for p in root.get("partners", [])
                ],
                "funding": print_blocks(root.get("funding_note")),
                "text": print_blocks(root.get("imprint")),
                "edition": edition,
            }
            if root
            else None,
            # The language of cover, introduction and imprint (a fallback's own).
            "front": _language(root)
            if root
            else _language({"locale": self.locale_code}),
            "chapters": chapters,
            "portraits": portraits,
            "glossary": glossary,
            "credits": self._credits(),
        }

    def _chapter(self, document: Data) -> Data:
        return {
            **_language(document),
            "number": document.get("number"),
            "title": document["title"],
            "intro": print_blocks(document.get("intro")),
            "body": self._stream(document.get("body", [])),
            "recommendations": [],
            "practices": [],
        }

    def _chapter_child(self, chapter: Data, document: Data | None) -> None:
        if document is None:
            return
        if document["type"] == "recommendation":
            chapter["recommendations"].append(
                {
                    **_language(document),
                    "title": document["title"],
                    "topic": _name(document.get("topic")),
                    "municipalities": [
                        m["name"] for m in document.get("municipalities", []) if m
                    ],
                    "summary": plain_runs(document.get("summary")),
                    "why": print_blocks(document.get("why")),
                    "steps": [_step(s) for s in document.get("steps", [])],
                    "who_acts": print_blocks(document.get("who_acts")),
                }
            )
        elif document["type"] == "best_practice":
            chapter["practices"].append(
                {
                    **_language(document),
                    "title": document["title"],
                    "municipality": _name(document.get("municipality")),
                    "topic": _name(document.get("topic")),
                    "what": print_blocks(document.get("what")),
                    "how": print_blocks(document.get("how")),
                    "outcome": print_blocks(document.get("outcome")),
                    "contact": _contact(document.get("contact")),
                }
            )

    def _portraits(self, index: PortraitIndexPage) -> Data | None:
        document = page_document_for(index, self.locale_code)
        if document is None:
            return None
        items = []
        for portrait in print_pages(
            PortraitPage.objects.child_of(index).filter(locale=self.source_locale)
        ).order_by("path"):
            portrait_document = self._print_document(portrait)
            if portrait_document is not None:
                items.append(self._portrait(portrait_document))
        return {
            **_language(document),
            "title": document["title"],
            "intro": print_blocks(document.get("intro")),
            "items": items,
        }

    def _print_document(self, source: PortraitPage) -> Data | None:
        """The portrait's document in this locale, chosen by print consent.

        ``page_document_for`` would apply the web consent; the version is chosen
        here along the same fallback chain, among versions print may show.
        """
        versions = {
            page.locale.language_code: page
            for page in print_pages(
                PortraitPage.objects.filter(
                    translation_key=source.translation_key,
                    locale__language_code__in=self.chain,
                )
            ).select_related("locale")
        }
        served = next((versions[c] for c in self.chain if c in versions), None)
        if served is None:
            return None
        return document_build(
            Resolution(
                requested=self.locale_code,
                served=PageVersion.of(served),
                source=None,
                stamp=0,
            )
        )

    def _portrait(self, document: Data) -> Data:
        return {
            **_language(document),
            "name": document.get("display_name") or document["title"],
            "title": document["title"],
            "municipality": _name(document.get("municipality")),
            "origin": document.get("origin") or "",
            "year": document.get("year_of_arrival"),
            "quote": document.get("quote") or "",
            "story": self._stream(document.get("story", [])),
            "photo": self._image(document.get("photo")),
            "example": bool(document.get("is_example")),
        }

    def _stream(self, blocks: list[Data]) -> list[Data]:
        out: list[Data] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "paragraph":
                out += print_blocks(block.get("html"))
            elif kind == "heading":
                level = {"h2": 2, "h3": 3, "h4": 3}.get(block.get("level", "h2"), 2)
                out.append(
                    {
                        "kind": "heading",
                        "level": level,
                        "runs": plain_runs(block["text"]),
                    }
                )
            elif kind == "quote":
                out.append(
                    {
                        "kind": "quote",
                        "runs": plain_runs(block.get("text")),
                        "attribution": block.get("attribution") or "",
                    }
                )
            elif kind == "image":
                image = self._image(block.get("image"))
                if image is not None:
                    out.append(
                        {
                            "kind": "image",
                            "image": image,
                            "caption": block.get("caption") or "",
                        }
                    )
            elif kind == "tip":
                out.append(
                    {
                        "kind": "tip",
                        "tone": block.get("kind") or "tip",
                        "title": block.get("title") or "",
                        "blocks": print_blocks(block.get("html")),
                    }
                )
            elif kind == "steps":
                out.append(
                    {
                        "kind": "steps",
                        "title": block.get("title") or "",
                        "steps": [_step(s) for s in block.get("steps", [])],
                    }
                )
            elif kind == "glossary":
                term = block["term"]
                out.append(
                    {
                        "kind": "term",
                        "term": term["term"],
                        "explanation": term["explanation"],
                    }
                )
            elif kind == "contact":
                contact = _contact(block.get("contact"))
                if contact is not None:
                    out.append({"kind": "contact", "contact": contact})
        return out

    def _glossary(self) -> list[Data]:
        """Every glossary term, in this locale where translated (else its fallback).

        Sorted by the term as printed, so the glossary reads alphabetically in
        every language.
        """
        rank = {code: i for i, code in enumerate(self.chain)}
        best: dict[Any, GlossaryTerm] = {}
        for term in GlossaryTerm.objects.filter(
            Q(locale__language_code__in=self.chain)
        ).select_related("locale"):
            code = term.locale.language_code
            current = best.get(term.translation_key)
            if current is None or rank[code] < rank[current.locale.language_code]:
                best[term.translation_key] = term
        terms = sorted(best.values(), key=lambda t: (t.term.casefold(), t.slug))
        return [{"term": t.term, "explanation": t.explanation} for t in terms]

    # -- images ----------------------------------------------------------------------

    def _image(self, document: Data | None) -> Data | None:
        """An image document from the tree as print places it; None if it has none."""
        if not document:
            return None
        image_id = int(document["id"])
        self.images.setdefault(image_id, document)
        return {
            "id": image_id,
            "path": f"images/{image_id}.jpg",
            "alt": document.get("alt") or "",
            "width": document.get("width"),
            "height": document.get("height"),
            "credit": document.get("credit") or "",
        }

    def _credits(self) -> list[Data]:
        """Credit lines in order of first use, each with the images it covers."""
        by_credit: dict[str, list[int]] = {}
        for image_id, document in self.images.items():
            credit = (document.get("credit") or "").strip()
            if credit:
                by_credit.setdefault(credit, []).append(image_id)
        return [{"credit": c, "images": ids} for c, ids in by_credit.items()]

    def files(self) -> dict[str, Path]:
        """The JPEG renditions of every placed image, by their name in the build."""
        if not self.images:
            return {}
        images = images_for_locales(set(self.images), [self.locale_code])[
            self.locale_code
        ]
        files: dict[str, Path] = {}
        for image_id in self.images:
            image = images.get(image_id)
            if image is None:
                continue
            rendition = image.get_rendition(PRINT_RENDITION)
            files[f"images/{image_id}.jpg"] = Path(rendition.file.path)
        return files


# --- Small pieces --------------------------------------------------------------------


def _labels() -> dict[str, str]:
    """The template's fixed words, in the active language."""
    return {
        "handbook": _("Handbuch"),
        "contents": _("Inhalt"),
        "page": _("Seite"),
        "chapter": _("Kapitel"),
        "imprint": _("Impressum"),
        "publisher": _("Herausgeber"),
        "partners": _("Partner"),
        "funding": _("Förderung"),
        "edition": _("Stand"),
        "recommendation": _("Handlungsempfehlung"),
        "practice": _("Praxisbeispiel"),
        "why": _("Warum das wichtig ist"),
        "steps": _("So gehen Sie vor"),
        "who_acts": _("Wer handelt"),
        "municipalities": _("Kommunen"),
        "whole_district": _("Ganzer Landkreis"),
        "what": _("Was"),
        "how": _("Wie"),
        "outcome": _("Ergebnis"),
        "contact": _("Kontakt"),
        "origin": _("Herkunft"),
        "arrived": _("Angekommen"),
        "example": _("Fiktives Beispiel"),
        "glossary": _("Glossar"),
        "credits": _("Bildnachweis"),
        "tip": _("Tipp"),
        "info": _("Hinweis"),
        "important": _("Wichtig"),
        "term": _("Begriff"),
        "preview": _("Druckansicht – Entwurf"),
    }


def _language(document: Data) -> Data:
    """The language a part is written in: a fallback is set as its own language
    (German text in the Persian handbook is German, left to right, hyphenated)."""
    code = document["locale"]
    return {"lang": code.split("-")[0], "dir": content_locale_get(code).direction}


def _name(value: Data | None) -> str:
    return str(value["name"]) if value else ""


def _step(step: Data) -> Data:
    return {"title": step.get("title") or "", "text": text_blocks(step.get("text"))}


def _contact(contact: Data | None) -> Data | None:
    if not contact:
        return None
    municipality = contact.get("municipality")
    return {
        "name": contact.get("name") or "",
        "role": contact.get("role") or "",
        "organisation": contact.get("organisation") or "",
        "municipality": municipality["name"] if municipality else "",
        "email": contact.get("email") or "",
        "phone": contact.get("phone") or "",
    }


def _date(iso: str) -> date:
    return date.fromisoformat(iso)


def _draft_page_document(page: Page) -> Data:
    """The document ``page`` (an unsaved preview object) would publish."""
    version = PageVersion.of(page)
    document = document_build(
        Resolution(requested=version.locale, served=version, source=None, stamp=0),
        page=page,
    )
    if document is None:  # cannot happen: the page itself serves
        raise LookupError(f"page {page.pk} built no document")
    return document
