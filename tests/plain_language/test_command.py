"""`manage.py check_plain_language`, as a writer outside the admin uses it."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

TEXT = "Der Antrag wurde geprüft.\nSie gehen zum Amt.\n"


def run(*args: str, stdin: bytes | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("check_plain_language", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_human_output_lists_findings_per_sentence_and_a_summary(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    output = run(str(path))
    assert "1: Der Antrag wurde geprüft." in output
    assert "[passive]" in output and "aktiv" in output
    assert "Sie gehen zum Amt" not in output  # clean sentences are not listed
    summary = output.strip().splitlines()[-1]
    assert summary.startswith("Befunde: 2 in 1 von 2 Sätzen")
    assert "Flesch" in summary
    # German decimals, as in the panel and the review screen: "4,0", not "4.0".
    assert "Wörter pro Satz: 4,0" in summary


@pytest.mark.django_db
def test_json_from_stdin_is_an_array_with_offsets(monkeypatch):
    output = run("-", "--format", "json", stdin=TEXT.encode(), monkeypatch=monkeypatch)
    findings = json.loads(output)
    assert {f["rule"] for f in findings} == {"passive", "praeteritum"}
    passive = next(f for f in findings if f["rule"] == "passive")
    assert TEXT[passive["start"] : passive["end"]] == "wurde geprüft"
    assert set(passive) >= {"rule", "sentence", "start", "end", "message"}


@pytest.mark.django_db
def test_max_findings_fails_the_command(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    run(str(path), "--max-findings", "2")
    with pytest.raises(
        CommandError, match="Zu viele Befunde: 2, erlaubt sind 1"
    ) as excinfo:
        run(str(path), "--max-findings", "1")
    assert excinfo.value.returncode == 1


def test_missing_file_and_undecodable_input_say_what_to_do(tmp_path):
    with pytest.raises(CommandError, match="gibt es nicht"):
        run(str(tmp_path / "fehlt.txt"))
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Größe".encode("latin-1"))
    with pytest.raises(CommandError, match="kein UTF-8-Text"):
        run(str(bad))
