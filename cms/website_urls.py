"""Addresses of handbook pages on the district website.

Wegweiser serves no public HTML: the district website shows the pages it pulls
from the API. ``WEBSITE_PAGE_URL`` says where a page lives there, as a template
with ``{locale}``, ``{path}`` and ``{id}``
(``https://www.example.org/handbuch/{locale}{path}``). The admin's "View live" links,
the API's ``meta.website_url`` and the print channel's QR codes all ask this one
function, so a printed code and an editor's link always agree.
"""

from __future__ import annotations

from string import Formatter
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PLACEHOLDERS = frozenset({"locale", "path", "id"})


def website_page_url_template_check(template: str) -> str:
    """``template`` if it is a usable WEBSITE_PAGE_URL, else ImproperlyConfigured
    naming what is wrong. An empty template (no website address known) is fine."""
    if not template:
        return template
    try:
        names = {
            name for _, name, _, _ in Formatter().parse(template) if name is not None
        }
    except ValueError as error:
        raise ImproperlyConfigured(
            f"WEBSITE_PAGE_URL {template!r} is not a valid template ({error}); "
            "write it like https://www.example.org/handbuch/{locale}{path}"
        ) from None
    unknown = names - PLACEHOLDERS
    if unknown or "path" not in names:
        raise ImproperlyConfigured(
            f"WEBSITE_PAGE_URL {template!r} must contain {{path}} and may contain "
            f"{{locale}} and {{id}}, nothing else "
            f"(found: {', '.join(sorted(names)) or 'none'}); "
            "e.g. https://www.example.org/handbuch/{locale}{path}"
        )
    if not template.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"WEBSITE_PAGE_URL {template!r} must be an absolute http(s) address"
        )
    return template


def website_page_url(
    *, locale: str, path: str, page_id: int | None = None
) -> str | None:
    """The page's address on the district website, or None when
    ``WEBSITE_PAGE_URL`` is not set.

    ``path`` is the page's path (``/handbuch-integration/bildung/``, starting and
    ending with a slash); ``locale`` its locale code. A template that already puts
    a slash before ``{path}`` gets the path without its leading one. Characters
    outside ASCII (an Arabic slug) are percent-encoded.
    """
    template = settings.WEBSITE_PAGE_URL
    if not template:
        return None
    if "/{path}" in template:
        path = path.lstrip("/")
    return template.format(
        locale=quote(locale, safe=""),
        path=quote(path, safe="/"),
        id="" if page_id is None else page_id,
    )
