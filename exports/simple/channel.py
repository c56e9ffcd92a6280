"""The simple channel backend: the Leichte Sprache outputs, run by hand.

The ``de-x-ls`` documents need nothing of their own: they are pushed by the
website channel and served by the delivery API like every locale. This channel
reports the coverage (which German pages have a checked, current simple version)
and builds the Leichte Sprache PDF. When ``de-x-ls`` is a print locale, the PDF is
built by the print pipeline (``PRINT_SOURCES`` names this layout), so it becomes the
current artifact: listed in the API, announced to the website, kept on failure.
Otherwise it is written to ``OUTPUT_DIR``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings

from exports.channels import ExportChannel, ExportSummary, Progress
from exports.content import content_locale_get
from exports.print.channel import print_locales
from exports.print.render import PrintRenderError, print_build
from exports.print.services import print_export
from exports.simple.print import simple_print_source
from exports.simple.selectors import SIMPLE_LOCALE, simple_coverage_get


class SimpleChannel(ExportChannel):
    """Leichte Sprache: coverage report and the PDF with its own layout.

    OPTIONS:
      ``OUTPUT_DIR``: where ``manage.py export simple`` writes the PDF (default
      ``MEDIA_ROOT/simple``).
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "simple"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        output = options.get("OUTPUT_DIR") or Path(settings.MEDIA_ROOT) / "simple"
        self.output_dir = Path(output)

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        """Report the coverage, page by page, and build the Leichte Sprache PDF."""
        summary = ExportSummary(channel=self.alias)
        for code in locales or [SIMPLE_LOCALE]:
            content_locale_get(code)  # UnknownLocale names the known ones
            if code != SIMPLE_LOCALE:
                summary.skipped += 1
                summary.details.append(
                    f"{code}: skipped, the simple channel serves {SIMPLE_LOCALE} only"
                )
                continue
            coverage = simple_coverage_get()
            total = coverage.total + 1  # every page, then the PDF
            for done, page in enumerate(coverage.pages, start=1):
                summary.details.append(
                    f"{page.status:<9} {'  ' * (page.depth - 2)}{page.title}"
                )
                if progress:
                    progress(done, total)
            summary.details.append(f"coverage {code}: {coverage.summary()}")
            if code in print_locales():
                printed = print_export(channel="print", locales=[code])
                summary.done += printed.done
                summary.failed += printed.failed
                summary.skipped += printed.skipped
                summary.details.extend(f"PDF {line}" for line in printed.details)
                if progress:
                    progress(total, total)
                continue
            try:
                rendered = print_build(simple_print_source(code))
            except PrintRenderError as exc:
                summary.failed += 1
                summary.details.append(f"PDF {code} failed: {exc}")
            else:
                target = self.output_dir / f"handbook-{code}.pdf"
                target.parent.mkdir(parents=True, exist_ok=True)
                # Written beside, then renamed: a failed write never replaces a
                # good file.
                partial = target.with_suffix(".pdf.part")
                partial.write_bytes(rendered.pdf)
                partial.replace(target)
                summary.done += 1
                summary.details.append(
                    f"PDF {code}: {target} ({rendered.page_count} pages)"
                )
            if progress:
                progress(total, total)
        return summary
