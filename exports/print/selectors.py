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

    @property
    def pages(self) -> int | None:
        """The current PDF's page count (None before the first build)."""
        if self.artifact is None:
            return None
        pages = self.artifact.details.get("pages")
        return pages if isinstance(pages, int) else None


def print_overview(*, channel: str, locales: list[str]) -> list[PrintLocaleState]:
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
        )
        for code in locales
    ]
