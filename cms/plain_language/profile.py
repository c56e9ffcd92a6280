"""The one place where the Leichte Sprache rules, limits and word lists live.

Defaults follow the rules of the Netzwerk Leichte Sprache ("Leichte Sprache – Die
Bilder", rule book of 2022) and DIN SPEC 33429 (2025): short sentences with one
statement each, active voice, no genitive, no Konjunktiv, few negations, Perfekt
instead of Präteritum, no abbreviations, small whole numbers in digits, no Roman
numerals, long compound words split (Mediopunkt ``·`` or hyphen), difficult words
explained where they are used, no footnotes or cross references.

A district tunes the checker with the setting ``PLAIN_LANGUAGE_PROFILE``, a dict of
field names below and their new values, e.g.::

    PLAIN_LANGUAGE_PROFILE = {
        "max_sentence_words": 12,
        "disabled_rules": ["negation"],
        "compound_allowlist_extra": ["Volkshochschule"],
    }

Unknown keys raise ``ImproperlyConfigured`` naming the known ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

# Rule ids: stable, used in JSON output, the corpus and the profile.
RULE_IDS = (
    "sentence-length",
    "one-statement",
    "passive",
    "genitive",
    "konjunktiv",
    "indirect-speech",
    "negation",
    "praeteritum",
    "abbreviation",
    "number",
    "number-word",
    "roman-numeral",
    "range",
    "date",
    "special-characters",
    "long-compound",
    "glossary-unexplained",
    "cross-reference",
)

_DEFAULT_SEVERITIES = {
    "sentence-length": ERROR,
    "one-statement": ERROR,
    "passive": ERROR,
    "genitive": ERROR,
    "konjunktiv": ERROR,
    "indirect-speech": ERROR,
    # The Netzwerk allows a negation when it matters (then printed bold).
    "negation": WARNING,
    "praeteritum": ERROR,
    "abbreviation": ERROR,
    "number": WARNING,
    "number-word": WARNING,
    "roman-numeral": ERROR,
    "range": WARNING,
    "date": WARNING,
    "special-characters": WARNING,
    "long-compound": WARNING,
    "glossary-unexplained": ERROR,
    "cross-reference": ERROR,
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class PlainLanguageProfile:
    """Rules, limits and word lists of the Leichte Sprache checker.

    Every field is a knob a district may override through ``PLAIN_LANGUAGE_PROFILE``.
    Word lists are compared in lower case unless said otherwise.
    """

    # Rules switched off entirely (rule ids from RULE_IDS).
    disabled_rules: frozenset[str] = frozenset()
    # Severity per rule id ("error" or "warning"); missing ids use the defaults.
    severities: Mapping[str, str] = field(
        default_factory=lambda: dict(_DEFAULT_SEVERITIES)
    )

    # sentence-length: most words a sentence may have (Netzwerk: "kurze Sätze";
    # LanguageTool's simple-language rules allow 12; DIN SPEC 33429 recommends
    # about 8 to 15 words).
    max_sentence_words: int = 12

    # one-statement: words that open a second clause (subordinating conjunctions,
    # relative pronouns after a comma are detected separately).
    subordinators: frozenset[str] = _words(
        "weil dass obwohl obgleich wenn falls nachdem bevor damit sodass sobald "
        "solange indem ob wobei weshalb weswegen sofern"
    )
    # Relative clauses after a comma (", die …", ", der …") count as a second
    # statement; set False to allow them (many Leichte Sprache texts use them).
    flag_relative_clauses: bool = True
    # Coordinating conjunctions that join two statements when they follow a comma.
    clause_conjunctions: frozenset[str] = _words("und oder aber denn sondern doch")

    # passive: forms of "werden" that make a passive with a Partizip II.
    passive_auxiliaries: frozenset[str] = _words(
        "werde wirst wird werden werdet wurde wurdest wurden wurdet worden"
    )

    # genitive: prepositions that take the genitive.
    genitive_prepositions: frozenset[str] = _words(
        "wegen trotz statt anstatt aufgrund innerhalb außerhalb anhand mithilfe "
        "bezüglich laut infolge angesichts"
    )

    # konjunktiv: Konjunktiv II forms; konjunktiv_allowed are polite forms that
    # Leichte Sprache texts commonly use ("Sie möchten …").
    konjunktiv_words: frozenset[str] = _words(
        "würde würdest würden würdet hätte hättest hätten hättet wäre wärst wären "
        "wärt könnte könntest könnten könntet müsste müsstest müssten müsstet "
        "sollte solltest sollten solltet dürfte dürftest dürften dürftet möchte "
        "möchtest möchten möchtet bräuchte bräuchten käme kämen ginge"
    )
    konjunktiv_allowed: frozenset[str] = _words("möchte möchtest möchten möchtet")

    # negation: words that negate.
    negation_words: frozenset[str] = _words(
        "nicht kein keine keinen keinem keiner keines nie niemals niemand "
        "niemanden niemandem nichts nirgends nirgendwo weder"
    )

    # praeteritum: strong/irregular preterite forms; weak forms (-te, -ten) are
    # found by their ending. allowed_preterite: forms the rules permit because the
    # Perfekt would be harder ("war", "hatte").
    irregular_preterite: frozenset[str] = _words(
        "ging gingen kam kamen sah sahen gab gaben nahm nahmen fand fanden blieb "
        "blieben schrieb schrieben sprach sprachen las lasen traf trafen half "
        "halfen bekam bekamen stand standen saß saßen lag lagen fuhr fuhren zog "
        "zogen rief riefen hielt hielten ließ ließen fiel fielen lief liefen trug "
        "trugen wusste wussten dachte dachten brachte brachten kannte kannten "
        "nannte nannten begann begannen gewann gewannen verlor verloren erhielt "
        "erhielten verließ verließen bat baten aß aßen trank tranken schlief "
        "schliefen wurde wurden war waren hatte hatten konnte konnten musste "
        "mussten durfte durften wollte wollten mochte mochten fing fingen flog "
        "flogen zog bezog bezogen entschied entschieden erfuhr erfuhren "
        "verstand verstanden besuchte besuchten"
    )
    allowed_preterite: frozenset[str] = _words("war waren hatte hatten")
    # Lower-case words ending in -te/-ten that are not preterite forms.
    not_preterite: frozenset[str] = _words(
        "heute bitte mitte gute guten erste ersten zweite zweiten dritte dritten "
        "vierte fünfte sechste siebte achte neunte zehnte letzte letzten nächste "
        "nächsten beste besten meiste meisten weite weiten leichte leichten "
        "rechte rechten echte echten feste festen alte alten kalte kalten harte "
        "harten konkrete konkreten breite breiten bunte bunten private privaten "
        "gesamte gesamten warten halten achten beachten kosten antworten starten "
        "testen richten leisten heiraten erwarten gelten schalten gestalten "
        "treten vertreten betreten fürchten berichten verhalten erhalten "
        "enthalten behalten unterhalten bewerten vermieten retten beraten raten "
        "braten bitten leiten posten fasten trösten belasten entlasten "
        "übernachten beobachten verwalten falten spalten zelten anmelden "
        "unten hinten vorbereiten verbreiten arbeiten bieten mieten selten mitten "
        "oben später"
    )

    # abbreviation: abbreviations with a full stop (matched as written, with or
    # without the space inside), and upper-case acronyms of 2 to 6 letters.
    abbreviations: tuple[str, ...] = (
        "z. B.", "d. h.", "u. a.", "o. ä.", "v. a.", "i. d. R.", "z. T.", "u. U.",
        "usw.", "bzw.", "ca.", "Nr.", "etc.", "ggf.", "evtl.", "inkl.", "zzgl.",
        "bspw.", "Str.", "Tel.", "sog.", "max.", "mind.", "min.", "Mio.", "Mrd.",
        "Abs.", "Jh.", "allg.", "bzgl.", "usf.", "od.", "u.",
    )  # fmt: skip
    check_acronyms: bool = True
    acronym_allowlist: frozenset[str] = _words("OK")

    # number: whole numbers above this are hard to imagine ("viele" is easier).
    max_number: int = 1000
    # Four-digit years (1900–2099) are fine as they are.
    allow_years: bool = True

    # long-compound: capitalised words of at least this many letters need a split
    # (Bürger·meister or Bürger-Meister); words in the allowlist are long but are
    # not compounds (or are well known).
    compound_min_length: int = 12
    compound_allowlist: frozenset[str] = _words(
        "informationen information organisation organisationen möglichkeiten "
        "möglichkeit unterstützung veranstaltung veranstaltungen verantwortung "
        "entscheidung entscheidungen vereinbarung vereinbarungen bescheinigung "
        "bescheinigungen beschäftigung versicherung versicherungen übersetzung "
        "übersetzungen verwaltungen voraussetzung voraussetzungen gemeinschaft "
        "gesellschaft beratungsstelle zusammenarbeit deutschland "
        "wirtschaftlich verständigung anerkennung teilnehmerinnen teilnehmenden "
        "mitarbeiterin mitarbeiterinnen mitarbeitern integrationsmanagerin "
        "baden-württemberg berechtigung berechtigungen"
    )
    compound_allowlist_extra: frozenset[str] = frozenset()

    # cross-reference: phrases that send the reader elsewhere (lower case).
    cross_reference_phrases: tuple[str, ...] = (
        "siehe seite", "siehe s.", "siehe oben", "siehe unten", "siehe kapitel",
        "siehe abschnitt", "siehe anhang", "s. o.", "s. u.", "vgl.", "fußnote",
        "anmerkung", "auf seite", "in kapitel", "im kapitel", "im abschnitt",
        "in abschnitt", "im anhang",
    )  # fmt: skip

    def severity(self, rule: str) -> str:
        """The severity of ``rule`` under this profile."""
        return self.severities.get(rule, _DEFAULT_SEVERITIES.get(rule, ERROR))

    def enabled(self, rule: str) -> bool:
        """Whether ``rule`` runs under this profile."""
        return rule not in self.disabled_rules

    def is_compound_allowed(self, word: str) -> bool:
        """Long words that need no split under this profile."""
        lowered = word.lower()
        return lowered in self.compound_allowlist or (
            lowered in {w.lower() for w in self.compound_allowlist_extra}
        )


_FIELDS = {f.name: f for f in dataclasses.fields(PlainLanguageProfile)}


def _coerce(name: str, value: Any) -> Any:
    default = _FIELDS[name].default
    if name == "severities":
        if not isinstance(value, Mapping):
            raise ImproperlyConfigured(
                "PLAIN_LANGUAGE_PROFILE['severities'] must be a dict rule id → "
                f"severity ({', '.join(SEVERITIES)})."
            )
        merged = dict(_DEFAULT_SEVERITIES)
        for rule, severity in value.items():
            if rule not in RULE_IDS or severity not in SEVERITIES:
                raise ImproperlyConfigured(
                    f"PLAIN_LANGUAGE_PROFILE['severities'] has {rule!r}: "
                    f"{severity!r}; rules: {', '.join(RULE_IDS)}; severities: "
                    f"{', '.join(SEVERITIES)}."
                )
            merged[rule] = severity
        return merged
    if isinstance(default, frozenset):
        words = value.split() if isinstance(value, str) else list(value)
        if name in {"disabled_rules"}:
            unknown = [w for w in words if w not in RULE_IDS]
            if unknown:
                raise ImproperlyConfigured(
                    f"PLAIN_LANGUAGE_PROFILE['disabled_rules'] names unknown rules "
                    f"{unknown}; known: {', '.join(RULE_IDS)}."
                )
            return frozenset(words)
        if name in {"acronym_allowlist", "compound_allowlist_extra"}:
            return frozenset(str(w) for w in words)
        return frozenset(str(w).lower() for w in words)
    if isinstance(default, tuple):
        return tuple(str(w) for w in value)
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    return value


def profile_from_settings() -> PlainLanguageProfile:
    """The profile with the district's ``PLAIN_LANGUAGE_PROFILE`` overrides."""
    overrides: Mapping[str, Any] = getattr(settings, "PLAIN_LANGUAGE_PROFILE", {})
    return profile_build(overrides=overrides)


def profile_build(*, overrides: Mapping[str, Any]) -> PlainLanguageProfile:
    """A profile from the defaults and ``overrides`` (field name → value)."""
    unknown = sorted(set(overrides) - set(_FIELDS))
    if unknown:
        raise ImproperlyConfigured(
            f"PLAIN_LANGUAGE_PROFILE has unknown keys {unknown}; known: "
            f"{', '.join(sorted(_FIELDS))}."
        )
    values = {name: _coerce(name, value) for name, value in overrides.items()}
    return PlainLanguageProfile(**values)
