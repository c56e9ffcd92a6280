"""The Leichte Sprache checker: text in, findings and readability scores out.

Pure Python, no database: the admin panel calls it on every typing pause, the
command on any text, the Prüfgruppe step on a page (through
``cms.plain_language.selectors.plain_language_check_page``).

Offsets: every finding has ``start``/``end`` (the flagged words, or the whole
sentence for sentence-length) as character offsets into the checked text, and the
sentence it belongs to.

Glossary words count as explained (convention, also in the README) when the page
has a glossary block for the term, or when a sentence of the text explains it:

- the sentence starts with the term (an article before it is fine) followed by
  "ist", "sind", "bedeutet", "heißt" or a colon ("Integrations·kurs: Ein Kurs …"),
- or the sentence right after the term's first use starts with "Das heißt",
  "Das bedeutet", "Das ist" or "Damit ist … gemeint".

Terms are compared without Mediopunkt, hyphen and case, so "Integrations·kurs"
matches the glossary term "Integrationskurs"; common endings (-e, -en, -n, -s, -es,
-er, -ern) are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext

from cms.plain_language.profile import PlainLanguageProfile, profile_from_settings
from cms.plain_language.rules import SENTENCE_RULES, Hit
from cms.plain_language.text import (
    MEDIOPUNKT,
    Span,
    sentences_split,
    syllables_count,
    words_split,
)


@dataclass(frozen=True)
class Finding:
    """One rule broken in one sentence, with what to do about it."""

    rule: str
    severity: str
    message: str
    sentence: str
    sentence_index: int
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def german_number(value: float, decimals: int = 0) -> str:
    """``value`` as German readers write it: "1.234,5" (not "1,234.5").

    One formatting for every place that shows a number (panel, command, review
    screen, messages), whatever the request's or the shell's locale.
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


@dataclass(frozen=True)
class Scores:
    """Readability of the whole text."""

    sentences: int
    words: int
    mean_sentence_length: float
    # Flesch reading ease for German (Amstad 1978): 180 − ASL − 58.5 × ASW.
    flesch_amstad: float

    @property
    def display(self) -> dict[str, str]:
        """The scores formatted for German readers ("49,2")."""
        return {
            "sentences": german_number(self.sentences),
            "words": german_number(self.words),
            "mean_sentence_length": german_number(self.mean_sentence_length, 1),
            "flesch_amstad": german_number(self.flesch_amstad, 1),
        }

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the numbers, and under "display" the German text of each."""
        return {**asdict(self), "display": self.display}


@dataclass(frozen=True)
class CheckResult:
    """Everything the checker found in one text."""

    text: str
    sentences: list[Span]
    findings: list[Finding] = field(default_factory=list)
    scores: Scores = Scores(0, 0, 0.0, 0.0)

    @property
    def errors(self) -> int:
        """How many findings have severity "error"."""
        return sum(1 for f in self.findings if f.severity == "error")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as the admin panel's endpoint returns it."""
        return {
            "sentences": [
                {"text": s.text, "start": s.start, "end": s.end} for s in self.sentences
            ],
            "findings": [f.as_dict() for f in self.findings],
            "scores": self.scores.as_dict(),
        }


def _message(rule: str, hit: Hit) -> str:
    p = hit.params
    if rule == "sentence-length":
        return gettext(
            "Der Satz hat %(count)s Wörter (erlaubt: %(limit)s). Teilen Sie ihn "
            "in kurze Sätze."
        ) % {
            "count": german_number(int(p["count"])),
            "limit": german_number(int(p["limit"])),
        }
    if rule == "one-statement":
        return gettext(
            "„%(word)s“ beginnt eine zweite Aussage. Schreiben Sie jede Aussage "
            "in einen eigenen Satz."
        ) % {"word": p["word"]}
    if rule == "passive":
        return gettext(
            "Passiv („%(auxiliary)s … %(participle)s“). Schreiben Sie aktiv: "
            "Sagen Sie, wer etwas tut."
        ) % {"auxiliary": p["auxiliary"], "participle": p["participle"]}
    if rule == "genitive":
        return gettext(
            "Genitiv. Schreiben Sie „von“ oder „von dem“, zum Beispiel: "
            "„das Haus von dem Lehrer“."
        )
    if rule == "konjunktiv":
        return gettext(
            "Konjunktiv („%(word)s“). Schreiben Sie klar, was ist oder was der "
            "Leser tun kann."
        ) % {"word": p["word"]}
    if rule == "negation":
        return gettext(
            "Verneinung („%(word)s“). Sagen Sie es positiv, wenn es geht. Sonst "
            "schreiben Sie das Wort fett."
        ) % {"word": p["word"]}
    if rule == "praeteritum":
        return gettext(
            "Präteritum („%(word)s“). Schreiben Sie im Perfekt, zum Beispiel: "
            "„ist gegangen“, „hat gelernt“."
        ) % {"word": p["word"]}
    if rule == "abbreviation":
        return gettext(
            "Abkürzung („%(word)s“). Schreiben Sie das Wort aus, oder erklären "
            "Sie die Abkürzung."
        ) % {"word": p["word"]}
    if rule == "number":
        if p["kind"] == "percent":
            return gettext(
                "Prozent-Zahl („%(word)s“). Schreiben Sie zum Beispiel „die "
                "Hälfte“ oder „viele“."
            ) % {"word": p["word"]}
        if p["kind"] == "decimal":
            return gettext(
                "Komma-Zahl („%(word)s“). Runden Sie die Zahl, oder schreiben Sie "
                "„ungefähr 3“."
            ) % {"word": p["word"]}
        return gettext(
            "Große Zahl („%(word)s“). Schreiben Sie „viele“ oder vergleichen "
            "Sie mit etwas Bekanntem."
        ) % {"word": p["word"]}
    if rule == "indirect-speech":
        return gettext(
            "Indirekte Rede („%(word)s“). Schreiben Sie, wer was sagt: „Die Frau "
            "sagt: Der Kurs ist voll.“"
        ) % {"word": p["word"]}
    if rule == "number-word":
        return gettext(
            "Zahl als Wort („%(word)s“). Schreiben Sie die Zahl mit Ziffern, zum "
            "Beispiel: „13“."
        ) % {"word": p["word"]}
    if rule == "range":
        return gettext(
            "Bereich mit Strich („%(word)s“). Schreiben Sie „von … bis …“, zum "
            "Beispiel: „von 9 bis 12 Uhr“, „von Montag bis Freitag“."
        ) % {"word": p["word"]}
    if rule == "date":
        return gettext(
            "Datum in Ziffern („%(word)s“). Schreiben Sie den Monat aus, zum "
            "Beispiel: „12. März 2026“."
        ) % {"word": p["word"]}
    if rule == "special-characters":
        return gettext(
            "Sonderzeichen („%(word)s“). Lassen Sie Klammern, Schrägstriche und "
            "andere Zeichen weg. Schreiben Sie einen eigenen Satz oder „oder“."
        ) % {"word": str(p["word"]).replace("\u00ad", "Trennstrich")}
    if rule == "roman-numeral":
        return gettext(
            "Römische Zahl („%(word)s“). Schreiben Sie die Zahl mit Ziffern."
        ) % {"word": p["word"]}
    if rule == "long-compound":
        return gettext(
            "Langes Wort („%(word)s“). Trennen Sie es mit einem Medio·punkt, "
            "zum Beispiel: „Bürger·meister“."
        ) % {"word": p["word"]}
    if rule == "glossary-unexplained":
        return gettext(
            "„%(word)s“ steht im Wörterbuch, ist hier aber nicht erklärt. "
            "Erklären Sie das Wort im nächsten Satz, oder fügen Sie einen "
            "Wörterbuch-Block ein."
        ) % {"word": p["word"]}
    return gettext(
        "Verweis oder Fußnote („%(word)s“). Schreiben Sie die Information "
        "direkt in den Text."
    ) % {"word": p["word"]}


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(MEDIOPUNKT, "").replace("-", "")).lower()


_ENDINGS = r"(?:e|en|n|s|es|er|ern)?"
_EXPLAINS_AFTER = re.compile(r"^(?:das heißt|das bedeutet|das ist|damit ist)\b")
_ARTICLE = r"(?:(?:ein|eine|einen|der|die|das|den)\s)?"


def _glossary_hits(
    sentences: list[Span],
    terms: Iterable[str],
    explained: Iterable[str],
) -> list[tuple[int, Hit]]:
    explained_norm = {_normalise(t) for t in explained}
    normalised = [_normalise(s.text) for s in sentences]
    hits = []
    for term in terms:
        norm = _normalise(term).strip()
        if not norm or norm in explained_norm:
            continue
        use = re.compile(rf"(?<!\w){re.escape(norm)}{_ENDINGS}(?!\w)")
        definition = re.compile(
            rf"^{_ARTICLE}{re.escape(norm)}{_ENDINGS}(?:\s?:|\s(?:bedeutet|bedeuten|heißt"
            rf"|heißen)\b|\s(?:ist|sind)\s(?:ein|eine|einer|der|die|das|für)\b)"
        )
        first = next((i for i, s in enumerate(normalised) if use.search(s)), None)
        if first is None:
            continue
        is_explained = any(definition.match(s) for s in normalised) or (
            first + 1 < len(normalised)
            and _EXPLAINS_AFTER.match(normalised[first + 1]) is not None
        )
        if is_explained:
            continue
        sentence = sentences[first]
        span = _original_span(sentence, term)
        hits.append((first, Hit(span[0], span[1], {"word": term})))
    return hits


def _original_span(sentence: Span, term: str) -> tuple[int, int]:
    # The term as written, Mediopunkt/hyphen inside allowed.
    letters = [re.escape(c) for c in term.replace(MEDIOPUNKT, "") if c != "-"]
    pattern = re.compile(r"[\u00b7\-]?".join(letters), re.IGNORECASE)
    m = pattern.search(sentence.text)
    if m is None:
        return sentence.start, sentence.end
    return sentence.start + m.start(), sentence.start + m.end()


def plain_language_check(
    text: str,
    *,
    profile: PlainLanguageProfile | None = None,
    glossary_terms: Iterable[str] = (),
    explained_terms: Iterable[str] = (),
) -> CheckResult:
    """Check ``text`` against the Leichte Sprache rules of ``profile``.

    ``glossary_terms`` are the glossary's words; ``explained_terms`` those the page
    explains in a glossary block (see the module docstring for the convention).
    """
    profile = profile or profile_from_settings()
    sentences = sentences_split(text)
    findings: list[Finding] = []
    word_count = 0
    syllables = 0
    for index, sentence in enumerate(sentences):
        words = words_split(sentence)
        word_count += len(words)
        syllables += sum(syllables_count(w.text) for w in words)
        for rule_id, rule in SENTENCE_RULES.items():
            if not profile.enabled(rule_id):
                continue
            for hit in rule(sentence, words, profile):
                findings.append(_finding(rule_id, hit, sentence, index, profile))
    if profile.enabled("glossary-unexplained"):
        for index, hit in _glossary_hits(sentences, glossary_terms, explained_terms):
            findings.append(
                _finding("glossary-unexplained", hit, sentences[index], index, profile)
            )
    findings.sort(key=lambda f: (f.sentence_index, f.start))
    return CheckResult(
        text=text,
        sentences=sentences,
        findings=findings,
        scores=_scores(len(sentences), word_count, syllables),
    )


def _finding(
    rule_id: str,
    hit: Hit,
    sentence: Span,
    index: int,
    profile: PlainLanguageProfile,
) -> Finding:
    return Finding(
        rule=rule_id,
        severity=profile.severity(rule_id),
        message=_message(rule_id, hit),
        sentence=sentence.text,
        sentence_index=index,
        start=hit.start,
        end=hit.end,
    )


def _scores(sentences: int, words: int, syllables: int) -> Scores:
    if not sentences or not words:
        return Scores(sentences, words, 0.0, 0.0)
    asl = words / sentences
    asw = syllables / words
    return Scores(
        sentences=sentences,
        words=words,
        mean_sentence_length=round(asl, 1),
        flesch_amstad=round(180 - asl - 58.5 * asw, 1),
    )
