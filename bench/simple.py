"""Simple part of `make bench`: the Leichte Sprache checker's quality and speed.

Quality: precision and recall per rule over the corpus in
cms/plain_language/corpus/corpus.yaml. Speed: check time of one page of about 600
words (corpus sentences in a row, as a writer's page would be) — the admin panel
runs the checker on every typing pause, so p95 must stay far below the ~400 ms
debounce.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

ROUNDS = int(os.environ.get("BENCH_SIMPLE_ROUNDS", "200"))


def run() -> dict[str, Any]:
    import django

    django.setup()
    from cms.plain_language.checker import plain_language_check
    from cms.plain_language.corpus import corpus_evaluate, corpus_read

    evaluation = corpus_evaluate()
    rules = {}
    print(f"{'rule':24} precision  recall   tp  fp  fn")
    for rule, score in evaluation.rules.items():
        rules[rule] = {
            "precision": round(score.precision, 3),
            "recall": round(score.recall, 3),
            "true_positives": score.true_positives,
            "false_positives": score.false_positives,
            "false_negatives": score.false_negatives,
        }
        print(
            f"{rule:24} {score.precision:9.2f} {score.recall:7.2f} "
            f"{score.true_positives:4} {score.false_positives:3} "
            f"{score.false_negatives:3}"
        )
    data = corpus_read()
    sentences = [e["text"] for e in data["sentences"]]
    lines: list[str] = []
    while sum(len(s.split()) for s in lines) < 600:
        lines += sentences
    words = 0
    page_lines: list[str] = []
    for line in lines:
        if words >= 600:
            break
        page_lines.append(line)
        words += len(line.split())
    page = "\n".join(page_lines)
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        plain_language_check(page, glossary_terms=data["glossary"])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"check time, {words}-word page ({len(page_lines)} sentences), "
        f"{ROUNDS} rounds: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    demo = _demo_text_check(plain_language_check)
    print(
        f"demo de-x-ls translation ({demo['words']} words, {demo['sentences']} "
        f"sentences) in one check: {demo['check_ms']:.1f} ms; findings per rule: "
        f"{demo['findings_per_rule']}"
    )
    print(
        f"corpus: {evaluation.entries} sentences, {evaluation.rewrites} rewrites "
        f"({evaluation.clean_rewrites} without findings), "
        f"{len(evaluation.mismatches)} mismatches"
    )
    return {
        "corpus_sentences": evaluation.entries,
        "rewrites": evaluation.rewrites,
        "clean_rewrites": evaluation.clean_rewrites,
        "mismatches": evaluation.mismatches,
        "rules": rules,
        "page_words": words,
        "page_sentences": len(page_lines),
        "rounds": ROUNDS,
        "check_ms_p50": round(p50, 2),
        "check_ms_p95": round(p95, 2),
        "demo_de_x_ls_text": demo,
    }


def _demo_text_check(check: Any) -> dict[str, Any]:
    # Every string of the demo's Leichte Sprache translation as one text: real
    # Leichte Sprache, not labelled, so it gives finding counts (for reading
    # through) and the time of one check of a long text.
    import html
    import re
    from collections import Counter
    from pathlib import Path

    import yaml

    path = Path("cms/demo/data/translations/de-x-ls.yaml")
    strings = yaml.safe_load(path.read_text(encoding="utf-8"))["strings"]
    text = "\n".join(
        re.sub(r"<[^>]+>", "\n", html.unescape(v))
        for v in strings.values()
        if isinstance(v, str)
    )
    started = time.perf_counter()
    result = check(text)
    elapsed = (time.perf_counter() - started) * 1000
    return {
        "words": result.scores.words,
        "sentences": result.scores.sentences,
        "check_ms": round(elapsed, 2),
        "flesch_amstad": result.scores.flesch_amstad,
        "mean_sentence_length": result.scores.mean_sentence_length,
        "findings_per_rule": dict(Counter(f.rule for f in result.findings)),
    }
