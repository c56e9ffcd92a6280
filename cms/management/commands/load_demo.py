"""`python manage.py load_demo`: the demo handbook, with translations, once.

`--missing-strings fa` lists, for translators, the German strings of the loaded demo
that translations/fa.yaml does not translate yet.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.markup import escape

from cms.demo.loader import (
    DemoDataError,
    DemoLoadResult,
    demo_handbook_load,
    demo_missing_strings,
)


class Command(BaseCommand):
    help = (
        "Load the demo handbook: the German source plus every locale that has a "
        "translations file (pages with missing strings stay German and are listed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-translations",
            action="store_true",
            help="Load only the German source.",
        )
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            metavar="CODE",
            help="Translate only into this locale (repeatable; default: all).",
        )
        parser.add_argument(
            "--chapter",
            action="append",
            dest="chapters",
            type=int,
            metavar="N",
            help="Translate only the handbook page and chapter N (repeatable).",
        )
        parser.add_argument(
            "--missing-strings",
            metavar="CODE",
            help=(
                "Load nothing; list the German strings translations/CODE.yaml "
                "lacks, per page or snippet of the loaded demo."
            ),
        )

    def handle(self, *args, **options):
        console = Console(file=self.stdout, highlight=False, soft_wrap=True)
        if options["missing_strings"]:
            self._missing(console, options["missing_strings"])
            return
        # Wagtail logs every page it publishes; the status line says enough here.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        with console.status("Demo-Handbuch wird geladen …") as status:

            def progress(step: str) -> None:
                status.update(f"Demo-Handbuch: {step} …")

            try:
                result = demo_handbook_load(
                    translate=not options["no_translations"],
                    locales=options["locales"],
                    chapters=options["chapters"],
                    progress=progress,
                )
            except DemoDataError as exc:
                raise CommandError(str(exc)) from exc
        if not result.created:
            console.print(
                f"Demo handbook already loaded (page {result.handbook.pk}); "
                "nothing to do."
            )
            return
        self._report(console, result)

    @staticmethod
    def _report(console: Console, result: DemoLoadResult) -> None:
        for code, done in result.translations.items():
            for title in done.left_out:
                console.print(f"  {code}: “{title}” left untranslated on purpose")
            for title, missing in done.skipped.items():
                first = missing[0] if missing else ""
                console.print(
                    f"  {code}: “{title}” stays German – {len(missing)} "
                    f"string(s) missing, e.g. {first[:70]!r}"
                )
        for line in result.outdated:
            console.print(f"  outdated on purpose: {line}")
        translated = ", ".join(
            f"{code} ({done.pages} pages, {done.snippets} snippets"
            + (
                f", {len(done.skipped) + done.below_untranslated} left German"
                if done.skipped or done.below_untranslated
                else ""
            )
            + ")"
            for code, done in result.translations.items()
        )
        console.print(
            f"Loaded demo handbook “{result.handbook.title}”: {result.pages} pages"
            + (f"; translated into {translated}" if translated else "")
        )

    @staticmethod
    def _missing(console: Console, code: str) -> None:
        try:
            report = demo_missing_strings(code)
        except (DemoDataError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for name, strings in report.items():
            console.print(f"[bold]{escape(name)}[/bold]")
            for text in strings:
                console.print(f"  {text}", markup=False)
        total = sum(len(s) for s in report.values())
        console.print(
            f"translations/{code}.yaml lacks {total} string(s) "
            f"in {len(report)} page(s) or snippet(s)"
        )
