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
from wagtail.models import Locale, Page, TaskState

from cms.locales import SIMPLE_LOCALE
from cms.plain_language.models import PlainLanguageReviewTask
from cms.translators.selectors import translation_states_for_locale
from exports.content import public_pages, restricted_path_exists
from exports.content.visibility import translated_annotation

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


def simple_source_pages() -> list[dict]:
    """The German pages the Leichte Sprache version should cover, in tree order:
    what readers of the Leichte Sprache edition may see (the channels' rule)."""
    return list(
        public_pages(
            Page.objects.filter(locale=Locale.get_default(), depth__gte=2),
            audience="simple",
        )
        .order_by("path")
        .values("id", "title", "depth", "translation_key", "last_published_at")
    )


def simple_coverage_get() -> SimpleCoverage:
    """The coverage of the German handbook by its Leichte Sprache version.

    A fixed number of queries whatever the number of pages (the translation
    states take five).
    """
    sources = simple_source_pages()
    keys = [s["translation_key"] for s in sources]
    versions = {
        row["translation_key"]: row
        for row in Page.objects.filter(
            locale__language_code=SIMPLE_LOCALE, translation_key__in=keys
        )
        .annotate(
            is_restricted=restricted_path_exists(),
            is_translated=translated_annotation(),
        )
        .values(
            "id",
            "title",
            "translation_key",
            "live",
            "is_restricted",
            "is_translated",
            "live_revision_id",
            "last_published_at",
        )
    }
    states = {
        s.source_page_id: s
        for s in translation_states_for_locale(locale_code=SIMPLE_LOCALE)
    }
    live_revisions = [
        v["live_revision_id"] for v in versions.values() if v["live_revision_id"]
    ]
    approved = set(
        TaskState.objects.filter(
            status=TaskState.STATUS_APPROVED,
            revision_id__in=live_revisions,
            task_id__in=PlainLanguageReviewTask.objects.values("pk"),
        ).values_list("revision_id", flat=True)
    )
    pages = []
    for source in sources:
        version = versions.get(source["translation_key"])
        state = states.get(source["id"])
        status: CoverageStatus
        if (
            version is None
            or not version["live"]
            or version["is_restricted"]
            or not version["is_translated"]
        ):
            status = "missing"
        elif (
            source["last_published_at"]
            and version["last_published_at"]
            and source["last_published_at"] > version["last_published_at"]
        ) or (
            state is not None
            and state.translation_source_id is not None
            and state.status == "outdated"
        ):
            status = "outdated"
        elif version["live_revision_id"] in approved:
            status = "checked"
        else:
            status = "unchecked"
        pages.append(
            SimplePageCoverage(
                source_page_id=source["id"],
                title=source["title"],
                depth=source["depth"],
                status=status,
                page_id=version["id"] if version else None,
                page_title=version["title"] if version else None,
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
