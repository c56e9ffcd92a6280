"""Reads of the print channel: the admin overview of every locale's PDF and build."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from exports.artifacts import artifacts_current
from exports.models import Artifact
from exports.print.models import PrintBuild


@dataclass(frozen=True)
class PrintLocaleState:
    """One row of the admin's print page: a locale's PDF and its build."""

    locale: str
    name: str
    artifact: Artifact | None
    build: PrintBuild | None
    # The share of parts a PDF should have in its own language (MIN_TRANSLATED).
    min_translated: float = 0.0

    @property
    def pages(self) -> int | None:
        """The current PDF's page count (None before the first build)."""
        if self.artifact is None:
            return None
        pages = self.artifact.details.get("pages")
        return pages if isinstance(pages, int) else None

    @property
    def coverage(self) -> tuple[int, int] | None:
        """(translated, total) parts of the current PDF; None if unknown."""
        if self.artifact is None:
            return None
        found = self.artifact.details.get("coverage") or {}
        if not found.get("total"):
            return None
        return int(found["translated"]), int(found["total"])

    @property
    def coverage_percent(self) -> int | None:
        if self.coverage is None:
            return None
        translated, total = self.coverage
        return round(100 * translated / total)

    @property
    def coverage_low(self) -> bool:
        """Fewer parts translated than MIN_TRANSLATED asks: warn before building."""
        if self.coverage is None:
            return False
        translated, total = self.coverage
        return translated / total < self.min_translated


def print_overview(
    *, channel: str, locales: list[str], min_translated: float = 0.0
) -> list[PrintLocaleState]:
    """Every print locale with its current PDF and build row, in settings order."""
    names = {loc.code: loc.name for loc in settings.WEGWEISER_LOCALES}
    artifacts = {a.locale: a for a in artifacts_current(channel=channel)}
    builds = {b.locale: b for b in PrintBuild.objects.filter(channel=channel)}
    return [
        PrintLocaleState(
            locale=code,
            name=str(names.get(code, code)),
            artifact=artifacts.get(code),
            build=builds.get(code),
            min_translated=min_translated,
        )
        for code in locales
    ]
