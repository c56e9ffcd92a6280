"""German word analysis for the checker, from HanTa (the Hanover Tagger).

HanTa ships its German model (``morphmodel_ger.pgz``) inside the package, so nothing
is downloaded at run time. It splits a word into morphemes with their part of
speech: ``lernten`` is ``lern`` + finite suffix ``ten`` (a weak Präteritum),
``Interessierte`` is ``interessier`` + participle suffix ``t`` + adjective suffix
``e`` (a participle used as an adjective), ``Integrationskurs`` is the nouns
``integration`` and ``kurs`` joined by the linking ``s`` (a compound),
``Gelegenheiten`` is one noun stem (no compound).

The model takes about 1.5 s to load; it is loaded once per process, on the first
check. Words are analysed one at a time (no sentence tagging, which is too slow for
a check on every typing pause) and cached: a page repeats most of its words.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()
_TAGGER: Any = None

# Morpheme tags that carry meaning of their own (not suffixes, prefixes, links).
_LEXICAL_PREFIXES = ("NN", "ADJ", "VV", "VA", "VM", "ADV", "CARD")


def _tagger() -> Any:
    global _TAGGER
    if _TAGGER is None:
        with _LOCK:
            if _TAGGER is None:
                from HanTa import HanoverTagger

                _TAGGER = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    return _TAGGER


@dataclass(frozen=True)
class Analysis:
    """What HanTa makes of one word out of context."""

    lemma: str
    morphemes: tuple[tuple[str, str], ...]
    tag: str

    @property
    def finite_suffix(self) -> str | None:
        """The ending of a finite verb form ("te" in "lernte"), or None."""
        for morpheme, tag in self.morphemes:
            if tag == "SUF_FIN":
                return morpheme
        return None

    @property
    def is_finite_verb(self) -> bool:
        """A finite verb form (HanTa's guess for the word alone)."""
        return self.tag.endswith("(FIN)")

    @property
    def is_strong_past_stem(self) -> bool:
        """An ablaut stem ("ging", "kam"): HanTa marks it as a variant stem."""
        return any(
            tag.endswith("_VAR") and tag.startswith("V") for _, tag in self.morphemes
        )

    @property
    def is_participle(self) -> bool:
        """A Partizip II, also when used as an adjective ("angemeldeten")."""
        return any(tag == "SUF_PP" for _, tag in self.morphemes)

    @property
    def lexical_parts(self) -> int:
        """How many meaningful stems the word is built from (2+: a compound)."""
        return sum(
            1
            for _, tag in self.morphemes
            if tag.startswith(_LEXICAL_PREFIXES) and not tag.startswith("SUF")
        )

    @property
    def is_known(self) -> bool:
        """HanTa knows the word (not a guessed name or foreign material)."""
        return self.tag not in {"NE", "XY", "FM"}

    @property
    def is_cardinal(self) -> bool:
        """A number word ("dreizehn")."""
        return self.tag == "CARD" or any(tag == "CARD" for _, tag in self.morphemes)


@lru_cache(maxsize=50_000)
def word_analyse(word: str) -> Analysis:
    """HanTa's analysis of ``word`` (case matters: nouns are capitalised)."""
    lemma, morphemes, tag = _tagger().analyze(word, taglevel=3)
    return Analysis(
        lemma=str(lemma),
        morphemes=tuple((str(m), str(t)) for m, t in morphemes),
        tag=str(tag),
    )


def morphology_warm() -> None:
    """Load the model now (a worker's start) rather than on the first check."""
    _tagger()
