"""Reads of the print channel: current PDFs, their API items and the admin overview."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet

from exports.content import API_PREFIX
from exports.print.models import PrintArtifact, PrintBuild


def print_root() -> Path:
    """Where the PDFs live (``PRINT_ROOT``)."""
    return Path(settings.PRINT_ROOT)


def artifact_file(artifact: PrintArtifact) -> Path:
    """The PDF file of ``artifact`` on disk."""
    return print_root() / artifact.path


def artifacts_current(
    *, channel: str | None = None, locale: str | None = None
) -> QuerySet[PrintArtifact]:
    """The current PDF of every (channel, locale), by channel and locale."""
    queryset = PrintArtifact.objects.filter(is_current=True)
    if channel is not None:
        queryset = queryset.filter(channel=channel)
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset.order_by("channel", "locale")


def artifact_current(*, channel: str, locale: str) -> PrintArtifact | None:
    """The current PDF of one locale, or None before the first good build."""
    return artifacts_current(channel=channel, locale=locale).first()


def artifacts_stamp() -> int:
    """Moves whenever any PDF becomes current (the newest artifact id)."""
    return PrintArtifact.objects.aggregate(m=Max("pk"))["m"] or 0


def artifact_download_path(*, channel: str, locale: str) -> str:
    """The delivery API path that serves the current PDF of a locale."""
    return f"{API_PREFIX}/artifacts/{channel}/{locale}.pdf"


def artifact_item(artifact: PrintArtifact) -> dict[str, Any]:
    """The API item of one PDF (``/api/v1/artifacts/`` and the webhook document)."""
    return {
        "channel": artifact.channel,
        "locale": artifact.locale,
        "url": artifact_download_path(channel=artifact.channel, locale=artifact.locale),
        "size": artifact.size,
        "pages": artifact.page_count,
        "sha256": artifact.sha256,
        "built_at": artifact.built_at.isoformat(),
        "build_seconds": round(artifact.build_seconds, 3),
    }


@dataclass(frozen=True)
class PrintLocaleState:
    """One row of the admin's print page: a locale's PDF and its build."""

    locale: str
    name: str
    artifact: PrintArtifact | None
    build: PrintBuild | None


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
