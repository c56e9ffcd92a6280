"""Admin additions that belong to the project as a whole."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.api.admin_views import website_preview_view


@hooks.register("register_admin_urls")
def register_website_preview_url():
    return [
        path(
            "website-preview/<int:page_id>/",
            website_preview_view,
            name="wegweiser_website_preview",
        )
    ]


@hooks.register("register_page_header_buttons")
def website_preview_button(page, user, view_name=None, next_url=None):
    if page.depth > 1 and page.permissions_for_user(user).can_edit():
        if not settings.WEBSITE_PREVIEW_URL:
            # No website preview set up: the built-in, readable preview of the
            # latest draft instead of a token the editor cannot use.
            yield Button(
                _("Preview"),
                reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
                icon_name="view",
                priority=60,
                attrs={"target": "_blank", "rel": "noreferrer"},
            )
            return
        yield Button(
            _("Preview on the website"),
            reverse("wegweiser_website_preview", args=[page.pk]),
            icon_name="view",
            priority=60,
        )
