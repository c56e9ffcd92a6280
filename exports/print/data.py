"""The content tree for print: one JSON-serialisable dict per locale.

Built from the same documents the delivery API serves (``page_document_for``), in the
German tree's order, so print and web never disagree. The dict is deterministic: its
hash is the build's content address (``print_data_hash``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage
from exports.content import content_locale_get, page_document_for, public_pages


def print_data(locale_code: str) -> dict[str, Any]:
    """The handbook in ``locale_code`` as the print template reads it."""
    content_locale = content_locale_get(locale_code)  # or UnknownLocale
    source_locale = Locale.get_default()
    handbook = public_pages(HandbookPage.objects.filter(locale=source_locale)).first()
    chapters: list[dict[str, Any]] = []
    title = ""
    if handbook is not None:
        root = page_document_for(handbook, locale_code)
        title = root["title"] if root else handbook.title
        for chapter in public_pages(
            ChapterPage.objects.child_of(handbook).filter(locale=source_locale)
        ).order_by("path"):
            document = page_document_for(chapter, locale_code)
            if document is None:
                continue
            chapters.append({"title": document["title"], "paragraphs": []})
    with translation.override(locale_code):
        labels = {"contents": _("Inhalt"), "page": _("Seite")}
    return {
        "lang": locale_code.split("-")[0],
        "locale": locale_code,
        "dir": content_locale.direction,
        "title": title,
        "publisher": "",
        "labels": labels,
        "chapters": chapters,
    }


def print_data_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: equal content, equal address."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()
