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
import threading
import unicodedata
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any, NamedTuple, TypeVar

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
    patterns = _RUN_PATTERNS.for_text(text)
    out: list[str] = []
    position = 0
    # Most text has no brackets: then no run needs its pairs closed.
    brackets = any(opening in text for opening in _PAIRS)
    for run in patterns.run.finditer(text):
        start = run.start()
        if start > position and text[start - 1] in patterns.prefixes:
            start -= 1
        # The run ends after its last edge character (the pattern's group); the
        # characters that may join a run end with the match.
        end = run.end(1)
        if brackets:
            end = _brackets_closed(text, start, end, run.end())
        out.append(text[position:start])
        out.append(LRI + text[start:end] + PDI)
        position = end
    if not out:
        return text
    out.append(text[position:])
    return "".join(out)


# Each character falls in one of four classes: an edge of a left-to-right run, a
# sign that may prefix a number (and join a run), another character that may join
# a run, or anything else. The runs are found by one regular expression over the
# text, whose character sets are the classes. Building those sets for all of
# Unicode takes a quarter of a second, so characters are classified a page (256
# code points) at a time, when text first holds one of them, and the expression is
# compiled again from the pages known so far: a handbook uses a handful of pages
# (Latin, Arabic, punctuation), each costing about 2 ms once per process. Mapping
# every character to its class with ``str.translate`` instead cost 55 ns a
# character on every build (28 ms for a 200-page right-to-left handbook).
_EDGE, _PREFIX, _INSIDE, _OTHER = "E", "p", "i", "o"
_PAGE_SIZE = 256


def _class_letter(character: str) -> str:
    bidi_class = unicodedata.bidirectional(character)
    if bidi_class in _RUN_EDGE:
        return _EDGE
    if bidi_class in _RUN_PREFIX:
        return _PREFIX
    if bidi_class in _RUN_INSIDE:
        return _INSIDE
    return _OTHER


class _Patterns(NamedTuple):
    # Any character of a page not classified yet.
    unclassified: re.Pattern[str]
    # A left-to-right run: group 1 from its first to its last edge character, then
    # the characters that may join a run up to the first that may not.
    run: re.Pattern[str]
    # The characters that may prefix a run.
    prefixes: frozenset[str]


class _RunPatterns:
    """The patterns for the pages classified so far, compiled again when a text
    holds a character of a page not seen before (thread-safe)."""

    def __init__(self) -> None:
        self._letters: dict[int, str] = {}  # page → the class letter of each point
        self._lock = threading.Lock()
        self._patterns = self._page_added(0)  # ASCII and Latin-1

    def for_text(self, text: str) -> _Patterns:
        """The patterns, with every character of ``text`` classified."""
        patterns = self._patterns
        found = patterns.unclassified.search(text)
        while found:
            patterns = self._page_added(ord(found.group()) // _PAGE_SIZE)
            found = patterns.unclassified.search(text, found.start())
        return patterns

    def _page_added(self, page: int) -> _Patterns:
        with self._lock:
            if page not in self._letters:
                first = page * _PAGE_SIZE
                self._letters[page] = "".join(
                    _class_letter(chr(point))
                    for point in range(first, first + _PAGE_SIZE)
                )
                self._patterns = self._compiled()
            return self._patterns

    def _compiled(self) -> _Patterns:
        points: dict[str, list[int]] = {_EDGE: [], _PREFIX: [], _INSIDE: [], _OTHER: []}
        for page in sorted(self._letters):
            first = page * _PAGE_SIZE
            for offset, letter in enumerate(self._letters[page]):
                points[letter].append(first + offset)
        edge = _character_set(points[_EDGE])
        joining = _character_set(points[_PREFIX] + points[_INSIDE])
        known = _character_set(
            sorted(point for found in points.values() for point in found)
        )
        return _Patterns(
            unclassified=re.compile(f"[^{known}]"),
            run=re.compile(f"([{edge}](?:[{edge}{joining}]*[{edge}])?)[{joining}]*"),
            prefixes=frozenset(map(chr, points[_PREFIX])),
        )


def _character_set(points: list[int]) -> str:
    """Ascending code points as the inside of a ``[…]`` set, in ranges."""
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}"
        for low, high in ranges
    )


_RUN_PATTERNS = _RunPatterns()


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
