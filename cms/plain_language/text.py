"""Sentences and words of a German text, with character offsets into the text.

Leichte Sprache puts one sentence on a line, so a line break always ends a sentence.
Inside a line a sentence ends at ``.``, ``!``, ``?``, ``…`` or ``:`` followed by
white space and an upper-case letter, a digit or a quote — unless the full stop
belongs to a known abbreviation ("z. B.", "usw."), an ordinal ("am 3. Mai") or an
ellipsis that continues in lower case. A colon ends a sentence only before a line
break (Leichte Sprache uses "Das heißt:" + a new line), so it is not listed above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MEDIOPUNKT = "\u00b7"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A word: letters and digits, joined inside by Mediopunkt, hyphen or apostrophe;
# numbers keep their thousands/decimal separators and a directly following %.
_TOKEN_RE = re.compile(
    r"\d+(?:[.,:]\d+)*(?:\s?%)?|[^\W_]+(?:[\u00b7\-’'][^\W_]+)*",
    re.UNICODE,
)
# Candidate sentence ends: terminal punctuation (runs, closing quotes/brackets).
_END_RE = re.compile(r"(?:[.!?]+|…|\.\.\.)[\"'»«“”)\]]*(?=\s|$)")
# Abbreviations whose full stop does not end a sentence (lower case, no spaces).
_NO_BREAK_BEFORE = _words(
    "z.b zb bzw usw vgl ca nr etc ggf evtl inkl zzgl bspw str tel sog max mind "
    "min mio mrd abs jh allg bzgl d.h u.a o.ä v.a i.d.r z.t u.u s.o s.u dr prof "
    "hr fr st geb bzgl ff s"
)


@dataclass(frozen=True)
class Span:
    """A piece of the checked text: its characters and where they are."""

    text: str
    start: int
    end: int


def _abbreviation_before(text: str, dot: int) -> bool:
    # The letters (and inner full stops) directly before the full stop at ``dot``.
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in ". "):
        if text[i - 1] == " " and not (i >= 2 and text[i - 2] == "."):
            break
        i -= 1
    chunk = text[i:dot].replace(" ", "").lower().strip(".")
    if not chunk:
        return False
    if chunk in _NO_BREAK_BEFORE:
        return True
    # Single letters ("A. Müller", "u.") are initials or abbreviations.
    last = chunk.rsplit(".", 1)[-1]
    return len(last) == 1


def sentences_split(text: str) -> list[Span]:
    """The sentences of ``text`` with offsets; blank lines produce none."""
    found: list[Span] = []
    for line in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        base = line.start()
        chunk = line.group()
        start = 0
        for end_match in _END_RE.finditer(chunk):
            end = end_match.end()
            rest = chunk[end:].lstrip()
            if not rest:
                continue  # the line's end closes it anyway
            mark = end_match.group()
            if mark.startswith(".") and not mark.startswith(".."):
                if _abbreviation_before(chunk, end_match.start()):
                    continue
                before = chunk[start : end_match.start()].split()
                # "am 3. Mai": an ordinal number, not the end of a sentence.
                if before and before[-1].isdigit() and len(before[-1]) <= 2:
                    continue
            first = rest[0]
            if not (first.isupper() or first.isdigit() or first in "\"'»«“„(["):
                continue
            _append(found, chunk, base, start, end)
            start = end
        _append(found, chunk, base, start, len(chunk))
    return found


def _append(found: list[Span], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = base + start + lead
    found.append(Span(stripped, s, s + len(stripped)))


def words_split(sentence: Span) -> list[Span]:
    """The words (and numbers) of one sentence, offsets into the whole text."""
    return [
        Span(m.group(), sentence.start + m.start(), sentence.start + m.end())
        for m in _TOKEN_RE.finditer(sentence.text)
    ]


_SYLLABLE_RE = re.compile(
    r"(?:äu|eu|ei|ai|au|ie|ey|ay|aa|ee|oo|[aeiouyäöü])", re.IGNORECASE
)


def syllables_count(word: str) -> int:
    """German syllables of ``word``: vowel groups, diphthongs counted once."""
    plain = word.replace(MEDIOPUNKT, "").replace("-", "").lower()
    if plain.isdigit():
        return max(1, len(plain))  # numbers are read aloud; a rough guess
    return max(1, len(_SYLLABLE_RE.findall(plain)))
