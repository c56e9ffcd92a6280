"""Left-to-right runs inside right-to-left text, isolated once for every channel.

A phone number, an e-mail address, a URL or a Latin-script name inside Arabic or
Persian text is a left-to-right run in a right-to-left paragraph. Left alone, the
Unicode bidi algorithm lets the spaces between "0731 000 1004" take the paragraph's
direction, and the groups print in reverse ("1004 000 0731"). Wrapping each such
run in a first-strong isolate pair (U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP
DIRECTIONAL ISOLATE) keeps it in reading order, whatever surrounds it.

The content tree does this when it builds a node served in a right-to-left locale
(``bidi_isolate``), so print (Typst reads the isolates), the API (``rich_text_html``
turns them into ``<bdi dir="ltr">``; plain string fields keep the characters) and
every later channel get the same text. Character classes come from the Unicode
database in the standard library (``unicodedata.bidirectional``).

Text an editor or translator saves is cleaned before it is stored
(``cms.text_controls``): typed bidi overrides and zero-width characters are never
content. Runs are isolated after dropping any control still in older text, so the
isolates are always well nested.
"""

from __future__ import annotations

import unicodedata
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from cms.text_controls import invisible_controls_remove

LRI = "\u2066"
PDI = "\u2069"

# A left-to-right run starts and ends with a strong LTR character or a European
# digit; inside it, separators and neutrals ("@", ".", "/", ":", spaces) join the
# pieces of one address, number or name.
_RUN_EDGE = frozenset({"L", "EN"})
_RUN_INSIDE = frozenset({"L", "EN", "ES", "ET", "CS", "WS", "ON", "NSM", "BN"})
# Signs that belong to the number after them ("+49", "#3", "€5").
_RUN_PREFIX = frozenset({"ES", "ET"})

# Fields of tree nodes that are identifiers, addresses or codes, never prose.
_NOT_PROSE = frozenset(
    {
        "id",
        "translation_key",
        "slug",
        "path",
        "locale",
        "level",
        "kind",
        "url",
        "srcset",
        "href",
        "meta",
    }
)

T = TypeVar("T")


def ltr_runs_isolate(text: str) -> str:
    """``text`` (set right to left) with every left-to-right run in LRI … PDI.

    Controls already in the text are dropped first, so the result is always well
    nested. Text without any left-to-right run comes back unchanged.
    """
    if not text:
        return text
    text = invisible_controls_remove(text)
    classes = list(map(unicodedata.bidirectional, text))
    if not _RUN_EDGE.intersection(classes):
        return text
    out: list[str] = []
    position = 0
    index = 0
    length = len(text)
    while index < length:
        if classes[index] not in _RUN_EDGE:
            index += 1
            continue
        start = index
        if start > position and classes[start - 1] in _RUN_PREFIX:
            start -= 1
        end = index + 1  # one past the last edge character of the run
        scan = end
        while scan < length and classes[scan] in _RUN_INSIDE:
            scan += 1
            if classes[scan - 1] in _RUN_EDGE:
                end = scan
        end = _brackets_closed(text, start, end, scan)
        out.append(text[position:start])
        out.append(LRI + text[start:end] + PDI)
        position = index = end
    out.append(text[position:])
    return "".join(out)


_PAIRS = {"(": ")", "[": "]", "{": "}"}


def _brackets_closed(text: str, start: int, end: int, limit: int) -> int:
    """``end``, moved past the closing bracket of any bracket the run opened (up to
    ``limit``), so "Kreis (Landratsamt)" is isolated whole, never half a pair."""
    for opening, closing in _PAIRS.items():
        while text.count(opening, start, end) > text.count(closing, start, end):
            found = text.find(closing, end, limit)
            if found < 0:
                break
            end = found + 1
    return end


def bidi_isolate(value: T) -> T:
    """A tree value (node, block, reference, rich text) with the left-to-right runs
    of its prose isolated; identifiers, paths and URLs are left as they are."""
    return _isolated(value)


def _isolated(value: Any) -> Any:
    # Lists are left alone: a page node's children are nodes built on their own,
    # in their own served locale (rich text children are tuples).
    if isinstance(value, str):
        return ltr_runs_isolate(value)
    if isinstance(value, tuple):
        return tuple(_isolated(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _isolated(getattr(value, f.name))
            for f in fields(value)
            if f.init and f.name not in _NOT_PROSE
        }
        return replace(value, **changes) if changes else value
    return value
