"""The print layout ``simple``: the de-x-ls handbook as data for ``simple.typ``.

One home for the content: the de-x-ls content tree (``build_content_tree``, audience
``simple``: portraits need consent for the Leichte Sprache version), in the German
tree's order, so the PDF shows what the API serves. The data is plain JSON the
template places as content (never markup):

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

import itertools
import math
import re
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import pgettext

from cms.locales import SIMPLE_LOCALE
from exports.content import (
    HandbookTree,
    PageNode,
    build_content_tree,
    handbooks_source,
)
from exports.content.inline import (
    MEDIOPUNKT,
    MEDIOPUNKT_SPLIT,
    BlockQuote,
    Element,
    Heading,
    LineBreak,
    ListItem,
    Mediopunkt,
    Node,
    Paragraph,
    RichText,
    Strong,
    Term,
    Text,
)
from exports.content.nodes import Block as TreeBlock
from exports.content.nodes import (
    ContactBlock,
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
from exports.content.pages import (
    BestPracticeNode,
    ChapterNode,
    HandbookNode,
    PortraitIndexNode,
    PortraitNode,
    RecommendationNode,
)
from exports.content.references import image_files
from exports.print.data import PrintSource
from exports.print.locale_text import month_year

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


# Sense units (Leichte Sprache): a line may break before a conjunction or a
# preposition and after a comma, not inside a short phrase ("in der Stadt",
# "und die Gemeinde"). Spaces inside a unit become no-break spaces.
UNIT_STARTS = frozenset(
    [
        "und",
        "oder",
        "aber",
        "denn",
        "sondern",
        "weil",
        "dass",
        "wenn",
        "ob",
        "damit",
        "als",
        "wie",
        "bis",
        "während",
        "nachdem",
        "bevor",
        "obwohl",
        "mit",
        "für",
        "in",
        "im",
        "ins",
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "beim",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "nach",
        "über",
        "unter",
        "vor",
        "hinter",
        "neben",
        "zwischen",
        "durch",
        "gegen",
        "ohne",
        "um",
        "seit",
        "wegen",
        "trotz",
    ]
)
# A unit longer than this (characters) is left to break anywhere: it would not
# fit on one line of the main column (about 45 characters at 14 pt).
UNIT_MAX = 36
# The explanation boxes beside the text are narrow (about 19 characters a line).
NOTE_UNIT_MAX = 16
# The last two words of a sentence share a line when together they are shorter:
# a line of a single word is hard to follow.
LAST_PAIR_MAX = 19
NO_BREAK_SPACE = "\u00a0"


def _unit_spaces(text: str, unit_max: int) -> list[int]:
    """Where in ``text`` (single spaces) a sense unit ends: before a conjunction
    or preposition, after a comma. A unit of one word joins the next one (or, at
    the end, the one before), so no line holds a lone word."""
    words = text.split(" ")
    cuts: list[int] = []
    position = 0
    for before, word in itertools.pairwise(words):
        position += len(before)
        if before.endswith((",", ";", ":")) or word.lower() in UNIT_STARTS:
            cuts.append(position)
        position += 1
    bounds = [-1, *cuts, len(text)]
    kept: list[int] = []
    start = -1
    for n, cut in enumerate(cuts):
        lone = " " not in text[start + 1 : cut]
        if lone and bounds[n + 2] - start - 1 <= unit_max:
            continue  # the lone word stays with the unit after it
        kept.append(cut)
        start = cut
    if kept and " " not in text[kept[-1] + 1 :]:
        kept.pop()  # no line of a single word at the end of a sentence
    return kept


def sense_units(sentence: Sentence, *, unit_max: int = UNIT_MAX) -> Sentence:
    """``sentence`` with no-break spaces inside each sense unit up to ``unit_max``
    characters, so its lines break where the sense allows (the writer can still
    force a break with a line break)."""
    text = "".join(MEDIOPUNKT if "split" in run else run["text"] for run in sentence)
    cuts = _unit_spaces(text, unit_max)
    keep = list(text)
    for start, end in zip([-1, *cuts], [*cuts, len(text)], strict=True):
        if end - start - 1 <= unit_max:
            for i in range(start + 1, end):
                if keep[i] == " ":
                    keep[i] = NO_BREAK_SPACE
    # Inside a long unit too, a conjunction or preposition stays with the word
    # after it, and the last two words share a line.
    position = 0
    words = text.split(" ")
    for word in words[:-1]:
        position += len(word)
        if word.lower() in UNIT_STARTS:
            keep[position] = NO_BREAK_SPACE
        position += 1
    pair_max = max(LAST_PAIR_MAX, unit_max - 6)
    if len(words) > 2 and len(words[-2]) + len(words[-1]) < pair_max:
        keep[len(text) - len(words[-1]) - 1] = NO_BREAK_SPACE
    joined = "".join(keep)
    out: Sentence = []
    position = 0
    for run in sentence:
        if "split" in run:
            out.append(run)
            position += 1
            continue
        out.append({**run, "text": joined[position : position + len(run["text"])]})
        position += len(run["text"])
    return out


def print_sentences(runs: list[Run], *, unit_max: int = UNIT_MAX) -> list[Sentence]:
    """Sentences as print sets them: cut where they end, broken at sense units
    (``unit_max``: the longest unit kept on one line; less in narrow boxes)."""
    return [sense_units(s, unit_max=unit_max) for s in sentences_split(runs)]


def plain_block(text: str, *, kind: str = "text") -> Block | None:
    """A block from a plain-text field (title, summary, quote …)."""
    sentences = print_sentences(text_runs(text))
    return {"kind": kind, "sentences": sentences, "notes": []} if sentences else None


class _SentenceBlocks:
    """Rich text nodes of the content tree as blocks of sentences (a walk)."""

    def __init__(self, seen_terms: set[str]) -> None:
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.notes: list[dict[str, Any]] = []
        self.kind = "text"
        self.strong = 0
        self.seen_terms = seen_terms

    def _flush(self) -> None:
        sentences = print_sentences(self.runs)
        if sentences:
            self.blocks.append(
                {"kind": self.kind, "sentences": sentences, "notes": self.notes}
            )
        self.runs, self.notes, self.kind = [], [], "text"

    def walk(self, nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.runs.extend(text_runs(node.text, strong=bool(self.strong)))
            elif isinstance(node, Mediopunkt):
                self.runs.append({"split": True})
            elif isinstance(node, LineBreak):
                # The writer broke the line: what follows starts a line of its own.
                self.runs.append({"break": True})
            elif isinstance(node, Paragraph | ListItem | BlockQuote | Heading):
                self._flush()
                self.kind = "heading" if isinstance(node, Heading) else "text"
                if isinstance(node, ListItem):
                    self.runs.append({"text": "• ", "strong": False})
                self.walk(node.children)
                self._flush()
            elif isinstance(node, Strong | Term):
                self.strong += 1
                self.walk(node.children)
                self.strong -= 1
                if isinstance(node, Term):
                    self._note(node)
            elif isinstance(node, Element):
                # Lists, links, emphasis (no italics in Leichte Sprache): their text.
                self.walk(node.children)

    def _note(self, term: Term) -> None:
        """The first use of a glossary word on a page brings its explanation."""
        if term.slug in self.seen_terms:
            return
        self.seen_terms.add(term.slug)
        self.notes.append(
            {
                "term": text_runs(RichText(term.children).plain(), strong=True),
                "explanation": print_sentences(
                    text_runs(term.explanation), unit_max=NOTE_UNIT_MAX
                ),
            }
        )

    def result(self) -> list[Block]:
        self._flush()
        return self.blocks


def rich_blocks(rich: RichText, *, seen_terms: set[str]) -> list[Block]:
    """Blocks of sentences from rich text; glossary notes for first uses only."""
    builder = _SentenceBlocks(seen_terms)
    builder.walk(rich.nodes)
    return builder.result()


def image_block(
    image: ImageRef | None, caption: str, files: dict[str, Path]
) -> list[Block]:
    """A picture with its caption; its file is copied into the build folder."""
    if image is None:
        return []
    path = image_files({image.id}, IMAGE_SPEC).get(image.id)
    if path is None or path.suffix.lower() not in IMAGE_SUFFIXES or not path.exists():
        return []
    name = f"images/{image.id}{path.suffix.lower()}"
    files[name] = path
    return [
        {
            "kind": "image",
            "src": name,
            # PDF/UA needs a text for every picture: the alt text, else the caption.
            "alt": image.alt or caption or image.credit or "",
            "sentences": print_sentences(text_runs(caption)),
            "credit": image.credit or "",
            "notes": [],
        }
    ]


def _stream_blocks(
    stream: tuple[TreeBlock, ...], seen_terms: set[str], files: dict[str, Path]
) -> list[Block]:
    blocks: list[Block] = []
    for item in stream:
        if isinstance(item, ImageBlock):
            blocks += image_block(item.image, item.caption or "", files)
        elif isinstance(item, ParagraphBlock):
            blocks += rich_blocks(item.text, seen_terms=seen_terms)
        elif isinstance(item, HeadingBlock):
            blocks += _plain(item.text, kind="heading")
        elif isinstance(item, QuoteBlock):
            blocks += _plain(item.text, kind="quote")
            blocks += _plain(item.attribution)
        elif isinstance(item, TipBlock):
            blocks += _plain(item.title, kind="heading")
            blocks += rich_blocks(item.text, seen_terms=seen_terms)
        elif isinstance(item, StepsBlock):
            blocks += _plain(item.title, kind="heading")
            blocks += _steps_blocks(item.steps)
        elif isinstance(item, GlossaryBlock):
            seen_terms.add(item.term.slug)
            blocks.append(
                {
                    "kind": "term",
                    "sentences": [text_runs(item.term.term, strong=True)],
                    "notes": [],
                    "explanation": print_sentences(text_runs(item.term.explanation)),
                }
            )
        elif isinstance(item, ContactBlock):
            contact = item.contact
            lines = [
                contact.name,
                contact.role,
                contact.organisation or "",
                contact.email,
                contact.phone,
            ]
            runs = [sense_units(text_runs(line)) for line in lines if line]
            if runs:
                blocks.append({"kind": "contact", "sentences": runs, "notes": []})
    return blocks


def _plain(text: str | None, *, kind: str = "text") -> list[Block]:
    block = plain_block(text or "", kind=kind)
    return [block] if block else []


def _steps_blocks(steps: tuple[Step, ...]) -> list[Block]:
    blocks: list[Block] = []
    for number, step in enumerate(steps, start=1):
        blocks += _plain(
            f"{number}. {step.title}" if step.title else "", kind="heading"
        )
        blocks += _plain(step.text)
    return blocks


def section_blocks(node: PageNode, files: dict[str, Path]) -> list[Block]:
    """Everything a page says, in reading order, as blocks of sentences."""
    seen: set[str] = set()
    blocks: list[Block] = []
    if isinstance(node, RecommendationNode):
        blocks += _plain(node.summary)
        blocks += rich_blocks(node.why, seen_terms=seen)
        blocks += _steps_blocks(node.steps)
        blocks += rich_blocks(node.who_acts, seen_terms=seen)
    elif isinstance(node, BestPracticeNode):
        for rich in (node.what, node.how, node.outcome):
            blocks += rich_blocks(rich, seen_terms=seen)
    elif isinstance(node, PortraitNode):
        blocks += image_block(node.photo, "", files)
        blocks += _plain(node.quote, kind="quote")
        blocks += _stream_blocks(node.story, seen, files)
    elif isinstance(node, HandbookNode | PortraitIndexNode):
        blocks += rich_blocks(node.intro, seen_terms=seen)
    elif isinstance(node, ChapterNode):
        blocks += rich_blocks(node.intro, seen_terms=seen)
        blocks += _stream_blocks(node.body, seen, files)
    return blocks


# Rough line counts for grouping rows: characters per line in the main column and
# in the explanation column beside it, at 14 pt.
MAIN_LINE_CHARS = 44
NOTE_LINE_CHARS = 19


def _lines(sentences: list[Sentence], per_line: int) -> int:
    return sum(math.ceil(max(1, len(_sentence_text(s))) / per_line) for s in sentences)


def _sentence_text(sentence: Sentence) -> str:
    return "".join(MEDIOPUNKT if "split" in run else run["text"] for run in sentence)


def block_rows(blocks: list[Block]) -> list[list[int]]:
    """Group blocks into rows of the two-column layout, as ``[first, end)``.

    A block with explanation boxes starts a row; the blocks after it join that row
    while its boxes are taller than its text, so the text runs on beside the boxes
    instead of leaving an empty gap under a short paragraph. A heading or a picture
    starts a row, and a heading keeps the block after it in its row (so it is never
    left alone at the foot of a page).
    """
    rows: list[list[int]] = []
    note_lines = text_lines = 0
    for index, block in enumerate(blocks):
        after_heading = index > 0 and blocks[index - 1]["kind"] == "heading"
        starts_row = not rows or (
            not after_heading  # a heading stays in one row with what it heads
            and (
                bool(block["notes"])
                or block["kind"] in ("heading", "image")
                or text_lines >= note_lines
            )
        )
        if starts_row:
            rows.append([index, index + 1])
            note_lines = text_lines = 0
        else:
            rows[-1][1] = index + 1
        note_lines += sum(
            2 + _lines(n["explanation"], NOTE_LINE_CHARS) for n in block["notes"]
        )
        text_lines += _lines(block["sentences"], MAIN_LINE_CHARS) + 1
    return rows


def _missing_titles(
    german: PageNode | None, simple_keys: set[Any], *, depth: int
) -> list[str]:
    """Titles of German pages (``depth`` levels below ``german``) that have no
    Leichte Sprache version yet."""
    if german is None:
        return []
    found: list[str] = []
    for child in german.children:
        if depth == 1:
            if child.translation_key not in simple_keys:
                found.append(child.title)
        else:
            found += _missing_titles(child, simple_keys, depth=depth - 1)
    return found


def simple_print_data(
    locale_code: str = SIMPLE_LOCALE, files: dict[str, Path] | None = None
) -> dict[str, Any]:
    """The Leichte Sprache handbook as ``simple.typ`` reads it (see the module).

    Pictures' files are added to ``files`` (name in the build folder → path).
    """
    handbook = next(iter(handbooks_source()), None)
    tree = (
        build_content_tree(
            handbook=handbook, locale_code=locale_code, audience="simple"
        )
        if handbook is not None
        else None
    )
    return simple_tree_data(tree, locale_code=locale_code, files=files)


def simple_tree_data(
    tree: HandbookTree | None,
    *,
    locale_code: str = SIMPLE_LOCALE,
    files: dict[str, Path] | None = None,
) -> dict[str, Any]:
    """``tree`` (Leichte Sprache, audience ``simple``) as ``simple.typ`` reads it."""
    files = {} if files is None else files
    if tree is not None:
        locale_code = tree.requested_locale
    handbook = next(iter(handbooks_source()), None)
    root = (
        tree.root if tree is not None and isinstance(tree.root, HandbookNode) else None
    )
    # The German handbook as this audience may see it: what is not yet written
    # in Leichte Sprache is named, not silently left out.
    german = (
        build_content_tree(handbook=handbook, locale_code="de", audience="simple")
        if handbook is not None
        else None
    )
    german_root = german.root if german is not None else None
    simple_keys = {node.translation_key for node in root.walk()} if root else set()
    german_chapters = {
        node.translation_key: node
        for node in (german_root.children if german_root else [])
    }
    chapters: list[dict[str, Any]] = []
    for child in root.children if root else []:
        sections = [_section(None, section_blocks(child, files))]
        for page in child.children:
            sections.append(
                _section(text_runs(page.title), section_blocks(page, files))
            )
        chapters.append(
            {
                "title": child.title,
                "sections": sections,
                "missing": _missing_titles(
                    german_chapters.get(child.translation_key), simple_keys, depth=1
                ),
            }
        )
    with translation.override(locale_code):
        labels = {
            "contents": pgettext("Leichte Sprache PDF", "Inhalt"),
            "page": pgettext("Leichte Sprache PDF", "Seite"),
            "simple": pgettext("Leichte Sprache PDF", "Leichte Sprache"),
            "missing_chapters": pgettext(
                "Leichte Sprache PDF",
                "Diese Kapitel gibt es noch nicht in Leichter Sprache. "
                "Sie stehen im Handbuch in schwerer Sprache:",
            ),
            "missing_sections": pgettext(
                "Leichte Sprache PDF",
                "Diese Teile gibt es noch nicht in Leichter Sprache:",
            ),
        }
    title = root.title if root else (handbook.title if handbook else "")
    publisher = (root.publisher or "") if root else ""
    return {
        # Typst takes ISO 639 language codes only: Leichte Sprache is German
        # ("de" in the PDF's /Lang); the variant is named on the cover.
        "lang": locale_code.split("-")[0],
        "locale": locale_code,
        "title": title,
        "title_runs": text_runs(title),
        "subtitle": sense_units(text_runs(root.subtitle or "")) if root else [],
        "publisher": publisher,
        "publisher_runs": text_runs(publisher),
        "edition_date": month_year(root.edition_date, locale_code)
        if root and root.edition_date
        else "",
        "cover_image": next(
            iter(image_block(root.cover_image, "", files) if root else []), None
        ),
        **_intro(section_blocks(root, files) if root else []),
        "labels": labels,
        "chapters": chapters,
        "missing_chapters": _missing_titles(german_root, simple_keys, depth=1),
    }


def _section(title: list[Run] | None, blocks: list[Block]) -> dict[str, Any]:
    return {"title": title, "blocks": blocks, "rows": block_rows(blocks)}


def _intro(blocks: list[Block]) -> dict[str, Any]:
    return {"intro": blocks, "intro_rows": block_rows(blocks)}


def simple_print_source(locale_code: str = SIMPLE_LOCALE) -> PrintSource:
    """The Leichte Sprache PDF's source, its tree built here (tests, benchmarks)."""
    files: dict[str, Path] = {}
    data = simple_print_data(locale_code, files)
    return PrintSource(locale=locale_code, data=data, template="simple", files=files)


def simple_tree_source(tree: HandbookTree) -> PrintSource:
    """The print layout ``simple`` (``LAYOUTS``): ``tree`` as Leichte Sprache PDF."""
    files: dict[str, Path] = {}
    data = simple_tree_data(tree, files=files)
    return PrintSource(
        locale=tree.requested_locale, data=data, template="simple", files=files
    )
