"""The content tree for print: one JSON-serialisable dict per locale.

Built from the same documents the delivery API serves (``page_document_for``), in the
German tree's order, so print and web never disagree. The dict is deterministic: its
hash is the build's content address (``print_data_hash``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms.pages.models import ChapterPage, HandbookPage
from exports.content import content_locale_get, page_document_for, public_pages


@dataclass(frozen=True)
class PrintSource:
    """Everything one PDF is made of: template name, JSON data, files to copy in.

    ``files`` maps names inside the build folder (``images/12.jpg``) to files on
    disk; ``data`` refers to them by those names.
    """

    locale: str
    data: dict[str, Any]
    template: str = "handbook"
    files: dict[str, Path] = field(default_factory=dict)


def print_source(locale_code: str) -> PrintSource:
    """The handbook in ``locale_code``, ready for ``print_render``."""
    return PrintSource(locale=locale_code, data=print_data(locale_code))


def print_source_hash(source: PrintSource) -> str:
    """The build's content address: template, data and the bytes of every file.

    Equal hash, equal PDF: the pipeline skips a build whose hash it already has.
    """
    digest = hashlib.sha256()
    template = Path(__file__).resolve().parent / "templates" / f"{source.template}.typ"
    digest.update(template.read_bytes())
    digest.update(print_data_hash(source.data).encode())
    for name in sorted(source.files):
        digest.update(name.encode())
        digest.update(hashlib.sha256(source.files[name].read_bytes()).digest())
    return digest.hexdigest()


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
