"""Reads behind the delivery API's lists: fallback-resolved querysets, search, sync.

Every list is one SQL query for its rows (plus one count), whatever the page size:
the fallback rule ("the requested locale if it has a public version, else the next
locale in the chain") is expressed in SQL with ``NOT EXISTS`` subqueries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Replace
from wagtail.models import Page
from wagtail.search import index

from cms.locales import SOURCE_LOCALE
from cms.snippets.models import Municipality, Topic
from exports.content import (
    PAGE_MODELS,
    content_locale_get,
    locale_chain,
    public_pages,
)
from exports.models import ContentEvent, ContentStamp

# PostgreSQL text-search configuration per language; "simple" where PostgreSQL has
# no stemmer (Persian, Ukrainian): it still matches whole words.
SEARCH_CONFIGS = {
    "de": "german",
    "de-x-ls": "german",
    "en": "english",
    "ar": "arabic",
    "tr": "turkish",
    "ro": "romanian",
    "ru": "russian",
    "fr": "french",
    "it": "italian",
    "es": "spanish",
}


def _search_text_fields() -> list[str]:
    """The text columns search reads, by their path from Page: each page model's
    own ``search_fields`` (declared on the model, as Wagtail's search reads them),
    without the title, which search weighs on its own."""
    own = {f.field_name for f in Page.search_fields}
    return [
        f"{model._meta.model_name}__{field.field_name}"
        for model in PAGE_MODELS.values()
        for field in model.search_fields
        if isinstance(field, index.SearchField) and field.field_name not in own
    ]


SEARCH_TEXT_FIELDS = _search_text_fields()


def _serves_in_chain(
    chain: tuple[str, ...], versions_in: Callable[[tuple[str, ...]], QuerySet]
) -> Q:
    """Rows in the chain's first locale, or in a later one when no earlier locale
    has a version (``versions_in(codes)``: the row's versions in ``codes``)."""
    serves = Q(locale__language_code=chain[0])
    for position, code in enumerate(chain[1:], start=1):
        serves |= Q(
            Q(locale__language_code=code), ~Exists(versions_in(chain[:position]))
        )
    return serves


def serving_pages(queryset: QuerySet, *, locale_code: str) -> QuerySet:
    """The page versions that serve ``locale_code``: its own, else the fallback's.

    ``queryset`` may be of Page or of one page model; the result holds at most one
    version per translation key, ordered like the German source tree.
    """
    chain = locale_chain(locale_code)
    rows = public_pages(queryset.filter(locale__language_code__in=chain))
    serves = _serves_in_chain(
        chain,
        lambda codes: public_pages(
            Page.objects.filter(
                translation_key=OuterRef("translation_key"),
                locale__language_code__in=codes,
            )
        ),
    )
    source_path = Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale__language_code=SOURCE_LOCALE,
    ).values("path")[:1]
    return (
        rows.filter(serves)
        .annotate(
            served_locale=F("locale__language_code"),
            source_path=Coalesce(Subquery(source_path), F("path")),
        )
        .order_by("source_path", "pk")
    )


def municipality_slugs() -> list[str]:
    """Slugs of every municipality, alphabetically: what the list filters accept."""
    return list(Municipality.objects.order_by("slug").values_list("slug", flat=True))


def topic_slugs() -> list[str]:
    """Slugs of every topic, alphabetically (a slug is shared by its translations)."""
    return list(
        Topic.objects.order_by("slug").values_list("slug", flat=True).distinct()
    )


def list_stamp() -> tuple[int, int, datetime | None]:
    """What every list depends on: the content stamp and the newest content event."""
    row = ContentStamp.objects.values("value", "updated_at").first()
    value, updated_at = (row["value"], row["updated_at"]) if row else (0, None)
    newest = ContentEvent.objects.aggregate(id=Max("id"), at=Max("created_at"))
    moments: list[datetime] = [d for d in (updated_at, newest["at"]) if d is not None]
    return value, newest["id"] or 0, max(moments, default=None)


@dataclass(frozen=True)
class LocaleCoverage:
    code: str
    name: str
    direction: str
    fallbacks: tuple[str, ...]
    is_source: bool
    pages: int
    translated: int

    @property
    def coverage(self) -> float:
        return round(100 * self.translated / self.pages, 1) if self.pages else 0.0


def locale_coverage() -> list[LocaleCoverage]:
    """Every configured locale with how many source pages have their own version."""
    counts = dict(
        public_pages(Page.objects.filter(depth__gt=1))
        .order_by()  # Page's default ordering by path would split the groups
        .values("locale__language_code")
        .annotate(n=Count("pk"))
        .values_list("locale__language_code", "n")
    )
    total = counts.get(SOURCE_LOCALE, 0)
    return [
        LocaleCoverage(
            code=loc.code,
            name=loc.name,
            direction=loc.direction,
            fallbacks=loc.fallbacks,
            is_source=loc.is_source,
            pages=total,
            translated=min(counts.get(loc.code, 0), total),
        )
        for loc in settings.WEGWEISER_LOCALES
    ]


# How a Mediopunkt (compound split, "Bürger·meister") may be stored: as the
# character, as an HTML entity in rich text, or JSON-escaped in a StreamField.
MEDIOPUNKT_STORED = ("\u00b7", "&middot;", "&#183;", "\\u00b7")


def without_mediopunkt(expression: Any) -> Any:
    """``expression`` (text) with compound splits removed, so a search for
    "Bürgermeister" finds "Bürger·meister"."""
    for stored in MEDIOPUNKT_STORED:
        expression = Replace(
            expression,
            Value(stored, output_field=TextField()),
            Value("", output_field=TextField()),
            output_field=TextField(),
        )
    return expression


def search_pages(*, query: str, locale_code: str, using_postgres: bool) -> QuerySet:
    """Pages serving ``locale_code`` that match ``query``, best first.

    PostgreSQL: full-text search with the locale's text-search configuration
    (stemming: "Vereine" finds "Verein"). SQLite: every word must occur somewhere
    in the title or text (case-insensitive), ordered like the tree. Both index
    words without compound splits (Mediopunkt), and ignore them in the query.
    """
    content_locale_get(locale_code)
    query = query.replace("\u00b7", "")
    pages = serving_pages(Page.objects.filter(depth__gt=2), locale_code=locale_code)
    if using_postgres:
        config = SEARCH_CONFIGS.get(locale_code.split("-")[0], "simple")
        config = SEARCH_CONFIGS.get(locale_code, config)
        blank = Value("", output_field=TextField())
        text = [
            without_mediopunkt(Coalesce(Cast(f, TextField()), blank))
            for f in SEARCH_TEXT_FIELDS
        ]
        title = without_mediopunkt(Cast("title", TextField()))
        vector = SearchVector(title, weight="A", config=config) + SearchVector(
            *text, weight="B", config=config
        )
        search = SearchQuery(query, config=config, search_type="websearch")
        return (
            pages.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "source_path", "pk")
        )
    pages = pages.annotate(
        search_title=without_mediopunkt(Cast("title", TextField())),
        **{
            f"search_{n}": without_mediopunkt(Cast(name, TextField()))
            for n, name in enumerate(SEARCH_TEXT_FIELDS)
        },
    )
    for word in query.split()[:10]:
        match = Q(search_title__icontains=word)
        for n in range(len(SEARCH_TEXT_FIELDS)):
            match |= Q(**{f"search_{n}__icontains": word})
        pages = pages.filter(match)
    return pages


@dataclass(frozen=True)
class Change:
    cursor: int
    translation_key: UUID
    action: str  # created | updated | deleted
    kind: str
    changed_at: datetime
    page_id: int | None


def changes_cursor_issued(*, event_id: int, recorded_at: datetime | None) -> bool:
    """Whether a ``changes/`` cursor names an event this database recorded.

    A cursor from the future, from another installation, or from before a
    restore from backup (its event is gone, or another event now has its id)
    was never issued here. Cursors of earlier releases carry no time: they pass
    when they are not newer than the newest event.
    """
    if event_id == 0:
        return True
    if recorded_at is None:
        newest = ContentEvent.objects.aggregate(id=Max("id"))["id"] or 0
        return event_id <= newest
    return ContentEvent.objects.filter(pk=event_id, created_at=recorded_at).exists()


def changes_since(
    *, locale_code: str, since: int, limit: int
) -> tuple[list[Change], int]:
    """What changed in ``locale_code`` after cursor ``since``: one entry per page.

    Returns the changes (oldest first, by their latest event) and the cursor to ask
    with next time. ``deleted`` means the page has no public version in the locale
    any more; ``created`` that it had none before the cursor.
    """
    latest = list(
        ContentEvent.objects.filter(locale=locale_code, id__gt=since)
        .order_by()
        .values("translation_key")
        .annotate(last=Max("id"))
        .order_by("last")[:limit]
    )
    if not latest:
        return [], since
    event_ids = [row["last"] for row in latest]
    events = {e.id: e for e in ContentEvent.objects.filter(id__in=event_ids)}
    keys = [row["translation_key"] for row in latest]
    known_before = set(
        ContentEvent.objects.filter(
            locale=locale_code, id__lte=since, translation_key__in=keys
        )
        .values_list("translation_key", flat=True)
        .distinct()
    )
    serving = dict(
        serving_pages(
            Page.objects.filter(translation_key__in=keys), locale_code=locale_code
        ).values_list("translation_key", "pk")
    )
    changes = []
    for row in latest:
        event = events[row["last"]]
        key = row["translation_key"]
        if key not in serving:
            action = "deleted"
        elif key in known_before:
            action = "updated"
        else:
            action = "created"
        changes.append(
            Change(
                cursor=event.id,
                translation_key=key,
                action=action,
                kind=event.kind,
                changed_at=event.created_at,
                page_id=serving.get(key),
            )
        )
    return changes, changes[-1].cursor
