"""Simple part of `make bench`: the Leichte Sprache checker's quality and speed.

Quality: precision and recall per rule and overall, and the share of
rule-following sentences with a false alarm, on three sets
(cms/plain_language/corpus/): the first corpus (corpus.yaml), the tuning part and
the held-back part of sentences.yaml. The rules were adjusted on the first two
only; the held-back figures are the ones to quote.

Speed: check time of one page of about 600 words (sentences of sentences.yaml in a
row, as a writer's page would be): the admin panel runs the checker on every
typing pause. "first" is a check of the page in a fresh word cache (the HanTa
model already loaded, as in a running worker); p50/p95 repeat the check.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

ROUNDS = int(os.environ.get("BENCH_SIMPLE_ROUNDS", "200"))


def _scores(evaluation: Any) -> dict[str, Any]:
    rules = {}
    print(f"  {'rule':22} precision  recall   tp  fp  fn")
    for rule, score in evaluation.rules.items():
        rules[rule] = {
            "precision": round(score.precision, 3),
            "recall": round(score.recall, 3),
            "true_positives": score.true_positives,
            "false_positives": score.false_positives,
            "false_negatives": score.false_negatives,
        }
        print(
            f"  {rule:22} {score.precision:9.3f} {score.recall:7.3f} "
            f"{score.true_positives:4} {score.false_positives:3} "
            f"{score.false_negatives:3}"
        )
    overall = evaluation.overall
    print(
        f"  {'overall':22} {overall.precision:9.3f} {overall.recall:7.3f} "
        f"{overall.true_positives:4} {overall.false_positives:3} "
        f"{overall.false_negatives:3}"
    )
    print(
        f"  sentences: {evaluation.entries}; rule-following: "
        f"{evaluation.clean_entries}, with a false alarm: {evaluation.false_alarms} "
        f"({evaluation.false_alarm_rate:.1%})"
    )
    return {
        "sentences": evaluation.entries,
        "rule_following": evaluation.clean_entries,
        "false_alarms": evaluation.false_alarms,
        "false_alarm_rate": round(evaluation.false_alarm_rate, 4),
        "precision": round(overall.precision, 3),
        "recall": round(overall.recall, 3),
        "rules": rules,
        "mismatches": evaluation.mismatches,
    }


def run() -> dict[str, Any]:
    import django

    django.setup()
    from cms.plain_language import morphology
    from cms.plain_language.checker import plain_language_check
    from cms.plain_language.corpus import (
        HELD_BACK,
        SENTENCES_PATH,
        TUNING,
        corpus_entries,
        corpus_evaluate,
    )

    started = time.perf_counter()
    morphology.morphology_warm()
    load_s = time.perf_counter() - started
    print(f"HanTa model load: {load_s:.2f} s")

    sets: dict[str, dict[str, Any]] = {
        "corpus": {},
        "sentences_tuning": {"path": SENTENCES_PATH, "part": TUNING},
        "sentences_held_back": {"path": SENTENCES_PATH, "part": HELD_BACK},
    }
    results: dict[str, Any] = {}
    for name, kwargs in sets.items():
        print(f"[{name}]")
        results[name] = _scores(corpus_evaluate(**kwargs))

    sentences = [e["text"] for e in corpus_entries(path=SENTENCES_PATH)]
    words = 0
    page_lines: list[str] = []
    for line in sentences:
        if words >= 600:
            break
        page_lines.append(line)
        words += len(line.split())
    page = "\n".join(page_lines)
    morphology.word_analyse.cache_clear()
    started = time.perf_counter()
    plain_language_check(page)
    first = (time.perf_counter() - started) * 1000
    timings = []
    cpu_timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        cpu_started = time.process_time()
        plain_language_check(page)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    # CPU time: what one check costs, without the waits of a machine shared
    # with other work (wall time above includes them).
    cpu_p50 = statistics.median(cpu_timings)
    print(
        f"check time, {words}-word page ({len(page_lines)} sentences): first "
        f"{first:.1f} ms (empty word cache), then {ROUNDS} rounds: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms wall; p50 {cpu_p50:.1f} ms CPU; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    ablation = _ablation(corpus_evaluate, SENTENCES_PATH, HELD_BACK)
    demo = _demo_text_check(plain_language_check)
    print(
        f"demo de-x-ls translation ({demo['words']} words, {demo['sentences']} "
        f"sentences) in one check: {demo['check_ms']:.1f} ms; findings per rule: "
        f"{demo['findings_per_rule']}"
    )
    return {
        **results,
        "hanta_load_s": round(load_s, 2),
        "page_words": words,
        "page_sentences": len(page_lines),
        "rounds": ROUNDS,
        "check_ms_first": round(first, 2),
        "check_ms_p50": round(p50, 2),
        "check_ms_p95": round(p95, 2),
        "check_cpu_ms_p50": round(cpu_p50, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "demo_de_x_ls_text": demo,
        "hanta_ablation_held_back": ablation,
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


def _ablation(evaluate: Any, path: Any, part: str) -> dict[str, Any]:
    # What HanTa adds: the rules that use it, each against the hand-written rule
    # it replaced (word endings and lists, as before issue 16), on the held-back
    # half. Every other rule stays as it is.
    import re

    from cms.plain_language import rules
    from cms.plain_language.rules import Hit

    def praeteritum_by_endings(sentence: Any, words: Any, profile: Any) -> list[Hit]:
        hits = []
        for i, word in enumerate(words):
            low = word.text.lower()
            if low in profile.allowed_preterite:
                continue
            listed = low in profile.irregular_preterite and (
                i == 0 or word.text[:1].islower()
            )
            if listed or (
                word.text[:1].islower()
                and len(low) >= 5
                and word.text.isalpha()
                and low.endswith(("te", "ten"))
                and not low.endswith(("ste", "sten"))
                and low not in profile.not_preterite
                and low not in profile.konjunktiv_words
                and not (i > 0 and words[i - 1].text.lower() in rules._DETERMINERS)
                and not (low.endswith("ten") and low[-4:-3] in "aeiouäöüy")
                and not re.match(rf"^(?:{rules._SEPARABLE})ge\w+ten?$", low)
            ):
                hits.append(Hit(word.start, word.end, {"word": word.text}))
        return hits

    allowlist = rules._words(
        "informationen information organisation organisationen möglichkeiten "
        "möglichkeit unterstützung veranstaltung veranstaltungen verantwortung "
        "entscheidung entscheidungen vereinbarung vereinbarungen bescheinigung "
        "bescheinigungen beschäftigung versicherung versicherungen übersetzung "
        "übersetzungen verwaltungen voraussetzung voraussetzungen gemeinschaft "
        "gesellschaft beratungsstelle zusammenarbeit deutschland wirtschaftlich "
        "verständigung anerkennung teilnehmerinnen teilnehmenden mitarbeiterin "
        "mitarbeiterinnen mitarbeitern berechtigung berechtigungen"
    )

    def compound_by_length(sentence: Any, words: Any, profile: Any) -> list[Hit]:
        return [
            Hit(w.start, w.end, {"word": w.text})
            for w in words
            if w.text[:1].isupper()
            and w.text.isalpha()
            and not w.text.isupper()
            and len(w.text) >= profile.compound_min_length
            and w.text.lower() not in allowlist
        ]

    def indirect_speech_by_list(sentence: Any, words: Any, profile: Any) -> list[Hit]:
        listed = rules._KONJUNKTIV_I_ALWAYS | rules._KONJUNKTIV_I_MODALS
        return [
            Hit(w.start, w.end, {"word": w.text})
            for i, w in enumerate(words)
            if i > 0 and w.text in listed
        ]

    replacements = {
        "praeteritum": praeteritum_by_endings,
        "long-compound": compound_by_length,
        "indirect-speech": indirect_speech_by_list,
    }
    with_hanta = evaluate(path=path, part=part)
    original = dict(rules.SENTENCE_RULES)
    try:
        rules.SENTENCE_RULES.update(replacements)
        without = evaluate(path=path, part=part)
    finally:
        rules.SENTENCE_RULES.update(original)
    result = {}
    print("[HanTa against the hand-written rules it replaced, held-back half]")
    print(f"  {'rule':22} with HanTa (P / R)   without (P / R)")
    for rule in replacements:
        a, b = with_hanta.rules[rule], without.rules[rule]
        result[rule] = {
            "with_hanta": {
                "precision": round(a.precision, 3),
                "recall": round(a.recall, 3),
            },
            "without": {
                "precision": round(b.precision, 3),
                "recall": round(b.recall, 3),
            },
        }
        print(
            f"  {rule:22} {a.precision:5.2f} / {a.recall:4.2f}        "
            f"{b.precision:5.2f} / {b.recall:4.2f}"
        )
    print(
        f"  false alarms on rule-following sentences: with {with_hanta.false_alarms}, "
        f"without {without.false_alarms} (of {with_hanta.clean_entries})"
    )
    result["false_alarms"] = {
        "with_hanta": with_hanta.false_alarms,
        "without": without.false_alarms,
        "rule_following": with_hanta.clean_entries,
    }
    return result
