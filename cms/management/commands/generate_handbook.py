"""`python manage.py generate_handbook --pages N --locales de,en,…` for benchmarks."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from cms.demo.synthetic import synthetic_handbook_generate


class Command(BaseCommand):
    help = "Generate a synthetic handbook of N pages in the given locales."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=200, help="pages per locale")
        parser.add_argument(
            "--locales",
            default="",
            help="comma-separated locale codes (default: all configured locales)",
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        codes = [c.strip() for c in options["locales"].split(",") if c.strip()] or [
            loc.code for loc in settings.WEGWEISER_LOCALES
        ]
        if options["pages"] < 1:
            raise CommandError("--pages must be at least 1")
        started = time.perf_counter()
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not self.stdout.isatty(),
        ) as bar:
            task = bar.add_task("Seiten", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = synthetic_handbook_generate(
                    pages=options["pages"],
                    locales=codes,
                    seed=options["seed"],
                    progress=progress,
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated handbook {result.handbook.pk}: {result.pages_per_locale} pages "
            f"× {len(result.locales)} locales ({', '.join(result.locales)}) = "
            f"{result.total_pages} pages in {elapsed:.1f} s"
        )
