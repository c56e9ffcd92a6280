"""Admin hooks: locale scope of the roles, offline files, the translations report."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.widgets import ListingButton
from wagtail.models import Locale, TranslatableMixin

from cms.translators import views
from cms.translators.scope import LocaleAction, locales_refused_for


@hooks.register("before_edit_snippet")
def edit_snippet_in_role_locale_only(request, instance):
    """Keep a translator to the snippet rows of their own locales.

    Page permissions are scoped by locale through each locale's roots; snippet
    permissions are per model, so without this hook a translator for ar could edit
    the German rows. Runs before wagtail-localize's hook of the same name, and
    answers like the locale scope middleware does (a 403 that says why).
    """
    if not isinstance(instance, TranslatableMixin):
        return None
    refused = locales_refused_for(
        user=request.user,
        action=LocaleAction(frozenset({instance.locale.language_code})),
    )
    if not refused:
        return None
    return views.locale_refused_view(request, refused=refused)


@hooks.register("register_admin_urls")
def register_translators_urls():
    urls = [
        path("pages/<int:page_id>/offline/", views.offline_view, name="offline"),
        path(
            "pages/<int:page_id>/offline/download/",
            views.offline_download_view,
            name="offline_download",
        ),
        path(
            "pages/<int:page_id>/offline/upload/",
            views.offline_upload_view,
            name="offline_upload",
        ),
        path(
            "pages/<int:page_id>/changes/", views.changed_segments_view, name="changes"
        ),
        path("report/", views.TranslationStatusReportView.as_view(), name="report"),
        path(
            "report/results/",
            views.TranslationStatusReportView.as_view(results_only=True),
            name="report_results",
        ),
    ]
    return [
        path("translators/", include((urls, "translators"), namespace="translators"))
    ]


def offline_translation_buttons(page, user, view_name=None, next_url=None):
    # Shown on translated pages (not the German source) the user may edit.
    if page.is_root() or page.locale_id == Locale.get_default().pk:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield ListingButton(
        _("Offline translation (PO/XLIFF)"),
        reverse("translators:offline", args=[page.pk]),
        priority=70,
        icon_name="download",
    )


hooks.register("register_page_header_buttons", offline_translation_buttons)
hooks.register("register_page_listing_more_buttons", offline_translation_buttons)


@hooks.register("register_reports_menu_item")
def register_translation_status_report():
    return MenuItem(
        gettext_lazy("Translation status"),
        reverse("translators:report"),
        name="translation-status",
        icon_name="wagtail-localize-language",
        order=650,
    )


@hooks.register("insert_editor_js")
def translation_editor_strings_js() -> str:
    # Output on every editor page; the script acts only in wagtail-localize's
    # translation editor (see the script for why it exists).
    strings = {
        "heading": _("Translation from {source} into {target}"),
        "moreActions": _("More actions"),
    }
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(strings, "translators-editor-strings"),
        versioned_static("translators/editor-strings.js"),
    )
