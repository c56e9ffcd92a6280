"""The print channel backend: which locales get a PDF, in which layout, and what it
wires up at start-up (tasks, beat entry, admin screens, the "Druckansicht")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from cms.pages.previews import preview_mode_register
from exports.channels import ExportChannel, ExportSummary, Progress
from exports.models import ContentEvent
from exports.print import views
from exports.print.options import PrintOptions
from exports.print.preview import PREVIEW_MODE, print_preview_response
from exports.print.services import print_builds_request, print_export
from exports.print.tasks import PRINT_SWEEP_TASK, print_sweep_task


class PrintMenuItem(MenuItem):
    """*Druckausgabe*, shown to those who may see the print page."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


class PrintChannel(ExportChannel):
    """The handbook as an accessible PDF per locale, rebuilt in the background.

    OPTIONS (``exports.print.options``): ``LOCALES``, ``BUILD_DELAY``, ``ROOT``,
    ``KEEP``, ``LAYOUTS``. A publish marks the affected locales' builds pending;
    the worker builds each locale once the coalescing window has passed, and
    publishes the PDF as the core's artifact.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "print"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        # A misconfiguration stops start-up instead of failing the first build.
        self.print_options = PrintOptions.parse(options)

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        wanted = set(self.print_options.locales)
        # Events already name every locale that reads a changed page (a German
        # publish names every locale falling back to German).
        affected = sorted({event.locale for event in events} & wanted)
        if affected:
            print_builds_request(channel=self.alias, locales=affected)

    def shared_content_changed(self) -> None:
        # A glossary term, contact or image may be in every PDF; the source hash
        # tells afterwards which locales really changed, so only those re-render.
        locales = list(self.print_options.locales)
        if locales:
            print_builds_request(channel=self.alias, locales=locales)

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        return print_export(channel=self.alias, locales=locales, progress=progress)

    def ready(self) -> None:
        # The page editor's "Druckansicht": cms.pages reads its preview modes from
        # a registry, so the content model never imports the pipeline.
        preview_mode_register(
            PREVIEW_MODE, gettext_lazy("Druckansicht"), print_preview_response
        )

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        # Print builds whose broker message was lost, retries of failed builds and
        # builds of dead workers (leases run out) are started by this sweep.
        return {
            "sweep-print-builds": {
                "task": PRINT_SWEEP_TASK,
                "schedule": float(self.options.get("SWEEP_SECONDS", 30.0)),
            }
        }

    def on_worker_ready(self) -> None:
        # Print locales without any PDF yet (a fresh install, the demo) get one.
        print_sweep_task.delay(ensure_missing=True)

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        urls = [
            path("", views.print_overview_view, name="index"),
            path("<str:locale>/download/", views.print_download_view, name="download"),
            path("<str:locale>/rebuild/", views.print_rebuild_view, name="rebuild"),
        ]
        return [
            path(
                "print/",
                include((urls, "print_artifacts"), namespace="print_artifacts"),
            )
        ]

    def admin_menu_items(self) -> list[MenuItem]:
        return [
            PrintMenuItem(
                gettext_lazy("Druckausgabe"),
                reverse("print_artifacts:index"),
                icon_name="doc-full",
                order=860,
            )
        ]
