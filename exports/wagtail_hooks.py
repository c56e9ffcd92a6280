"""Admin menu and URLs of the pipeline: each channel contributes its own screens
through the registry (``ExportChannel.admin_urls`` / ``admin_menu_items``)."""

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from exports.channels import channels_admin_menu_items, channels_admin_urls


@hooks.register("register_admin_urls")
def register_channel_admin_urls() -> list[URLPattern | URLResolver]:
    return channels_admin_urls()


@hooks.register("construct_main_menu")
def add_channel_menu_items(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    # Items added here skip Wagtail's own is_shown filter, so it is applied here.
    menu_items.extend(
        item for item in channels_admin_menu_items() if item.is_shown(request)
    )


@hooks.register("insert_global_admin_js")
def mediopunkt_shortcut_js() -> SafeString:
    """Strg+. types the Mediopunkt (·) in any admin text field."""
    return format_html('<script src="{}"></script>', static("exports/js/mediopunkt.js"))
