"""Rich text nodes of the content tree to print blocks: plain JSON data.

The content tree holds rich text as typed nodes (``exports.content.inline``).
Typst must never see editor text as markup, so print gets the text as data: a list
of blocks, each with inline runs::

    {"kind": "paragraph", "runs": [{"text": "Hallo "}, {"text": "Welt", "bold": true}]}
    {"kind": "heading", "level": 3, "runs": [...]}
    {"kind": "list", "ordered": false, "items": [[run, ...], ...]}
    {"kind": "quote", "runs": [...]}

A run carries ``text`` and, only when set, ``bold``, ``italic``, ``term`` (a
glossary term) and ``link`` (an external URL; links into the handbook's own pages
point at the API and mean nothing on paper, so their text stays and the link goes).
"""

from __future__ import annotations

from typing import Any

from exports.content.inline import (
    MEDIOPUNKT,
    BlockQuote,
    Element,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListItem,
    ListNode,
    Mediopunkt,
    Node,
    Paragraph,
    RichText,
    Strong,
    Term,
    Text,
)

Run = dict[str, Any]
Block = dict[str, Any]

_HEADING_LEVELS = {"h2": 2, "h3": 3, "h4": 4}
_INLINE_FLAGS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
_BLOCK_ENDS = frozenset({"p", "blockquote", *_HEADING_LEVELS})


class _BlockBuilder:
    """Collects blocks from a walk over the nodes (start, text, end events)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.runs: list[Run] | None = None  # the open block's runs
        self.block: Block | None = None
        self.list_stack: list[Block] = []
        self.flags: list[tuple[str, str, Any]] = []  # (tag, flag, value)
        # What the open flags set on a run (read for every text; set on each change).
        self.marks: dict[str, Any] = {}

    # -- blocks ----------------------------------------------------------------------

    def _open(self, block: Block) -> None:
        self._close()
        self.block = block
        self.runs = block["runs"]

    def _close(self) -> None:
        if self.block is not None and _has_text(self.block["runs"]):
            _trim(self.block["runs"])
            self.blocks.append(self.block)
        self.block = None
        self.runs = None

    def _runs(self) -> list[Run]:
        """The runs text goes into; loose text opens a paragraph."""
        if self.list_stack:
            items = self.list_stack[-1]["items"]
            if not items:
                items.append([])
            runs: list[Run] = items[-1]
            return runs
        if self.runs is None:
            self._open({"kind": "paragraph", "runs": []})
        assert self.runs is not None
        return self.runs

    # -- walk events -----------------------------------------------------------------

    def handle_starttag(self, tag: str, href: str | None = None) -> None:
        if tag == "p" and not self.list_stack:
            self._open({"kind": "paragraph", "runs": []})
        elif tag in _HEADING_LEVELS and not self.list_stack:
            self._open({"kind": "heading", "level": _HEADING_LEVELS[tag], "runs": []})
        elif tag == "blockquote" and not self.list_stack:
            self._open({"kind": "quote", "runs": []})
        elif tag in ("ul", "ol"):
            if not self.list_stack:
                self._close()
            self.list_stack.append(
                {"kind": "list", "ordered": tag == "ol", "items": []}
            )
        elif tag == "li" and self.list_stack:
            self.list_stack[-1]["items"].append([])
        elif tag == "br":
            self._runs().append({"text": "\n"})
        elif tag in _INLINE_FLAGS:
            self.flag_push(tag, _INLINE_FLAGS[tag], True)
        elif tag == "dfn":
            self.flag_push(tag, "term", True)
        elif tag == "a":
            # Links into the handbook's own pages point at the API: their text
            # stays on paper, the link goes.
            self.flag_push(tag, "link", href)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_ENDS and not self.list_stack:
            self._close()
        elif tag in ("ul", "ol") and self.list_stack:
            finished = self.list_stack.pop()
            finished["items"] = [
                _trim(item) for item in finished["items"] if _has_text(item)
            ]
            if self.list_stack:
                # A nested list becomes the following items of its parent, indented
                # no further: print keeps one level, the text stays complete.
                self.list_stack[-1]["items"].extend(finished["items"])
            elif finished["items"]:
                self.blocks.append(finished)
        else:
            for index in range(len(self.flags) - 1, -1, -1):
                if self.flags[index][0] == tag or (
                    tag in _INLINE_FLAGS and self.flags[index][0] in _INLINE_FLAGS
                ):
                    del self.flags[index]
                    self._marks_set()
                    break

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if not data.strip() and self.runs is None and not self.list_stack:
            return  # whitespace between blocks
        runs = self._runs()
        if runs and _same_marks(runs[-1], self.marks):
            runs[-1]["text"] += data
        else:
            runs.append({"text": data, **self.marks})

    def flag_push(self, tag: str, flag: str, value: Any) -> None:
        """Mark the text that follows with ``flag`` (``value``) until ``tag`` ends."""
        self.flags.append((tag, flag, value))
        self._marks_set()

    def flag_pop(self) -> None:
        """Take the last pushed mark off the text that follows."""
        self.flags.pop()
        self._marks_set()

    def _marks_set(self) -> None:
        self.marks = {flag: value for _, flag, value in self.flags if value is not None}

    def result(self) -> list[Block]:
        while self.list_stack:
            self.handle_endtag("ol" if self.list_stack[-1]["ordered"] else "ul")
        self._close()
        return self.blocks


def _same_marks(run: Run, marks: dict[str, Any]) -> bool:
    """Whether text with ``marks`` continues ``run`` (not a line break)."""
    return (
        len(run) == len(marks) + 1
        and run["text"] != "\n"
        and all(run.get(flag, _NO_MARK) == value for flag, value in marks.items())
    )


_NO_MARK = object()


def _has_text(runs: list[Run]) -> bool:
    return any(run["text"].strip() for run in runs)


def _trim(runs: list[Run]) -> list[Run]:
    """Collapse the HTML source's whitespace the way a browser would."""
    for run in runs:
        if run["text"] != "\n":
            run["text"] = _whitespace_collapsed(run["text"])
    while runs and not runs[0]["text"].strip():
        runs.pop(0)
    while runs and not runs[-1]["text"].strip():
        runs.pop()
    if runs:
        runs[0]["text"] = runs[0]["text"].lstrip()
        runs[-1]["text"] = runs[-1]["text"].rstrip()
    return runs


def _whitespace_collapsed(text: str) -> str:
    """Every run of whitespace in ``text`` as one space (``str.split`` knows the
    same whitespace as ``\\s``, in a fraction of the time of a regular expression)."""
    words = text.split()
    if not words:
        return " " if text else ""
    collapsed = " ".join(words)
    if text[0].isspace():
        collapsed = " " + collapsed
    if text[-1].isspace():
        collapsed += " "
    return collapsed


_TAGS: dict[type[Element], str] = {
    Paragraph: "p",
    ListItem: "li",
    BlockQuote: "blockquote",
    Strong: "strong",
    Emphasis: "em",
    Link: "a",
    Term: "dfn",
}


# The elements that mark the text inside them: (tag, flag) as the builder keeps
# them, by exact type like ``_TAGS``.
_INLINE_MARKS: dict[type[Node], tuple[str, str]] = {
    Strong: ("strong", _INLINE_FLAGS["strong"]),
    Emphasis: ("em", _INLINE_FLAGS["em"]),
    Term: ("dfn", "term"),
}


def _tag(node: Element) -> str:
    if isinstance(node, Heading):
        return f"h{node.level}"
    if isinstance(node, ListNode):
        return "ol" if node.ordered else "ul"
    return _TAGS.get(type(node), "span")


def _walk(builder: _BlockBuilder, nodes: tuple[Node, ...]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            builder.handle_data(node.text)
        elif isinstance(node, Mediopunkt):
            builder.handle_data(MEDIOPUNKT)
        elif isinstance(node, LineBreak):
            builder.handle_starttag("br")
        elif (mark := _INLINE_MARKS.get(type(node))) is not None:
            # Inline emphasis and terms (most elements): their mark on the text
            # inside, taken off after it (the walk is nested, so it is the last).
            builder.flag_push(*mark, True)
            _walk(builder, node.children)
            builder.flag_pop()
        elif isinstance(node, Element):
            tag = _tag(node)
            external = isinstance(node, Link) and node.page_id is None
            href = node.href if isinstance(node, Link) and external else None
            builder.handle_starttag(tag, href)
            _walk(builder, node.children)
            builder.handle_endtag(tag)


def print_blocks(rich: RichText | None) -> list[Block]:
    """Rich text from the content tree as print blocks (see the module doc)."""
    if not rich:
        return []
    builder = _BlockBuilder()
    _walk(builder, rich.nodes)
    return builder.result()


def text_blocks(text: str | None) -> list[Block]:
    """Plain text (a text field, not rich text) as paragraphs, one per blank line."""
    paragraphs = [p.strip() for p in (text or "").split("\n\n")]
    return [{"kind": "paragraph", "runs": [{"text": p}]} for p in paragraphs if p]


def plain_runs(text: str | None) -> list[Run]:
    """One line of plain text as runs."""
    return [{"text": text}] if text else []
