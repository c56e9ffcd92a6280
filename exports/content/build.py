"""Building the content tree: a handbook, a batch of pages or one page, as nodes.

``build_content_tree`` builds one handbook in one locale for one audience in a
fixed number of queries, whatever the number of pages: the versions of every page
(one), translation statuses (one per served translation locale), the specific
pages (one per page type, plus their prefetches) and what they refer to
(``References.fetch``). ``page_nodes_build`` does the same for any set of resolved
pages (resync batches); ``page_node_build`` for one (an API detail request reads
its own page's node, not the whole handbook).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from wagtail.models import Page

from cms.locales import SOURCE_LOCALE, content_locale_get, locale_chain
from cms.lookups import any_of
from cms.pages.models import HandbookPage
from cms.website_urls import website_page_url
from exports.content.bidi import bidi_isolate
from exports.content.nodes import HandbookTree, PageMeta, PageNode, TermRef
from exports.content.pages import PAGE_TYPES_BY_MODEL, PageType
from exports.content.references import References, page_api_path
from exports.content.resolve import (
    PageVersion,
    Resolution,
    machine_translated_fields,
    page_version_resolve,
    page_versions_by_ids,
    page_versions_resolve,
    translation_status_get,
    translation_statuses,
)
from exports.content.statements import (
    CompiledModelQuery,
    CompiledRelatedQuery,
    model_query_compile,
    related_query_compile,
)
from exports.content.visibility import Audience, visibility_today

T = TypeVar("T")


def _page_type(model: type[Any] | None) -> PageType | None:
    return PAGE_TYPES_BY_MODEL.get(model) if model is not None else None


def _specific_queryset(model: type[Any], page_type: PageType | None, ids: Any) -> Any:
    """The pages ``ids`` names (a list, or one id) as ``model``, with what their
    page type fetches along (its joins; not its prefetches)."""
    # No ordering: the caller orders by the German tree (and ORDER BY path
    # costs the ORM more to compile than the query costs PostgreSQL).
    lookup = any_of("pk", ids) if isinstance(ids, list) else Q(pk=ids)
    queryset = model.objects.filter(lookup).order_by()
    if page_type and page_type.select_related:
        queryset = queryset.select_related(*page_type.select_related)
    return queryset


# A page id no page has: compiled into the one-page statements and swapped out.
_PAGE_SENTINEL = -2_000_000_003


@dataclass(frozen=True)
class _OnePageStatements:
    """One page of a page type with its joins and prefetches, compiled once."""

    page: CompiledModelQuery
    # Compiled where they can be; the others (nested lookups) the ORM prefetches.
    related: tuple[CompiledRelatedQuery, ...]
    prefetched: tuple[str, ...]


_one_page_statements: dict[tuple[str, type[Any]], _OnePageStatements | None] = {}


def _one_page_compiled(
    model: type[Any], page_type: PageType | None
) -> _OnePageStatements | None:
    """The compiled statements for one page of ``model``; None if its query
    cannot be compiled (then the ORM runs each time)."""
    key = (connections[DEFAULT_DB_ALIAS].vendor, model)
    if key not in _one_page_statements:
        page = model_query_compile(
            _specific_queryset(model, page_type, _PAGE_SENTINEL),
            model._meta.pk,
            _PAGE_SENTINEL,
        )
        related: list[CompiledRelatedQuery] = []
        prefetched: list[str] = []
        for lookup in page_type.prefetch_related if page_type else ():
            compiled = (
                related_query_compile(model, lookup, _PAGE_SENTINEL)
                if LOOKUP_SEP not in lookup
                else None
            )
            if compiled is not None:
                related.append(compiled)
            else:
                prefetched.append(lookup)
        _one_page_statements[key] = (
            _OnePageStatements(page, tuple(related), tuple(prefetched))
            if page is not None
            else None
        )
    return _one_page_statements[key]


# Page ids no page has: the many-page statements' list parameter (PostgreSQL).
_PAGES_SENTINEL = [-2_000_000_004, -2_000_000_005]
_many_page_statements: dict[type[Any], CompiledModelQuery | None] = {}


def _many_pages_compiled(
    model: type[Any], page_type: PageType | None
) -> CompiledModelQuery | None:
    """Several pages of ``model`` with their joins, compiled once (PostgreSQL: the
    ids are one array parameter); their prefetches the ORM runs."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return None
    if model not in _many_page_statements:
        _many_page_statements[model] = model_query_compile(
            _specific_queryset(model, page_type, _PAGES_SENTINEL),
            model._meta.pk,
            _PAGES_SENTINEL,
            many=True,
        )
    return _many_page_statements[model]


def _specific_pages(versions: Iterable[PageVersion]) -> dict[int, Page]:
    """The served pages as their specific models: one query per page type (and
    one per prefetch); a page type's only page through compiled statements."""
    by_type: dict[int, list[int]] = {}
    for version in versions:
        by_type.setdefault(version.content_type_id, []).append(version.id)
    pages: dict[int, Page] = {}
    for content_type_id, ids in by_type.items():
        # type[Any]: Wagtail's Page is untyped, so issubclass() cannot narrow to it.
        model: type[Any] | None = ContentType.objects.get_for_id(
            content_type_id
        ).model_class()
        if model is None or not issubclass(model, Page):
            continue
        page_type = _page_type(model)
        statements = _one_page_compiled(model, page_type) if len(ids) == 1 else None
        if statements is not None:
            found = statements.page.objects(ids[0])
            for related in statements.related:
                for page in found:
                    related.prefetch(page)
            if statements.prefetched:
                prefetch_related_objects(found, *statements.prefetched)
        elif (many := _many_pages_compiled(model, page_type)) is not None:
            found = many.objects(ids)
            if page_type and page_type.prefetch_related:
                prefetch_related_objects(found, *page_type.prefetch_related)
        else:
            queryset = _specific_queryset(model, page_type, ids)
            if page_type and page_type.prefetch_related:
                queryset = queryset.prefetch_related(*page_type.prefetch_related)
            found = list(queryset)
        pages.update((page.pk, page) for page in found)
    return pages


def _meta(
    resolution: Resolution, status: Any, machine: tuple[str, ...] = ()
) -> PageMeta:
    served = resolution.served
    assert served is not None
    source = resolution.source
    return PageMeta(
        requested_locale=resolution.requested,
        served_locale=served.locale,
        fallback=resolution.fallback,
        translation_status=status,
        revision=served.live_revision_id,
        source_revision=source.live_revision_id if source else None,
        first_published_at=served.first_published_at,
        last_published_at=served.last_published_at,
        api_url=page_api_path(served.id, resolution.requested),
        machine_translated_fields=machine,
        website_url=website_page_url(
            locale=resolution.requested, path=served.url_path, page_id=served.id
        ),
    )


def _node(
    page: Page,
    resolution: Resolution,
    refs: References,
    status: Any,
    machine: tuple[str, ...] = (),
) -> PageNode:
    served = resolution.served
    assert served is not None
    page_type = _page_type(type(page))
    head: dict[str, Any] = {
        "id": served.id,
        "translation_key": served.translation_key,
        "locale": served.locale,
        "title": page.title,
        "slug": page.slug,
        "path": served.url_path,
        "meta": _meta(resolution, status, machine),
    }
    if page_type is None:
        node = PageNode(**head)
    else:
        node = page_type.node(**head, **page_type.build(page, refs, served.locale))
    return _direction_marked(node, served.locale)


def _direction_marked(value: T, locale_code: str) -> T:
    """Text served in a right-to-left locale, with its left-to-right runs isolated
    (numbers, addresses, Latin names; see exports.content.bidi)."""
    if content_locale_get(locale_code).direction == "rtl":
        return bidi_isolate(value)
    return value


def _references_for(requested: str, pages: Iterable[tuple[Page, str]]) -> References:
    """Fetch what ``pages`` (each with the locale it is served in) refer to."""
    refs = References(requested=requested, chain=locale_chain(requested))
    images: set[int] = set()
    terms: set[int] = set()
    contacts: set[int] = set()
    served_locales: set[str] = set()
    for page, served in pages:
        served_locales.add(served)
        page_type = _page_type(type(page))
        if page_type is not None:
            i, g, c = page_type.references(page)
            images |= i
            terms |= g
            contacts |= c
    refs.fetch(
        image_ids=images,
        glossary_ids=terms,
        contact_ids=contacts,
        served_locales=sorted(served_locales),
    )
    return refs


def page_nodes_build(resolutions: Sequence[Resolution]) -> dict[UUID, PageNode]:
    """Nodes for resolved pages of one requested locale, by translation key.

    Pages that nothing serves are left out. A fixed number of queries, whatever
    the number of pages.
    """
    return _nodes_with_references(resolutions)[0]


def _nodes_with_references(
    resolutions: Sequence[Resolution], *, bulk_statuses: bool = False
) -> tuple[dict[UUID, PageNode], References | None]:
    serving = [r for r in resolutions if r.served is not None]
    if not serving:
        return {}, None
    requested = serving[0].requested
    pages = _specific_pages(r.served for r in serving if r.served)
    statuses = translation_statuses(serving, bulk=bulk_statuses)
    machine = machine_translated_fields(serving, statuses)
    pairs = [
        (pages[r.served.id], r) for r in serving if r.served and r.served.id in pages
    ]
    refs = _references_for(
        requested, [(page, r.served.locale) for page, r in pairs if r.served]
    )
    nodes = {
        r.served.translation_key: _node(
            page,
            r,
            refs,
            statuses[r.served.translation_key],
            machine.get(r.served.translation_key, ()),
        )
        for page, r in pairs
        if r.served
    }
    return nodes, refs


def listed_page_nodes_build(
    *, locale_code: str, page_ids: Sequence[int], audience: Audience = "web"
) -> list[PageNode]:
    """The nodes of a list's page of results, in the list's order.

    ``page_ids`` are the versions that serve ``locale_code`` (the API's lists select
    and order them in SQL); a page that no longer serves is left out. A fixed
    number of queries, whatever the number of pages: translation statuses are read
    in bulk even for a few pages, so a longer list page costs no more queries.
    """
    if not page_ids:
        return []
    resolutions = page_versions_by_ids(
        locale_code=locale_code, page_ids=page_ids, audience=audience
    )
    nodes, _ = _nodes_with_references(list(resolutions.values()), bulk_statuses=True)
    by_id = {node.id: node for node in nodes.values()}
    return [by_id[page_id] for page_id in page_ids if page_id in by_id]


def page_node_build(
    resolution: Resolution, page: Page | None = None
) -> PageNode | None:
    """The node of one resolved page; None if nothing serves it.

    ``page`` replaces the stored version, e.g. a draft revision for previews.
    """
    served = resolution.served
    if served is None:
        return None
    if page is None:
        page = _specific_pages([served]).get(served.id)
        if page is None:
            raise LookupError(f"page {served.id} has no page model installed")
    refs = _references_for(resolution.requested, [(page, served.locale)])
    status = translation_status_get(resolution)
    machine = machine_translated_fields([resolution], {served.translation_key: status})
    return _node(
        page, resolution, refs, status, machine.get(served.translation_key, ())
    )


def draft_node_build(page: Page, *, revision_id: int | None = None) -> PageNode:
    """The node ``page`` (an unsaved draft or a revision's object) would publish,
    in its own locale: what previews show."""
    version = PageVersion.of(page, revision_id=revision_id)
    node = page_node_build(
        Resolution(requested=version.locale, served=version, source=None, stamp=0),
        page=page,
    )
    if node is None:  # cannot happen: the draft itself serves
        raise LookupError(f"page {page.pk} built no node")
    return node


def parent_node_build(page: Page, *, audience: Audience = "web") -> PageNode | None:
    """The node of ``page``'s parent in ``page``'s locale, if visible (a preview of
    a recommendation shows it inside its chapter)."""
    if not page.pk:
        return None
    parent = page.get_parent()
    if parent is None:
        return None
    return page_node_build(
        page_version_resolve(
            locale_code=page.locale.language_code, page_id=parent.pk, audience=audience
        )
    )


def build_content_tree(
    *,
    handbook: HandbookPage | Page,
    locale_code: str,
    audience: Audience = "web",
    on: date | None = None,
) -> HandbookTree:
    """One handbook (its German root page) in ``locale_code``, as ``audience`` may
    see it on ``on`` (today): every visible page as a node, children in the German
    tree's order, and the glossary.

    A page whose parent is not visible is left out with it (a private chapter hides
    its pages). A fixed number of queries, whatever the number of pages.
    """
    day = on or visibility_today()
    source_path = handbook.path
    resolutions = page_versions_resolve(
        locale_code=locale_code,
        keys=Q(path__startswith=source_path, locale__language_code=SOURCE_LOCALE),
        audience=audience,
        on=day,
    )
    nodes, refs = _nodes_with_references(list(resolutions.values()))
    # The German path of every page: the tree's order and its parents.
    order = sorted(
        (r.source.path, key)
        for key, r in resolutions.items()
        if r.source is not None and key in nodes
    )
    by_path: dict[str, PageNode] = {}
    root: PageNode | None = None
    for path, key in order:
        node = nodes[key]
        if path == source_path:
            root = node
            by_path[path] = node
            continue
        parent = by_path.get(path[:-4])
        if parent is not None:
            parent.children.append(node)
            by_path[path] = node
    return HandbookTree(
        requested_locale=locale_code,
        audience=audience,
        root=root,
        # The pages' references hold the glossary already; nothing visible: the
        # glossary still belongs to the book.
        glossary=_glossary(refs or _references_for(locale_code, [])),
        on=day,
    )


def glossary_terms_get(locale_code: str) -> tuple[TermRef, ...]:
    """Every glossary term in ``locale_code``, each from the first locale of its
    fallback chain that has it, as a tree's glossary holds them (the delivery
    API's glossary serves these). One query, whatever the number of terms."""
    return _glossary(_references_for(locale_code, []))


def _glossary(refs: References) -> tuple[TermRef, ...]:
    """The glossary of a build: every term of its chain, in its best locale, with
    a right-to-left term's left-to-right runs isolated as in its pages."""
    return tuple(
        _direction_marked(
            TermRef(
                slug=t.slug,
                term=t.term,
                explanation=t.explanation,
                locale=t.locale.language_code,
            ),
            t.locale.language_code,
        )
        for t in refs.glossary_terms
    )


def handbooks_source() -> list[HandbookPage]:
    """The German handbook roots, in tree order (whatever their visibility)."""
    return list(
        HandbookPage.objects.filter(locale__language_code=SOURCE_LOCALE).order_by(
            "path"
        )
    )
