"""`python manage.py export <channel> [--locale L …]`: run one channel by hand."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.channels import ExportRefused, channel_get, channels
from exports.content import UnknownLocale
from exports.management.progress import progress_bar


class Command(BaseCommand):
    help = "Run an export channel by hand (the names are the keys of EXPORT_CHANNELS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", help="channel name, e.g. website")
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            default=[],
            help="only this locale (repeatable; default: all content locales)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            channel = channel_get(options["channel"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        started = time.perf_counter()
        with progress_bar(channel.alias, enabled=self.stdout.isatty()) as progress:
            try:
                summary = channel.export(
                    locales=options["locales"] or None, progress=progress
                )
            except (UnknownLocale, ExportRefused) as exc:
                raise CommandError(str(exc)) from exc
            except NotImplementedError as exc:
                raise CommandError(str(exc)) from exc
        for line in summary.details:
            self.stdout.write(line)
        self.stdout.write(
            f"{summary.line()} in {time.perf_counter() - started:.1f} s "
            f"(channels: {', '.join(channels())})"
        )
        if summary.failed:
            raise CommandError(f"{summary.failed} failed")
