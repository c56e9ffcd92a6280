"""Who may see what: the one home of the visibility rules every channel follows.

A page version is visible to an audience (``web``, ``print``, ``simple``: the
consent flags a resident gives) when it is live, not at or below a view-restricted
page, not the tree's root, and — for a portrait — when its consent permits that
audience today (``PortraitConsent``: withdrawal takes effect at the start of its date
in the district's time zone). An image is visible when its collection is not
view-restricted, and its file may be fetched by URL only while a page the audience
may read shows it (``public_images``). Outside the source locale a version must
also be a translation (``cms.translators.selectors.translated_version``): an alias
or an untranslated copy is not served; readers get the next locale of the fallback
chain.

The delivery API, the website push, ``changes/``, search, print and Leichte Sprache
all reach these rules through the content tree or the query helpers here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)

from cms.pages.models import PortraitConsent, PortraitPage, consent_in_force
from cms.translators.selectors import translated_version

# The audiences a portrait's consent names; every channel reads as one of them.
Audience = Literal["web", "print", "simple"]
AUDIENCES: tuple[Audience, ...] = ("web", "print", "simple")


def visibility_today() -> date:
    """The date consent is judged on: today in the district's time zone."""
    return timezone.localdate()


def _outer_text(name: str) -> ExpressionWrapper:
    return ExpressionWrapper(OuterRef(name), output_field=CharField())


def restricted_path_exists() -> Exists:
    """True for pages at or below a view-restricted page (private in any way).

    Read from the restrictions (a handful) towards the page: each restricted page's
    path is looked up by its key. Joined the other way, PostgreSQL scanned every page
    of every locale for each row (0.2–0.5 s for a 200-page handbook).
    """
    restricted_path = Subquery(
        Page.objects.filter(pk=OuterRef("page_id")).order_by().values("path")[:1]
    )
    return Exists(
        PageViewRestriction.objects.filter(
            StartsWith(_outer_text("path"), restricted_path)
        )
    )


def restricted_collection_exists() -> Exists:
    """True for images in or below a view-restricted collection."""
    return Exists(
        CollectionViewRestriction.objects.filter(
            StartsWith(_outer_text("collection__path"), F("collection__path"))
        )
    )


def translated_annotation() -> ExpressionWrapper:
    """``translated_version`` as a column (true for German pages too)."""
    return ExpressionWrapper(translated_version(), output_field=BooleanField())


def public_pages(
    queryset: QuerySet,
    *,
    audience: Audience = "web",
    on: date | None = None,
    translated: bool = True,
) -> QuerySet:
    """Only what ``audience`` may read: live, not view-restricted, portraits with
    that audience's consent on ``on`` (today), translations that are translations.

    Works on Page querysets and on querysets of any page model. ``translated=False``
    keeps aliases and untranslated copies (for callers that resolve fallbacks
    themselves).
    """
    day = on or visibility_today()
    if queryset.model is PortraitPage:
        consent_ok = PortraitConsent.permitting(audience, on=day, prefix="consent__")
    elif queryset.model is Page:
        consent_ok = Q(portraitpage__isnull=True) | PortraitConsent.permitting(
            audience, on=day, prefix="portraitpage__consent__"
        )
    else:
        consent_ok = Q()
    rows = (
        queryset.filter(live=True)
        .annotate(is_restricted=restricted_path_exists())
        .filter(consent_ok, is_restricted=False)
    )
    return rows.filter(translated_version()) if translated else rows


# The columns of a page row that deciding visibility needs (see version_visible).
VISIBILITY_COLUMNS = (
    "live",
    "depth",
    "is_restricted",
    "is_translated",
    "portraitpage__page_ptr_id",
    "portraitpage__consent__web",
    "portraitpage__consent__print",
    "portraitpage__consent__simple",
    "portraitpage__consent__withdrawn_on",
)


def version_visible(
    row: dict[str, Any], *, audience: Audience, on: date, source: bool
) -> bool:
    """The same rule as ``public_pages``, for a row read with VISIBILITY_COLUMNS
    (the resolution query reads them once for every locale of a page)."""
    if not row["live"] or row["is_restricted"] or row["depth"] <= 1:
        return False
    if not source and not row["is_translated"]:
        return False
    if row["portraitpage__page_ptr_id"] is None:
        return True
    return bool(row[f"portraitpage__consent__{audience}"]) and consent_in_force(
        withdrawn_on=row["portraitpage__consent__withdrawn_on"], on=on
    )


def public_images(
    queryset: QuerySet, *, audience: Audience = "web", on: date | None = None
) -> QuerySet:
    """Only the images whose files ``audience`` may fetch: outside private
    collections, and shown by at least one page ``public_pages`` lets it read
    (Wagtail's reference index says which pages show an image).

    A portrait's photo goes with its consent, an image of a private page with the
    page; an image no public page shows (just uploaded, or only in drafts) is
    nobody's business but the editors'.
    """
    page_type = ContentType.objects.get_for_model(Page)
    image_type = ContentType.objects.get_for_model(queryset.model)
    readable = public_pages(Page.objects.all(), audience=audience, on=on).annotate(
        id_text=Cast("pk", CharField())
    )
    shown = ReferenceIndex.objects.filter(
        to_content_type=image_type,
        to_object_id=Cast(OuterRef("pk"), CharField()),
        base_content_type=page_type,
        object_id__in=readable.values("id_text"),
    )
    return (
        queryset.annotate(in_private_collection=restricted_collection_exists())
        .filter(in_private_collection=False)
        .filter(Exists(shown))
    )
