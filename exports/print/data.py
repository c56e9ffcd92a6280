"""The content tree for print: one JSON-serialisable dict per locale.

Built from the content tree (``build_content_tree``, audience ``print``: portraits
need the person's print consent), in the German tree's order, so print and web
never disagree about what a page says. Rich text arrives as tree nodes and leaves as
print blocks (``exports.print.richtext``): data, never Typst markup. Images are
copied in as JPEG renditions through ``PrintSource.files``.

The dict is deterministic (no timestamps, fixed order): its hash is the build's
content address (``print_source_hash``).

Shape (every text is plain data; ``blocks`` are print blocks)::

    lang, locale, dir, title, subtitle, publisher, edition, labels{…}, preview
    front{lang, dir}   (the language cover, introduction and imprint are in)
    cover{title, subtitle, publisher, edition, image}
    intro[blocks]
    imprint{publisher, partners[{organisation, role}], funding[blocks],
            text[blocks], edition, print_line[str]}
    chapters[{number, title, qr{url, short, svg}|null, intro[blocks], body[blocks],
              recommendations[{title, topic, municipalities, summary, why,
                               steps, who_acts}],
              practices[{title, municipality, topic, what, how, outcome,
                         contact}]}]
    portraits{title, count, intro[blocks], items[{name, municipality, origin, year,
              quote, story[blocks], photo, example}]}
    glossary[{lang, dir, term, explanation}]
    credits[{credit, images[id]}]

An image is ``{id, path, alt, width, height, credit}``; ``path`` names a file in
the build folder. Chapters, recommendations, practices, portraits and the portraits
section also carry ``lang`` and ``dir``: the language their text is in, which for a
fallback is not the handbook's, and ``fallback``: None, or for a part served in
another locale the note printed at its start ``{lang, dir, text}`` (in the reader's
language).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from cms.collector import collector_paused
from cms.locales import LOCALE_NAMES, content_locale_get
from exports.content import (
    HandbookTree,
    PageNode,
    build_content_tree,
    draft_node_build,
    handbooks_source,
    parent_node_build,
)
from exports.content.bidi import ltr_runs_isolate
from exports.content.labels import handbook_labels
from exports.content.nodes import Block as TreeBlock
from exports.content.nodes import (
    ContactBlock,
    ContactRef,
    GlossaryBlock,
    HeadingBlock,
    ImageBlock,
    ImageRef,
    MunicipalityRef,
    ParagraphBlock,
    QuoteBlock,
    Step,
    StepsBlock,
    TipBlock,
    TopicRef,
)
from exports.content.pages import (
    BestPracticeNode,
    ChapterNode,
    HandbookNode,
    PortraitIndexNode,
    PortraitNode,
    RecommendationNode,
)
from exports.content.references import image_files
from exports.print.locale_text import (
    babel_locale,
    format_decimal,
    glossary_collator,
    month_year,
)
from exports.print.qr import qr_code
from exports.print.renditions import BaselineJpegFilter
from exports.print.richtext import plain_runs, print_blocks, text_blocks

Data = dict[str, Any]

# Images go into the PDF at this size at most: sharp enough for A4 at the sizes the
# template places them, small enough to keep builds fast; baseline JPEG, which Typst
# decodes faster than Wagtail's progressive JPEG (exports.print.renditions).
PRINT_RENDITION = BaselineJpegFilter(
    "max-1200x1200|format-jpeg-baseline|jpegquality-82"
)


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


def print_tree_source(tree: HandbookTree) -> PrintSource:
    """The print layout ``handbook``: ``tree`` (one locale) ready for ``print_build``.

    The pipeline hands it the tree it built for the locale (``exports.builds``).
    """
    layout = _PrintLayout(tree.requested_locale)
    data = layout.handbook_data(tree)
    return PrintSource(locale=layout.locale_code, data=data, files=layout.files())


def print_source(locale_code: str, *, handbook: Page | None = None) -> PrintSource:
    """The handbook in ``locale_code``, ready for ``print_build`` (layout
    ``handbook``, for the command line, benchmarks and tests).

    ``handbook`` (its German root page) picks one of several handbooks; by default
    the first one.
    """
    if handbook is None:
        handbook = next(iter(handbooks_source()), None)
    if handbook is None:
        layout = _PrintLayout(locale_code)
        data = layout.handbook_data(None)
        return PrintSource(locale=locale_code, data=data, files=layout.files())
    with collector_paused():  # the tree lives only for this build
        return print_tree_source(
            build_content_tree(
                handbook=handbook, locale_code=locale_code, audience="print"
            )
        )


def print_preview_source(page: Page) -> PrintSource:
    """One page as the editor is previewing it (the unsaved draft), for print.

    The page is laid out the way the handbook prints it, in the page's own locale,
    as a short document of its own: a chapter as a chapter, a recommendation or a
    practice example inside its chapter, a portrait in the portraits section.
    """
    locale_code = page.locale.language_code
    layout = _PrintLayout(locale_code)
    data = layout.preview_data(
        draft_node_build(page), parent_node_build(page, audience="print")
    )
    return PrintSource(locale=locale_code, data=data, files=layout.files())


def print_coverage(data: dict[str, Any]) -> dict[str, int]:
    """How many parts of a print source are in its own language: ``translated``
    of ``total`` (front matter, chapters, their pages, the portraits section and
    each portrait). Read from the fallback notes, i.e. from the content tree.
    Empty for another layout's data (Leichte Sprache has its own shape)."""
    if "chapters" not in data or "front" not in data:
        return {}
    parts: list[dict[str, Any]] = [data["front"]] if data.get("cover") else []
    for chapter in data["chapters"]:
        parts += [chapter, *chapter["recommendations"], *chapter["practices"]]
    if data.get("portraits"):
        parts += [data["portraits"], *data["portraits"]["items"]]
    translated = sum(1 for part in parts if not part.get("fallback"))
    return {"translated": translated, "total": len(parts)}


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


def print_data_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: equal content, equal address."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


# --- Laying out the tree ------------------------------------------------------------


class _PrintLayout:
    """Turns content tree nodes into print data for one locale, and remembers the
    images it placed (to copy their renditions into the build folder)."""

    def __init__(self, locale_code: str) -> None:
        self.content_locale = content_locale_get(locale_code)  # or UnknownLocale
        self.locale_code = locale_code
        self.babel_locale = babel_locale(locale_code)
        # Every image placed, in order of first use: id → image.
        self.images: dict[int, ImageRef] = {}

    # -- whole handbook --------------------------------------------------------------

    def handbook_data(self, tree: HandbookTree | None) -> Data:
        root = tree.root if tree else None
        chapters: list[Data] = []
        portraits: Data | None = None
        for node in root.children if root else []:
            if isinstance(node, ChapterNode):
                entry = self._chapter(node)
                for child in node.children:
                    self._chapter_child(entry, child)
                chapters.append(entry)
            elif isinstance(node, PortraitIndexNode) and portraits is None:
                portraits = self._portraits(node, node.children)
        glossary = self._glossary(tree) if tree else []
        handbook = root if isinstance(root, HandbookNode) else None
        return self._assemble(handbook, chapters, portraits, glossary=glossary)

    # -- one page for the print preview ----------------------------------------------

    def preview_data(self, node: PageNode, parent: PageNode | None) -> Data:
        chapters: list[Data] = []
        portraits: Data | None = None
        root: HandbookNode | None = None
        if isinstance(node, HandbookNode):
            root = node
        elif isinstance(node, ChapterNode):
            chapters.append(self._chapter(node))
        elif isinstance(node, RecommendationNode | BestPracticeNode):
            chapter = parent if isinstance(parent, ChapterNode) else None
            entry: Data = {
                **_language(node),
                "number": chapter.number if chapter else None,
                "title": chapter.title if chapter else "",
                "intro": [],
                "body": [],
                "recommendations": [],
                "practices": [],
            }
            self._chapter_child(entry, node)
            chapters.append(entry)
        elif isinstance(node, PortraitIndexNode):
            portraits = self._portraits(node, [])
        elif isinstance(node, PortraitNode):
            portraits = {
                **_language(node),
                "title": parent.title if parent else "",
                "intro": [],
                "items": [self._portrait(node)],
            }
        data = self._assemble(root, chapters, portraits, glossary=[])
        # PDF/UA needs a document title; the page's own names the preview.
        data["title"] = data["title"] or node.title
        data["preview"] = True
        return data

    # -- parts -----------------------------------------------------------------------

    def _assemble(
        self,
        root: HandbookNode | None,
        chapters: list[Data],
        portraits: Data | None,
        *,
        glossary: list[Data],
    ) -> Data:
        cover_image = self._image(root.cover_image) if root else None
        with translation.override(self.locale_code):
            labels = _labels()
        edition = (
            month_year(root.edition_date, self.locale_code)
            if root and root.edition_date
            else ""
        )
        title = root.title if root else ""
        subtitle = (root.subtitle or "") if root else ""
        publisher = (root.publisher or "") if root else ""
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
                "edition": " · ".join(p for p in (root.edition, edition) if p)
                if root
                else edition,
                "image": cover_image,
            }
            if root
            else None,
            "intro": print_blocks(root.intro) if root else [],
            "imprint": {
                "publisher": publisher,
                "partners": [
                    {"organisation": p.organisation, "role": p.role}
                    for p in root.partners
                ],
                "funding": print_blocks(root.funding_note),
                "text": print_blocks(root.imprint),
                "edition": edition,
                "print_line": self._print_line(root),
            }
            if root
            else None,
            # The language of cover, introduction and imprint (a fallback's own).
            "front": _language(root) if root else _language_of(self.locale_code),
            "chapters": chapters,
            "portraits": portraits,
            "glossary": glossary,
            "credits": self._credits(),
        }

    def _print_line(self, root: HandbookNode) -> list[str]:
        """The imprint's last lines: edition and copies, then the printer
        ("1. Auflage · 1.500 Exemplare", "Druck: Druckerei …, Ulm")."""
        with translation.override(self.locale_code):
            copies = (
                ngettext("%(count)s Exemplar", "%(count)s Exemplare", root.print_run)
                % {"count": format_decimal(root.print_run, locale=self.babel_locale)}
                if root.print_run
                else ""
            )
            printer = _("Druck: %(printer)s") % {"printer": root.printer}
        edition = " · ".join(part for part in (root.edition, copies) if part)
        return [line for line in (edition, printer if root.printer else "") if line]

    def _chapter(self, node: ChapterNode) -> Data:
        return {
            **_language(node),
            "number": node.number,
            "title": node.title,
            "qr": qr_code(node.meta.website_url),
            "intro": print_blocks(node.intro),
            "body": self._stream(node.body),
            "recommendations": [],
            "practices": [],
        }

    def _chapter_child(self, chapter: Data, node: PageNode) -> None:
        if isinstance(node, RecommendationNode):
            chapter["recommendations"].append(
                {
                    **_language(node),
                    "title": node.title,
                    "topic": _name(node.topic),
                    "municipalities": [m.name for m in node.municipalities if m],
                    "summary": plain_runs(node.summary),
                    "why": print_blocks(node.why),
                    "steps": [_step(s) for s in node.steps],
                    "who_acts": print_blocks(node.who_acts),
                }
            )
        elif isinstance(node, BestPracticeNode):
            chapter["practices"].append(
                {
                    **_language(node),
                    "title": node.title,
                    "municipality": _name(node.municipality),
                    "topic": _name(node.topic),
                    "what": print_blocks(node.what),
                    "how": print_blocks(node.how),
                    "outcome": print_blocks(node.outcome),
                    "contact": _contact(node.contact),
                }
            )

    def _portraits(
        self, index: PortraitIndexNode, children: list[PageNode]
    ) -> Data | None:
        items = [
            self._portrait(child)
            for child in children
            if isinstance(child, PortraitNode)
        ]
        return {
            **_language(index),
            "title": index.title,
            "count": self._portrait_count(len(items)),
            "intro": print_blocks(index.intro),
            "items": items,
        }

    def _portrait_count(self, count: int) -> str:
        """ "7 Porträts": the number of portraits this PDF prints, which is fewer
        than the website shows when someone gave no consent to print."""
        if not count:
            return ""
        with translation.override(self.locale_code):
            return ngettext(
                "%(count)s Porträt in dieser Ausgabe",
                "%(count)s Porträts in dieser Ausgabe",
                count,
            ) % {"count": format_decimal(count, locale=self.babel_locale)}

    def _portrait(self, node: PortraitNode) -> Data:
        return {
            **_language(node),
            "name": node.display_name or node.title,
            "title": node.title,
            "municipality": _name(node.municipality),
            "origin": node.origin or "",
            "year": node.year_of_arrival,
            "quote": node.quote or "",
            "story": self._stream(node.story),
            "photo": self._image(node.photo),
            "example": bool(node.is_example),
        }

    def _stream(self, blocks: tuple[TreeBlock, ...]) -> list[Data]:
        out: list[Data] = []
        for block in blocks:
            if isinstance(block, ParagraphBlock):
                out += print_blocks(block.text)
            elif isinstance(block, HeadingBlock):
                level = {"h2": 2, "h3": 3, "h4": 3}.get(block.level, 2)
                out.append(
                    {"kind": "heading", "level": level, "runs": plain_runs(block.text)}
                )
            elif isinstance(block, QuoteBlock):
                out.append(
                    {
                        "kind": "quote",
                        "runs": plain_runs(block.text),
                        "attribution": block.attribution or "",
                    }
                )
            elif isinstance(block, ImageBlock):
                out.append(
                    {
                        "kind": "image",
                        "image": self._image(block.image),
                        "caption": block.caption or "",
                    }
                )
            elif isinstance(block, TipBlock):
                out.append(
                    {
                        "kind": "tip",
                        "tone": block.kind or "tip",
                        "title": block.title or "",
                        "blocks": print_blocks(block.text),
                    }
                )
            elif isinstance(block, StepsBlock):
                out.append(
                    {
                        "kind": "steps",
                        "title": block.title or "",
                        "steps": [_step(s) for s in block.steps],
                    }
                )
            elif isinstance(block, GlossaryBlock):
                out.append(
                    {
                        "kind": "term",
                        "term": block.term.term,
                        "explanation": block.term.explanation,
                    }
                )
            elif isinstance(block, ContactBlock):
                out.append({"kind": "contact", "contact": _contact(block.contact)})
        return out

    def _glossary(self, tree: HandbookTree) -> list[Data]:
        """Every glossary term, in this locale where translated (else its fallback).

        Sorted by the term as printed, with the collation rules of the locale
        (ICU): "ÖPNV" between "Nachbarschaft" and "Pate" in German, Persian letters
        in the Persian alphabet's order.
        """
        collator = glossary_collator(self.locale_code)
        terms = sorted(
            tree.glossary, key=lambda t: (collator.getSortKey(t.term), t.slug)
        )
        return [
            {
                **_language_of(t.locale or self.locale_code),
                "term": t.term,
                "explanation": t.explanation,
            }
            for t in terms
        ]

    # -- images ----------------------------------------------------------------------

    def _image(self, image: ImageRef | None) -> Data | None:
        """An image of the tree as print places it; None if there is none."""
        if image is None:
            return None
        self.images.setdefault(image.id, image)
        return {
            "id": image.id,
            "path": f"images/{image.id}.jpg",
            "alt": image.alt or "",
            "width": image.width,
            "height": image.height,
            "credit": image.credit or "",
        }

    def _credits(self) -> list[Data]:
        """Credit lines in order of first use, each with the images it covers."""
        by_credit: dict[str, list[int]] = {}
        for image_id, image in self.images.items():
            credit = (image.credit or "").strip()
            if credit:
                by_credit.setdefault(credit, []).append(image_id)
        return [{"credit": c, "images": ids} for c, ids in by_credit.items()]

    def files(self) -> dict[str, Path]:
        """The JPEG renditions of every placed image, by their name in the build."""
        found = image_files(set(self.images), PRINT_RENDITION)
        return {
            f"images/{image_id}.jpg": found[image_id]
            for image_id in self.images
            if image_id in found
        }


# --- Small pieces --------------------------------------------------------------------


def _labels() -> dict[str, str]:
    """The template's fixed words, in the active language: the handbook's, and
    those only print has (pages, the QR code, boxes running on)."""
    return {
        **handbook_labels(),
        "page": _("Seite"),
        "preview": _("Druckansicht – Entwurf"),
        "online": _("Dieses Kapitel im Internet"),
        "qr_alt": _("QR-Code: dieses Kapitel auf der Website"),
        # Marks for a box that runs on to the next page.
        "continued": _("Fortsetzung"),
        "continues": _("Weiter auf der nächsten Seite"),
    }


def _language(node: PageNode) -> Data:
    """The language a part is written in: a fallback is set as its own language
    (German text in the Persian handbook is German, left to right, hyphenated),
    and carries the note that says so in the reader's language."""
    return {**_language_of(node.locale), "fallback": _fallback_note(node)}


# --- Fallback notes ------------------------------------------------------------------


def _fallback_note(node: PageNode) -> Data | None:
    """For a part served in another locale than the reader's: the note printed at
    its start, in the reader's language and direction; None for a translation.

    Whether a part falls back is the content tree's fact (``meta.fallback``).
    """
    if not node.meta.fallback:
        return None
    reader = node.meta.requested_locale
    served = LOCALE_NAMES.get(node.meta.served_locale, node.meta.served_locale)
    with translation.override(reader):
        if isinstance(node, ChapterNode):
            text = _(
                "Dieses Kapitel gibt es noch nicht in Ihrer Sprache. "
                "Es folgt der Text auf %(language)s."
            )
        elif isinstance(node, PortraitIndexNode | HandbookNode):
            text = _(
                "Diesen Teil gibt es noch nicht in Ihrer Sprache. "
                "Es folgt der Text auf %(language)s."
            )
        else:
            text = _(
                "Diese Seite gibt es noch nicht in Ihrer Sprache. "
                "Es folgt der Text auf %(language)s."
            )
    language = _language_of(reader)
    note = text % {"language": served}
    if language["dir"] == "rtl":
        note = ltr_runs_isolate(note)
    return {**language, "text": note}


def _language_of(code: str) -> Data:
    return {"lang": code.split("-")[0], "dir": content_locale_get(code).direction}


def _name(value: TopicRef | MunicipalityRef | None) -> str:
    return value.name if value else ""


def _step(step: Step) -> Data:
    return {"title": step.title or "", "text": text_blocks(step.text)}


def _contact(contact: ContactRef | None) -> Data | None:
    if contact is None:
        return None
    return {
        "name": contact.name or "",
        "role": contact.role or "",
        "organisation": contact.organisation or "",
        "municipality": contact.municipality.name if contact.municipality else "",
        "email": contact.email or "",
        "phone": contact.phone or "",
    }
