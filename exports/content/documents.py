"""The JSON serialization of the content tree: what the API serves and webhooks push.

One function turns a node into a document (``node_document``), so a page pulled
from ``/api/v1/pages/<id>/`` and a page pushed by webhook are byte-identical
(``document_bytes`` is the one encoding). Key order follows the node classes:
``id, translation_key, type, locale, title, slug, path``, the page type's fields
in declaration order, then ``channels`` (what channels add, e.g. a page's audio
file; only when one adds something), then ``meta``. Rich text becomes clean HTML,
dates ISO 8601, blocks ``{"type", "id", …}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from wagtail.models import Page

from exports.content.build import draft_node_build, page_node_build
from exports.content.inline import RichText, rich_text_html
from exports.content.nodes import Block, PageNode, TermRef
from exports.content.references import image_ref
from exports.content.resolve import Resolution, page_version_resolve

Document = dict[str, Any]
# Adds fields to pages' documents: for a batch of nodes, one mapping each,
# ``{channel alias: {...}}`` (the registry's ``channels_page_document_fields``).
# A batch, so an extension looks its data up once per batch, not once per page.
# The tree itself names no channel.
PageDocumentExtension = Callable[[Sequence[PageNode]], Sequence[Mapping[str, Any]]]
_page_document_extensions: list[PageDocumentExtension] = []


def page_document_extension_register(extension: PageDocumentExtension) -> None:
    """Let ``extension`` add fields to every page document (once per function)."""
    if extension not in _page_document_extensions:
        _page_document_extensions.append(extension)


def _json_value(value: Any) -> Any:
    # Dispatch on the exact class, decided once per class: the isinstance chain
    # it replaces was a third of the CPU a resync spent on a document.
    cls = value.__class__
    convert = _converters.get(cls)
    if convert is None:
        convert = _converters[cls] = _converter_for(cls)
    return convert(value)


def _converter_for(cls: type) -> Callable[[Any], Any]:
    """How values of ``cls`` become JSON (rich text, dates, sequences, nodes)."""
    if issubclass(cls, RichText):
        return rich_text_html
    if issubclass(cls, datetime | date):
        return _isoformat
    if issubclass(cls, tuple | list):
        return _json_list
    if issubclass(cls, Block):
        return _json_block
    if is_dataclass(cls) and cls is not type:
        return _json_fields
    return _as_is


def _isoformat(value: date) -> str:
    return value.isoformat()


def _json_list(value: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [_json_value(v) for v in value]


def _json_block(value: Block) -> Document:
    return {"type": value.type, **_json_fields(value)}


def _as_is(value: Any) -> Any:
    return value


_converters: dict[type, Callable[[Any], Any]] = {}


@cache
def _json_names(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON key) of a node class's fields, in order (read once)."""
    names = []
    for f in fields(cls):
        name = f.metadata.get("json", f.name)
        if name is not None and f.metadata.get("document") != "last":
            names.append((f.name, name))
    return tuple(names)


# Values that are already JSON: most fields of a node hold one.
_JSON_SCALARS = frozenset({str, int, bool, float, type(None)})


def _json_fields(value: Any) -> Document:
    cls: type = value.__class__
    document = {}
    for attr, key in _json_names(cls):
        field_value = getattr(value, attr)
        document[key] = (
            field_value
            if field_value.__class__ in _JSON_SCALARS
            else _json_value(field_value)
        )
    return document


def node_document(node: PageNode) -> Document:
    """The API document of one page node."""
    return node_documents([node])[0]


def node_documents(nodes: Sequence[PageNode]) -> list[Document]:
    """The API documents of page nodes, in order (extensions asked once for all)."""
    added: list[dict[str, Any]] = [{} for _node in nodes]
    for extension in _page_document_extensions:
        for fields_of_node, extra in zip(added, extension(nodes), strict=True):
            fields_of_node.update(extra)
    return [
        _node_document(node, extra) for node, extra in zip(nodes, added, strict=True)
    ]


def _node_document(node: PageNode, added: dict[str, Any]) -> Document:
    head = {
        "id": node.id,
        "translation_key": str(node.translation_key),
        "type": node.type,
    }
    body = _json_fields(node)
    body.pop("id")
    body.pop("translation_key")
    if added:
        body["channels"] = added
    return {**head, **body, "meta": _json_value(node.meta)}


def summary_document(
    node: PageNode, fields: Sequence[str], meta: Sequence[str]
) -> Document:
    """Part of a node's document, as the API's lists show it: the head (id,
    translation key, type, locale, title, slug, path), the document keys
    ``fields`` in that order and the ``meta`` keys. Only these are serialized (a
    list never renders the bodies it leaves out); the values are those of
    ``node_document``."""
    cls: type = node.__class__
    names = {key: attr for attr, key in _json_names(cls)}
    document: Document = _head(node)
    for key in fields:
        if key in names:
            document[key] = _json_value(getattr(node, names[key]))
    document["meta"] = {key: _json_value(getattr(node.meta, key)) for key in meta}
    return document


def _head(node: PageNode) -> Document:
    """What every document of a page begins with, in this order."""
    return {
        "id": node.id,
        "translation_key": str(node.translation_key),
        "type": node.type,
        "locale": node.locale,
        "title": node.title,
        "slug": node.slug,
        "path": node.path,
    }


def outline_document(node: PageNode) -> Document:
    """A node and its children as the API's tree view lists them (no content)."""
    return {
        **_head(node),
        "fallback": node.meta.fallback,
        "api_url": node.meta.api_url,
        "children": [outline_document(child) for child in node.children],
    }


def search_hit_document(node: PageNode) -> Document:
    """A node as the API's search lists it: its document's head without the slug,
    whether it is a fallback, and its API address."""
    head = _head(node)
    del head["slug"]
    return {**head, "fallback": node.meta.fallback, "api_url": node.meta.api_url}


def glossary_term_document(term: TermRef, locale_code: str) -> Document:
    """A glossary term as the API's glossary lists it for ``locale_code``: its
    document (as in a glossary block), the locale it is written in, and whether
    that is a fallback."""
    return {
        **_json_fields(term),
        "locale": term.locale,
        "fallback": term.locale != locale_code,
    }


def document_build(resolution: Resolution, page: Page | None = None) -> Document | None:
    """The document for a resolved page; None if nothing serves it.

    ``page`` replaces the stored version, e.g. a draft revision for previews.
    """
    node = page_node_build(resolution, page)
    return node_document(node) if node is not None else None


def draft_document(revision: Any) -> Document:
    """The document a draft revision would publish, for the website's preview."""
    node = draft_node_build(revision.as_object(), revision_id=revision.pk)
    document = node_document(node)
    document["meta"]["preview"] = True
    return document


def page_document_for(page: Page, locale_code: str) -> Document | None:
    """The public document for ``page`` in ``locale_code``, or None if there is none."""
    return document_build(
        page_version_resolve(
            locale_code=locale_code, translation_key=page.translation_key
        )
    )


def image_document(image: Any) -> Document:
    """An image (with ``localized_alt``) as the API serves it."""
    return _json_fields(image_ref(image))


def document_bytes(document: Any) -> bytes:
    """Canonical encoding: compact, key order as built, UTF-8 (not \\u escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
