"""The channel-neutral content tree (see the modules; DESIGN.md explains the idea)."""

from cms.locales import UnknownLocale, content_locale_get, locale_chain, locales_reading
from exports.content.build import (
    build_content_tree,
    draft_node_build,
    glossary_terms_get,
    handbooks_source,
    listed_page_nodes_build,
    page_node_build,
    page_nodes_build,
    parent_node_build,
)
from exports.content.documents import (
    Document,
    document_build,
    document_bytes,
    draft_document,
    glossary_term_document,
    image_document,
    node_document,
    node_documents,
    outline_document,
    page_document_for,
    search_hit_document,
    summary_document,
)
from exports.content.inline import glossary_term_in
from exports.content.nodes import HandbookTree, PageNode, TranslationStatus
from exports.content.pages import PAGE_MODELS, PAGE_TYPES
from exports.content.references import API_PREFIX, images_for_locales, page_api_path
from exports.content.resolve import (
    PageVersion,
    Resolution,
    page_version_resolve,
    page_versions_by_key,
    page_versions_resolve,
    translation_status_get,
)
from exports.content.selectors import PageInLocale, page_titles_get, pages_in_locale
from exports.content.visibility import (
    Audience,
    public_images,
    public_pages,
    restricted_path_exists,
)

__all__ = [
    "API_PREFIX",
    "PAGE_MODELS",
    "PAGE_TYPES",
    "Audience",
    "Document",
    "HandbookTree",
    "PageInLocale",
    "PageNode",
    "PageVersion",
    "Resolution",
    "TranslationStatus",
    "UnknownLocale",
    "build_content_tree",
    "content_locale_get",
    "document_build",
    "document_bytes",
    "draft_document",
    "draft_node_build",
    "glossary_term_document",
    "glossary_term_in",
    "glossary_terms_get",
    "handbooks_source",
    "image_document",
    "images_for_locales",
    "listed_page_nodes_build",
    "locale_chain",
    "locales_reading",
    "node_document",
    "node_documents",
    "outline_document",
    "page_api_path",
    "page_document_for",
    "page_node_build",
    "page_nodes_build",
    "page_titles_get",
    "page_version_resolve",
    "page_versions_by_key",
    "page_versions_resolve",
    "pages_in_locale",
    "parent_node_build",
    "public_images",
    "public_pages",
    "restricted_path_exists",
    "search_hit_document",
    "summary_document",
    "translation_status_get",
]
