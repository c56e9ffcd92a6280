"""Reads for the Leichte Sprache checks: a page's reader-facing text, checked."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Model
from wagtail.blocks import StreamValue, StructValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail_localize.fields import TranslatableField
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.locales import SIMPLE_LOCALE
from cms.plain_language.checker import CheckResult, plain_language_check
from cms.snippets.models import GlossaryTerm

# Translatable fields a reader never sees as text.
_NOT_READ = frozenset({"slug", "seo_title", "search_description"})
_BLOCK_END_RE = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def html_to_lines(markup: str) -> str:
    """Rich text as plain text, one line per paragraph, heading or list item."""
    text = _BLOCK_END_RE.sub("\n", markup)
    text = html.unescape(_TAG_RE.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _block_text(value: Any, glossary: list[GlossaryTerm]) -> Iterable[str]:
    if isinstance(value, GlossaryTerm):
        glossary.append(value)
        yield f"{value.term}: {value.explanation}"
    elif isinstance(value, RichText):
        yield html_to_lines(value.source)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _block_text(child, glossary)
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _block_text(child.value, glossary)
    elif isinstance(value, list | tuple) or type(value).__name__ == "ListValue":
        for child in value:
            yield from _block_text(child, glossary)


def page_reader_text(*, page: Page) -> tuple[str, list[GlossaryTerm]]:
    """The text a reader sees on ``page`` (one line per block), and glossary blocks.

    Title first, then every translatable field in the model's order: rich text
    without HTML, StreamField blocks in order (glossary blocks as "term:
    explanation", which also counts as explaining the term).
    """
    specific: Model = page.specific
    lines: list[str] = []
    glossary: list[GlossaryTerm] = []
    for field in getattr(specific, "translatable_fields", []):
        if not isinstance(field, TranslatableField) or field.field_name in _NOT_READ:
            continue
        model_field = specific._meta.get_field(field.field_name)
        value = getattr(specific, field.field_name, None)
        if value in (None, ""):
            continue
        if isinstance(model_field, StreamField):
            lines += [t for t in _block_text(value, glossary) if t.strip()]
        elif isinstance(value, str):
            if "<" in value and ">" in value:
                lines.append(html_to_lines(value))
            else:
                lines.append(value)
    return "\n".join(lines), glossary


def _same_text(markup: str) -> str:
    """``markup`` as the editor shows it: tags gone, whitespace collapsed."""
    return " ".join(html_to_lines(markup).split())


def synced_translation_get(*, page: Page) -> Translation | None:
    """The enabled wagtail-localize translation that writes ``page``, if any."""
    return Translation.objects.filter(
        source__object_id=page.translation_key,
        target_locale_id=page.locale_id,
        enabled=True,
    ).first()


def translation_reader_text(
    *, page: Page, editing: Mapping[str, str] | None = None
) -> str | None:
    """The saved text of ``page``'s synced translation, one segment per line.

    What wagtail-localize's editor holds for the page (each segment is saved on
    its own); None when the page is not a synced translation. ``editing`` maps a
    segment's source text (as the editor shows it) to what the writer has typed
    into its open text area but not saved yet; that text is checked instead of
    the saved one. The editor's markup has no segment ids, so the source text is
    the key; of segments with the same source, the first one takes the edit.
    """
    translation = synced_translation_get(page=page)
    if translation is None:
        return None
    segments = (
        StringSegment.objects.filter(source=translation.source)
        .select_related("context", "string")
        .order_by("order")
    )
    translated = {
        (t.translation_of_id, t.context_id): t.data
        for t in StringTranslation.objects.filter(
            translation_of_id__in=[s.string_id for s in segments],
            locale_id=page.locale_id,
        )
    }
    unsaved = {_same_text(source): text for source, text in (editing or {}).items()}
    lines = []
    for segment in segments:
        if segment.context.path.split(".")[0] in _NOT_READ:
            continue
        data = translated.get((segment.string_id, segment.context_id))
        source = _same_text(segment.string.data)
        if source in unsaved:
            data = unsaved.pop(source)
        if data:
            lines.append(html_to_lines(data))
    return "\n".join(lines)


def glossary_terms_for(*, locale: Locale | None) -> list[str]:
    """The glossary's words in ``locale`` (falling back to the source locale)."""
    terms = list(
        GlossaryTerm.objects.filter(locale=locale).values_list("term", flat=True)
    )
    if not terms:
        terms = list(
            GlossaryTerm.objects.filter(
                locale__language_code=settings.LANGUAGE_CODE
            ).values_list("term", flat=True)
        )
    return terms


def plain_language_check_text(
    *, text: str, locale: Locale | None = None, explained: Iterable[str] = ()
) -> CheckResult:
    """Check ``text`` with the glossary of ``locale`` (the admin panel's entry)."""
    if locale is None:
        locale = Locale.objects.filter(language_code=SIMPLE_LOCALE).first()
    return plain_language_check(
        text,
        glossary_terms=glossary_terms_for(locale=locale),
        explained_terms=explained,
    )


def plain_language_check_page(*, page: Page) -> CheckResult:
    """Check the text a reader sees on ``page`` (usually a ``de-x-ls`` page)."""
    text, glossary_blocks = page_reader_text(page=page)
    return plain_language_check_text(
        text=text,
        locale=page.locale,
        explained=[g.term for g in glossary_blocks],
    )
