"""Read operations of the translators' workflow (Django-Styleguide selectors)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.lookups import Exact
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from cms.lookups import AnyOf
from cms.translators.offline import OfflineBundle, OfflinePart, OfflineUnit, Scope
from cms.translators.roles import locale_code_of_group


def role_locale_codes_for(*, user) -> set[str] | None:
    """The locales a user's role groups scope them to; None means unrestricted.

    Superusers and users in no role group are not restricted here (their page
    permissions decide). A member of ``Translators ar`` gets ``{"ar"}``.
    """
    if user.is_superuser:
        return None
    names = getattr(user, "_role_group_names", None)
    if names is None:
        names = list(user.groups.values_list("name", flat=True))
        user._role_group_names = names
    codes = {code for code in map(locale_code_of_group, names) if code is not None}
    return codes or None


# --- Offline files ------------------------------------------------------------------


def offline_translations_for(*, page: Page, scope: Scope) -> list[Translation]:
    """The enabled wagtail-localize Translations behind ``page`` (a translated page).

    ``scope="chapter"`` adds the translations of the page's descendants, in tree
    order. Pages authored directly in the locale (no Translation) are left out.
    """
    pages = [page] if scope == "page" else list(page.get_descendants(inclusive=True))
    order = {p.translation_key: i for i, p in enumerate(pages)}
    translations = Translation.objects.filter(
        source__object_id__in=order,
        target_locale_id=page.locale_id,
        enabled=True,
    ).select_related("source", "source__locale", "target_locale")
    return sorted(translations, key=lambda t: order[t.source.object_id])


def offline_bundle_for(*, page: Page, scope: Scope) -> OfflineBundle:
    """What an offline file for ``page`` holds now: every segment, with its
    current translation (errors included, so a translator sees and fixes them)."""
    translations = offline_translations_for(page=page, scope=scope)
    bundle = OfflineBundle(
        page_id=page.pk,
        locale=page.locale.language_code,
        source_locale=(
            translations[0].source.locale.language_code
            if translations
            else Locale.get_default().language_code
        ),
        scope=scope,
    )
    part_of_source = {}
    for n, translation in enumerate(translations, start=1):
        part_of_source[translation.source_id] = n
        bundle.parts.append(
            OfflinePart(
                translation_uuid=str(translation.uuid),
                source_updated=translation.source.last_updated_at.isoformat(),
                title=translation.source.object_repr,
            )
        )
    if not translations:
        return bundle
    machine = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=page.locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    segments = (
        StringSegment.objects.filter(source_id__in=part_of_source)
        .annotate_translation(page.locale, include_errors=True)
        .annotate(is_machine=Exists(machine))
        .select_related("string", "context")
        .order_by("source_id", "order")
    )
    # A text repeated within one field is one unit: wagtail-localize keeps one
    # StringTranslation per text and context, and a PO file may hold each
    # (msgctxt, msgid) once.
    units: dict[tuple[int, str, str], OfflineUnit] = {}
    for segment in segments:
        unit = OfflineUnit(
            part=part_of_source[segment.source_id],
            path=segment.context.path,
            source=segment.string.data,
            target=segment.translation or "",
            needs_review=segment.is_machine,
        )
        units.setdefault((unit.part, unit.path, unit.source), unit)
    bundle.units = sorted(units.values(), key=lambda u: u.part)
    return bundle


# --- Translation status -------------------------------------------------------------

TranslationStatus = Literal["up_to_date", "outdated", "machine"]
# A locale version that exists but is not a translation (an alias, or a copy whose
# text nobody has translated yet): readers get the source instead.
ReportStatus = TranslationStatus | Literal["missing"]


class _IndexSkippedOnSQLite(Func):
    """A column that SQLite must not look rows up by: written ``+column`` there
    (SQLite's documented way to keep a term off an index), as it is elsewhere.

    ``translated_object`` asks, for each page, whether its object has a Translation
    or a StringTranslation in the page's locale. SQLite, which keeps no statistics,
    looked those up by the locale, walking every one of the locale's rows for each
    page (35 ms of the 200-page handbook's print data); by the object it reads a
    few. PostgreSQL plans from its statistics and keeps the plain column.
    """

    arity = 1
    template = "%(expressions)s"

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        return super().as_sql(
            compiler, connection, template="+%(expressions)s", **extra_context
        )


def translated_object() -> Q:
    """The rule, in one place, for "this locale version is a translation", for a
    query over any translatable model (pages and snippets alike).

    A version counts unless wagtail-localize made it as a translation (an enabled
    Translation into its locale) and none of its text is translated yet: it would
    show the source text under another language's name. Source versions and
    versions written directly in their locale (no Translation) count.
    """
    made_as_translation = Exists(
        Translation.objects.filter(
            Exact(_IndexSkippedOnSQLite("target_locale_id"), OuterRef("locale_id")),
            source__object_id=OuterRef("translation_key"),
            enabled=True,
        )
    )
    has_translated_text = Exists(
        StringTranslation.objects.filter(
            Exact(_IndexSkippedOnSQLite("locale_id"), OuterRef("locale_id")),
            context__object_id=OuterRef("translation_key"),
        )
    )
    return ~made_as_translation | has_translated_text


def translated_version() -> Q:
    """The rule for "this page version is a translation": ``translated_object``,
    and not an alias of another locale's page (which shows that page's text).

    The delivery API and every channel (through the content tree), the coverage
    in ``/api/v1/locales/`` and the translators' report all ask this, so they
    agree about what is translated.
    """
    return Q(alias_of__isnull=True) & translated_object()


@dataclass(frozen=True)
class SegmentCounts:
    """String segments of one TranslationSource, counted for one target locale.

    ``outdated``: not translated now, but the same field was translated before —
    its German text changed since (found by wagtail-localize's sync, which keeps
    old translations with the string they translated). ``missing``: never
    translated. ``machine``: translated by a machine translator, not yet reviewed.
    """

    total: int = 0
    translated: int = 0
    machine: int = 0
    outdated: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.outdated


@dataclass(frozen=True)
class PageTranslationState:
    """One German page and its state in one target locale (a report row)."""

    source_page_id: int
    title: str
    depth: int
    locale_code: str
    # The translated page, or None when the page has no version in the locale.
    page_id: int | None
    # wagtail-localize's TranslationSource, or None if never sent for translation.
    translation_source_id: int | None
    counts: SegmentCounts
    # The German page was published after its text was last extracted: the
    # translation does not know the newest text yet (a sync brings it in).
    source_changed: bool

    @property
    def translated_percent(self) -> int:
        if not self.counts.total:
            return 100 if self.page_id else 0
        return round(100 * self.counts.translated / self.counts.total)

    @property
    def status(self) -> ReportStatus:
        if self.page_id is None or self.translation_source_id is None:
            return "missing"
        return _status(self.counts, self.source_changed)


def _status(counts: SegmentCounts, source_changed: bool) -> TranslationStatus:
    if source_changed or counts.outdated or counts.missing:
        return "outdated"
    if counts.machine:
        return "machine"
    return "up_to_date"


def _segment_count_aggregates(locale_id: int) -> dict:
    """The aggregates behind SegmentCounts, for segments counted in ``locale_id``."""
    translation = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=locale_id,
        has_error=False,
    )
    previous = StringTranslation.objects.filter(
        context_id=OuterRef("context_id"), locale_id=locale_id
    ).exclude(translation_of_id=OuterRef("string_id"))
    return {
        "total": Count("id"),
        "translated": Count("id", filter=Q(Exists(translation))),
        "machine": Count(
            "id",
            filter=Q(
                Exists(
                    translation.filter(
                        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
                    )
                )
            ),
        ),
        "outdated": Count("id", filter=Q(~Exists(translation) & Exists(previous))),
    }


def _segment_counts(
    *, source_ids: list[int], locale_id: int
) -> dict[int, SegmentCounts]:
    """Counts per TranslationSource in one query, however many pages."""
    rows = (
        StringSegment.objects.filter(source_id__in=source_ids)
        .values("source_id")
        .annotate(**_segment_count_aggregates(locale_id))
        .order_by()
    )
    return {
        row["source_id"]: SegmentCounts(
            total=row["total"],
            translated=row["translated"],
            machine=row["machine"],
            outdated=row["outdated"],
        )
        for row in rows
    }


def _source_changed(published_at, extracted_at) -> bool:
    return bool(published_at and extracted_at and published_at > extracted_at)


def translation_states_for_locale(*, locale_code: str) -> list[PageTranslationState]:
    """Every German page's state in ``locale_code``, in tree order.

    Five queries whatever the number of pages: locale, German pages, their
    versions in the locale, their TranslationSources, and one aggregate over the
    string segments. Raises ``Locale.DoesNotExist`` for an unknown locale.
    """
    locale = Locale.objects.get(language_code=locale_code)
    source_locale = Locale.get_default()
    sources_pages = list(
        Page.objects.filter(locale=source_locale, depth__gte=2)
        .order_by("path")
        .values("id", "title", "depth", "translation_key", "last_published_at")
    )
    keys = [p["translation_key"] for p in sources_pages]
    targets = dict(
        Page.objects.filter(
            translated_version(), locale=locale, translation_key__in=keys
        ).values_list("translation_key", "id")
    )
    sources = {
        row["object_id"]: row
        for row in TranslationSource.objects.filter(
            object_id__in=keys,
            locale=source_locale,
            translations__target_locale=locale,
        ).values("id", "object_id", "last_updated_at")
    }
    counts = _segment_counts(
        source_ids=[s["id"] for s in sources.values()], locale_id=locale.pk
    )
    states = []
    for page in sources_pages:
        source = sources.get(page["translation_key"])
        states.append(
            PageTranslationState(
                source_page_id=page["id"],
                title=page["title"],
                depth=page["depth"],
                locale_code=locale_code,
                page_id=targets.get(page["translation_key"]),
                translation_source_id=source["id"] if source else None,
                counts=counts.get(source["id"], SegmentCounts())
                if source
                else SegmentCounts(),
                source_changed=bool(source)
                and _source_changed(
                    page["last_published_at"], source["last_updated_at"]
                ),
            )
        )
    return states


def translation_status_for(page: Page) -> ReportStatus:
    """How current the published text of ``page`` (a page in any locale) is.

    For the delivery API's ``translation_status``:

    - ``"up_to_date"``: every segment is translated by a person from the newest
      German text — or the page is German, or was written directly in its locale
      (it has no wagtail-localize translation);
    - ``"outdated"``: the German page changed after its text was extracted for
      translation, or some segments are untranslated or were translated from an
      older German text (shown there in German or in the older wording);
    - ``"machine"``: complete and current, but some segments come from a machine
      translator and no person has reviewed them;
    - ``"missing"``: not a translation (:func:`translated_version`): an alias, or
      a copy nobody has translated yet. Readers get the German page instead.

    Two or three queries; for many pages of one locale use
    :func:`translation_states_for_locale`.
    """
    default_locale = Locale.get_default()
    if (
        page.locale_id != default_locale.pk
        and not Page.objects.filter(translated_version(), pk=page.pk).exists()
    ):
        return "missing"
    source_published_at = (
        Page.objects.filter(translation_key=page.translation_key, locale=default_locale)
        .values_list("last_published_at", flat=True)
        .first()
    )
    return translation_status_of(
        translation_key=page.translation_key,
        locale_id=page.locale_id,
        source_published_at=source_published_at,
    )


def translation_status_of(
    *, translation_key, locale_id: int, source_published_at
) -> TranslationStatus:
    """:func:`translation_status_for` when the German page's publish time is known.

    One query: the segments of the page's enabled translation into ``locale_id``,
    counted, with the time its text was last extracted. A page with no
    translation source (German, or written directly in its locale) is up to date.
    """
    row = translation_status_query(
        translation_key=translation_key, locale_id=locale_id
    ).get()
    return translation_status_from(row, source_published_at=source_published_at)


def translation_status_query(*, translation_key, locale_id: int) -> QuerySet:
    """The one row :func:`translation_status_from` reads: segment counts of the
    page's enabled translation into ``locale_id``, and when its text was last
    extracted.

    A values() query rather than ``aggregate()`` so that a caller on a hot path
    (the delivery API) can compile it to SQL once and run it again with another
    translation key. Grouped by a constant, it has no GROUP BY: like an
    aggregate, it answers exactly one row, zeros (and no time) when the page has
    no translation source.
    """
    return (
        StringSegment.objects.filter(
            source__object_id=translation_key,
            source__translations__target_locale_id=locale_id,
            source__translations__enabled=True,
        )
        .exclude(source__locale_id=locale_id)
        .annotate(one_row=Value(1))
        .values("one_row")
        .annotate(
            **_segment_count_aggregates(locale_id),
            extracted_at=Max("source__last_updated_at"),
        )
        .values("total", "translated", "machine", "outdated", "extracted_at")
        .order_by()
    )


def translation_status_rows(
    *, translation_keys: Iterable[Any], locale_id: int
) -> dict[Any, dict[str, Any]]:
    """:func:`translation_status_query` rows for many pages of one locale at once,
    by translation key: one query, whatever the number of pages. A page with no
    translation source has no row (read it as :data:`NO_TRANSLATION_SOURCE`)."""
    rows = translation_status_rows_query(
        translation_keys=list(translation_keys), locale_id=locale_id
    )
    return {row.pop("source__object_id"): row for row in rows}


def translation_status_rows_query(
    *, translation_keys: list[Any], locale_id: int
) -> QuerySet:
    """The query behind :func:`translation_status_rows`. On PostgreSQL the keys are
    one array parameter, so its SQL is the same for any number of pages and a hot
    path (the API's lists) can compile it once."""
    keys = (
        AnyOf(F("source__object_id"), translation_keys)
        if connection.vendor == "postgresql"
        else Q(source__object_id__in=translation_keys)
    )
    return (
        StringSegment.objects.filter(
            keys,
            source__translations__target_locale_id=locale_id,
            source__translations__enabled=True,
        )
        .exclude(source__locale_id=locale_id)
        .values("source__object_id")
        .annotate(
            **_segment_count_aggregates(locale_id),
            extracted_at=Max("source__last_updated_at"),
        )
        .order_by()
    )


# What translation_status_query answers for a page without a translation source.
NO_TRANSLATION_SOURCE: dict[str, Any] = {
    "total": 0,
    "translated": 0,
    "machine": 0,
    "outdated": 0,
    "extracted_at": None,
}


def translation_status_from(
    row: dict[str, Any], *, source_published_at
) -> TranslationStatus:
    """The status a :func:`translation_status_query` row stands for."""
    return _status(
        SegmentCounts(
            total=row["total"],
            translated=row["translated"],
            machine=row["machine"],
            outdated=row["outdated"],
        ),
        _source_changed(source_published_at, row["extracted_at"]),
    )


@dataclass(frozen=True)
class ChangedSegment:
    """A segment whose German text changed since it was translated."""

    path: str
    source: str  # the German text now
    previous_source: str  # the German text the stored translation was made from
    previous_translation: str


def changed_segments_for(*, page: Page) -> list[ChangedSegment]:
    """Which segments of ``page`` (a translated page) changed in German.

    Before a sync, the live German page is compared with the text extracted for
    translation; after one, the current segments are compared with the older
    translations wagtail-localize kept. One page at a time (it extracts segments).
    """
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        return []
    source = translation.source
    stored = list(
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
    )
    older = {}
    for st in StringTranslation.objects.filter(
        context__object_id=source.object_id, locale_id=page.locale_id
    ).select_related("translation_of", "context"):
        older.setdefault(st.context.path, {})[st.translation_of.data] = st.data

    current: list[tuple[str, str]]
    try:
        live = source.get_source_instance()
    except ObjectDoesNotExist:
        live = None
    if live is not None and _source_changed(
        getattr(live, "last_published_at", None), source.last_updated_at
    ):
        current = [
            (s.path, s.string.data)
            for s in extract_segments(live)
            if isinstance(s, StringSegmentValue)
        ]
    else:
        current = [(s.context.path, s.string.data) for s in stored]

    changed = []
    for path, text in current:
        translations = older.get(path, {})
        if text in translations:
            continue
        previous = next(iter(translations.items()), None)
        if previous is None:
            continue  # never translated: missing, not changed
        changed.append(ChangedSegment(path, text, previous[0], previous[1]))
    return changed


def machine_translated_paths(
    *, translation_keys: Iterable[Any], locale_id: int
) -> dict[Any, list[str]]:
    """Per page (translation key): the fields whose current translation into
    ``locale_id`` a machine made and no person has reviewed since, as
    wagtail-localize segment paths (``title``, ``body.<block id>.text``). One query.

    A person editing a segment in the translation editor (or importing it from an
    offline file) makes it manual, so it leaves this list.
    """
    keys = list(translation_keys)
    if not keys:
        return {}
    current = StringSegment.objects.filter(
        source__object_id=OuterRef("context__object_id"),
        string_id=OuterRef("translation_of_id"),
        context_id=OuterRef("context_id"),
    )
    rows = (
        StringTranslation.objects.filter(
            locale_id=locale_id,
            context__object_id__in=keys,
            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
        )
        .filter(Exists(current))
        .values_list("context__object_id", "context__path")
        .order_by("context__object_id", "context__path")
    )
    paths: dict[Any, list[str]] = {}
    for key, path in rows:
        paths.setdefault(key, []).append(path)
    return paths
