"""`python manage.py load_demo`: the demo handbook, with translations, once."""

import logging

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from cms.demo.loader import DemoDataError, demo_handbook_load


class Command(BaseCommand):
    help = (
        "Load the demo handbook (German source plus en, ar and de-x-ls translations)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-translations",
            action="store_true",
            help="Load only the German source.",
        )

    def handle(self, *args, **options):
        # Wagtail logs every page it publishes; the status line says enough here.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        console = Console(file=self.stdout, highlight=False)
        with console.status("Demo-Handbuch wird geladen …") as status:

            def progress(step: str) -> None:
                status.update(f"Demo-Handbuch: {step} …")

            try:
                result = demo_handbook_load(
                    translate=not options["no_translations"], progress=progress
                )
            except DemoDataError as exc:
                raise CommandError(str(exc)) from exc
        if not result.created:
            console.print(
                f"Demo handbook already loaded (page {result.handbook.pk}); "
                "nothing to do."
            )
            return
        translated = ", ".join(
            f"{code} ({count} pages and snippets)"
            for code, count in result.translations.items()
        )
        console.print(
            f"Loaded demo handbook “{result.handbook.title}”: {result.pages} pages"
            + (f"; translated into {translated}" if translated else ""),
            soft_wrap=True,
        )
