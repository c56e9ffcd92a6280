"""The channel-neutral content tree: one page in one locale, as plain JSON data.

Every channel renders what this module builds and nothing else: the delivery API
serves it, the website channel pushes it, print and simple render it. A page
pulled from the API and a page pushed by webhook are therefore byte-identical.

Interface (stable; the implementation grows with the delivery API):

- ``page_document_for(page, locale_code)`` → the JSON-ready ``dict`` the delivery
  API serves for ``page`` (any locale version of it) in ``locale_code``, with
  fallback resolved; ``None`` when nothing public exists for that locale (missing
  simple version, unpublished, private, portrait without web consent).
- ``document_bytes(document)`` → the canonical UTF-8 JSON encoding of a document.
"""

from __future__ import annotations

import json
from typing import Any

from wagtail.models import Page

Document = dict[str, Any]


def page_document_for(page: Page, locale_code: str) -> Document | None:
    """The public document for ``page`` in ``locale_code``, or None if there is none."""
    raise NotImplementedError  # filled in by the delivery API work


def document_bytes(document: Document) -> bytes:
    """Canonical encoding: compact, key order as built, UTF-8 (not \\u escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
