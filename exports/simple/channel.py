"""The simple channel backend: the Leichte Sprache coverage, run by hand.

The ``de-x-ls`` documents need nothing of their own: they are pushed by the
website channel and served by the delivery API like every locale. This channel
reports the coverage (which German pages have a checked, current simple version),
in the admin, in ``/api/v1/locales/`` and by hand. The Leichte Sprache PDF is the
print channel's (its layout ``simple``, chosen by print's ``LAYOUTS``): channels
never call each other, so ``manage.py export simple`` says how to build it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from cms.locales import SIMPLE_LOCALE
from exports.channels import ExportChannel, ExportSummary, Progress
from exports.content import content_locale_get
from exports.simple.selectors import simple_coverage_counts, simple_coverage_get
from exports.simple.views import simple_coverage_view


class SimpleChannel(ExportChannel):
    """Leichte Sprache: how far the simple version has got, page by page.

    No OPTIONS.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "simple"

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        """Report the coverage, page by page, and say how the PDF is built."""
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
            for done, page in enumerate(coverage.pages, start=1):
                summary.details.append(
                    f"{page.status:<9} {'  ' * (page.depth - 2)}{page.title}"
                )
                if progress:
                    progress(done, coverage.total)
            summary.details.append(f"coverage {code}: {coverage.summary()}")
            summary.details.append(
                f"PDF {code}: built by the print channel in the Leichte Sprache "
                f"layout: python manage.py export print --locale {code}"
            )
            summary.done += 1
        return summary

    def locale_facts(self, locale_code: str) -> dict[str, Any]:
        # Only de-x-ls has a coverage; every locale gets the key (one item shape).
        if locale_code != SIMPLE_LOCALE:
            return {"simple_coverage": None}
        return {"simple_coverage": simple_coverage_counts() or None}

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        urls = [path("", simple_coverage_view, name="coverage")]
        return [path("leichte-sprache/", include((urls, "simple"), namespace="simple"))]

    def admin_menu_items(self) -> list[MenuItem]:
        return [
            MenuItem(
                gettext_lazy("Leichte Sprache"),
                reverse("simple:coverage"),
                icon_name="doc-full",
                order=870,
            )
        ]
