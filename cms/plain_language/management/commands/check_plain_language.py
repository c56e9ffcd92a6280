"""`python manage.py check_plain_language [FILE|-]`: the Leichte Sprache checker."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from cms.plain_language.checker import (
    CheckResult,
    Finding,
    german_number,
    plain_language_check,
)
from cms.plain_language.selectors import plain_language_check_text


class Command(BaseCommand):
    help = (
        "Check a text against the Leichte Sprache rules (the same checker as the "
        "admin panel). Reads FILE, or standard input for '-' or no argument. "
        "--format json prints a JSON array with one object per finding (rule, "
        "severity, sentence, start, end, message); start/end are character offsets "
        "into the text as read. Exit code 1 when there are more findings than "
        "--max-findings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="text file or -")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--max-findings",
            type=int,
            default=None,
            help="fail (exit code 1) when there are more findings than this",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"])
        try:
            result = plain_language_check_text(text=text)
        except DatabaseError:
            # Writers may run this without a migrated database: check without
            # the glossary rather than fail.
            self.stderr.write(
                _("Das Wörterbuch ist nicht erreichbar; geprüft ohne Wörterbuch.")
            )
            result = plain_language_check(text)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "rule": f.rule,
                            "severity": f.severity,
                            "sentence": f.sentence,
                            "start": f.start,
                            "end": f.end,
                            "message": f.message,
                        }
                        for f in result.findings
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            self._print_human(result)
        limit = options["max_findings"]
        if limit is not None and len(result.findings) > limit:
            raise CommandError(
                _(
                    "Zu viele Befunde: %(count)s, erlaubt sind %(limit)s. "
                    "Vereinfachen Sie den Text und prüfen Sie ihn noch einmal."
                )
                % {
                    "count": german_number(len(result.findings)),
                    "limit": german_number(limit),
                },
                returncode=1,
            )

    def _read(self, name: str) -> str:
        try:
            if name == "-":
                raw = sys.stdin.buffer.read()
                label = "stdin"
            else:
                raw = Path(name).read_bytes()
                label = name
        except FileNotFoundError as exc:
            raise CommandError(
                _("Datei %(name)s gibt es nicht. Prüfen Sie den Pfad.") % {"name": name}
            ) from exc
        except IsADirectoryError as exc:
            raise CommandError(
                _("%(name)s ist ein Ordner. Geben Sie eine Text-Datei an.")
                % {"name": name}
            ) from exc
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                _(
                    "%(name)s ist kein UTF-8-Text (Byte %(position)s). Speichern "
                    "Sie den Text als UTF-8 und versuchen Sie es noch einmal."
                )
                % {"name": label, "position": exc.start}
            ) from exc

    def _print_human(self, result: CheckResult) -> None:
        per_sentence: dict[int, list[Finding]] = {}
        for finding in result.findings:
            per_sentence.setdefault(finding.sentence_index, []).append(finding)
        for index, sentence in enumerate(result.sentences):
            findings = per_sentence.get(index)
            if not findings:
                continue
            self.stdout.write(f"{index + 1}: {sentence.text}")
            for f in findings:
                style = (
                    self.style.ERROR if f.severity == "error" else self.style.WARNING
                )
                self.stdout.write(style(f"   [{f.rule}] ") + f.message)
        s = result.scores
        self.stdout.write(
            _(
                "Befunde: %(findings)s in %(flagged)s von %(sentences)s Sätzen; "
                "Lesbarkeit (Flesch, Amstad): %(flesch)s; Wörter pro Satz: %(mean)s"
            )
            % {
                "findings": german_number(len(result.findings)),
                "flagged": german_number(len(per_sentence)),
                "sentences": s.display["sentences"],
                "flesch": s.display["flesch_amstad"],
                "mean": s.display["mean_sentence_length"],
            }
        )
