"""The print channel backend: the handbook as an accessible PDF per locale.

Everything but laying out and rendering the PDF is the generic file-channel
lifecycle (``exports.file_channel.FileChannel``, ``exports.builds``): publishes are
coalesced over ``BUILD_DELAY``, one ``ArtifactBuild`` row per locale is claimed with
a lease, retried with backoff and swept; the PDF is content-addressed, written
atomically, announced to the website and listed at
``/api/v1/artifacts/print/<locale>.pdf``; the admin page *Druckausgabe* shows each
locale's PDF, its pages and translation coverage, last error, download and rebuild;
``manage.py export print --locale X`` builds by hand. Print adds its layouts, the
source hash that spares Typst an unchanged PDF, and the page editor's
"Druckansicht".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.locales import SIMPLE_LOCALE
from cms.pages.previews import preview_mode_register
from exports.builds import OverviewNote, PlannedFile
from exports.channels import ArtifactFile
from exports.content import Audience, HandbookTree
from exports.file_channel import FileChannel
from exports.models import Artifact
from exports.print.data import PrintSource, print_coverage, print_source_hash
from exports.print.options import PrintOptions
from exports.print.preview import PREVIEW_MODE, print_preview_response
from exports.print.render import print_build
from exports.print.selectors import PdfFacts, pdf_facts

# Registers the task names messages of older releases carry.
from exports.print.tasks import print_build_task, print_sweep_task  # noqa: F401

PDF = "application/pdf"


class PrintChannel(FileChannel):
    """The handbook as a PDF/UA per locale (OPTIONS: ``FileChannel``'s, plus
    ``LAYOUTS`` and ``MIN_TRANSLATED``, see ``exports.print.options``).

    Portraits follow the print consent; the Leichte Sprache PDF follows the Leichte
    Sprache consent, as the Leichte Sprache EPUB does.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "print"
    audience: ClassVar[Audience] = "print"
    menu_label = gettext_lazy("Druckausgabe")
    menu_help = gettext_lazy(
        "Für jede Sprache gibt es ein barrierefreies PDF des ganzen Handbuchs, zum "
        "Drucken und zum Weitergeben."
    )
    menu_icon = "doc-full"
    menu_order = 860
    overview_file_heading = gettext_lazy("Aktuelles PDF")
    overview_no_file = gettext_lazy("noch kein PDF")
    overview_download = gettext_lazy("PDF herunterladen")

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        # A misconfiguration stops start-up instead of failing the first build.
        self.print_options = PrintOptions.parse(options)

    def tree_audience(self, locale_code: str) -> Audience:
        return "simple" if locale_code == SIMPLE_LOCALE else self.audience

    # -- building ----------------------------------------------------------------------

    def build_plan(self, tree: HandbookTree) -> PlannedFile:
        # Laying out is cheap, Typst is not: equal source hash, no rendering.
        source = self.print_options.builder(tree.requested_locale)(tree)
        return PlannedFile(
            source_hash=print_source_hash(source), make=lambda: _pdf_file(source)
        )

    def build(self, tree: HandbookTree) -> ArtifactFile | None:
        return self.build_plan(tree).make()

    def result_facts(self, artifact: Artifact) -> list[str]:
        pages = self._facts(artifact).pages
        return [f"{pages} pages"] if pages is not None else []

    # -- admin overview ----------------------------------------------------------------

    def overview_notes(self, artifact: Artifact) -> list[OverviewNote]:
        facts = self._facts(artifact)
        notes = []
        if facts.pages is not None:
            notes.append(OverviewNote(f"{_('Seiten')}: {facts.pages}", testid="pages"))
        if facts.coverage is not None:
            translated, total = facts.coverage
            notes.append(
                OverviewNote(
                    _("Übersetzt: %(translated)s von %(total)s Teilen (%(percent)s %%)")
                    % {
                        "translated": translated,
                        "total": total,
                        "percent": facts.coverage_percent,
                    },
                    testid="coverage",
                )
            )
        if facts.coverage_low:
            notes.append(
                OverviewNote(
                    _(
                        "Weniger übersetzt als vorgesehen: der Rest des PDFs erscheint "
                        "auf Deutsch (mit Hinweis). Vor dem nächsten Bau wird "
                        "nachgefragt."
                    ),
                    testid="coverage-warning",
                    warning=True,
                )
            )
        return notes

    def rebuild_question(self, artifact: Artifact | None) -> str:
        facts = self._facts(artifact) if artifact is not None else None
        if artifact is None or facts is None or not facts.coverage_low:
            return ""
        return _(
            "Im PDF (%(locale)s) sind nur %(percent)s %% der Teile übersetzt; "
            "der Rest erscheint auf Deutsch, mit Hinweis. Bestätigen Sie, dass "
            "es trotzdem neu gebaut und veröffentlicht werden soll."
        ) % {"locale": artifact.locale, "percent": facts.coverage_percent}

    def _facts(self, artifact: Artifact) -> PdfFacts:
        return pdf_facts(artifact, min_translated=self.print_options.min_translated)

    # -- start-up ----------------------------------------------------------------------

    def ready(self) -> None:
        # The page editor's "Druckansicht": cms.pages reads its preview modes from
        # a registry, so the content model never imports the pipeline.
        preview_mode_register(
            PREVIEW_MODE, gettext_lazy("Druckansicht"), print_preview_response
        )


def _pdf_file(source: PrintSource) -> ArtifactFile:
    """Render ``source`` with Typst."""
    rendered = print_build(source)
    return ArtifactFile(
        content=rendered.pdf,
        media_type=PDF,
        details={
            "pages": rendered.page_count,
            "filename": f"wegweiser-handbuch-{source.locale}.pdf",
            # Parts in the locale's own language (the rest falls back).
            "coverage": print_coverage(source.data),
        },
    )
