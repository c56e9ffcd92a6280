"""XHTML for the EPUB: a tiny element builder, and the content tree's rich text and
blocks written with it.

Elements are built with ``xml.etree.ElementTree``, so every text and attribute is
escaped and every document is well-formed XML whatever an editor typed. Names with
a prefix (``epub:type``) are written as given; the document element declares them.

Glossary terms become links to their entry in the glossary document, each with an
id of its own (``Uses.mark``), so the entry can link back to every place the term
is used. Ids are stable (derived from page ids and term slugs), which is also what
EPUB Media Overlays will point their text references at.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from exports.content.inline import (
    MEDIOPUNKT,
    MEDIOPUNKT_SPLIT,
    Element,
    Heading,
    LanguageSpan,
    LineBreak,
    Link,
    ListNode,
    Mediopunkt,
    Node,
    RichText,
    Term,
    Text,
)
from exports.content.nodes import (
    Block,
    ContactBlock,
    ContactRef,
    GlossaryBlock,
    HeadingBlock,
    ImageBlock,
    ImageRef,
    ParagraphBlock,
    QuoteBlock,
    Step,
    StepsBlock,
    TipBlock,
)

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
GLOSSARY_FILE = "glossary.xhtml"
HEADING_LEVELS = {"h2": "h2", "h3": "h3", "h4": "h4"}

Child = ET.Element | str | None


def E(tag: str, attrs: dict[str, str] | None = None, *children: Child) -> ET.Element:
    """An element with ``attrs`` (empty values left out) and children (strings are
    text, None is skipped)."""
    element = ET.Element(tag, {k: v for k, v in (attrs or {}).items() if v})
    append(element, children)
    return element


def append(element: ET.Element, children: Iterable[Child]) -> ET.Element:
    """Add children to ``element``: elements as they are, strings as text."""
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            if len(element):
                last = element[-1]
                last.tail = (last.tail or "") + child
            else:
                element.text = (element.text or "") + child
        else:
            element.append(child)
    return element


def document_bytes(
    *, lang: str, direction: str, title: str, body: ET.Element, css: Iterable[str]
) -> bytes:
    """A complete XHTML content document around ``body``."""
    if lang == "de":
        mediopunkt_mark(body)
    html = E(
        "html",
        {
            "xmlns": XHTML_NS,
            "xmlns:epub": EPUB_NS,
            "lang": lang,
            "xml:lang": lang,
            "dir": direction,
        },
        E(
            "head",
            None,
            E("meta", {"charset": "utf-8"}),
            E("title", None, title),
            *(E("link", {"rel": "stylesheet", "href": href}) for href in css),
        ),
        body,
    )
    markup = ET.tostring(html, encoding="unicode", short_empty_elements=True)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + markup + "\n"
    ).encode()


def mediopunkt_mark(root: ET.Element) -> None:
    """Mark compound splits (``Bürger·meister``) in German text as seen, not read.

    Rich text arrives with them as nodes already; titles, headings, glossary
    entries and other plain fields carry the ``·`` in their text, so the finished
    body is walked once and each split between two letters becomes the same
    ``aria-hidden`` span, and a screen reader reads the whole word.
    """
    for element in list(root.iter()):
        if element.get("class") == "mediopunkt":
            continue
        if element.text and MEDIOPUNKT_SPLIT.search(element.text):
            parts = MEDIOPUNKT_SPLIT.split(element.text)
            element.text = parts[0]
            for index, part in enumerate(parts[1:]):
                element.insert(index, _split_span(tail=part))
        for child in list(element):
            if child.tail and MEDIOPUNKT_SPLIT.search(child.tail):
                parts = MEDIOPUNKT_SPLIT.split(child.tail)
                child.tail = parts[0]
                position = list(element).index(child) + 1
                for offset, part in enumerate(parts[1:]):
                    element.insert(position + offset, _split_span(tail=part))


def _split_span(*, tail: str) -> ET.Element:
    span = E("span", {"class": "mediopunkt", "aria-hidden": "true"}, MEDIOPUNKT)
    span.tail = tail
    return span


# --- Glossary uses -------------------------------------------------------------------


@dataclass
class Uses:
    """Where each glossary term is used: (file, anchor id) in reading order."""

    by_slug: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def mark(self, slug: str, file: str) -> str:
        """A new anchor id for a use of ``slug`` in ``file``."""
        places = self.by_slug.setdefault(slug, [])
        anchor = f"use-{slug}-{len(places) + 1}"
        places.append((file, anchor))
        return anchor


@dataclass
class Writer:
    """Writes one content document's rich text and blocks.

    ``file`` is the document's name (for glossary back links); ``images`` maps the
    tree's image ids to their names inside the EPUB.
    """

    file: str
    uses: Uses
    images: dict[int, str]
    labels: dict[str, str]

    # -- rich text -----------------------------------------------------------------

    def rich(self, rich: RichText) -> list[Child]:
        """Block-level rich text (paragraphs, lists …); bare runs get a paragraph."""
        out: list[Child] = []
        loose: list[Child] = []
        for node in rich.nodes:
            if isinstance(node, Element) and _is_block(node):
                if loose:
                    out.append(E("p", None, *loose))
                    loose = []
                out.append(self._node(node))
            else:
                loose.extend(self.inline((node,)))
        if loose:
            out.append(E("p", None, *loose))
        return out

    def inline(self, nodes: Iterable[Node]) -> list[Child]:
        return [self._node(node) for node in nodes]

    def _node(self, node: Node) -> Child:
        if isinstance(node, Text):
            return node.text
        if isinstance(node, Mediopunkt):
            # Seen, not read: a screen reader reads the whole word.
            return E("span", {"class": "mediopunkt", "aria-hidden": "true"}, MEDIOPUNKT)
        if isinstance(node, LineBreak):
            return E("br")
        children = self.inline(node.children)
        if isinstance(node, Term):
            anchor = self.uses.mark(node.slug, self.file)
            return E(
                "a",
                {
                    "id": anchor,
                    "href": f"{GLOSSARY_FILE}#term-{node.slug}",
                    "epub:type": "glossref",
                    "class": "term",
                },
                *children,
            )
        if isinstance(node, Link):
            # Links to pages of the handbook name API paths, which mean nothing
            # offline: the text stays, the link goes.
            if node.page_id is not None or not node.href:
                return E("span", None, *children)
            return E("a", {"href": node.href}, *children)
        if isinstance(node, LanguageSpan):
            lang = node.lang.split("-")[0] if node.lang else ""
            return E(
                "span",
                {"lang": lang, "xml:lang": lang, "dir": node.dir},
                *children,
            )
        if isinstance(node, Heading):
            # The page title is h1; rich text headings keep their level (h2-h4).
            return E(f"h{min(6, max(2, node.level))}", None, *children)
        if isinstance(node, ListNode):
            return E(node.html_tag, None, *children)
        return E(node.tag or "span", None, *children)

    # -- blocks ----------------------------------------------------------------------

    def blocks(self, blocks: Iterable[Block], *, level: int = 2) -> list[Child]:
        out: list[Child] = []
        for block in blocks:
            out.extend(self.block(block, level=level))
        return out

    def block(self, block: Block, *, level: int) -> list[Child]:
        if isinstance(block, ParagraphBlock):
            return self.rich(block.text)
        if isinstance(block, HeadingBlock):
            return [E(HEADING_LEVELS.get(block.level, "h2"), None, block.text)]
        if isinstance(block, QuoteBlock):
            return [
                E(
                    "blockquote",
                    None,
                    E("p", None, block.text),
                    E("p", {"class": "attribution"}, block.attribution)
                    if block.attribution
                    else None,
                )
            ]
        if isinstance(block, ImageBlock):
            return [self.figure(block.image, caption=block.caption)]
        if isinstance(block, TipBlock):
            title = block.title or self.labels.get(block.kind, self.labels["tip"])
            return [
                E(
                    "aside",
                    {"class": f"tip tip-{block.kind}", "aria-label": title},
                    E("p", {"class": "tip-title"}, E("strong", None, title)),
                    *self.rich(block.text),
                )
            ]
        if isinstance(block, StepsBlock):
            return [
                E("p", {"class": "steps-title"}, E("strong", None, block.title))
                if block.title
                else None,
                self.steps(block.steps),
            ]
        if isinstance(block, GlossaryBlock):
            term = block.term
            anchor = self.uses.mark(term.slug, self.file)
            return [
                E(
                    "aside",
                    {"class": "glossary-note", "aria-label": self.labels["term"]},
                    E(
                        "p",
                        None,
                        E(
                            "a",
                            {
                                "id": anchor,
                                "href": f"{GLOSSARY_FILE}#term-{term.slug}",
                                "epub:type": "glossref",
                            },
                            E("strong", None, term.term),
                        ),
                        ": ",
                        term.explanation,
                    ),
                )
            ]
        if isinstance(block, ContactBlock):
            return [self.contact(block.contact)]
        return []

    def steps(self, steps: Iterable[Step]) -> ET.Element:
        items = []
        for step in steps:
            title, text = step.title, step.text
            items.append(
                E(
                    "li",
                    None,
                    E("strong", None, title) if title else None,
                    " " if title and text else None,
                    text or None,
                )
            )
        return E("ol", {"class": "steps"}, *items)

    def figure(self, image: ImageRef, *, caption: str = "") -> ET.Element:
        source = self.images.get(image.id)
        credit = image.credit.strip() if image.credit else ""
        return E(
            "figure",
            None,
            E(
                "img",
                {
                    "src": source or "",
                    # An image without alt text is decorative to a screen reader.
                    "alt": image.alt or "",
                    "width": str(image.width),
                    "height": str(image.height),
                },
            )
            if source
            else None,
            E(
                "figcaption",
                None,
                caption or None,
                " " if caption and credit else None,
                E("small", {"class": "credit"}, credit) if credit else None,
            )
            if caption or credit
            else None,
        )

    def contact(self, contact: ContactRef | None) -> ET.Element | None:
        if contact is None:
            return None
        lines: list[Child] = [E("strong", None, contact.name)]
        for value in (
            contact.role,
            contact.organisation,
            contact.municipality.name if contact.municipality else "",
        ):
            if value:
                lines += [E("br"), value]
        if contact.email:
            lines += [
                E("br"),
                E("a", {"href": f"mailto:{contact.email}"}, contact.email),
            ]
        if contact.phone:
            lines += [E("br"), contact.phone]
        return E(
            "aside",
            {"class": "contact", "aria-label": self.labels["contact"]},
            E("p", None, *lines),
        )


def _is_block(node: Element) -> bool:
    return node.tag in {"p", "li", "blockquote"} or isinstance(node, Heading | ListNode)
