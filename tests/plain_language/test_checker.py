"""The Leichte Sprache checker on texts a writer would type."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.plain_language.checker import german_number, plain_language_check
from cms.plain_language.corpus import (
    HELD_BACK,
    SENTENCES_PATH,
    TUNING,
    corpus_evaluate,
)
from cms.plain_language.profile import RULE_IDS, profile_build
from cms.plain_language.text import sentences_split, syllables_count


def rules(text: str, **kwargs) -> list[set[str]]:
    """For each sentence, the ids of the rules it breaks."""
    result = plain_language_check(text, **kwargs)
    found: list[set[str]] = [set() for _ in result.sentences]
    for finding in result.findings:
        found[finding.sentence_index].add(finding.rule)
    return found


def test_sentences_split_on_lines_and_stops_but_not_abbreviations_or_ordinals():
    text = (
        "Am 3. Mai ist z. B. das Amt offen. Sie gehen hin!\n"
        "Das ist gut … oder nicht?\n\nEnde"
    )
    found = [s.text for s in sentences_split(text)]
    assert found == [
        "Am 3. Mai ist z. B. das Amt offen.",
        "Sie gehen hin!",
        "Das ist gut … oder nicht?",
        "Ende",
    ]
    for span in sentences_split(text):
        assert text[span.start : span.end] == span.text


def test_findings_point_at_the_words_in_the_text():
    text = "Sie gehen zum Amt.\nDer Antrag wurde gestern geprüft."
    result = plain_language_check(text)
    passive = next(f for f in result.findings if f.rule == "passive")
    assert text[passive.start : passive.end] == "wurde gestern geprüft"
    assert passive.sentence == "Der Antrag wurde gestern geprüft."
    assert passive.sentence_index == 1
    assert "aktiv" in passive.message


def test_mediopunkt_split_words_pass_and_long_compounds_do_not():
    found = rules("Die Kranken·versicherung bezahlt.\nDie Krankenversicherung bezahlt.")
    assert "long-compound" not in found[0]
    assert "long-compound" in found[1]


def test_each_rule_fires_on_a_typical_sentence():
    cases = {
        "sentence-length": "Sie können am Montag und am Dienstag und am Mittwoch "
        "und am Donnerstag und am Freitag zum Amt gehen.",
        "one-statement": "Sie lernen Deutsch, weil Sie hier arbeiten.",
        "passive": "Das Formular wird ausgefüllt.",
        "genitive": "Das ist die Adresse des Amtes.",
        "konjunktiv": "Sie könnten morgen kommen.",
        "negation": "Das kostet nichts.",
        "praeteritum": "Sie wohnte in Ulm.",
        "abbreviation": "Bringen Sie z. B. den Pass mit.",
        "number": "Der Kurs kostet 2.500 Euro.",
        "roman-numeral": "Lesen Sie Teil III.",
        "long-compound": "Die Aufenthaltserlaubnis ist wichtig.",
        "cross-reference": "Mehr dazu steht auf Seite 4.",
    }
    for rule, text in cases.items():
        assert rule in rules(text)[0], (rule, text)


def test_leichte_sprache_sentences_are_clean():
    text = (
        "Sie sind neu in Ehingen.\n"
        "Melden Sie Ihre Wohnung beim Bürger·amt an.\n"
        "Das Amt ist am Montag von 8 bis 12 Uhr offen.\n"
        "Im Jahr 2025 gibt es einen neuen Kurs."
    )
    assert plain_language_check(text).findings == []


def test_glossary_word_needs_an_explanation_on_the_page():
    glossary = ["Jobcenter"]
    unexplained = plain_language_check(
        "Gehen Sie zum Job·center.", glossary_terms=glossary
    )
    assert [f.rule for f in unexplained.findings] == ["glossary-unexplained"]
    explained_next = plain_language_check(
        "Gehen Sie zum Job·center.\nDas ist ein Amt für Arbeit.",
        glossary_terms=glossary,
    )
    assert explained_next.findings == []
    explained_box = plain_language_check(
        "Gehen Sie zum Job·center.",
        glossary_terms=glossary,
        explained_terms=["Jobcenter"],
    )
    assert explained_box.findings == []


def test_profile_overrides_change_limits_and_switch_rules_off(settings):
    text = "Das kostet nichts und Sie lernen viel."
    assert "negation" in rules(text)[0]
    settings.PLAIN_LANGUAGE_PROFILE = {
        "disabled_rules": ["negation"],
        "max_sentence_words": 5,
    }
    found = rules(text)[0]
    assert "negation" not in found
    assert "sentence-length" in found


def test_profile_rejects_unknown_knobs_with_the_known_ones():
    with pytest.raises(ImproperlyConfigured, match="max_sentence_words"):
        profile_build(overrides={"max_words": 10})
    with pytest.raises(ImproperlyConfigured, match="passive"):
        profile_build(overrides={"disabled_rules": ["passiv"]})


def test_readability_scores():
    result = plain_language_check("Sie gehen zum Amt.\nDas Amt hilft Ihnen gern.")
    assert result.scores.sentences == 2
    assert result.scores.mean_sentence_length == 4.5
    # Short words, short sentences: very easy (Amstad scale, 0–100).
    assert result.scores.flesch_amstad > 80
    assert syllables_count("Bürger·meister") == 4
    assert syllables_count("Einbürgerung") == 4


def test_tuning_corpora_have_every_rule_and_high_precision_and_recall():
    first = corpus_evaluate()
    tuning = corpus_evaluate(path=SENTENCES_PATH, part=TUNING)
    assert first.entries >= 60 and tuning.entries >= 150
    assert first.clean_rewrites >= 0.9 * first.rewrites
    for rule in RULE_IDS:
        scores = [first.rules[rule], tuning.rules[rule]]
        assert sum(s.true_positives for s in scores) > 0, f"{rule} has no example"
        for score, evaluation in zip(scores, (first, tuning), strict=True):
            assert score.precision >= 0.9, (rule, evaluation.mismatches)
            assert score.recall >= 0.9, (rule, evaluation.mismatches)


def test_held_back_sentences_meet_the_targets():
    # Never tuned on (see corpus/__init__.py); the figures per rule are in
    # `make bench PARTS=simple`. Targets of issue 16.
    held_back = corpus_evaluate(path=SENTENCES_PATH, part=HELD_BACK)
    assert held_back.entries >= 150 and held_back.clean_entries >= 75
    assert held_back.overall.recall >= 0.95, held_back.mismatches
    assert held_back.false_alarm_rate <= 0.05, held_back.mismatches


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # False alarms a tester found on sentences that follow the rules.
        ("Rufen Sie an: 0731 185 1234.", None),
        ("Die Nummer ist 07391 5020.", None),
        ("Interessierte Menschen kommen in das Rathaus.", None),
        ("Es gibt viele Gelegenheiten zum Lernen.", None),
        ("Wir laden die Nachbarn, die Eltern und die Kinder ein.", None),
        # Misses the tester found.
        ("Lesen Sie o. g. Text.", "abbreviation"),
        ("Das steht in der IntV.", "abbreviation"),
        ("Das Büro ist im Zi. 4.", "abbreviation"),
        ("Das Amt ist am Mo. offen.", "abbreviation"),
        ("Die Frau sagt, der Kurs sei voll.", "indirect-speech"),
        ("Er sagt, er könne morgen kommen.", "indirect-speech"),
        ("Die Klasse hat dreizehn Kinder.", "number-word"),
        ("Das Amt (im Rathaus) ist offen.", "special-characters"),
        ("Bringen Sie Pass/Ausweis mit.", "special-characters"),
        ("Das Amt ist von 9-12 Uhr offen.", "range"),
        ("Das Amt ist Mo-Fr offen.", "range"),
        (
            "Ich gehe zum Amt und dann gehe ich nach Hause und dort koche ich.",
            "one-statement",
        ),
    ],
)
def test_tester_findings_of_issue_16(text, rule):
    found = {f.rule for f in plain_language_check(text).findings}
    if rule is None:
        assert found == set()
    else:
        assert rule in found


def test_scores_and_counts_print_in_german():
    result = plain_language_check("Sie gehen zum Amt.\nDas Amt hilft Ihnen gern.")
    assert result.scores.as_dict()["display"]["mean_sentence_length"] == "4,5"
    assert german_number(1234.56, 1) == "1.234,6"
    long = plain_language_check(" ".join(["Wort"] * 13) + ".")
    assert "13 Wörter (erlaubt: 12)" in long.findings[0].message
