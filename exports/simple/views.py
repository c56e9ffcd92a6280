"""The admin's Leichte Sprache coverage screen: counts and one row per German page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms.locales import SIMPLE_LOCALE
from exports.simple.selectors import COVERAGE_STATUSES, simple_coverage_get


def coverage_status_labels() -> dict[str, str]:
    """The statuses as the admin names them (German msgids)."""
    return {
        "checked": _("geprüft"),
        "unchecked": _("nicht geprüft"),
        "outdated": _("veraltet"),
        "missing": _("fehlt"),
    }


def simple_coverage_view(request: HttpRequest) -> TemplateResponse:
    """Every German page with the state of its Leichte Sprache version."""
    coverage = simple_coverage_get()
    status = request.GET.get("status", "")
    if status not in COVERAGE_STATUSES:
        status = ""
    labels = coverage_status_labels()
    rows = [
        {"page": page, "label": labels[page.status]}
        for page in coverage.pages
        if not status or page.status == status
    ]
    simple_locale = Locale.objects.filter(language_code=SIMPLE_LOCALE).first()
    return TemplateResponse(
        request,
        "exports/simple_coverage.html",
        {
            "page_title": _("Leichte Sprache"),
            "header_icon": "doc-full",
            "rows": rows,
            "total": coverage.total,
            "counts": [
                (name, labels[name], count) for name, count in coverage.counts.items()
            ],
            "status": status,
            "simple_locale_id": simple_locale.pk if simple_locale else None,
        },
    )
