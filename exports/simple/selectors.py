"""Reads of the simple channel: how far the Leichte Sprache version has got.

Coverage has one status per page of the German handbook (``de``, live and public;
portraits only with consent for the Leichte Sprache version):

- ``missing``: no live, public ``de-x-ls`` version that is a translation (an alias
  or an untranslated copy counts as missing: it shows German text);
- ``outdated``: the German page was published after the ``de-x-ls`` version was
  last published, or wagtail-localize knows that the German text changed since
  it was extracted, or some segments are untranslated or were translated from an
  older German text (``cms.translators.selectors``);
- ``unchecked``: live and current, but its live revision was not approved by the
  Prüfgruppe (a ``PlainLanguageReviewTask`` of a Wagtail workflow);
- ``checked``: live, current and its live revision approved by the Prüfgruppe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings

from cms.locales import SIMPLE_LOCALE
from cms.plain_language.workflow import revisions_approved_by_review
from exports.content import pages_in_locale

__all__ = ["SIMPLE_LOCALE", "simple_coverage_counts", "simple_coverage_get"]
CoverageStatus = Literal["missing", "outdated", "unchecked", "checked"]
# Best first: the order of counts in the API and of filters in the admin.
COVERAGE_STATUSES: tuple[CoverageStatus, ...] = (
    "checked",
    "unchecked",
    "outdated",
    "missing",
)


@dataclass(frozen=True)
class SimplePageCoverage:
    """One German page and the state of its Leichte Sprache version."""

    source_page_id: int
    title: str
    depth: int
    status: CoverageStatus
    # The de-x-ls page (live or draft), or None when none was made yet.
    page_id: int | None
    page_title: str | None


@dataclass(frozen=True)
class SimpleCoverage:
    """The coverage report: every German page in tree order, with its status."""

    pages: list[SimplePageCoverage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.pages)

    @property
    def counts(self) -> dict[CoverageStatus, int]:
        counts: dict[CoverageStatus, int] = dict.fromkeys(COVERAGE_STATUSES, 0)
        for page in self.pages:
            counts[page.status] += 1
        return counts

    def summary(self) -> str:
        """One line, e.g. "12 pages: 3 checked, 2 unchecked, 1 outdated, 6 missing"."""
        parts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        return f"{self.total} pages: {parts}"


def simple_coverage_get() -> SimpleCoverage:
    """The coverage of the German handbook by its Leichte Sprache version.

    Pages and their translation status come from the core
    (``exports.content.pages_in_locale``, read as the Leichte Sprache edition's
    readers may see them); whether the Prüfgruppe approved a revision from the
    plain-language layer. A fixed number of queries whatever the number of pages.
    """
    rows = pages_in_locale(locale_code=SIMPLE_LOCALE, audience="simple")
    approved = revisions_approved_by_review(
        revision_ids=(row.served.live_revision_id for row in rows if row.served)
    )
    pages = []
    for row in rows:
        served = row.served
        source = row.resolution.source
        status: CoverageStatus
        if served is None:
            status = "missing"
        elif row.status == "outdated" or (
            source is not None
            and source.last_published_at
            and served.last_published_at
            and source.last_published_at > served.last_published_at
        ):
            status = "outdated"
        elif served.live_revision_id in approved:
            status = "checked"
        else:
            status = "unchecked"
        pages.append(
            SimplePageCoverage(
                source_page_id=row.source_id,
                title=row.title,
                depth=row.depth,
                status=status,
                page_id=row.version.id if row.version else None,
                page_title=row.version_title,
            )
        )
    return SimpleCoverage(pages=pages)


def simple_coverage_counts() -> dict[str, int]:
    """The coverage as ``/api/v1/locales/`` shows it: pages per status and total
    (empty when de-x-ls is not a configured locale)."""
    if not any(loc.code == SIMPLE_LOCALE for loc in settings.WEGWEISER_LOCALES):
        return {}
    coverage = simple_coverage_get()
    counts = {str(status): n for status, n in coverage.counts.items()}
    return {**counts, "total": coverage.total}
