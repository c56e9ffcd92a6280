"""The "Druckansicht" preview mode: the page being edited, as the handbook prints it.

Wagtail calls ``serve_preview`` on the unsaved draft with the editor's changes; that
object (not the live page) is rendered with the print template, page by page, as
PNG images in a small HTML page that any browser's preview pane shows. The PDF of
the preview can be downloaded from the same page. Editor text reaches the HTML only
inside images and escaped attributes; it reaches Typst only as JSON data.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import override

from exports.print.data import print_preview_source
from exports.print.render import PrintRenderError, print_build, print_render_pages

PREVIEW_MODE = "print"
# Enough for reading in the preview pane; the PDF link has the full resolution.
PREVIEW_PPI = 110


def print_preview_response(page: Any) -> HttpResponse:
    """An HTML page showing ``page`` (a draft being previewed) laid out for print."""
    source = print_preview_source(page)
    with override("de"):  # the admin speaks German
        try:
            images = print_render_pages(
                source.data,
                template=source.template,
                files=source.files,
                ppi=PREVIEW_PPI,
            )
            pdf = print_build(source).pdf
        except PrintRenderError as error:
            return HttpResponse(
                _page_html(
                    page.title,
                    format_html(
                        '<p class="error">{}</p><pre>{}</pre>',
                        _(
                            "Die Druckansicht konnte nicht erstellt werden. "
                            "Bitte prüfen Sie die Inhalte oder melden Sie den "
                            "Fehler mit diesem Text:"
                        ),
                        str(error),
                    ),
                ),
                status=200,
            )
        pages = format_html_join(
            "\n",
            '<figure><img src="data:image/png;base64,{}" alt="{}" width="{}">'
            "<figcaption>{}</figcaption></figure>",
            (
                (
                    base64.b64encode(png).decode(),
                    _("Seite %(number)s von %(total)s")
                    % {"number": n, "total": len(images)},
                    794,
                    n,
                )
                for n, png in enumerate(images, start=1)
            ),
        )
        body = format_html(
            '<p class="note">{} <a download="{}" href="data:application/pdf;base64,{}">'
            "{}</a></p>\n"
            '<div class="pages" data-pages="{}">{}</div>',
            _("Druckansicht des Entwurfs, so wie er im Handbuch gedruckt wird."),
            f"druckansicht-{page.slug or 'seite'}.pdf",
            base64.b64encode(pdf).decode(),
            _("PDF herunterladen"),
            len(images),
            pages,
        )
        return HttpResponse(_page_html(page.title, body))


def _page_html(title: str, body: str) -> str:
    return format_html(
        '<!doctype html>\n<html lang="de"><head><meta charset="utf-8">'
        "<title>{} – {}</title>"
        "<style>"
        "body{{margin:0;background:#d9dde1;font:15px/1.4 system-ui,sans-serif}}"
        ".note{{margin:0;padding:.6rem 1rem;background:#fff3cd}}"
        ".error{{color:#8a1c1c;padding:1rem}}pre{{padding:0 1rem;white-space:pre-wrap}}"
        ".pages{{display:flex;flex-direction:column;align-items:center;"
        "gap:1rem;padding:1rem}}"
        "figure{{margin:0;text-align:center}}"
        "img{{max-width:100%;height:auto;background:#fff;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3)}}"
        "figcaption{{color:#555;font-size:.8rem}}"
        "</style></head><body>{}</body></html>",
        title,
        _("Druckansicht"),
        body,
    )
