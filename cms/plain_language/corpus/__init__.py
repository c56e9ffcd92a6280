"""The checker's test corpus (corpus.yaml) and its evaluation per rule.

Each corpus entry is checked on its own with the corpus glossary; the rule ids found
in it are compared with the expected ones. Per rule: true positives (expected and
found), false positives (found, not expected), false negatives (expected, missed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cms.plain_language.checker import plain_language_check
from cms.plain_language.profile import RULE_IDS, PlainLanguageProfile

CORPUS_PATH = Path(__file__).with_name("corpus.yaml")


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
    rules: dict[str, RuleScore] = field(
        default_factory=lambda: {rule: RuleScore() for rule in RULE_IDS}
    )
    mismatches: list[dict[str, Any]] = field(default_factory=list)


def corpus_read(path: Path = CORPUS_PATH) -> dict[str, Any]:
    """The corpus as stored: ``glossary`` and ``sentences``."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def corpus_evaluate(
    *, path: Path = CORPUS_PATH, profile: PlainLanguageProfile | None = None
) -> CorpusEvaluation:
    """Check every corpus entry and compare the rules found with the expected."""
    data = corpus_read(path)
    glossary = data.get("glossary", [])
    evaluation = CorpusEvaluation()
    for entry in data["sentences"]:
        expected = set(entry.get("expect") or [])
        result = plain_language_check(
            entry["text"], profile=profile, glossary_terms=glossary
        )
        found = {f.rule for f in result.findings}
        evaluation.entries += 1
        if entry["kind"] == "rewrite":
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
                    "text": entry["text"],
                    "missed": sorted(expected - found),
                    "unexpected": sorted(found - expected),
                }
            )
    return evaluation
