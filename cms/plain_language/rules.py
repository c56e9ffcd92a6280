"""The Leichte Sprache rules: each finds spans in one sentence.

Every rule is a function ``(sentence, words, profile) -> list[Hit]``; the checker
adds the rule id, severity and message. Heuristics, not a parser: they are tuned on
the corpus in ``cms/plain_language/corpus/`` (see ``make bench PARTS=simple`` for
precision and recall per rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cms.plain_language.profile import PlainLanguageProfile
from cms.plain_language.text import MEDIOPUNKT, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Hit:
    """Where a rule matched, and values for its message."""

    start: int
    end: int
    params: dict[str, str | int] = field(default_factory=dict)


Rule = Callable[[Span, list[Span], PlainLanguageProfile], list[Hit]]

_PRONOUNS = _words("ich du er sie es wir ihr man")
_RELATIVES = _words(
    "der die das den dem deren dessen denen welche welcher welches welchen "
    "welchem wo was um da"
)
_DETERMINERS = _words(
    "der die das den dem des ein eine einen einem einer eines am im zum zur vom "
    "beim mein meine meinen meinem meiner dein deine sein seine seinen seinem "
    "seiner ihr ihre ihren ihrem ihrer unser unsere unseren euer eure kein keine "
    "keinen keinem keiner diese dieser diesen diesem dieses jede jeder jeden "
    "jedem alle allen aller vieler viele vielen sehr ganz besonders zu um wenige "
    "einige "
    "andere anderen"
)
_GENITIVE_DETERMINERS = _words("eines meines deines seines ihres unseres eures keines")
_GENITIVE_AFTER_PREPOSITION = _words(
    "des der eines einer meiner deiner seiner ihrer unserer dieser dieses jeder jedes"
)
_NOT_NOUN_BEFORE_DER = _words(
    "sie ihnen ihr ihre ich er es wir ihm ihn uhr dann heute dort hier jetzt deshalb"
)
_NOT_PARTICIPLE = _words(
    "geht gesamt gerecht gegen gestern gehen geben gelten gewinnen gehören "
    "genau genug gern gerne gesund gemeinsam gering gewiss genießen bereit "
    "bekannt berühmt beliebt ernst besten bewegen bezahlen erhalten erleben "
    "verstehen bekommen beginnen vergessen verlassen gefallen"
)
_SEPARABLE = (
    "ab|an|auf|aus|bei|ein|fest|fort|her|hin|los|mit|nach|vor|weg|zu|zurück|"
    "zusammen|dar|um|durch|über|heraus|hinaus|herein|vorbei|weiter|statt|teil|"
    "kennen|frei|fern|wieder|hoch|vorher|dazu"
)
_PARTICIPLE_RE = re.compile(
    rf"^(?:(?:{_SEPARABLE})?ge\w{{2,}}(?:t|en)"
    r"|\w{3,}iert"
    rf"|(?:{_SEPARABLE})?(?:be|ver|er|ent|zer|emp|miss|über|unter|hinter|wider)"
    r"\w{2,}t"
    r"|(?:be|ver|er|ent|über|unter)\w*(?:ieben|ommen|oben|ossen|unden|ieden|"
    r"assen|essen|ungen|orben|iehen|iesen|ogen|eben|alten))$"
)
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_NOT_ROMAN = _words("CD DC MD DM MC CV CL ML XL LCD MIX DIV DI MI LI CI VI")
_ROMAN_CONTEXT = _words(
    "kapitel teil band stufe abschnitt phase klasse buch artikel paragraph absatz"
)
_SUPERSCRIPT_RE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\d+\]|(?<=\w)\*(?!\w)|(?<!\w)\*(?!\w)")
_PAGE_REF_RE = re.compile(r"(?<!\w)S\.\s?\d+")
# "damit" is also an adverb ("Machen Sie damit weiter"): a conjunction only after
# a comma.
_SUBORDINATE_NEEDS_COMMA = frozenset({"damit"})
# After a comma, these open a clause of their own: a subject pronoun or a finite
# auxiliary ("Hätten Sie …, wäre …").
_CLAUSE_AFTER_COMMA = _words(
    "ich du er sie es wir man ist sind war waren wäre wären hat haben hatte "
    "hätte hätten wird werden kann können muss müssen"
)


def _lower(word: Span) -> str:
    return word.text.lower()


def _bare(word: str) -> str:
    return word.replace(MEDIOPUNKT, "")


def sentence_length(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """More words than ``max_sentence_words``."""
    if len(words) <= profile.max_sentence_words:
        return []
    return [
        Hit(
            sentence.start,
            sentence.end,
            {"count": len(words), "limit": profile.max_sentence_words},
        )
    ]


def one_statement(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """A second clause: subordinate clause, relative clause, joined main clauses."""
    hits = []
    for i, word in enumerate(words):
        lowered = _lower(word)
        gap = (
            sentence.text[
                words[i - 1].end - sentence.start : word.start - sentence.start
            ]
            if i
            else ""
        )
        if lowered in profile.subordinators and not (
            lowered in _SUBORDINATE_NEEDS_COMMA and "," not in gap
        ):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        # "Und sie …" at the start of a sentence is one statement.
        if lowered in profile.clause_conjunctions and 0 < i < len(words) - 1:
            following = words[i + 1].text
            if following.lower() in _PRONOUNS and (
                following != "Sie" or i + 2 < len(words)
            ):
                hits.append(Hit(word.start, word.end, {"word": word.text}))
                continue
        if i == 0:
            continue
        if ";" in gap or (
            "," in gap
            and (
                (lowered in _RELATIVES and profile.flag_relative_clauses)
                or lowered in profile.clause_conjunctions
                or lowered in _CLAUSE_AFTER_COMMA
            )
        ):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
    return hits[:1]


def _is_participle(word: str) -> bool:
    if not word[:1].islower() or len(word) < 5:
        return False
    lowered = _bare(word)
    if lowered in _NOT_PARTICIPLE:
        return False
    return bool(_PARTICIPLE_RE.match(lowered))


def passive(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """A form of "werden" together with a Partizip II."""
    auxiliaries = [w for w in words if _lower(w) in profile.passive_auxiliaries]
    if not auxiliaries:
        return []
    participles = [w for w in words if _is_participle(w.text)]
    if not participles:
        return []
    aux = auxiliaries[0]
    # The Partizip II of a passive closes its clause; earlier candidates are
    # often participles used as adjectives ("der eingereichten Unterlagen").
    participle = participles[-1]
    return [
        Hit(
            min(aux.start, participle.start),
            max(aux.end, participle.end),
            {"auxiliary": aux.text, "participle": participle.text},
        )
    ]


def genitive(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Genitive: "des", "eines …s", genitive prepositions, noun + "der" + noun."""
    hits = []
    for i, word in enumerate(words):
        lowered = _lower(word)
        following = words[i + 1] if i + 1 < len(words) else None
        if (
            (lowered == "des" and following is not None)
            or (
                lowered in _GENITIVE_DETERMINERS
                and following is not None
                and following.text[:1].isupper()
                and following.text.endswith("s")
            )
            or (
                lowered in profile.genitive_prepositions
                and following is not None
                and _lower(following) in _GENITIVE_AFTER_PREPOSITION
            )
        ):
            hits.append(Hit(word.start, following.end, {"words": word.text}))
        elif (
            lowered == "der"
            and i - 1 >= 1
            and following is not None
            and _noun_before_der(words[i - 1])
            and words[i - 1].end == word.start - 1
            and ":"
            not in sentence.text[
                words[i - 2].end - sentence.start : words[i - 1].start - sentence.start
            ]
            and _noun_follows(words, i + 1)
        ):
            hits.append(Hit(words[i - 1].start, following.end, {"words": word.text}))
    return hits


def _noun_before_der(word: Span) -> bool:
    return (
        word.text[:1].isupper()
        and word.text.isalpha() is not False
        and word.text.lower() not in _NOT_NOUN_BEFORE_DER
        and not word.text.isupper()
    )


def _noun_follows(words: list[Span], i: int) -> bool:
    for word in words[i : i + 3]:
        if word.text[:1].isupper():
            return True
        if not word.text.endswith(("e", "en", "er", "es")):
            return False
    return False


def konjunktiv(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Konjunktiv II forms ("würde", "hätte", "könnte", …)."""
    return [
        Hit(w.start, w.end, {"word": w.text})
        for w in words
        if _lower(w) in profile.konjunktiv_words
        and _lower(w) not in profile.konjunktiv_allowed
    ]


def negation(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Negating words."""
    return [
        Hit(w.start, w.end, {"word": w.text})
        for w in words
        if _lower(w) in profile.negation_words
    ]


def praeteritum(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Präteritum: listed strong forms, and weak forms on -te/-ten."""
    hits = []
    for i, word in enumerate(words):
        lowered = _lower(word)
        if lowered in profile.allowed_preterite:
            continue
        # "Sprachen" (noun) is not "sprachen" (verb): nouns are capitalised.
        if lowered in profile.irregular_preterite and (
            i == 0 or word.text[:1].islower()
        ):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if (
            word.text[:1].islower()
            and len(lowered) >= 5
            and word.text.isalpha()
            and lowered.endswith(("te", "ten"))
            and not lowered.endswith(("ste", "sten"))
            and lowered not in profile.not_preterite
            and lowered not in profile.konjunktiv_words
            and not (i > 0 and _lower(words[i - 1]) in _DETERMINERS)
            and not _looks_infinitive(lowered)
            and not _SEPARABLE_PARTICIPLE_RE.match(lowered)
        ):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
    return hits


# "eingereichte(n)", "angemeldete(n)": participles used as adjectives; a preterite
# of a separable verb is written apart ("reichte … ein").
_SEPARABLE_PARTICIPLE_RE = re.compile(rf"^(?:{_SEPARABLE})ge\w+ten?$")
_ZU_INFINITIVE_RE = re.compile(rf"^(?:{_SEPARABLE})zu\w+en$")


def _looks_infinitive(word: str) -> bool:
    # Stems ending in t + "-en" ("arbeiten", "begleiten") and zu-infinitives
    # ("anzubieten") are not preterite forms ("lernten", "wohnten").
    if word.endswith("ten") and word[-4:-3] in "aeiouäöüy":
        return True
    return bool(_ZU_INFINITIVE_RE.match(word))


def _abbreviation_pattern(abbreviation: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in abbreviation.split()]
    return re.compile(r"(?<![\w.])" + r"\s?".join(parts) + r"(?!\w)")


_ABBREVIATION_CACHE: dict[tuple[str, ...], list[re.Pattern[str]]] = {}


def abbreviation(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Abbreviations with a full stop, and acronyms in capitals."""
    patterns = _ABBREVIATION_CACHE.get(profile.abbreviations)
    if patterns is None:
        patterns = [_abbreviation_pattern(a) for a in profile.abbreviations]
        _ABBREVIATION_CACHE[profile.abbreviations] = patterns
    hits = []
    taken: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(sentence.text):
            if m.start() in taken:
                continue
            taken.update(range(m.start(), m.end()))
            hits.append(
                Hit(
                    sentence.start + m.start(),
                    sentence.start + m.end(),
                    {"word": m.group()},
                )
            )
    if profile.check_acronyms:
        for w in words:
            text = _bare(w.text)
            if (
                2 <= len(text) <= 6
                and text.isalpha()
                and text.isupper()
                and text not in profile.acronym_allowlist
                and not (_ROMAN_RE.match(text) and text not in _NOT_ROMAN)
            ):
                hits.append(Hit(w.start, w.end, {"word": w.text}))
    return sorted(hits, key=lambda h: h.start)


def number(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Percentages, decimal numbers and numbers above ``max_number``."""
    hits = []
    for i, w in enumerate(words):
        text = w.text
        if not text[:1].isdigit():
            continue
        following = _lower(words[i + 1]) if i + 1 < len(words) else ""
        if text.endswith("%") or following == "prozent":
            hits.append(Hit(w.start, w.end, {"word": text, "kind": "percent"}))
            continue
        digits = text.replace(" ", "")
        if following == "uhr" or digits.count(".") >= 2 or digits.startswith("0"):
            continue  # a time, a date, a phone number
        if re.fullmatch(r"\d+,\d+", digits) or re.fullmatch(
            r"\d+\.(?:\d{1,2}|\d{4,})", digits
        ):
            hits.append(Hit(w.start, w.end, {"word": text, "kind": "decimal"}))
            continue
        try:
            value = int(digits.replace(".", "").replace(",", ""))
        except ValueError:
            continue
        if value <= profile.max_number:
            continue
        if profile.allow_years and re.fullmatch(r"(19|20)\d\d", digits):
            continue
        next_word = words[i + 1].text if i + 1 < len(words) else ""
        if re.fullmatch(r"\d{5}", digits) and next_word[:1].isupper():
            continue  # a postcode before the town
        hits.append(Hit(w.start, w.end, {"word": text, "kind": "large"}))
    return hits


def roman_numeral(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Roman numerals (II, IV, XII; a single I/V/X after "Kapitel", "Teil" …)."""
    hits = []
    for i, w in enumerate(words):
        text = w.text
        if not text.isalpha() or not text.isupper() or not _ROMAN_RE.match(text):
            continue
        if (len(text) >= 2 and text not in _NOT_ROMAN) or (
            len(text) == 1 and i > 0 and _lower(words[i - 1]) in _ROMAN_CONTEXT
        ):
            hits.append(Hit(w.start, w.end, {"word": text}))
    return hits


def long_compound(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Long capitalised words without a Mediopunkt or hyphen."""
    return [
        Hit(w.start, w.end, {"word": w.text})
        for w in words
        if w.text[:1].isupper()
        and w.text.isalpha()
        and not w.text.isupper()
        and len(w.text) >= profile.compound_min_length
        and not profile.is_compound_allowed(w.text)
    ]


def cross_reference(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Footnote marks and references to other places in the text."""
    hits = []
    lowered = sentence.text.lower()
    for phrase in profile.cross_reference_phrases:
        for m in re.finditer(r"(?<!\w)" + re.escape(phrase), lowered):
            hits.append(
                Hit(
                    sentence.start + m.start(),
                    sentence.start + m.end(),
                    {"word": sentence.text[m.start() : m.end()]},
                )
            )
    for pattern in (_SUPERSCRIPT_RE, _PAGE_REF_RE):
        for m in pattern.finditer(sentence.text):
            hits.append(
                Hit(
                    sentence.start + m.start(),
                    sentence.start + m.end(),
                    {"word": m.group()},
                )
            )
    return sorted(hits, key=lambda h: h.start)


# Order = order in the panel for findings on the same sentence.
SENTENCE_RULES: dict[str, Rule] = {
    "sentence-length": sentence_length,
    "one-statement": one_statement,
    "passive": passive,
    "genitive": genitive,
    "konjunktiv": konjunktiv,
    "praeteritum": praeteritum,
    "negation": negation,
    "abbreviation": abbreviation,
    "number": number,
    "roman-numeral": roman_numeral,
    "long-compound": long_compound,
    "cross-reference": cross_reference,
}
