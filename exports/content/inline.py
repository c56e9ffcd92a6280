"""Rich text in the content tree: a small closed vocabulary of typed nodes.

Wagtail stores rich text in its database format (``<a linktype="page" id="3">``,
``<embed embedtype="image" …/>``). The tree holds it instead as block nodes
(paragraph, heading, list, list item, quote) around inline runs (text, strong,
emphasis, link, glossary term, Mediopunkt, line break, language span). Anything else
is dropped while parsing — attributes, scripts, styles, unknown tags — so no channel
ever sees editor markup: the website gets HTML serialised from these nodes
(``rich_text_html``), print and Leichte Sprache walk the nodes themselves.

Compound splits: Leichte Sprache writers type the Mediopunkt ``·`` (U+00B7) between
two parts of a long word (``Bürger·meister``); it is stored once, in the text. In
German texts (``de``, ``de-x-ls``) a Mediopunkt between two letters becomes a
``Mediopunkt`` node (HTML ``<span class="mediopunkt" aria-hidden="true">·</span>``),
so a website shows it and screen readers read the whole word. Glossary terms match
with or without splits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html import escape
from html.parser import HTMLParser
from typing import ClassVar

MEDIOPUNKT = "\u00b7"
# A Mediopunkt between two letters splits a compound; elsewhere it is punctuation.
MEDIOPUNKT_SPLIT = re.compile(rf"(?<=\w){MEDIOPUNKT}(?=\w)")
MEDIOPUNKT_HTML = f'<span class="mediopunkt" aria-hidden="true">{MEDIOPUNKT}</span>'
SAFE_URL = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)


def mediopunkt_remove(text: str) -> str:
    """``text`` without compound splits (``Bürger·meister`` → ``Bürgermeister``)."""
    return MEDIOPUNKT_SPLIT.sub("", text)


# --- Nodes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text, never markup."""

    text: str


@dataclass(frozen=True)
class Mediopunkt:
    """A compound split (``Bürger·meister``) in a German text."""


@dataclass(frozen=True)
class LineBreak:
    """A line break inside a block."""


@dataclass(frozen=True)
class Element:
    """A node with children; subclasses name what it is."""

    children: tuple[Node, ...]
    # The tag of the closed HTML vocabulary this node is written as.
    tag: ClassVar[str] = ""


@dataclass(frozen=True)
class Paragraph(Element):
    tag: ClassVar[str] = "p"


@dataclass(frozen=True)
class Heading(Element):
    level: int = 2

    @property
    def html_tag(self) -> str:
        return f"h{self.level}"


@dataclass(frozen=True)
class ListNode(Element):
    ordered: bool = False

    @property
    def html_tag(self) -> str:
        return "ol" if self.ordered else "ul"


@dataclass(frozen=True)
class ListItem(Element):
    tag: ClassVar[str] = "li"


@dataclass(frozen=True)
class BlockQuote(Element):
    tag: ClassVar[str] = "blockquote"


@dataclass(frozen=True)
class Strong(Element):
    tag: ClassVar[str] = "strong"


@dataclass(frozen=True)
class Emphasis(Element):
    tag: ClassVar[str] = "em"


@dataclass(frozen=True)
class Link(Element):
    """A link: an external URL, or the API path of a page of the handbook."""

    href: str = ""
    # Set for links to pages of the handbook (their href is an API path).
    page_id: int | None = None


@dataclass(frozen=True)
class Term(Element):
    """The first use of a glossary term in a text."""

    slug: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class LanguageSpan(Element):
    """Text in another language or direction than its surroundings."""

    lang: str = ""
    dir: str = ""


Node = Text | Mediopunkt | LineBreak | Element


@dataclass(frozen=True)
class RichText:
    """One rich text field: its nodes, in order."""

    nodes: tuple[Node, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.nodes)

    def walk(self) -> Iterator[Node]:
        """Every node, depth first, in reading order."""
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Element):
                stack.extend(reversed(node.children))

    def plain(self) -> str:
        """The text alone (compound splits kept as ``·``)."""
        parts: list[str] = []
        for node in self.walk():
            if isinstance(node, Text):
                parts.append(node.text)
            elif isinstance(node, Mediopunkt):
                parts.append(MEDIOPUNKT)
        return "".join(parts)


# --- Parsing Wagtail's stored rich text ----------------------------------------------


@cache
def _term_regex(term: str, mediopunkt: bool) -> re.Pattern[str]:
    """The whole-word pattern of a glossary term; with ``mediopunkt``, "Bürgermeister"
    also finds "Bürger·meister". Compiled once per process."""
    if mediopunkt:
        letters = mediopunkt_remove(term)
        pattern = f"{MEDIOPUNKT}?".join(re.escape(c) for c in letters)
    else:
        pattern = re.escape(term)
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)


def glossary_term_in(term: str, text: str) -> bool:
    """Whether the tree would mark ``term`` in ``text`` (whole words, any case;
    ``text`` without compound splits)."""
    return _term_regex(term, False).search(text) is not None


@cache
def _folded(term: str) -> str:
    return term.replace(MEDIOPUNKT, "").casefold()


@dataclass(frozen=True)
class GlossaryMark:
    """A glossary term to mark where it first appears in a text."""

    term: str
    slug: str
    explanation: str


PageLink = Callable[[int], str | None]

_BLOCKS: dict[str, Callable[[tuple[Node, ...]], Element]] = {
    "p": lambda c: Paragraph(c),
    "h2": lambda c: Heading(c, level=2),
    "h3": lambda c: Heading(c, level=3),
    "h4": lambda c: Heading(c, level=4),
    "ul": lambda c: ListNode(c, ordered=False),
    "ol": lambda c: ListNode(c, ordered=True),
    "li": lambda c: ListItem(c),
    "blockquote": lambda c: BlockQuote(c),
}
_INLINE: dict[str, Callable[[tuple[Node, ...]], Element]] = {
    "b": lambda c: Strong(c),
    "strong": lambda c: Strong(c),
    "i": lambda c: Emphasis(c),
    "em": lambda c: Emphasis(c),
}
_VOID = frozenset({"br"})
# Content of these is dropped together with the tag.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object"})


class _Open:
    """An element being parsed: how to make it, and its children so far."""

    def __init__(self, make: Callable[[tuple[Node, ...]], Element] | None) -> None:
        self.make = make
        self.children: list[Node] = []


class _RichTextParser(HTMLParser):
    """Stored rich text → nodes. An end tag closes the innermost open element
    (whatever its name), so the result is always well nested."""

    def __init__(
        self, page_link: PageLink, glossary: list[GlossaryMark], mediopunkt: bool
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.mediopunkt = mediopunkt
        self.page_link = page_link
        self.glossary = glossary
        self.marked: set[str] = set()
        self.root = _Open(None)
        self.stack: list[_Open] = []
        self.skip_depth = 0
        self.in_link = 0

    @property
    def _into(self) -> list[Node]:
        # Unknown tags are transparent: their text goes into the nearest known one.
        for frame in reversed(self.stack):
            if frame.make is not None:
                return frame.children
        return self.root.children

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth or tag in _DROPPED_WITH_CONTENT:
            if tag not in _VOID:
                self.skip_depth += 1
            return
        if tag in _VOID:
            self._into.append(LineBreak())
            return
        make: Callable[[tuple[Node, ...]], Element] | None = None
        if tag in _BLOCKS:
            make = _BLOCKS[tag]
        elif tag in _INLINE:
            make = _INLINE[tag]
        elif tag == "a":
            make = self._link(dict(attrs))
        self.stack.append(_Open(make))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip_depth and tag in _VOID:
            self._into.append(LineBreak())

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag not in _VOID:
                self.skip_depth -= 1
            return
        if tag in _VOID or not self.stack:
            return
        self._close()

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.make is None:
            return
        node = frame.make(tuple(frame.children))
        if isinstance(node, Link):
            self.in_link -= 1
        self._into.append(node)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_link or not self.glossary:
            self._into.extend(self._text(data))
        else:
            self._into.extend(self._marked(data))

    def _link(
        self, attrs: dict[str, str | None]
    ) -> Callable[[tuple[Node, ...]], Element] | None:
        page_id: int | None = None
        if attrs.get("linktype") == "page":
            try:
                page_id = int(attrs.get("id") or "")
            except ValueError:
                return None
            href = self.page_link(page_id)
        else:
            candidate = attrs.get("href") or ""
            href = candidate if SAFE_URL.match(candidate) else None
        if not href:
            return None
        self.in_link += 1
        return lambda c: Link(c, href=href, page_id=page_id)

    def _text(self, text: str) -> list[Node]:
        """Text nodes, with compound splits as nodes of their own when asked to."""
        if not text:
            return []
        if not self.mediopunkt:
            return [Text(text)]
        nodes: list[Node] = []
        position = 0
        for split in MEDIOPUNKT_SPLIT.finditer(text):
            if split.start() > position:
                nodes.append(Text(text[position : split.start()]))
            nodes.append(Mediopunkt())
            position = split.end()
        if position < len(text):
            nodes.append(Text(text[position:]))
        return nodes

    def _marked(self, text: str) -> list[Node]:
        """``text`` with the first use of each glossary term as a Term node."""
        spans: list[tuple[int, int, GlossaryMark]] = []
        # A quick test before the regular expression: most terms are not in a text.
        folded = text.replace(MEDIOPUNKT, "").casefold()
        for mark in self.glossary:
            if mark.slug in self.marked or _folded(mark.term) not in folded:
                continue
            found = _term_regex(mark.term, self.mediopunkt).search(text)
            if found and not any(
                s < found.end() and found.start() < e for s, e, _ in spans
            ):
                spans.append((found.start(), found.end(), mark))
                self.marked.add(mark.slug)
        nodes: list[Node] = []
        position = 0
        for start, end, mark in sorted(spans, key=lambda s: s[0]):
            nodes += self._text(text[position:start])
            nodes.append(
                Term(
                    tuple(self._text(text[start:end])),
                    slug=mark.slug,
                    explanation=mark.explanation,
                )
            )
            position = end
        nodes += self._text(text[position:])
        return nodes

    def result(self) -> RichText:
        while self.stack:
            self._close()
        return RichText(tuple(self.root.children))


def rich_text_parse(
    source: str | None,
    *,
    page_link: PageLink,
    glossary: Iterable[GlossaryMark] = (),
    mediopunkt: bool = False,
) -> RichText:
    """Wagtail's stored rich text as tree nodes.

    ``page_link(page_id)`` returns the API path for an internal link, or None to drop
    the link and keep its text. Each glossary term is marked once, where it first
    appears, except inside links. With ``mediopunkt``, compound splits become nodes
    (see the module docstring).
    """
    # Longest terms first, so "Ehrenamtskarte" wins over "Ehrenamt".
    marks = sorted(glossary, key=lambda m: len(m.term), reverse=True)
    parser = _RichTextParser(page_link, marks, mediopunkt)
    parser.feed(source or "")
    parser.close()
    return parser.result()


# --- Serialising as HTML (the API and the website) -----------------------------------


def rich_text_html(rich: RichText) -> str:
    """The nodes as the clean HTML the API serves and the website inserts as is."""
    out: list[str] = []
    _html_into(out, rich.nodes)
    return "".join(out)


# Left-to-right runs isolated by exports.content.bidi become <bdi dir="ltr">.
_ISOLATE_START, _ISOLATE_END = "\u2066", "\u2069"


def _text_html(text: str) -> str:
    html = escape(text, quote=False)
    # Only right-to-left texts carry isolates. Two replaces when they do: a
    # str.translate table goes through Python for every character, which cost
    # a resync more than the rest of the HTML together.
    if _ISOLATE_START in html or _ISOLATE_END in html:
        html = html.replace(_ISOLATE_START, '<bdi dir="ltr">')
        html = html.replace(_ISOLATE_END, "</bdi>")
    return html


def _html_into(out: list[str], nodes: Iterable[Node]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            out.append(_text_html(node.text))
        elif isinstance(node, Mediopunkt):
            out.append(MEDIOPUNKT_HTML)
        elif isinstance(node, LineBreak):
            out.append("<br>")
        elif isinstance(node, Link):
            out.append(f'<a href="{escape(node.href)}">')
            _html_into(out, node.children)
            out.append("</a>")
        elif isinstance(node, Term):
            out.append(
                f'<dfn data-glossary="{escape(node.slug)}" '
                f'title="{escape(node.explanation)}">'
            )
            _html_into(out, node.children)
            out.append("</dfn>")
        elif isinstance(node, LanguageSpan):
            attrs = "".join(
                f' {name}="{escape(value)}"'
                for name, value in (("lang", node.lang), ("dir", node.dir))
                if value
            )
            out.append(f"<span{attrs}>")
            _html_into(out, node.children)
            out.append("</span>")
        elif isinstance(node, Element):
            tag = node.html_tag if isinstance(node, Heading | ListNode) else node.tag
            out.append(f"<{tag}>")
            _html_into(out, node.children)
            out.append(f"</{tag}>")
