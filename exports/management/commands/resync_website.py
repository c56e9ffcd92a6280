"""`python manage.py resync_website [--locale L …]`: push every public page again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.content import UnknownLocale
from exports.management.progress import progress_bar
from exports.website.channel import website_channels
from exports.website.resync import website_resync


class Command(BaseCommand):
    help = (
        "Push every public page, in every locale (or those given), to the website's "
        "webhook endpoints, e.g. after the website lost its data. Pages that fail "
        "stay queued and the worker retries them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            default=[],
            help="only this locale (repeatable; default: all content locales)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="parallel senders (default: 4 on PostgreSQL, 1 on SQLite)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        channels = [c for c in website_channels() if c.endpoints]
        if not channels:
            raise CommandError(
                "No website endpoint is configured: set WEBSITE_WEBHOOK_URL and "
                "WEBSITE_WEBHOOK_SECRET (see the README, 'Website channel')."
            )
        if options["jobs"] is not None and options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        started = time.perf_counter()
        for channel in channels:
            with progress_bar(
                f"{channel.alias}: Seiten", enabled=self.stdout.isatty()
            ) as progress:
                try:
                    summary = website_resync(
                        channel=channel.website_config,
                        locales=options["locales"] or None,
                        progress=progress,
                        jobs=options["jobs"],
                    )
                except UnknownLocale as exc:
                    raise CommandError(str(exc)) from exc
            elapsed = time.perf_counter() - started
            total = summary.done + summary.failed + summary.skipped
            rate = total / elapsed if elapsed else 0.0
            self.stdout.write(
                f"Resync to {', '.join(channel.endpoints)}: {total} documents in "
                f"{elapsed:.1f} s ({rate:.0f}/s): {summary.done} delivered, "
                f"{summary.failed} failed (queued for retry), "
                f"{summary.skipped} already being sent."
            )
            if summary.failed:
                self.stdout.write(
                    "The worker retries the failed ones; see Website-Versand in the "
                    "admin."
                )
