"""`python manage.py website_endpoint`: endpoints' health; new secrets; re-enabling."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.website.endpoints import endpoints_for, website_configs
from exports.website.models import WebhookEndpoint
from exports.website.replay import website_endpoint_enable
from exports.website.selectors import endpoint_overview
from exports.website.signing import webhook_secret_generate


class Command(BaseCommand):
    help = (
        "Show each website endpoint's health and queue, print a new signing secret "
        "(--new-secret), or take an endpoint back into service (--enable NAME)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-secret",
            action="store_true",
            help="print a new 'whsec_…' secret for WEBSITE_WEBHOOK_SECRET",
        )
        parser.add_argument("--enable", metavar="NAME", help="re-enable an endpoint")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_secret"]:
            self.stdout.write(webhook_secret_generate())
            return
        for config in website_configs():
            endpoints_for(config)
        if options["enable"]:
            endpoint = WebhookEndpoint.objects.filter(name=options["enable"]).first()
            if endpoint is None:
                names = WebhookEndpoint.objects.values_list("name", flat=True)
                known = ", ".join(names)
                raise CommandError(
                    f"no endpoint {options['enable']!r}; known: {known or 'none'}"
                )
            website_endpoint_enable(endpoint=endpoint)
            self.stdout.write(f"{endpoint.name} is enabled again.")
            return
        rows = endpoint_overview()
        if not rows:
            self.stdout.write("No website endpoint is configured (WEBSITE_WEBHOOK_URL)")
        for row in rows:
            endpoint, counts = row["endpoint"], row["counts"]
            disabled = (
                f"\n  disabled: {endpoint.disabled_reason}"
                if not endpoint.is_enabled
                else ""
            )
            self.stdout.write(
                f"{endpoint.name}: {endpoint.health} — {endpoint.url}\n"
                f"  last success {endpoint.last_success_at or '–'}, last failure "
                f"{endpoint.last_failure_at or '–'} "
                f"({endpoint.last_status_code or endpoint.last_error or '–'})\n"
                f"  waiting {counts.get('pending', 0)}, sending "
                f"{counts.get('sending', 0)}, delivered {counts.get('delivered', 0)}, "
                f"failed {counts.get('failed', 0)}{disabled}"
            )
