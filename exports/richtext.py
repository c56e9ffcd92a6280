"""Rich text as channels want it: clean HTML with resolved links and marked terms.

Wagtail stores rich text in its database format (``<a linktype="page" id="3">``,
``<embed embedtype="image" …/>``). Channels get a small, closed vocabulary instead:
paragraphs, headings, lists, ``strong``/``em``, links, and ``<dfn>`` around glossary
terms. Everything else is dropped — attributes, scripts, styles, unknown tags —
so the website can insert the HTML as it is.

Compound splits: Leichte Sprache writers type the Mediopunkt ``·`` (U+00B7) between
two parts of a long word (``Bürger·meister``); it is stored once, in the text. In
German texts (``de``, ``de-x-ls``) a Mediopunkt between two letters is wrapped as
``<span class="mediopunkt" aria-hidden="true">·</span>``, so a website shows it and
screen readers read the whole word. Glossary terms match with or without splits.
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
MEDIOPUNKT = "\u00b7"
# A Mediopunkt between two letters splits a compound; elsewhere it is punctuation.
MEDIOPUNKT_SPLIT = re.compile(rf"(?<=\w){MEDIOPUNKT}(?=\w)")
MEDIOPUNKT_HTML = f'<span class="mediopunkt" aria-hidden="true">{MEDIOPUNKT}</span>'


def mediopunkt_remove(text: str) -> str:
    """``text`` without compound splits (``Bürger·meister`` → ``Bürgermeister``)."""
    return MEDIOPUNKT_SPLIT.sub("", text)


@dataclass(frozen=True)
class GlossaryMark:
    """A glossary term to mark where it first appears in a text."""

    term: str
    slug: str
    explanation: str


PageLink = Callable[[int], str | None]


class _CleanHTML(HTMLParser):
    def __init__(
        self, page_link: PageLink, glossary: list[GlossaryMark], mediopunkt: bool
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.mediopunkt = mediopunkt
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
            self.out.append(self._text(data))
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

    def _text(self, text: str) -> str:
        """Escaped text, with compound splits marked when asked to."""
        escaped = escape(text, quote=False)
        if self.mediopunkt:
            return MEDIOPUNKT_SPLIT.sub(MEDIOPUNKT_HTML, escaped)
        return escaped

    def _term_pattern(self, term: str) -> str:
        if not self.mediopunkt:
            return re.escape(term)
        # "Bürgermeister" in the glossary also finds "Bürger·meister" in the text.
        letters = mediopunkt_remove(term)
        return f"{MEDIOPUNKT}?".join(re.escape(c) for c in letters)

    def _marked(self, text: str) -> str:
        """Escape ``text``, wrapping the first use of each glossary term in <dfn>."""
        spans: list[tuple[int, int, GlossaryMark]] = []
        for mark in self.glossary:
            if mark.slug in self.marked:
                continue
            found = re.search(
                rf"(?<!\w){self._term_pattern(mark.term)}(?!\w)", text, re.IGNORECASE
            )
            if found and not any(
                s < found.end() and found.start() < e for s, e, _ in spans
            ):
                spans.append((found.start(), found.end(), mark))
                self.marked.add(mark.slug)
        if not spans:
            return self._text(text)
        pieces: list[str] = []
        position = 0
        for start, end, mark in sorted(spans, key=lambda s: s[0]):
            pieces.append(self._text(text[position:start]))
            pieces.append(
                f'<dfn data-glossary="{escape(mark.slug)}" '
                f'title="{escape(mark.explanation)}">'
                f"{self._text(text[start:end])}</dfn>"
            )
            position = end
        pieces.append(self._text(text[position:]))
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
    mediopunkt: bool = False,
) -> str:
    """Turn Wagtail's stored rich text into the clean HTML every channel receives.

    ``page_link(page_id)`` returns the API path for an internal link, or None to drop
    the link and keep its text. Each glossary term is marked once, where it first
    appears, except inside links. With ``mediopunkt``, compound splits are marked
    (see the module docstring).
    """
    # Longest terms first, so "Ehrenamtskarte" wins over "Ehrenamt".
    marks = sorted(glossary, key=lambda m: len(m.term), reverse=True)
    parser = _CleanHTML(page_link, marks, mediopunkt)
    parser.feed(source or "")
    parser.close()
    return parser.result()
