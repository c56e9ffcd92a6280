"""The shapes the delivery API returns, for its OpenAPI document.

The views build plain dicts in exports.content; these serializers only describe
them to drf-spectacular (and to schemathesis, which checks every response against
them). Fields that ``?fields=`` can leave out are not required.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.models import Page

from exports.content import PAGE_MODELS, PAGE_TYPES

COMMON_FIELDS = ["id", "translation_key", "type", "locale", "title", "slug", "path"]
TYPE_FIELDS = {
    "handbook": [
        "subtitle",
        "intro",
        "edition_date",
        "edition",
        "printer",
        "print_run",
        "publisher",
        "partners",
        "funding_note",
        "imprint",
        "cover_image",
    ],
    "chapter": ["number", "topic", "intro", "body"],
    "recommendation": [
        "topic",
        "municipalities",
        "summary",
        "why",
        "steps",
        "who_acts",
    ],
    "best_practice": ["municipality", "topic", "what", "how", "outcome", "contact"],
    "portrait_index": ["intro"],
    "portrait": [
        "display_name",
        "is_example",
        "municipality",
        "origin",
        "year_of_arrival",
        "quote",
        "story",
        "photo",
    ],
}
SUMMARY_FIELDS = {
    "handbook": ["subtitle", "edition_date"],
    "chapter": ["number", "topic"],
    "recommendation": ["summary", "topic", "municipalities"],
    "best_practice": ["topic", "municipality"],
    "portrait_index": [],
    "portrait": [
        "display_name",
        "is_example",
        "origin",
        "year_of_arrival",
        "quote",
        "photo",
        "municipality",
    ],
}


def page_fields(type_name: str) -> list[str]:
    return [*COMMON_FIELDS, *TYPE_FIELDS.get(type_name, []), "meta"]


def summary_fields(type_name: str) -> list[str]:
    return [*COMMON_FIELDS, *SUMMARY_FIELDS.get(type_name, []), "meta"]


def model_for_content_type(content_type_id: int) -> type[Model] | None:
    return ContentType.objects.get_for_id(content_type_id).model_class()


def page_type_for_content_type(content_type_id: int) -> str:
    """The API's type name for a page's content type ("page" for unknown ones)."""
    model = model_for_content_type(content_type_id)
    return PAGE_TYPES.get(model, "page") if model is not None else "page"


def next_link() -> serializers.CharField:
    return serializers.CharField(
        allow_null=True,
        help_text="The next page of the list (a path); null at its end.",
    )


def previous_link() -> serializers.CharField:
    return serializers.CharField(
        allow_null=True, help_text="The previous page (a path); null on the first."
    )


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="Stable, English, for programs (unknown_locale, not_found …)."
    )
    message = serializers.CharField(
        help_text=(
            "What was wrong and what to do, for people: in the language "
            "Accept-Language prefers among the content locales, else English; "
            "the response's Content-Language names it."
        )
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class PageMetaSerializer(serializers.Serializer):
    requested_locale = serializers.CharField()
    served_locale = serializers.CharField()
    fallback = serializers.BooleanField()
    translation_status = serializers.ChoiceField(
        ["up_to_date", "outdated", "machine", "fallback"]
    )
    revision = serializers.IntegerField(allow_null=True)
    source_revision = serializers.IntegerField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    api_url = serializers.CharField()
    machine_translated_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Fields of this translation a machine translator made and no person "
            "has reviewed yet, as segment paths: a field name (`title`, "
            "`summary`), or for blocks `<field>.<block id>.<block field>` (the "
            "block `id` in the document). Empty for German, fallback and reviewed "
            "text. Show such text marked as machine-made."
        ),
    )
    website_url = serializers.CharField(
        allow_null=True,
        help_text=(
            "The page on the district website in the requested locale, from the "
            "WEBSITE_PAGE_URL setting (null when unset); printed as a QR code."
        ),
    )


class PageDocumentSerializer(serializers.Serializer):
    """One page. Type-specific fields follow the common ones (see ``type``).

    Compound splits (Leichte Sprache, ``de-x-ls``): writers split long words with
    a Mediopunkt (U+00B7, ``Bürger·meister``). In HTML fields of German documents
    it arrives as ``<span class="mediopunkt" aria-hidden="true">·</span>``: show
    it, and screen readers read the whole word. Plain-text fields (title, summary,
    quote, step texts …) keep the ``·`` character; to show or speak such a field
    without splits, remove every U+00B7 between two letters. Search ignores splits.

    Right-to-left documents (``ar``, ``fa``): numbers, phone numbers, e-mail
    addresses, URLs and Latin-script names inside the text are isolated as
    left-to-right runs. HTML fields wrap them in ``<bdi dir="ltr">``; plain-text
    fields carry U+2066 (LEFT-TO-RIGHT ISOLATE) before and U+2069 (POP
    DIRECTIONAL ISOLATE) after each run, which browsers and screen readers honour.
    """

    id = serializers.IntegerField()
    translation_key = serializers.UUIDField(required=False)
    type = serializers.ChoiceField(list(PAGE_MODELS))
    locale = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    slug = serializers.CharField(required=False)
    path = serializers.CharField(required=False)
    meta = PageMetaSerializer()


class SummaryMetaSerializer(serializers.Serializer):
    requested_locale = serializers.CharField()
    served_locale = serializers.CharField()
    fallback = serializers.BooleanField()
    api_url = serializers.CharField()


class MunicipalityRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


def _summary_type_fields(type_name: str) -> dict[str, serializers.Field]:
    """Type-specific summary fields the document describes (others are untyped)."""
    if type_name == "recommendation":
        return {
            "municipalities": MunicipalityRefSerializer(
                many=True,
                required=False,
                help_text="Towns the recommendation names; empty: the whole district.",
            )
        }
    return {}


def page_list_serializer(model: type[Page]) -> type[serializers.Serializer]:
    type_name = PAGE_TYPES[model]
    name = model.__name__.removesuffix("Page")

    Summary = type(
        f"{name}Summary",
        (serializers.Serializer,),
        {
            "id": serializers.IntegerField(),
            "translation_key": serializers.UUIDField(required=False),
            "type": serializers.CharField(help_text=f"Always {type_name!r} here."),
            "locale": serializers.CharField(required=False),
            "title": serializers.CharField(required=False),
            "slug": serializers.CharField(required=False),
            "path": serializers.CharField(required=False),
            **_summary_type_fields(type_name),
            "meta": SummaryMetaSerializer(),
        },
    )

    class PageList(serializers.Serializer):
        count = serializers.IntegerField()
        limit = serializers.IntegerField()
        offset = serializers.IntegerField()
        next = next_link()
        previous = previous_link()
        locale = serializers.CharField()
        items = Summary(many=True)

    PageList.__name__ = f"{name}List"
    return PageList


class TreeSerializer(serializers.Serializer):
    locale = serializers.CharField()
    tree = serializers.JSONField(help_text="Nested nodes, each with children.")


class GlossaryTermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    term = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    locale = serializers.CharField()
    fallback = serializers.BooleanField()


class GlossarySerializer(serializers.Serializer):
    locale = serializers.CharField()
    items = GlossaryTermSerializer(many=True)


class MunicipalitySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    postal_code = serializers.CharField(allow_blank=True)


class MunicipalityListSerializer(serializers.Serializer):
    items = MunicipalitySerializer(many=True)


SIMPLE_COVERAGE_COUNTS = {
    "checked": "Live, current, and approved by the Prüfgruppe (target-group review).",
    "unchecked": "Live and current, but the live revision was not approved.",
    "outdated": "The German page changed after the simple version was published.",
    "missing": "No live simple version.",
    "total": "German pages to cover.",
}


# Inline rather than a nullable reference: OpenAPI 3.0 ignores ``nullable`` next to
# an ``allOf`` without a ``type``, so validators rejected the ``null`` every other
# locale carries.
@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            name: {"type": "integer", "description": text}
            for name, text in SIMPLE_COVERAGE_COUNTS.items()
        },
        "required": list(SIMPLE_COVERAGE_COUNTS),
    }
)
class SimpleCoverageField(serializers.JSONField):
    """Leichte Sprache coverage counts, or null."""


class LocaleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    direction = serializers.ChoiceField(["ltr", "rtl"])
    fallbacks = serializers.ListField(child=serializers.CharField())
    is_source = serializers.BooleanField()
    pages = serializers.IntegerField()
    translated_pages = serializers.IntegerField()
    coverage = serializers.FloatField(help_text="Percent of source pages translated.")
    simple_coverage = SimpleCoverageField(
        allow_null=True,
        help_text=(
            "Leichte Sprache (de-x-ls) only, else null: how many German pages "
            "have a checked, unchecked, outdated or missing simple version."
        ),
    )


class LocaleListSerializer(serializers.Serializer):
    items = LocaleSerializer(many=True)


class ArtifactSerializer(serializers.Serializer):
    """One current file; ``url`` downloads it (ETag = ``sha256``)."""

    channel = serializers.CharField()
    locale = serializers.CharField()
    url = serializers.CharField()
    media_type = serializers.CharField(help_text="The file's media type.")
    size = serializers.IntegerField()
    pages = serializers.IntegerField(
        allow_null=True, help_text="Pages of a paged file (a PDF), else null."
    )
    sha256 = serializers.CharField()
    built_at = serializers.DateTimeField()
    build_seconds = serializers.FloatField(help_text="How long the build took.")


class ArtifactListSerializer(serializers.Serializer):
    items = ArtifactSerializer(many=True)


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    translation_key = serializers.UUIDField()
    type = serializers.CharField()
    locale = serializers.CharField()
    title = serializers.CharField()
    path = serializers.CharField()
    fallback = serializers.BooleanField()
    api_url = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    locale = serializers.CharField()
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    next = next_link()
    previous = previous_link()
    items = SearchHitSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    translation_key = serializers.UUIDField()
    action = serializers.ChoiceField(["created", "updated", "deleted"])
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()
    id = serializers.IntegerField(allow_null=True)
    api_url = serializers.CharField(allow_null=True)


class ChangesSerializer(serializers.Serializer):
    locale = serializers.CharField()
    changes = ChangeSerializer(many=True)
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


def delivery_api_only(
    endpoints: list[tuple[str, str, str, Any]], **kwargs: object
) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular hook: the document describes the delivery API, nothing else.

    (Wagtail's admin API and wagtail-localize's editor API are internal.)
    """
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if path.startswith("/api/v1/")
        and not path.startswith(("/api/v1/schema/", "/api/v1/docs/"))
    ]
