"""What a listener hears of a page: its text, in reading order, as sentences.

The page node's title first, then its fields in declaration order: rich text
block by block (a list item is read on its own), StreamField blocks (paragraphs,
headings, quotes, tips, steps, glossary terms, image captions), steps, and the
page type's short text fields. References (topics, contacts, images) are not
read: they are the website's furniture, not the page's text.

German texts (``de``, ``de-x-ls``) are split with the plain-language checker's
splitter (abbreviations, ordinals); other languages end a sentence at ``.``,
``!``, ``?``, ``…``, ``؟`` or ``۔`` followed by a space and no lower-case letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields

from cms.plain_language.text import sentences_split
from exports.content import PageNode
from exports.content.inline import (
    Element,
    LineBreak,
    ListNode,
    Mediopunkt,
    RichText,
    Text,
    mediopunkt_remove,
)
from exports.content.nodes import (
    Block,
    GlossaryBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    Step,
    StepsBlock,
    TipBlock,
)

# Fields every page node has; the title is read first, the rest is not text.
_BASE_FIELDS = frozenset(f.name for f in fields(PageNode))
# Short plain-text fields of page types that are part of what a page says.
_READ_TEXT_FIELDS = frozenset({"subtitle", "summary", "quote", "caption"})
_END = re.compile(r"(?:[.!?؟۔]+|…)[\"'»«“”)\]]*(?=\s)")


@dataclass(frozen=True)
class Sentence:
    """One sentence as shown (``text``) and as spoken (``spoken``, lexicon applied)."""

    text: str
    spoken: str


def _inline_text(nodes: Iterable[object]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Mediopunkt):
            continue  # a compound split is read as one word
        elif isinstance(node, Element):
            parts.append(_inline_text(node.children))
    return "".join(parts)


def _rich_paragraphs(rich: RichText) -> Iterator[str]:
    for node in rich.nodes:
        if isinstance(node, ListNode):
            for item in node.children:
                if isinstance(item, Element):
                    yield _inline_text(item.children)
        elif isinstance(node, Element):
            yield _inline_text(node.children)
        elif isinstance(node, Text):
            yield node.text


def _block_paragraphs(block: Block) -> Iterator[str]:
    if isinstance(block, ParagraphBlock):
        yield from _rich_paragraphs(block.text)
    elif isinstance(block, HeadingBlock):
        yield block.text
    elif isinstance(block, QuoteBlock):
        yield block.text
        yield block.attribution
    elif isinstance(block, TipBlock):
        yield block.title
        yield from _rich_paragraphs(block.text)
    elif isinstance(block, StepsBlock):
        yield block.title
        yield from _steps_paragraphs(block.steps)
    elif isinstance(block, GlossaryBlock):
        yield block.term.term
        yield block.term.explanation
    elif isinstance(block, ImageBlock):
        yield block.caption


def _steps_paragraphs(steps: Iterable[Step]) -> Iterator[str]:
    for step in steps:
        yield step.title
        yield step.text


def page_paragraphs(node: PageNode) -> list[str]:
    """The page's text pieces in reading order (title first), without markup."""
    pieces: list[str] = [node.title]
    for f in fields(node):
        if f.name in _BASE_FIELDS:
            continue
        value = getattr(node, f.name)
        if isinstance(value, RichText):
            pieces.extend(_rich_paragraphs(value))
        elif isinstance(value, tuple) and value and isinstance(value[0], Block):
            for block in value:
                pieces.extend(_block_paragraphs(block))
        elif isinstance(value, tuple) and value and isinstance(value[0], Step):
            pieces.extend(_steps_paragraphs(value))
        elif isinstance(value, str) and f.name in _READ_TEXT_FIELDS:
            pieces.append(value)
    return [p for p in (" ".join(mediopunkt_remove(p).split()) for p in pieces) if p]


def _split_generic(text: str) -> list[str]:
    found: list[str] = []
    start = 0
    for match in _END.finditer(text):
        rest = text[match.end() :].lstrip()
        if rest and rest[0].islower():
            continue  # "Dr. med." or a list continued in lower case
        before = text[start : match.start()].split()
        if match.group().startswith(".") and before and len(before[-1]) == 1:
            continue  # an initial ("A. Yilmaz")
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def sentences_of(text: str, language: str) -> list[str]:
    """The sentences of one paragraph in ``language``."""
    if language.split("-")[0] == "de":
        return [span.text for span in sentences_split(text)]
    return _split_generic(text)


def page_sentences(
    node: PageNode, *, language: str, lexicon: Mapping[str, str] | None = None
) -> list[Sentence]:
    """What is read of ``node``: its sentences, each with the lexicon applied."""
    pattern = lexicon_pattern(lexicon or {})
    sentences = []
    for paragraph in page_paragraphs(node):
        for text in sentences_of(paragraph, language):
            spoken = text
            if pattern is not None and lexicon:
                spoken = pattern.sub(lambda m: lexicon[m.group(0)], text)
            sentences.append(Sentence(text=text, spoken=spoken))
    return sentences


def lexicon_pattern(lexicon: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern matching every lexicon word as a whole word (longest first)."""
    if not lexicon:
        return None
    words = sorted(lexicon, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
