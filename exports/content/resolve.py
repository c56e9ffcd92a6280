"""Which locale version of a page serves a locale, and how current it is.

``page_version_resolve`` answers it for one page in one query (compiled once and
prepared on PostgreSQL: every API read makes it); ``page_versions_resolve`` for
many pages at once (a handbook, a resync batch), also in one query. Both decide
visibility with ``exports.content.visibility`` and walk the locale's fallback
chain (``cms.locales``). ``translation_statuses`` tells how current the served
translations are, one query per locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Q, QuerySet, Subquery
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from cms.locales import SOURCE_LOCALE, locale_chain
from cms.lookups import AnyOf
from cms.translators.selectors import (
    NO_TRANSLATION_SOURCE,
    machine_translated_paths,
    translation_status_from,
    translation_status_query,
    translation_status_rows,
    translation_status_rows_query,
)
from exports.content.nodes import TranslationStatus
from exports.content.statements import CompiledQuery, query_compile
from exports.content.visibility import (
    VISIBILITY_COLUMNS,
    Audience,
    restricted_path_exists,
    translated_annotation,
    version_visible,
    visibility_today,
)
from exports.models import ContentStamp


@dataclass(frozen=True)
class PageVersion:
    """One locale version of a page, as far as resolving needs to know it."""

    id: int
    translation_key: UUID
    locale: str
    locale_id: int
    content_type_id: int
    live_revision_id: int | None
    last_published_at: datetime | None
    first_published_at: datetime | None
    url_path: str
    public: bool
    # The German version's tree path (ordering and parents in a handbook tree).
    path: str = ""

    @classmethod
    def of(cls, page: Page, *, revision_id: int | None = None) -> PageVersion:
        """``page`` as a public version; ``revision_id`` for a draft's revision."""
        return cls(
            id=page.pk,
            translation_key=page.translation_key,
            locale=page.locale.language_code,
            locale_id=page.locale_id,
            content_type_id=page.content_type_id,
            live_revision_id=revision_id or page.live_revision_id,
            last_published_at=page.last_published_at,
            first_published_at=page.first_published_at,
            url_path=page.url_path,
            public=True,
            path=page.path or "",
        )


@dataclass(frozen=True)
class Resolution:
    """Which version serves ``requested`` and what the caching key depends on."""

    requested: str
    served: PageVersion | None
    source: PageVersion | None
    stamp: int
    stamp_at: datetime | None = None
    versions: tuple[PageVersion, ...] = field(default=())

    @property
    def fallback(self) -> bool:
        return self.served is not None and self.served.locale != self.requested

    def cache_key(self) -> str:
        """Changes whenever the document for this resolution may change."""
        parts = [self.requested, str(self.stamp)]
        if self.served:
            # The path too: renaming or moving an ancestor changes it without a
            # new revision of this page.
            parts += [str(self.served.translation_key), self.served.url_path]
        for v in (self.served, self.source):
            if v:
                parts += [str(v.id), str(v.live_revision_id), str(v.last_published_at)]
        return "|".join(parts)


# The columns a resolution reads for every locale version, in this order.
_RESOLVE_COLUMNS = (
    "id",
    "translation_key",
    "locale__language_code",
    "locale_id",
    "content_type_id",
    "live_revision_id",
    "last_published_at",
    "first_published_at",
    "url_path",
    "path",
    *VISIBILITY_COLUMNS,
    "stamp",
    "stamp_at",
)
# A value no real lookup uses, per lookup field: compiled into the SQL once and
# found again among its parameters.
_LOOKUP_SENTINELS: dict[str, Any] = {
    "pk": -2_000_000_001,
    "url_path": "\x00wegweiser-resolve\x00",
    "translation_key": UUID("00000000-0000-4000-8000-00000000c0de"),
}
# The same for a list of values (``AnyOf``: one array parameter).
_LIST_SENTINELS: dict[str, list[Any]] = {
    "pk": [-2_000_000_001, -2_000_000_002],
    "translation_key": [
        UUID("00000000-0000-4000-8000-00000000c0de"),
        UUID("00000000-0000-4000-8000-00000000c0df"),
    ],
}


def _versions_queryset(key_filter: Q, chain: tuple[str, ...]) -> QuerySet:
    """Every locale version (in the chain or German) of the pages ``key_filter``
    selects, with what deciding visibility needs and the content stamp."""
    return (
        Page.objects.filter(
            key_filter, locale__language_code__in={*chain, SOURCE_LOCALE}
        )
        .annotate(
            is_restricted=restricted_path_exists(),
            is_translated=translated_annotation(),
            stamp=Subquery(ContentStamp.objects.values("value")[:1]),
            stamp_at=Subquery(ContentStamp.objects.values("updated_at")[:1]),
        )
        .values(*_RESOLVE_COLUMNS)
    )


def _resolve_queryset(field_name: str, value: Any, chain: tuple[str, ...]) -> QuerySet:
    if field_name == "translation_key":
        key_filter = Q(translation_key=value)
    else:
        key_filter = Q(
            translation_key__in=Subquery(
                Page.objects.filter(**{field_name: value}).values("translation_key")[:1]
            )
        )
    return _versions_queryset(key_filter, chain)


_compiled_resolves: dict[tuple[str, str, tuple[str, ...]], CompiledQuery | None] = {}


def _compiled_resolve(field_name: str, chain: tuple[str, ...]) -> CompiledQuery | None:
    """The compiled query for ``field_name`` and ``chain``; None if the lookup value
    cannot be told apart among the parameters (then the ORM runs each time)."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = (connection.vendor, field_name, chain)
    if key not in _compiled_resolves:
        sentinel = _LOOKUP_SENTINELS[field_name]
        field_ = (
            Page._meta.pk if field_name == "pk" else Page._meta.get_field(field_name)
        )
        _compiled_resolves[key] = query_compile(
            _resolve_queryset(field_name, sentinel, chain), field_, sentinel
        )
    return _compiled_resolves[key]


def _resolution_from_rows(
    rows: Iterable[dict[str, Any]],
    *,
    locale_code: str,
    chain: tuple[str, ...],
    audience: Audience,
    on: date,
) -> Resolution:
    versions: dict[str, PageVersion] = {}
    stamp, stamp_at = 0, None
    for row in rows:
        stamp, stamp_at = row["stamp"] or 0, row["stamp_at"]
        code = row["locale__language_code"]
        versions[code] = PageVersion(
            id=row["id"],
            translation_key=row["translation_key"],
            locale=code,
            locale_id=row["locale_id"],
            content_type_id=row["content_type_id"],
            live_revision_id=row["live_revision_id"],
            last_published_at=row["last_published_at"],
            first_published_at=row["first_published_at"],
            url_path=row["url_path"],
            public=version_visible(
                row, audience=audience, on=on, source=code == SOURCE_LOCALE
            ),
            path=row["path"],
        )
    served = next(
        (versions[c] for c in chain if c in versions and versions[c].public), None
    )
    return Resolution(
        requested=locale_code,
        served=served,
        source=versions.get(SOURCE_LOCALE),
        stamp=stamp,
        stamp_at=stamp_at,
        versions=tuple(versions.values()),
    )


def page_version_resolve(
    *,
    locale_code: str,
    page_id: int | None = None,
    url_path: str | None = None,
    translation_key: UUID | None = None,
    audience: Audience = "web",
    on: date | None = None,
) -> Resolution:
    """Find the version of one page that serves ``locale_code``, in one query.

    The page is named by the id or url_path of any of its locale versions, or by its
    translation key. Versions ``audience`` may not see (unpublished, private,
    portraits without consent, aliases and untranslated copies) never serve; the
    next locale in the fallback chain does. ``de-x-ls`` has no chain, so a missing
    simple version resolves to nothing.
    """
    chain = locale_chain(locale_code)
    field_name, value = (
        ("translation_key", translation_key)
        if translation_key is not None
        else ("pk", page_id)
        if page_id is not None
        else ("url_path", url_path)
    )
    compiled = _compiled_resolve(field_name, chain)
    rows = (
        compiled.rows(value)
        if compiled is not None
        else list(_resolve_queryset(field_name, value, chain))
    )
    return _resolution_from_rows(
        rows,
        locale_code=locale_code,
        chain=chain,
        audience=audience,
        on=on or visibility_today(),
    )


# Up to this many pages, resolving and translation statuses run the compiled,
# prepared single-page statements: a publish sends one page or a few, and compiling
# the bulk queries in the ORM costs more than running them (about 40 ms each).
COMPILED_UP_TO = 8


def page_versions_by_key(
    *,
    locale_code: str,
    translation_keys: Iterable[UUID],
    audience: Audience = "web",
    on: date | None = None,
) -> dict[UUID, Resolution]:
    """The resolutions of the pages with these translation keys: a few through the
    compiled single-page query, many through one bulk query."""
    keys = list(dict.fromkeys(translation_keys))
    if len(keys) <= COMPILED_UP_TO:
        day = on or visibility_today()
        return {
            key: page_version_resolve(
                locale_code=locale_code, translation_key=key, audience=audience, on=day
            )
            for key in keys
        }
    return page_versions_resolve(
        locale_code=locale_code,
        keys=Q(translation_key__in=keys),
        audience=audience,
        on=on,
    )


def page_versions_resolve(
    *,
    locale_code: str,
    keys: Q,
    audience: Audience = "web",
    on: date | None = None,
) -> dict[UUID, Resolution]:
    """``page_version_resolve`` for every page whose translation key ``keys``
    selects (a condition on Page), in one query: translation key → resolution."""
    chain = locale_chain(locale_code)
    return _resolutions_by_key(
        _versions_queryset(
            Q(translation_key__in=Page.objects.filter(keys).values("translation_key")),
            chain,
        ),
        locale_code=locale_code,
        chain=chain,
        audience=audience,
        on=on or visibility_today(),
    )


def _resolutions_by_key(
    rows: Iterable[dict[str, Any]],
    *,
    locale_code: str,
    chain: tuple[str, ...],
    audience: Audience,
    on: date,
) -> dict[UUID, Resolution]:
    """The version rows of several pages, grouped by translation key, resolved."""
    by_key: dict[UUID, list[dict[str, Any]]] = {}
    for row in rows:
        by_key.setdefault(row["translation_key"], []).append(row)
    return {
        key: _resolution_from_rows(
            rows, locale_code=locale_code, chain=chain, audience=audience, on=on
        )
        for key, rows in by_key.items()
    }


_compiled_id_resolves: dict[tuple[str, ...], CompiledQuery | None] = {}


def page_versions_by_ids(
    *,
    locale_code: str,
    page_ids: Iterable[int],
    audience: Audience = "web",
    on: date | None = None,
) -> dict[UUID, Resolution]:
    """``page_versions_resolve`` for the pages with these ids (any of their locale
    versions). On PostgreSQL the ids are one array parameter of a statement
    compiled and prepared once per chain: the API's lists ask this on every built
    page of results, and compiling the bulk query cost more than running it."""
    ids = list(page_ids)
    chain = locale_chain(locale_code)
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return page_versions_resolve(
            locale_code=locale_code, keys=Q(pk__in=ids), audience=audience, on=on
        )
    if chain not in _compiled_id_resolves:
        sentinel = _LIST_SENTINELS["pk"]
        _compiled_id_resolves[chain] = query_compile(
            _versions_queryset(
                Q(
                    translation_key__in=Page.objects.filter(
                        AnyOf(F("pk"), sentinel)
                    ).values("translation_key")
                ),
                chain,
            ),
            Page._meta.pk,
            sentinel,
            many=True,
        )
    compiled = _compiled_id_resolves[chain]
    if compiled is None:
        return page_versions_resolve(
            locale_code=locale_code, keys=Q(pk__in=ids), audience=audience, on=on
        )
    return _resolutions_by_key(
        compiled.rows(ids),
        locale_code=locale_code,
        chain=chain,
        audience=audience,
        on=on or visibility_today(),
    )


# --- Translation status --------------------------------------------------------------


def translation_status_get(resolution: Resolution) -> TranslationStatus:
    """How far the served version is from its German source, for readers.

    ``fallback``: another locale is served. Otherwise the translators' rule
    (cms.translators.selectors): ``outdated`` when the German page was published
    after the last sync or segments are untranslated, ``machine`` when complete
    but machine-translated segments remain.
    """
    served = resolution.served
    if served is None or served.locale != resolution.requested:
        return "fallback"
    if served.locale == SOURCE_LOCALE:
        return "up_to_date"
    compiled = _compiled_status(served.locale_id)
    rows = (
        compiled.rows(served.translation_key)
        if compiled is not None
        else list(
            translation_status_query(
                translation_key=served.translation_key, locale_id=served.locale_id
            )
        )
    )
    source = resolution.source
    return translation_status_from(
        rows[0], source_published_at=source.last_published_at if source else None
    )


def translation_statuses(
    resolutions: Iterable[Resolution], *, bulk: bool = False
) -> dict[UUID, TranslationStatus]:
    """``translation_status_get`` for many resolutions: one query per locale (up
    to ``COMPILED_UP_TO`` pages of a locale, one prepared query each, unless
    ``bulk``: then always one per locale)."""
    statuses: dict[UUID, TranslationStatus] = {}
    translated: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        served = resolution.served
        if served is None:
            continue
        if served.locale != resolution.requested:
            statuses[served.translation_key] = "fallback"
        elif served.locale == SOURCE_LOCALE:
            statuses[served.translation_key] = "up_to_date"
        else:
            translated.setdefault(served.locale_id, []).append(resolution)
    for locale_id, group in translated.items():
        if not bulk and len(group) <= COMPILED_UP_TO:
            for resolution in group:
                assert resolution.served is not None
                statuses[resolution.served.translation_key] = translation_status_get(
                    resolution
                )
            continue
        rows = _status_rows(
            [r.served.translation_key for r in group if r.served], locale_id
        )
        for resolution in group:
            assert resolution.served is not None
            key = resolution.served.translation_key
            source = resolution.source
            statuses[key] = translation_status_from(
                rows.get(key, NO_TRANSLATION_SOURCE),
                source_published_at=source.last_published_at if source else None,
            )
    return statuses


def machine_translated_fields(
    resolutions: Iterable[Resolution], statuses: dict[UUID, TranslationStatus]
) -> dict[UUID, tuple[str, ...]]:
    """Per translated page: the fields a machine translated and nobody reviewed.

    Only pages whose status can hold such fields ("machine", "outdated") are
    asked about: one query per locale that has any, none for the usual case.
    """
    asking: dict[int, list[UUID]] = {}
    for resolution in resolutions:
        served = resolution.served
        if served is None or served.locale != resolution.requested:
            continue
        if statuses.get(served.translation_key) in ("machine", "outdated"):
            asking.setdefault(served.locale_id, []).append(served.translation_key)
    found: dict[UUID, tuple[str, ...]] = {}
    for locale_id, keys in asking.items():
        for key, paths in machine_translated_paths(
            translation_keys=keys, locale_id=locale_id
        ).items():
            found[UUID(str(key))] = tuple(paths)
    return found


_compiled_statuses: dict[tuple[str, int], CompiledQuery | None] = {}


def _compiled_status(locale_id: int) -> CompiledQuery | None:
    """The translation status query for pages in ``locale_id``, compiled once.

    One statement per locale rather than the locale as a second parameter: the
    locale id appears in most of its subqueries, the translation key only once.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    key = (connection.vendor, locale_id)
    if key not in _compiled_statuses:
        sentinel = _LOOKUP_SENTINELS["translation_key"]
        _compiled_statuses[key] = query_compile(
            translation_status_query(translation_key=sentinel, locale_id=locale_id),
            TranslationSource._meta.get_field("object_id"),
            sentinel,
        )
    return _compiled_statuses[key]


_compiled_status_rows: dict[int, CompiledQuery | None] = {}


def _status_rows(keys: list[UUID], locale_id: int) -> dict[Any, dict[str, Any]]:
    """``translation_status_rows``; on PostgreSQL through a statement compiled and
    prepared once per locale (the keys are one array parameter)."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return translation_status_rows(translation_keys=keys, locale_id=locale_id)
    if locale_id not in _compiled_status_rows:
        sentinel = _LIST_SENTINELS["translation_key"]
        _compiled_status_rows[locale_id] = query_compile(
            translation_status_rows_query(
                translation_keys=sentinel, locale_id=locale_id
            ),
            TranslationSource._meta.get_field("object_id"),
            sentinel,
            many=True,
        )
    compiled = _compiled_status_rows[locale_id]
    if compiled is None:
        return translation_status_rows(translation_keys=keys, locale_id=locale_id)
    return {row.pop("source__object_id"): row for row in compiled.rows(keys)}
