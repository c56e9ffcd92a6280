"""The channel-neutral content tree: one page in one locale, as plain JSON data.

Every channel renders what this module builds and nothing else: the delivery API
serves it, the website channel pushes it, print and simple render it. A page
pulled from the API and a page pushed by webhook are therefore byte-identical.

- ``page_document_for(page, locale_code)`` → the JSON-ready ``dict`` the delivery
  API serves for ``page`` (any locale version of it) in ``locale_code``, with
  fallback resolved; ``None`` when nothing public exists for that locale (missing
  simple version, unpublished, private, portrait without web consent).
- ``page_version_resolve(...)`` → which version serves a locale, without building.
- ``document_bytes(document)`` → the canonical UTF-8 JSON encoding of a document.

Reads here are selectors: they never write, except that Wagtail creates missing
image renditions on first use.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorWrapper
from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import StartsWith
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)
from wagtail_localize.models import TranslationSource

from cms.locales import SOURCE_LOCALE, ContentLocale
from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.snippets.models import Contact, GlossaryTerm
from cms.translators.selectors import (
    translation_status_from,
    translation_status_query,
)
from exports.models import ContentStamp
from exports.richtext import GlossaryMark, rich_text_clean

Document = dict[str, Any]
TranslationStatus = Literal["up_to_date", "outdated", "machine", "fallback"]

# The API's name for each page type, and back.
PAGE_TYPES: dict[type[Page], str] = {
    HandbookPage: "handbook",
    ChapterPage: "chapter",
    RecommendationPage: "recommendation",
    BestPracticePage: "best_practice",
    PortraitIndexPage: "portrait_index",
    PortraitPage: "portrait",
}
PAGE_MODELS: dict[str, type[Page]] = {name: model for model, name in PAGE_TYPES.items()}

# Rendition widths offered for every image; the website picks from the srcset.
IMAGE_WIDTHS = (480, 960, 1600)
API_PREFIX = "/api/v1"


class UnknownLocale(ValueError):
    """A locale code that is not one of the configured content locales."""

    def __init__(self, code: str) -> None:
        self.code = code
        known = ", ".join(loc.code for loc in settings.WEGWEISER_LOCALES)
        super().__init__(f"locale {code!r} is not configured; known: {known}")


# --- Locales -------------------------------------------------------------------------


def content_locale_get(code: str) -> ContentLocale:
    """The configured content locale ``code``, or UnknownLocale."""
    for locale in settings.WEGWEISER_LOCALES:
        if locale.code == code:
            return locale
    raise UnknownLocale(code)


def locale_chain(code: str) -> tuple[str, ...]:
    """``code`` followed by the locales it falls back to, in order."""
    locale = content_locale_get(code)
    return (locale.code, *locale.fallbacks)


def locales_reading(code: str) -> list[str]:
    """Every locale whose documents may come from a page version in ``code``."""
    return [
        loc.code
        for loc in settings.WEGWEISER_LOCALES
        if code == loc.code or code in loc.fallbacks
    ]


# --- Which version serves a locale ---------------------------------------------------


def _outer_text(name: str) -> ExpressionWrapper:
    return ExpressionWrapper(OuterRef(name), output_field=CharField())


def restricted_path_exists() -> Exists:
    """True for pages at or below a view-restricted page (private in any way)."""
    return Exists(
        PageViewRestriction.objects.filter(
            StartsWith(_outer_text("path"), F("page__path"))
        )
    )


def public_pages(queryset: QuerySet) -> QuerySet:
    """Only what anyone may read: live, not view-restricted, portraits with consent.

    Works on Page querysets and on querysets of any page model.
    """
    consent_ok = Q(portraitpage__isnull=True) | Q(
        portraitpage__consent__web=True,
        portraitpage__consent__withdrawn_on__isnull=True,
    )
    if queryset.model is PortraitPage:
        consent_ok = Q(consent__web=True, consent__withdrawn_on__isnull=True)
    elif queryset.model is not Page:
        consent_ok = Q()
    return (
        queryset.filter(live=True)
        .annotate(is_restricted=restricted_path_exists())
        .filter(consent_ok, is_restricted=False)
    )


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


# The columns page_version_resolve reads, in this order.
_RESOLVE_COLUMNS = (
    "id",
    "translation_key",
    "locale__language_code",
    "locale_id",
    "content_type_id",
    "live",
    "live_revision_id",
    "last_published_at",
    "first_published_at",
    "url_path",
    "depth",
    "is_restricted",
    "stamp",
    "stamp_at",
    "portraitpage__page_ptr_id",
    "portraitpage__consent__web",
    "portraitpage__consent__withdrawn_on",
)
# A value no real lookup uses, per lookup field: compiled into the SQL once and
# found again among its parameters.
_LOOKUP_SENTINELS: dict[str, Any] = {
    "pk": -2_000_000_001,
    "url_path": "\x00wegweiser-resolve\x00",
    "translation_key": UUID("00000000-0000-4000-8000-00000000c0de"),
}


def _resolve_queryset(field_name: str, value: Any, chain: tuple[str, ...]) -> QuerySet:
    """Every locale version of one page (in the chain or German), with what
    deciding "public" needs, the content stamp included: one query."""
    if field_name == "translation_key":
        key_filter = Q(translation_key=value)
    else:
        key_filter = Q(
            translation_key__in=Subquery(
                Page.objects.filter(**{field_name: value}).values("translation_key")[:1]
            )
        )
    return (
        Page.objects.filter(
            key_filter, locale__language_code__in={*chain, SOURCE_LOCALE}
        )
        .annotate(
            is_restricted=restricted_path_exists(),
            stamp=Subquery(ContentStamp.objects.values("value")[:1]),
            stamp_at=Subquery(ContentStamp.objects.values("updated_at")[:1]),
        )
        .values(*_RESOLVE_COLUMNS)
    )


@dataclass(frozen=True)
class _CompiledQuery:
    """A values() query compiled to SQL once, run again with one value swapped in.

    Building and compiling the ORM query took about two thirds of a 304's time
    (the resolution query) and a third of a built detail's (the translation
    status); their SQL never changes except for one lookup value, so each is
    compiled once per process and shape and run with that value swapped in.
    Rows still pass through the compiler's converters (SQLite datetimes and
    UUIDs), as ``values()`` would.
    """

    compiler: Any
    sql: str
    params: tuple[Any, ...]
    slot: int
    field: Any
    names: tuple[str, ...]

    def rows(self, value: Any) -> list[dict[str, Any]]:
        connection = connections[DEFAULT_DB_ALIAS]
        params = list(self.params)
        params[self.slot] = self.field.get_db_prep_value(value, connection)
        with _statement_cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        return [
            dict(zip(self.names, row, strict=True))
            for row in self.compiler.results_iter(results=[fetched])
        ]


# Any: django-stubs declare neither psycopg's cursor API on this class nor a raw
# cursor as what make_cursor() wraps.
_ServerBindingCursor: Any = ServerBindingCursor


class _PreparingCursor(_ServerBindingCursor):
    """psycopg's server-side binding cursor, preparing every statement it runs."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        # Django opens connections with prepare_threshold=None (never prepare),
        # under which psycopg ignores prepare=True as well. A threshold no query
        # reaches by count keeps every other statement unprepared.
        if self.connection.prepare_threshold is None:
            self.connection.prepare_threshold = 2**31 - 1
        return super().execute(query, params, prepare=True)


def _statement_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for a compiled query: on PostgreSQL, one that prepares it.

    Parsing and planning the resolution query cost PostgreSQL more than running
    it: a call took about 0.7 ms unprepared and 0.2 ms prepared on the bench
    data, and every API read makes one. A prepared statement is parsed and
    planned once per database session.
    Django leaves prepared statements off by default for connection poolers in
    transaction mode (PgBouncer before 1.21): behind one, set
    CONTENT_PREPARED_STATEMENTS=false. Queries are logged and counted as usual.
    """
    if connection.vendor != "postgresql" or not settings.CONTENT_PREPARED_STATEMENTS:
        return connection.cursor()
    # What connection.cursor() does, with a cursor of our own underneath.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _query_compile(
    queryset: QuerySet, field: Any, sentinel: Any
) -> _CompiledQuery | None:
    """``queryset``, built with ``sentinel`` as its one lookup value for ``field``,
    compiled; None if the sentinel cannot be told apart among the parameters."""
    connection = connections[DEFAULT_DB_ALIAS]
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    prepared = field.get_db_prep_value(sentinel, connection)
    slots = [i for i, p in enumerate(params) if p == prepared]
    if len(slots) != 1:
        return None
    query = queryset.query
    # Column names as QuerySet.values() reads them (ValuesIterable).
    names = (
        tuple(query.selected)
        if query.selected
        else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    return _CompiledQuery(
        compiler=compiler,
        sql=sql,
        params=tuple(params),
        slot=slots[0],
        field=field,
        names=names,
    )


_compiled_resolves: dict[tuple[str, str, tuple[str, ...]], _CompiledQuery | None] = {}


def _compiled_resolve(field_name: str, chain: tuple[str, ...]) -> _CompiledQuery | None:
    """The compiled query for ``field_name`` and ``chain``; None if the lookup value
    cannot be told apart among the parameters (then the ORM runs each time)."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = (connection.vendor, field_name, chain)
    if key not in _compiled_resolves:
        sentinel = _LOOKUP_SENTINELS[field_name]
        field = (
            Page._meta.pk if field_name == "pk" else Page._meta.get_field(field_name)
        )
        _compiled_resolves[key] = _query_compile(
            _resolve_queryset(field_name, sentinel, chain), field, sentinel
        )
    return _compiled_resolves[key]


def page_version_resolve(
    *,
    locale_code: str,
    page_id: int | None = None,
    url_path: str | None = None,
    translation_key: UUID | None = None,
) -> Resolution:
    """Find the version of one page that serves ``locale_code``, in one query.

    The page is named by the id or url_path of any of its locale versions, or by its
    translation key. Unpublished, private and consent-less versions never serve;
    the next locale in the fallback chain does. ``de-x-ls`` has no chain, so a
    missing simple version resolves to nothing.
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
    versions: dict[str, PageVersion] = {}
    stamp, stamp_at = 0, None
    for row in rows:
        stamp, stamp_at = row["stamp"] or 0, row["stamp_at"]
        is_portrait = row["portraitpage__page_ptr_id"] is not None
        consent_ok = not is_portrait or (
            bool(row["portraitpage__consent__web"])
            and row["portraitpage__consent__withdrawn_on"] is None
        )
        versions[row["locale__language_code"]] = PageVersion(
            id=row["id"],
            translation_key=row["translation_key"],
            locale=row["locale__language_code"],
            locale_id=row["locale_id"],
            content_type_id=row["content_type_id"],
            live_revision_id=row["live_revision_id"],
            last_published_at=row["last_published_at"],
            first_published_at=row["first_published_at"],
            url_path=row["url_path"],
            public=(
                row["live"]
                and not row["is_restricted"]
                and consent_ok
                and row["depth"] > 1
            ),
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


# --- Translation status --------------------------------------------------------------


def translation_status_for(
    *, served: PageVersion, source: PageVersion | None, requested: str
) -> TranslationStatus:
    """How far the served version is from its German source, for readers.

    ``fallback``: another locale is served. Otherwise the translators' rule
    (cms.translators.selectors): ``outdated`` when the German page was published
    after the last sync or segments are untranslated, ``machine`` when complete
    but machine-translated segments remain.
    """
    if served.locale != requested:
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
    return translation_status_from(
        rows[0], source_published_at=source.last_published_at if source else None
    )


_compiled_statuses: dict[tuple[str, int], _CompiledQuery | None] = {}


def _compiled_status(locale_id: int) -> _CompiledQuery | None:
    """The translation status query for pages in ``locale_id``, compiled once.

    One statement per locale rather than the locale as a second parameter: the
    locale id appears in most of its subqueries, the translation key only once.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    key = (connection.vendor, locale_id)
    if key not in _compiled_statuses:
        sentinel = _LOOKUP_SENTINELS["translation_key"]
        _compiled_statuses[key] = _query_compile(
            translation_status_query(translation_key=sentinel, locale_id=locale_id),
            TranslationSource._meta.get_field("object_id"),
            sentinel,
        )
    return _compiled_statuses[key]


# --- Building documents --------------------------------------------------------------


def page_api_path(page_id: int, locale_code: str) -> str:
    return f"{API_PREFIX}/pages/{page_id}/?locale={locale_code}"


@dataclass
class _Build:
    """What one document build shares: the locale and the bulk-fetched references."""

    requested: str
    served: str
    chain: tuple[str, ...]
    glossary_by_id: dict[int, GlossaryTerm] = field(default_factory=dict)
    glossary_marks: list[GlossaryMark] = field(default_factory=list)
    contacts_by_id: dict[int, Contact] = field(default_factory=dict)
    images_by_id: dict[int, Any] = field(default_factory=dict)

    def link(self, page_id: int) -> str:
        return page_api_path(page_id, self.requested)

    def html(self, value: Any) -> str:
        return rich_text_clean(
            str(value or ""),
            page_link=self.link,
            glossary=self.glossary_marks,
            # Compound splits (Bürger·meister) are a German writing aid, used
            # by Leichte Sprache; other scripts may use U+00B7 differently.
            mediopunkt=self.served.split("-")[0] == "de",
        )


def _stream_refs(raw: list[dict]) -> tuple[set[int], set[int], set[int]]:
    """Image, glossary and contact ids referenced from a raw StreamField."""
    images: set[int] = set()
    glossary: set[int] = set()
    contacts: set[int] = set()
    for block in raw or []:
        value = block.get("value")
        kind = block.get("type")
        if kind == "image" and isinstance(value, dict) and value.get("image"):
            images.add(int(value["image"]))
        elif kind == "glossary" and value:
            glossary.add(int(value))
        elif kind == "contact" and value:
            contacts.add(int(value))
    return images, glossary, contacts


def _localized(objects: list, ids: set[int], chain: tuple[str, ...]) -> dict[int, Any]:
    """Map each referenced id to the best version of that snippet in ``chain``."""
    by_key: dict[tuple[UUID, str], Any] = {
        (o.translation_key, o.locale.language_code): o for o in objects
    }
    by_id = {o.pk: o for o in objects}
    result = {}
    for pk in ids:
        original = by_id.get(pk)
        if original is None:
            continue
        for code in chain:
            if (original.translation_key, code) in by_key:
                result[pk] = by_key[(original.translation_key, code)]
                break
        else:
            result[pk] = original
    return result


def _fetch_references(
    build: _Build, *, image_ids: set[int], glossary_ids: set[int], contact_ids: set[int]
) -> None:
    """Fetch every referenced snippet and image in a fixed number of queries."""
    chain_filter = Q(locale__language_code__in=build.chain)
    terms = list(
        GlossaryTerm.objects.filter(chain_filter | Q(pk__in=glossary_ids))
        .select_related("locale")
        .order_by("pk")
    )
    build.glossary_by_id = _localized(terms, glossary_ids, build.chain)
    best: dict[UUID, GlossaryTerm] = {}
    rank = {code: i for i, code in enumerate(build.chain)}
    for term in terms:
        code = term.locale.language_code
        if code not in rank:
            continue
        current = best.get(term.translation_key)
        if current is None or rank[code] < rank[current.locale.language_code]:
            best[term.translation_key] = term
    build.glossary_marks = [
        GlossaryMark(term=t.term, slug=t.slug, explanation=t.explanation)
        for t in best.values()
    ]
    if contact_ids:
        keys = Contact.objects.filter(pk__in=contact_ids).values("translation_key")
        contacts = list(
            Contact.objects.filter(
                Q(pk__in=contact_ids) | Q(chain_filter, translation_key__in=keys)
            ).select_related("locale", "organisation", "municipality")
        )
        build.contacts_by_id = _localized(contacts, contact_ids, build.chain)
    if image_ids:
        build.images_by_id = images_for_locale(image_ids, build.served)


def images_for_locale(image_ids: set[int], locale_code: str) -> dict[int, Any]:
    """Public images with renditions and alt text in ``locale_code``, by id.

    Images in a view-restricted collection are left out: channels then show none.
    """
    return images_for_locales(image_ids, [locale_code]).get(locale_code, {})


def images_for_locales(
    image_ids: set[int], locale_codes: Iterable[str]
) -> dict[str, dict[int, Any]]:
    """``images_for_locale`` for several locales at once: locale → id → image.

    For a list whose items are served in different locales (some translated, some
    falling back), each item takes its photo's alt text from its own locale. Still
    two queries (images with every locale's alt text, renditions), whatever the
    number of locales.
    """
    from wagtail.images import get_image_model

    from cms.images.models import ImageAltText

    codes = list(dict.fromkeys(locale_codes))
    if not codes or not image_ids:
        return {code: {} for code in codes}
    image_model = get_image_model()
    restricted = Exists(
        CollectionViewRestriction.objects.filter(
            StartsWith(_outer_text("collection__path"), F("collection__path"))
        )
    )
    alt_texts = {
        f"alt_{n}": Subquery(
            ImageAltText.objects.filter(
                image_id=OuterRef("pk"), locale__language_code=code
            ).values("text")[:1]
        )
        for n, code in enumerate(codes)
    }
    images = list(
        image_model.objects.filter(pk__in=image_ids)
        .annotate(is_restricted=restricted, **alt_texts)
        .filter(is_restricted=False)
        .prefetch_related("renditions")
    )
    by_locale: dict[str, dict[int, Any]] = {}
    for n, code in enumerate(codes):
        by_locale[code] = {}
        for image in images:
            # One object per locale: the alt text is the only difference.
            localized = image if len(codes) == 1 else copy.copy(image)
            localized.localized_alt = getattr(image, f"alt_{n}")
            by_locale[code][image.pk] = localized
    return by_locale


def image_document(image: Any) -> Document:
    """An image as channels receive it: renditions, srcset, localized alt, credit."""
    widths = [w for w in IMAGE_WIDTHS if w < image.width]
    widths.append(min(image.width, IMAGE_WIDTHS[-1]))
    specs = [f"width-{w}" for w in widths]
    renditions = image.get_renditions(*specs)
    sizes = [
        {"width": r.width, "height": r.height, "url": r.full_url}
        for r in renditions.values()
    ]
    sizes.sort(key=lambda r: r["width"])
    return {
        "id": image.pk,
        "alt": image.localized_alt or image.description or "",
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "renditions": sizes,
        "srcset": ", ".join(f"{r['url']} {r['width']}w" for r in sizes),
    }


def _image_or_none(build: _Build, image_id: int | None) -> Document | None:
    image = build.images_by_id.get(image_id) if image_id else None
    return image_document(image) if image is not None else None


def _topic(topic: Any) -> Document | None:
    if topic is None:
        return None
    return {"slug": topic.slug, "name": topic.name}


def _municipality(municipality: Any) -> Document | None:
    if municipality is None:
        return None
    return {"slug": municipality.slug, "name": municipality.name}


def _contact(contact: Contact | None) -> Document | None:
    if contact is None:
        return None
    organisation = contact.organisation
    return {
        "name": contact.name,
        "role": contact.role,
        "organisation": organisation.name if organisation else None,
        "municipality": _municipality(contact.municipality),
        "email": contact.email,
        "phone": contact.phone,
    }


def _stream(build: _Build, raw: list[dict[str, Any]]) -> list[Document]:
    """A StreamField's blocks, in order, each as a small typed document."""
    blocks: list[Document] = []
    for block in raw or []:
        kind = block.get("type")
        value: Any = block.get("value")
        out: Document = {"type": kind, "id": block.get("id")}
        if kind == "paragraph":
            out["html"] = build.html(value)
        elif kind == "heading":
            out |= {"text": value.get("text", ""), "level": value.get("level", "h2")}
        elif kind == "quote":
            out |= {
                "text": value.get("text", ""),
                "attribution": value.get("attribution", ""),
            }
        elif kind == "image":
            image = _image_or_none(build, value.get("image"))
            if image is None:
                continue  # deleted or private image: nothing to show
            out |= {"image": image, "caption": value.get("caption", "")}
        elif kind == "tip":
            out |= {
                "kind": value.get("kind", "tip"),
                "title": value.get("title", ""),
                "html": build.html(value.get("text")),
            }
        elif kind == "steps":
            out |= {
                "title": value.get("title", ""),
                "steps": [_step(item) for item in value.get("steps", [])],
            }
        elif kind == "glossary":
            term = build.glossary_by_id.get(int(value)) if value else None
            if term is None:
                continue
            out["term"] = {
                "slug": term.slug,
                "term": term.term,
                "explanation": term.explanation,
            }
        elif kind == "contact":
            contact = build.contacts_by_id.get(int(value)) if value else None
            if contact is None:
                continue
            out["contact"] = _contact(contact)
        else:
            continue
        blocks.append(out)
    return blocks


def _step(item: Any) -> Document:
    # ListBlock items are stored as {"type": "item", "value": {...}} since Wagtail 2.16.
    value = item.get("value", item) if isinstance(item, dict) else {}
    return {"title": value.get("title", ""), "text": value.get("text", "")}


def _specific_page(version: PageVersion) -> Page:
    # type[Any]: Wagtail's Page is untyped, so issubclass() cannot narrow to it.
    model: type[Any] | None = ContentType.objects.get_for_id(
        version.content_type_id
    ).model_class()
    if model is None or not issubclass(model, Page):
        raise LookupError(f"page {version.id} has no page model installed")
    queryset = model.objects.all()
    related: list[str] = {
        HandbookPage: ["publisher"],
        ChapterPage: ["topic"],
        RecommendationPage: ["topic"],
        BestPracticePage: [
            "topic",
            "municipality",
            "contact__organisation",
            "contact__municipality",
        ],
        PortraitPage: ["municipality"],
    }.get(model, [])
    if related:
        queryset = queryset.select_related(*related)
    if model is HandbookPage:
        queryset = queryset.prefetch_related("partners__organisation")
    if model is RecommendationPage:
        queryset = queryset.prefetch_related("municipalities")
    return queryset.get(pk=version.id)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _type_fields(build: _Build, page: Page) -> Document:
    if isinstance(page, HandbookPage):
        publisher = page.publisher
        return {
            "subtitle": page.subtitle,
            "intro": build.html(page.intro),
            "edition_date": _iso(page.edition_date),
            "publisher": publisher.name if publisher else None,
            "partners": [
                {"organisation": p.organisation.name, "role": p.role}
                for p in page.partners.all()
            ],
            "funding_note": build.html(page.funding_note),
            "imprint": build.html(page.imprint),
            "cover_image": _image_or_none(build, page.cover_image_id),
        }
    if isinstance(page, ChapterPage):
        return {
            "number": page.number,
            "topic": _topic(page.topic),
            "intro": build.html(page.intro),
            "body": _stream(build, page.body.raw_data),
        }
    if isinstance(page, RecommendationPage):
        return {
            "topic": _topic(page.topic),
            "municipalities": [_municipality(m) for m in page.municipalities.all()],
            "summary": page.summary,
            "why": build.html(page.why),
            "steps": [_step(b) for b in page.steps.raw_data],
            "who_acts": build.html(page.who_acts),
        }
    if isinstance(page, BestPracticePage):
        return {
            "municipality": _municipality(page.municipality),
            "topic": _topic(page.topic),
            "what": build.html(page.what),
            "how": build.html(page.how),
            "outcome": build.html(page.outcome),
            "contact": _contact(page.contact),
        }
    if isinstance(page, PortraitIndexPage):
        return {"intro": build.html(page.intro)}
    if isinstance(page, PortraitPage):
        return {
            "display_name": page.display_name,
            "is_example": page.is_example,
            "municipality": _municipality(page.municipality),
            "origin": page.origin,
            "year_of_arrival": page.year_of_arrival,
            "quote": page.quote,
            "story": _stream(build, page.story.raw_data),
            "photo": _image_or_none(build, page.photo_id),
        }
    return {}


def _page_refs(page: Page) -> tuple[set[int], set[int], set[int]]:
    images: set[int] = set()
    glossary: set[int] = set()
    contacts: set[int] = set()
    for name in ("body", "story"):
        stream = getattr(page, name, None)
        if stream is not None:
            i, g, c = _stream_refs(stream.raw_data)
            images |= i
            glossary |= g
            contacts |= c
    for name in ("cover_image_id", "photo_id"):
        if getattr(page, name, None):
            images.add(getattr(page, name))
    return images, glossary, contacts


def document_build(resolution: Resolution, page: Page | None = None) -> Document | None:
    """Build the full document for a resolved page; None if nothing serves it.

    ``page`` replaces the stored version, e.g. a draft revision for previews.
    """
    served = resolution.served
    if served is None:
        return None
    if page is None:
        page = _specific_page(served)
    build = _Build(
        requested=resolution.requested,
        served=served.locale,
        chain=locale_chain(resolution.requested),
    )
    image_ids, glossary_ids, contact_ids = _page_refs(page)
    _fetch_references(
        build, image_ids=image_ids, glossary_ids=glossary_ids, contact_ids=contact_ids
    )
    source = resolution.source
    return {
        "id": served.id,
        "translation_key": str(served.translation_key),
        "type": PAGE_TYPES.get(type(page), "page"),
        "locale": served.locale,
        "title": page.title,
        "slug": page.slug,
        "path": served.url_path,
        **_type_fields(build, page),
        "meta": {
            "requested_locale": resolution.requested,
            "served_locale": served.locale,
            "fallback": resolution.fallback,
            "translation_status": translation_status_for(
                served=served, source=source, requested=resolution.requested
            ),
            "revision": served.live_revision_id,
            "source_revision": source.live_revision_id if source else None,
            "first_published_at": _iso(served.first_published_at),
            "last_published_at": _iso(served.last_published_at),
            "api_url": page_api_path(served.id, resolution.requested),
        },
    }


def draft_document(revision: Any) -> Document:
    """The document a draft revision would publish, for the website's preview."""
    page = revision.as_object()
    version = PageVersion.of(page, revision_id=revision.pk)
    resolution = Resolution(
        requested=version.locale, served=version, source=None, stamp=0
    )
    document = document_build(resolution, page=page)
    if document is None:  # cannot happen: the draft itself serves
        raise LookupError(f"revision {revision.pk} built no document")
    document["meta"]["preview"] = True
    return document


def page_document_for(page: Page, locale_code: str) -> Document | None:
    """The public document for ``page`` in ``locale_code``, or None if there is none."""
    return document_build(
        page_version_resolve(
            locale_code=locale_code, translation_key=page.translation_key
        )
    )


def document_bytes(document: Any) -> bytes:
    """Canonical encoding: compact, key order as built, UTF-8 (not \\u escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
