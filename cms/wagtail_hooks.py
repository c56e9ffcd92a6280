"""Admin additions that belong to the project as a whole."""

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
        yield Button(
            _("Preview on the website"),
            reverse("wegweiser_website_preview", args=[page.pk]),
            icon_name="view",
            priority=60,
        )
