"""`python manage.py webhook_receiver`: run the reference receiver for website pushes.

A thin wrapper around ``exports.website.receiver``, which needs no Django: this
command only reads its options, the secrets from the environment and the default
store directory from the settings.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.website.receiver.received_store import DATABASE_NAME
from exports.website.receiver.server import receiver_server
from exports.website.signing import DEFAULT_TOLERANCE_SECONDS, webhook_secret_generate

SECRET_ENV = "WEBSITE_WEBHOOK_SECRET"
PREVIOUS_SECRET_ENV = "WEBSITE_WEBHOOK_SECRET_PREVIOUS"


def receiver_secrets(given: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """The secrets to verify with: ``--secret`` values, else the environment's.

    The environment holds the current secret and, during a rotation, the previous
    one, the same two the CMS signs with.
    """
    if given:
        return list(given)
    return [
        environ[name]
        for name in (SECRET_ENV, PREVIOUS_SECRET_ENV)
        if environ.get(name, "").strip()
    ]


class Command(BaseCommand):
    help = (
        "Run the reference webhook receiver: verify, deduplicate and store the "
        "website channel's pushes, and list them at / in a browser."
    )
    # Runs beside the CMS as a separate process and touches no database table.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument(
            "--secret",
            action="append",
            dest="secrets",
            default=[],
            metavar="WHSEC",
            help=(
                f"a whsec_… secret to verify with; repeat for a rotation (default: "
                f"${SECRET_ENV}, plus ${PREVIOUS_SECRET_ENV} if set)"
            ),
        )
        parser.add_argument(
            "--store",
            default=None,
            help="directory for received.sqlite3 (default: VAR_DIR/receiver)",
        )
        parser.add_argument(
            "--tolerance",
            type=int,
            default=DEFAULT_TOLERANCE_SECONDS,
            help="seconds a webhook-timestamp may be off from this clock",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secrets = receiver_secrets(options["secrets"], os.environ)
        if not secrets:
            raise CommandError(
                f"no webhook secret: pass --secret whsec_… or set {SECRET_ENV} to "
                f"the secret the CMS signs with (a fresh one: "
                f"{webhook_secret_generate()})"
            )
        store_dir = Path(options["store"] or Path(settings.VAR_DIR) / "receiver")
        host, port = options["host"], options["port"]

        def log(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            server = receiver_server(
                host=host,
                port=port,
                secrets=secrets,
                store_dir=store_dir,
                tolerance_seconds=options["tolerance"],
                log=log,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} on {host} is taken; stop what runs there or "
                    f"choose another with --port"
                ) from exc
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc

        log(
            f"Receiving webhooks at {server.url}/ (POST any path), "
            f"{len(secrets)} secret(s), tolerance {options['tolerance']} s\n"
            f"  Overview: {server.url}/   JSON: {server.url}/received.json\n"
            f"  Storing in {store_dir / DATABASE_NAME}\n"
            f"  Press Ctrl-C to stop."
        )
        previous_handler = None
        if threading.current_thread() is threading.main_thread():
            # SIGTERM (from `make run` or a test) stops as cleanly as Ctrl-C does.
            previous_handler = signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            if previous_handler is not None:
                signal.signal(signal.SIGTERM, previous_handler)
        counts = server.counts
        log(
            f"Receiver stopped: {counts.accepted} accepted "
            f"({counts.applied} applied, {counts.accepted - counts.applied} older "
            f"than stored), {counts.refused} refused; "
            f"stored in {store_dir / DATABASE_NAME}"
        )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
