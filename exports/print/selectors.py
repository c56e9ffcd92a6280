"""Reads of the print channel: what a published PDF's details say about it."""

from __future__ import annotations

from dataclasses import dataclass

from exports.models import Artifact


@dataclass(frozen=True)
class PdfFacts:
    """A PDF's page count and how much of it is in its own language."""

    pages: int | None
    # (translated, total) parts; None if unknown (another layout, an old PDF).
    coverage: tuple[int, int] | None
    # The share of parts a PDF should have in its own language (MIN_TRANSLATED).
    min_translated: float = 0.0

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


def pdf_facts(artifact: Artifact, *, min_translated: float = 0.0) -> PdfFacts:
    """What ``artifact``'s details (written by the build) say about the PDF."""
    pages = artifact.details.get("pages")
    found = artifact.details.get("coverage") or {}
    coverage = (
        (int(found["translated"]), int(found["total"])) if found.get("total") else None
    )
    return PdfFacts(
        pages=pages if isinstance(pages, int) else None,
        coverage=coverage,
        min_translated=min_translated,
    )
