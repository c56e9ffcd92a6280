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

import re
import unicodedata
from dataclasses import fields, is_dataclass, replace
from functools import cache
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
    # One letter per character (see _ClassCodes); the runs are found on that.
    codes = text.translate(_CLASS_CODES)
    if _EDGE not in codes:
        return text
    out: list[str] = []
    position = 0
    # Most text has no brackets: then no run needs its pairs closed.
    brackets = any(opening in text for opening in _PAIRS)
    for run in _RUN.finditer(codes):
        start = run.start()
        if start > position and codes[start - 1] == _PREFIX:
            start -= 1
        # The run ends after its last edge character; ``scan`` is where the
        # characters that may join a run end.
        end = run.start() + run.group().rfind(_EDGE) + 1
        if brackets:
            end = _brackets_closed(text, start, end, run.end())
        out.append(text[position:start])
        out.append(LRI + text[start:end] + PDI)
        position = end
    out.append(text[position:])
    return "".join(out)


# The bidi class of each character, as one letter: an edge of a left-to-right run,
# a sign that may prefix a number (and join a run), another character that may join
# a run, or anything else. Mapping the text with ``str.translate`` and finding runs
# with a regular expression keeps this linear and fast (print isolates every string
# of a right-to-left handbook).
_EDGE, _PREFIX, _INSIDE, _OTHER = "E", "p", "i", "o"


class _ClassCodes(dict[int, str]):
    """Code point → class letter, filled on first use of each character."""

    def __missing__(self, code_point: int) -> str:
        bidi_class = unicodedata.bidirectional(chr(code_point))
        if bidi_class in _RUN_EDGE:
            letter = _EDGE
        elif bidi_class in _RUN_PREFIX:
            letter = _PREFIX
        elif bidi_class in _RUN_INSIDE:
            letter = _INSIDE
        else:
            letter = _OTHER
        self[code_point] = letter
        return letter


_CLASS_CODES = _ClassCodes()
# An edge character and every character after it that may join a run.
_RUN = re.compile(f"{_EDGE}[{_EDGE}{_PREFIX}{_INSIDE}]*")


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
        items = tuple(_isolated(v) for v in value)
        return value if _same(items, value) else items
    # Empty for anything but a dataclass instance (numbers, dates, None, …).
    kind: type = type(value)
    names = _prose_fields(kind)
    if not names:
        return value
    changes = {}
    for name in names:
        current = getattr(value, name)
        isolated = _isolated(current)
        if isolated is not current:
            changes[name] = isolated
    # Nothing to isolate (most text of a handbook): the value as it is.
    return replace(value, **changes) if changes else value


def _same(items: tuple[Any, ...], value: tuple[Any, ...]) -> bool:
    return all(a is b for a, b in zip(items, value, strict=True))


@cache
def _prose_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass ``cls`` that may hold prose, none for any other
    class (looked up once per class: the walk meets thousands of values)."""
    if not is_dataclass(cls):
        return ()
    return tuple(f.name for f in fields(cls) if f.init and f.name not in _NOT_PROSE)
