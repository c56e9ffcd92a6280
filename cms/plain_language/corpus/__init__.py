"""The checker's test corpora and their evaluation per rule.

``corpus.yaml``: the first corpus (standard German and its rewrites, handbook
themes, with a glossary). ``sentences.yaml``: 319 sentences written later from six
areas of life, alternating between a tuning part and a held-back part
(``SENTENCES_PARTS``). Rules were tuned on ``corpus.yaml`` and the tuning part; the
held-back part measures them.

Each entry is checked on its own with its corpus's glossary; the rule ids found in
it are compared with the expected ones. Per rule: true positives (expected and
found), false positives (found, not expected), false negatives (expected, missed).
A sentence that follows the rules and gets any finding is a false alarm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cms.plain_language.checker import plain_language_check
from cms.plain_language.profile import RULE_IDS, PlainLanguageProfile

CORPUS_PATH = Path(__file__).with_name("corpus.yaml")
SENTENCES_PATH = Path(__file__).with_name("sentences.yaml")
TUNING = "tuning"
HELD_BACK = "held-back"
SENTENCES_PARTS = (TUNING, HELD_BACK)


@dataclass
class RuleScore:
    """Counts for one rule over the corpus."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        """Share of findings that were expected (1.0 when nothing was found)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of expected findings that were found (1.0 when none expected)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


@dataclass
class CorpusEvaluation:
    """The checker against the corpus: scores per rule and every mismatch."""

    entries: int = 0
    rewrites: int = 0
    clean_rewrites: int = 0
    # Sentences that follow the rules ("expect: []") and those with any finding.
    clean_entries: int = 0
    false_alarms: int = 0
    rules: dict[str, RuleScore] = field(
        default_factory=lambda: {rule: RuleScore() for rule in RULE_IDS}
    )
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def overall(self) -> RuleScore:
        """Counts summed over all rules."""
        total = RuleScore()
        for score in self.rules.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    @property
    def false_alarm_rate(self) -> float:
        """Share of rule-following sentences with at least one finding."""
        return self.false_alarms / self.clean_entries if self.clean_entries else 0.0


def corpus_read(path: Path = CORPUS_PATH) -> dict[str, Any]:
    """The corpus as stored: ``glossary`` and ``sentences``."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def corpus_entries(*, path: Path = CORPUS_PATH, part: str | None = None) -> list[Any]:
    """The entries of a corpus file; for ``sentences.yaml`` optionally one part."""
    entries: list[Any] = corpus_read(path)["sentences"]
    if part is None:
        return entries
    if part not in SENTENCES_PARTS:
        raise ValueError(f"part must be one of {SENTENCES_PARTS}, not {part!r}")
    # Entries alternate: 1st, 3rd, … tuning; 2nd, 4th, … held back.
    return entries[SENTENCES_PARTS.index(part) :: 2]


def corpus_evaluate(
    *,
    path: Path = CORPUS_PATH,
    part: str | None = None,
    profile: PlainLanguageProfile | None = None,
) -> CorpusEvaluation:
    """Check every entry (of ``part``) and compare the rules found with the expected."""
    glossary = corpus_read(path).get("glossary") or []
    evaluation = CorpusEvaluation()
    for entry in corpus_entries(path=path, part=part):
        text = entry.get("text")
        expected = set(entry.get("expect") or [])
        result = plain_language_check(text, profile=profile, glossary_terms=glossary)
        found = {f.rule for f in result.findings}
        evaluation.entries += 1
        if not expected:
            evaluation.clean_entries += 1
            evaluation.false_alarms += bool(found)
        if entry.get("kind") == "rewrite":
            evaluation.rewrites += 1
            evaluation.clean_rewrites += not found
        for rule in expected | found:
            score = evaluation.rules.setdefault(rule, RuleScore())
            if rule in expected and rule in found:
                score.true_positives += 1
            elif rule in found:
                score.false_positives += 1
            else:
                score.false_negatives += 1
        if expected != found:
            evaluation.mismatches.append(
                {
                    "text": text,
                    "missed": sorted(expected - found),
                    "unexpected": sorted(found - expected),
                }
            )
    return evaluation
