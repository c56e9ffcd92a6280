"""The Leichte Sprache rules: each finds spans in one sentence.

Every rule is a function ``(sentence, words, profile) -> list[Hit]``; the checker
adds the rule id, severity and message. Word forms are told apart by HanTa's
morphology (``cms.plain_language.morphology``): Präteritum and Konjunktiv I by
their endings, participles used as adjectives, compounds by their stems. The
patterns around them are tuned on the tuning half of the corpus in
``cms/plain_language/corpus/``; ``make bench PARTS=simple`` measures precision and
recall per rule on the held-back half.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cms.plain_language.morphology import word_analyse
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
                (
                    lowered in _RELATIVES
                    and profile.flag_relative_clauses
                    and not _listed_noun_after(words, i, sentence)
                )
                or lowered in profile.clause_conjunctions
                or lowered in _CLAUSE_AFTER_COMMA
            )
        ):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if lowered in profile.clause_conjunctions and _main_clause_follows(words, i):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if "," in gap and _clauses_around_comma(words, i, sentence):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
    return hits[:1]


def _clauses_around_comma(words: list[Span], i: int, sentence: Span) -> bool:
    # A finite verb on both sides of the comma before words[i]: two clauses ("Die
    # Lehrerin sagt, Ihr Sohn ist fleißig."). Lists ("Pass, Foto und Geld") have
    # no verb between their commas.
    def segment(indices: range) -> list[Span]:
        taken = []
        for j in indices:
            taken.append(words[j])
            gap_start = words[j].end - sentence.start
            following = j + 1 if indices.step > 0 else j - 1
            if 0 <= following < len(words):
                if indices.step > 0:
                    between = sentence.text[
                        gap_start : words[j + 1].start - sentence.start
                    ]
                else:
                    between = sentence.text[
                        words[j - 1].end - sentence.start : words[j].start
                        - sentence.start
                    ]
                if "," in between or ";" in between:
                    break
        return taken

    before = segment(range(i - 1, -1, -1))
    after = segment(range(i, len(words)))

    def has_verb(segment_words: list[Span]) -> bool:
        for w in segment_words:
            index = words.index(w)
            if _finite(w, words[index - 1] if index else None):
                return True
        return False

    return has_verb(before) and has_verb(after)


_ARTICLES = _words("der die das den dem ein eine einen einem")
_LIST_END = _words("und oder sowie")


def _listed_noun_after(words: list[Span], i: int, sentence: Span) -> bool:
    # ", die Eltern und die Kinder": an article and a noun in a list (the noun is
    # followed by "und", a comma or the end), not a relative clause (", die Deutsch
    # lernen").
    if _lower(words[i]) not in _ARTICLES:
        return False
    j = i + 1
    if (
        j < len(words)
        and words[j].text[:1].islower()
        and words[j].text.endswith(("e", "en", "er", "es", "em"))
    ):
        j += 1  # an adjective: ", die kleinen Kinder"
    if j >= len(words) or not words[j].text[:1].isupper():
        return False
    if j + 1 == len(words):
        return True
    after = sentence.text[
        words[j].end - sentence.start : words[j + 1].start - sentence.start
    ]
    return "," in after or _lower(words[j + 1]) in _LIST_END


_SUBJECT_PRONOUNS = _words("ich du er es wir ihr man sie")


def _finite(word: Span, previous: Span | None = None) -> bool:
    if previous is not None and previous.text == "zu":
        return False  # a zu-infinitive: "…, sich bald zu melden"
    return (
        word.text[:1].islower()
        and word.text.isalpha()
        and word_analyse(word.text).is_finite_verb
    )


def _main_clause_follows(words: list[Span], i: int) -> bool:
    # "… und ich gehe …" (pronoun, verb) or "… und dann gehe ich …" (adverb, verb,
    # pronoun): a second main clause joined without a comma.
    if i == 0 or i + 2 >= len(words):
        return False
    first, second = words[i + 1], words[i + 2]
    if _lower(first) in _SUBJECT_PRONOUNS and _finite(second):
        return True
    if i + 3 < len(words) and first.text[:1].islower() and not _finite(first):
        return (
            word_analyse(first.text).tag == "ADV"
            and _finite(second)
            and _lower(words[i + 3]) in _SUBJECT_PRONOUNS
        )
    return False


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
            # "nach Eingang aller Unterlagen"
            or (
                lowered == "aller"
                and i > 0
                and following is not None
                and _noun_before_der(words[i - 1])
                and following.text[:1].isupper()
            )
        ):
            hits.append(Hit(word.start, following.end, {"words": word.text}))
        elif (
            lowered == "der"
            and i - 1 >= 1
            and following is not None
            and (
                _noun_before_der(words[i - 1])
                or words[i - 1].text.endswith("%")
                or _lower(words[i - 1]) == "prozent"
            )
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
    """Präteritum: listed strong forms, and what HanTa analyses as a past form.

    Weak forms end in -te/-ten/-test/-tet ("lernten"); strong and mixed forms have
    an ablaut stem ("kamen", "brachte"). Participles used as adjectives
    ("Interessierte", "angemeldeten") are not finite verbs and pass.
    """
    hits = []
    for i, word in enumerate(words):
        lowered = _lower(word)
        if lowered in profile.allowed_preterite or not word.text.isalpha():
            continue
        # "Sprachen" (noun) is not "sprachen" (verb): nouns are capitalised.
        if i > 0 and not word.text[:1].islower():
            continue
        if lowered in profile.irregular_preterite:
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if (
            len(lowered) < 3
            or lowered in profile.not_preterite
            or lowered in profile.konjunktiv_words
        ):
            continue
        if _is_past_form(lowered if i == 0 else word.text):
            hits.append(Hit(word.start, word.end, {"word": word.text}))
    return hits


_WEAK_PAST_ENDINGS = frozenset(
    {"te", "ten", "test", "tet", "ete", "eten", "etest", "etet"}
)


def _is_past_form(word: str) -> bool:
    analysis = word_analyse(word)
    if not analysis.is_finite_verb or analysis.is_participle:
        return False
    suffix = analysis.finite_suffix
    if suffix in _WEAK_PAST_ENDINGS:
        return True
    if not analysis.is_strong_past_stem:
        return False
    stem, tag = next((m, t) for m, t in analysis.morphemes if t.endswith("_VAR"))
    if suffix is None:
        # Present tense with a changed stem and no ending: modals ("kann",
        # "muss"), "weiß", and third persons on -t ("gilt", "hält", "tritt").
        if tag.startswith(("VM", "VA")) or stem in _PRESENT_ABLAUT:
            return False
        umlaut_or_i = "ä" in stem or ("i" in stem and "ie" not in stem)
        return not (stem.endswith("t") and umlaut_or_i)
    # "kamen"; mixed verbs "brachte", "wusste". Present-tense ablaut ("gibt",
    # "hilft") ends in -t/-st.
    return suffix == "en" or (suffix == "e" and stem.endswith("t"))


_PRESENT_ABLAUT = _words("weiß")


# Konjunktiv I, the mood of indirect speech: "sei", and third-person forms on -e
# ("er könne", "sie habe") where no "ich" is the subject.
_KONJUNKTIV_I_ALWAYS = _words("sei seiest seien seiet")
_KONJUNKTIV_I_MODALS = _words("könne müsse dürfe solle wolle möge wisse")


def indirect_speech(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Konjunktiv I ("der Kurs sei voll", "er könne kommen")."""
    if any(w.text == "ich" or w.text == "Ich" for w in words):
        return []
    hits = []
    for i, word in enumerate(words):
        lowered = _lower(word)
        if i == 0 or not word.text[:1].islower() or not word.text.isalpha():
            continue  # imperatives start the sentence ("Seien Sie pünktlich.")
        following = _lower(words[i + 1]) if i + 1 < len(words) else ""
        if lowered in _KONJUNKTIV_I_ALWAYS:
            if following == "sie" and words[i + 1].text == "Sie":
                continue
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if lowered in _KONJUNKTIV_I_MODALS:
            hits.append(Hit(word.start, word.end, {"word": word.text}))
            continue
        if len(lowered) >= 4 and lowered.endswith("e"):
            analysis = word_analyse(word.text)
            if (
                analysis.is_finite_verb
                and analysis.finite_suffix == "e"
                and not analysis.is_strong_past_stem
                and (
                    _lower(words[i - 1]) in _THIRD_PERSON_CONTEXT
                    or (words[i - 1].text[:1].isupper() and words[i - 1].text != "Sie")
                )
            ):
                hits.append(Hit(word.start, word.end, {"word": word.text}))
    return hits


# The word before a Konjunktiv-I verb on -e: a third-person subject or what
# stands before the verb in a clause of indirect speech.
_THIRD_PERSON_CONTEXT = _words(
    "er sie es man dies das jeder jede niemand jemand nur auch bald erst noch "
    "dann morgen heute später"
)


def _abbreviation_pattern(abbreviations: tuple[str, ...]) -> re.Pattern[str]:
    # One pattern for the whole list, longest first ("u. a." before "u."), so a
    # sentence is scanned once.
    alternatives = [
        r"\s?".join(re.escape(p) for p in abbreviation.split())
        for abbreviation in sorted(abbreviations, key=len, reverse=True)
    ]
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")(?!\w)")


_ABBREVIATION_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}
_CROSS_REFERENCE_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def abbreviation(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Abbreviations with a full stop, and acronyms in capitals."""
    pattern = _ABBREVIATION_CACHE.get(profile.abbreviations)
    if pattern is None:
        pattern = _abbreviation_pattern(profile.abbreviations)
        _ABBREVIATION_CACHE[profile.abbreviations] = pattern
    hits = []
    taken: set[int] = set()
    if profile.abbreviations and "." in sentence.text:
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
    for shape_start, shape_end in _abbreviation_shapes(sentence.text):
        if shape_start in taken:
            continue
        taken.update(range(shape_start, shape_end))
        hits.append(
            Hit(
                sentence.start + shape_start,
                sentence.start + shape_end,
                {"word": sentence.text[shape_start:shape_end]},
            )
        )
    if profile.check_acronyms:
        for w in words:
            if w.start - sentence.start in taken:
                continue
            text = _bare(w.text)
            if (
                2 <= len(text) <= 6
                and text.isalpha()
                and text.isupper()
                and text not in profile.acronym_allowlist
                and not (_ROMAN_RE.match(text) and text not in _NOT_ROMAN)
            ) or (
                not text.isupper()
                and any(
                    _MIXED_ACRONYM_RE.match(part)
                    for part in _PART_SPLIT_RE.split(w.text)
                )
            ):
                hits.append(Hit(w.start, w.end, {"word": w.text}))
    return sorted(hits, key=lambda h: h.start)


# Shapes of abbreviations not in the list: letters with full stops in a row
# ("o. g.", "i. A."); a short word whose full stop does not end the sentence
# ("Zi. 4", "Mo. und Di."); a short capitalised word HanTa does not know, with
# the sentence's full stop ("Am Mo."); capitals inside a word ("IntV", "BAföG").
_INITIALS_RE = re.compile(r"(?<![\w.])(?:[^\W\d_]\.\s?){2,}")
_SHORT_DOT_RE = re.compile(
    r"(?<![\w.\u00b7-])([^\W\d_]{1,5})\.(?=\s*[^\W_]|\s*[,;:)/-])"
)
_FINAL_SHORT_RE = re.compile(r"(?<![\w.\u00b7-])([A-ZÄÖÜ][a-zäöü]{0,2})\.$")
_MIXED_ACRONYM_RE = re.compile(
    r"^(?=\w{2,8}$)[^\W\d_]*[A-ZÄÖÜ][^\W\d_]*[A-ZÄÖÜ][^\W\d_]*$"
)
_PART_SPLIT_RE = re.compile(r"[\u00b7\-]")
_NOT_ABBREVIATED = _words("ja nein so da gut")
# Three-letter abbreviations that end a sentence as often as they stand inside it.
_SHORT_ABBREVIATIONS = _words(
    "Min Std Tel Str Abt Jan Feb Mär Apr Jun Jul Aug Sep Okt Nov Dez Hbf Nr Zi"
)
_WEEKDAY_RANGE_RE = re.compile(
    r"(?<!\w)(?:Mo|Di|Mi|Do|Fr|Sa|So)\.?\s?[-–]\s?(?:Mo|Di|Mi|Do|Fr|Sa|So)\b\.?"
)


def _abbreviation_shapes(text: str) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for m in _INITIALS_RE.finditer(text)]
    for m in _SHORT_DOT_RE.finditer(text):
        if m.group(1).lower() not in _NOT_ABBREVIATED:
            found.append((m.start(), m.end()))
    final = _FINAL_SHORT_RE.search(text.rstrip())
    if final is not None and (
        final.group(1) in _SHORT_ABBREVIATIONS
        or (len(final.group(1)) == 2 and not word_analyse(final.group(1)).is_known)
    ):
        found.append((final.start(), final.end()))
    found += [(m.start(), m.end()) for m in _WEEKDAY_RANGE_RE.finditer(text)]
    return sorted(found, key=lambda span: (span[0], -span[1]))


def number(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Percentages, decimal numbers and numbers above ``max_number``."""
    hits = []
    phones = _phone_spans(sentence)
    dates = [
        (sentence.start + m.start(), sentence.start + m.end())
        for m in _DATE_RE.finditer(sentence.text)
    ]
    for i, w in enumerate(words):
        text = w.text
        if not text[:1].isdigit():
            continue
        if any(start <= w.start and w.end <= end for start, end in phones + dates):
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


# Telephone numbers: a leading 0 or +49, digit groups split by spaces, slashes or
# hyphens ("0731 185 1234", "07391 / 50 20", "+49 731 1851234"); or any digit
# groups right after "Telefon", "Tel", "Fax" or "Nummer".
_PHONE_RE = re.compile(
    r"(?<![\d.,])(?:\+\d{2,3}|0\d{2,5})(?:[ /\-]{1,3}\(?\d{2,}\)?)*(?![\d,])"
)
_PHONE_AFTER_RE = re.compile(
    r"(?:telefon|tel\.|fax|handy|nummer|rufnummer|telefonnummer|anrufen)\w*:?\s*"
    r"(\d[\d /\-]{3,}\d)",
    re.IGNORECASE,
)


def _phone_spans(sentence: Span) -> list[tuple[int, int]]:
    spans = [
        (sentence.start + m.start(), sentence.start + m.end())
        for m in _PHONE_RE.finditer(sentence.text)
    ]
    spans += [
        (sentence.start + m.start(1), sentence.start + m.end(1))
        for m in _PHONE_AFTER_RE.finditer(sentence.text)
    ]
    return spans


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
            len(text) == 1
            and i > 0
            and (
                _lower(words[i - 1]) in _ROMAN_CONTEXT
                # A book of a law: "SGB V", "SGB II".
                or (words[i - 1].text.isupper() and len(words[i - 1].text) >= 2)
            )
        ):
            hits.append(Hit(w.start, w.end, {"word": text}))
    return hits


def long_compound(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Long compound words without a Mediopunkt or hyphen.

    HanTa splits the word into stems: "Integrationskurs" is two nouns (a compound,
    to be written "Integrations·kurs"), "Gelegenheiten" one (long, but nothing to
    split). Words HanTa does not know are flagged from a greater length.
    """
    hits = []
    for w in words:
        text = w.text
        if (
            not text[:1].isupper()
            or not text.isalpha()
            or text.isupper()
            or len(text) < profile.compound_min_length
            or profile.is_compound_allowed(text)
        ):
            continue
        analysis = word_analyse(text)
        # HanTa keeps some compounds whole ("Meldebescheinigung"); a very long
        # word is flagged anyway.
        if analysis.lexical_parts >= 2 or len(text) >= profile.compound_min_length + 4:
            hits.append(Hit(w.start, w.end, {"word": text}))
    return hits


_NUMBER_WORD_RE = re.compile(
    r"^(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?"
    r"(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|"
    r"(?:drei|vier|fünf|sech|sieb|acht|neun)zehn|zwanzig|dreißig|(?:vier|fünf|sech|"
    r"sieb|acht|neun)zig|(?:ein|zwei|drei|vier|fünf)?(?:hundert|tausend))$"
)
_NOT_NUMBER_WORD_AFTER = _words("zu zur um")


def number_word(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Numbers written as words ("dreizehn"): Leichte Sprache writes digits."""
    hits = []
    for i, w in enumerate(words):
        lowered = _lower(w)
        if not _NUMBER_WORD_RE.match(lowered):
            continue
        if i > 0 and w.text[:1].isupper():
            continue  # "die Acht", "eine Zwei in Mathe"
        if (
            i > 0
            and _lower(words[i - 1]) in _NOT_NUMBER_WORD_AFTER
            and lowered == "acht"
        ):
            continue  # "zu acht" is fine as a number, but "außer Acht": capitalised
        hits.append(Hit(w.start, w.end, {"word": w.text}))
    return hits


_WEEKDAYS = (
    r"(?:Mo|Di|Mi|Do|Fr|Sa|So|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag"
    r"|Sonntag)"
)
_RANGE_RES = (
    re.compile(
        r"(?<![\d.,])\d{1,4}(?:[.:,]\d{1,2})?\s?[-–—]\s?\d{1,4}(?:[.:,]\d{1,2})?(?![\d])"
    ),
    re.compile(rf"(?<!\w){_WEEKDAYS}\.?\s?[-–—]\s?{_WEEKDAYS}\b\.?"),
    re.compile(r"(?<!\w)(?:bis|ab)\s?[-–]\s?\d"),
)


def range_dash(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Ranges with a dash ("9-12 Uhr", "Mo-Fr"): write "von 9 bis 12 Uhr"."""
    phones = _phone_spans(sentence)
    hits = []
    for pattern in _RANGE_RES:
        for m in pattern.finditer(sentence.text):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            if any(p_start <= start and end <= p_end for p_start, p_end in phones):
                continue
            hits.append(Hit(start, end, {"word": m.group()}))
    return sorted(hits, key=lambda h: h.start)


_DATE_RE = re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?(?![\d])")


def date(sentence: Span, words: list[Span], profile: PlainLanguageProfile) -> list[Hit]:
    """Dates in digits ("12.03.2026"): write "12. März 2026"."""
    return [
        Hit(
            sentence.start + m.start(),
            sentence.start + m.end(),
            {"word": m.group().strip()},
        )
        for m in _DATE_RE.finditer(sentence.text)
    ]


# Brackets, slashes and other signs a reader of Leichte Sprache may not know;
# also the soft hyphen (BITV 2.0: no hyphenation at the end of a line). Web and
# e-mail addresses keep their slashes and @.
_SPECIAL_RE = re.compile(
    r"[()\[\]{}/\\&§;<>|#~^]|\u00ad|(?<=[^\W\d_])[*:_](?=[^\W\d_])"
)
_ADDRESS_RE = re.compile(r"\S*(?:://|www\.|@)\S*")


def special_characters(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Special characters: brackets, slashes, &, §, semicolons, gender signs."""
    addresses = [(m.start(), m.end()) for m in _ADDRESS_RE.finditer(sentence.text)]
    hits = []
    for m in _SPECIAL_RE.finditer(sentence.text):
        if any(a <= m.start() < b for a, b in addresses):
            continue
        char = "\u00ad" if m.group() == "\u00ad" else m.group()
        hits.append(
            Hit(sentence.start + m.start(), sentence.start + m.end(), {"word": char})
        )
    return hits[:3]


def cross_reference(
    sentence: Span, words: list[Span], profile: PlainLanguageProfile
) -> list[Hit]:
    """Footnote marks and references to other places in the text."""
    hits = []
    lowered = sentence.text.lower()
    pattern = _CROSS_REFERENCE_CACHE.get(profile.cross_reference_phrases)
    if pattern is None:
        phrases = sorted(profile.cross_reference_phrases, key=len, reverse=True)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + ")"
        )
        _CROSS_REFERENCE_CACHE[profile.cross_reference_phrases] = pattern
    if pattern.pattern != r"(?<!\w)(?:)":
        for m in pattern.finditer(lowered):
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
    "indirect-speech": indirect_speech,
    "praeteritum": praeteritum,
    "negation": negation,
    "abbreviation": abbreviation,
    "number": number,
    "number-word": number_word,
    "roman-numeral": roman_numeral,
    "range": range_dash,
    "date": date,
    "special-characters": special_characters,
    "long-compound": long_compound,
    "cross-reference": cross_reference,
}
