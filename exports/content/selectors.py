"""Reads of pages for the channels' admin screens: titles and locale coverage.

Channels render the content tree and never query pages themselves; what an admin
screen needs beyond the tree (the title of a page that is no longer served, how
far a locale has got with the German handbook) is read here, with the core's
rules: ``public_pages`` decides which German pages count, the resolution decides
which version serves, ``translation_statuses`` how current it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page

from cms.locales import SOURCE_LOCALE
from exports.content.nodes import TranslationStatus
from exports.content.resolve import (
    PageVersion,
    Resolution,
    page_versions_resolve,
    translation_statuses,
)
from exports.content.visibility import Audience, public_pages


def page_titles_get(*, page_ids: Iterable[int]) -> dict[int, str]:
    """The title of each page version, by id, whatever its state (an admin names
    a page by its title, also once it is unpublished). One query."""
    ids = set(page_ids)
    if not ids:
        return {}
    return dict(Page.objects.filter(pk__in=ids).values_list("pk", "title"))


@dataclass(frozen=True)
class PageInLocale:
    """One German page and its version in one locale (a coverage report row)."""

    source_id: int
    title: str
    depth: int
    resolution: Resolution
    # How current the served version is; None when the locale serves no version.
    status: TranslationStatus | None
    # The locale's own version (live or draft), or None when none was made yet.
    version: PageVersion | None
    version_title: str | None

    @property
    def served(self) -> PageVersion | None:
        """The locale's version, when it serves readers of ``audience`` (not an
        alias, an untranslated copy, a draft or a private page)."""
        served = self.resolution.served
        return served if served is not None and not self.resolution.fallback else None


def pages_in_locale(*, locale_code: str, audience: Audience) -> list[PageInLocale]:
    """Every German page ``audience`` may read (below the root, in tree order) with
    its version in ``locale_code`` and that version's translation status.

    A fixed number of queries, whatever the number of pages: the German pages,
    their resolutions, the translation statuses of the locale (one), the titles
    of the locale's versions.
    """
    sources = list(
        public_pages(
            Page.objects.filter(locale__language_code=SOURCE_LOCALE, depth__gte=2),
            audience=audience,
        )
        .order_by("path")
        .values("id", "title", "depth", "translation_key")
    )
    resolutions = page_versions_resolve(
        locale_code=locale_code,
        keys=Q(pk__in=[s["id"] for s in sources]),
        audience=audience,
    )
    served = [
        r for r in resolutions.values() if r.served is not None and not r.fallback
    ]
    statuses = translation_statuses(served, bulk=True)
    versions = {
        key: next((v for v in r.versions if v.locale == locale_code), None)
        for key, r in resolutions.items()
    }
    titles = page_titles_get(page_ids=(v.id for v in versions.values() if v))
    rows = []
    for source in sources:
        key = source["translation_key"]
        resolution = resolutions.get(key) or Resolution(
            requested=locale_code, served=None, source=None, stamp=0
        )
        version = versions.get(key)
        own = resolution.served is not None and not resolution.fallback
        rows.append(
            PageInLocale(
                source_id=source["id"],
                title=source["title"],
                depth=source["depth"],
                resolution=resolution,
                status=statuses.get(key) if own else None,
                version=version,
                version_title=titles.get(version.id) if version else None,
            )
        )
    return rows
