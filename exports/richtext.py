"""Rich text as channels want it: clean HTML with resolved links and marked terms.

Wagtail stores rich text in its database format (``<a linktype="page" id="3">``,
``<embed embedtype="image" …/>``). Channels get a small, closed vocabulary instead:
paragraphs, headings, lists, ``strong``/``em``, links, and ``<dfn>`` around glossary
terms. Everything else is dropped — attributes, scripts, styles, unknown tags —
so the website can insert the HTML as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

# Tags kept as they are; the closed vocabulary channels render.
BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote"})
INLINE_RENAMES = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}
VOID_TAGS = frozenset({"br"})
# Content of these is dropped together with the tag.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object"})
SAFE_URL = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)


@dataclass(frozen=True)
class GlossaryMark:
    """A glossary term to mark where it first appears in a text."""

    term: str
    slug: str
    explanation: str


PageLink = Callable[[int], str | None]


class _CleanHTML(HTMLParser):
    def __init__(self, page_link: PageLink, glossary: list[GlossaryMark]) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str | None] = []
        self.skip_depth = 0
        self.page_link = page_link
        self.glossary = glossary
        self.marked: set[str] = set()
        self.in_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth or tag in DROPPED_WITH_CONTENT:
            if tag not in VOID_TAGS:
                self.skip_depth += 1
            return
        if tag in VOID_TAGS:
            self.out.append("<br>")
            return
        name: str | None = None
        if tag in BLOCK_TAGS:
            name = tag
            self.out.append(f"<{tag}>")
        elif tag in INLINE_RENAMES:
            name = INLINE_RENAMES[tag]
            self.out.append(f"<{name}>")
        elif tag == "a":
            href = self._href(dict(attrs))
            if href:
                name = "a"
                self.in_link += 1
                self.out.append(f'<a href="{escape(href)}">')
        self.stack.append(name)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip_depth and tag in VOID_TAGS:
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag not in VOID_TAGS:
                self.skip_depth -= 1
            return
        if tag in VOID_TAGS or not self.stack:
            return
        name = self.stack.pop()
        if name:
            self.out.append(f"</{name}>")
            if name == "a":
                self.in_link -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_link or not self.glossary:
            self.out.append(escape(data, quote=False))
            return
        self.out.append(self._marked(data))

    def _href(self, attrs: dict[str, str | None]) -> str | None:
        if attrs.get("linktype") == "page":
            try:
                return self.page_link(int(attrs.get("id") or ""))
            except ValueError:
                return None
        href = attrs.get("href") or ""
        return href if SAFE_URL.match(href) else None

    def _marked(self, text: str) -> str:
        """Escape ``text``, wrapping the first use of each glossary term in <dfn>."""
        spans: list[tuple[int, int, GlossaryMark]] = []
        for mark in self.glossary:
            if mark.slug in self.marked:
                continue
            found = re.search(
                rf"(?<!\w){re.escape(mark.term)}(?!\w)", text, re.IGNORECASE
            )
            if found and not any(
                s < found.end() and found.start() < e for s, e, _ in spans
            ):
                spans.append((found.start(), found.end(), mark))
                self.marked.add(mark.slug)
        if not spans:
            return escape(text, quote=False)
        pieces: list[str] = []
        position = 0
        for start, end, mark in sorted(spans, key=lambda s: s[0]):
            pieces.append(escape(text[position:start], quote=False))
            pieces.append(
                f'<dfn data-glossary="{escape(mark.slug)}" '
                f'title="{escape(mark.explanation)}">'
                f"{escape(text[start:end], quote=False)}</dfn>"
            )
            position = end
        pieces.append(escape(text[position:], quote=False))
        return "".join(pieces)

    def result(self) -> str:
        while self.stack:
            name = self.stack.pop()
            if name:
                self.out.append(f"</{name}>")
        return "".join(self.out)


def rich_text_clean(
    source: str,
    *,
    page_link: PageLink,
    glossary: Iterable[GlossaryMark] = (),
) -> str:
    """Turn Wagtail's stored rich text into the clean HTML every channel receives.

    ``page_link(page_id)`` returns the API path for an internal link, or None to drop
    the link and keep its text. Each glossary term is marked once, where it first
    appears, except inside links.
    """
    # Longest terms first, so "Ehrenamtskarte" wins over "Ehrenamt".
    marks = sorted(glossary, key=lambda m: len(m.term), reverse=True)
    parser = _CleanHTML(page_link, marks)
    parser.feed(source or "")
    parser.close()
    return parser.result()
