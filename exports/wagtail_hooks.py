"""Admin menu and URLs of the pipeline: the website channel's delivery screens, the
print output and the Leichte Sprache coverage report."""

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import URLResolver, include, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from exports.print import views as print_views
from exports.simple.views import simple_coverage_view
from exports.website import views


@hooks.register("register_admin_urls")
def register_website_delivery_urls() -> list[URLResolver]:
    urls = [
        path("", views.deliveries_view, name="index"),
        path("<int:delivery_id>/", views.delivery_view, name="detail"),
        path("<int:delivery_id>/replay/", views.replay_view, name="replay"),
        path("replay-failed/", views.replay_view, name="replay_failed"),
        path(
            "endpoints/<int:endpoint_id>/enable/",
            views.endpoint_enable_view,
            name="endpoint_enable",
        ),
    ]
    return [
        path(
            "website-deliveries/",
            include((urls, "website_deliveries"), namespace="website_deliveries"),
        )
    ]


class WebsiteDeliveriesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_website_deliveries_menu_item() -> MenuItem:
    return WebsiteDeliveriesMenuItem(
        gettext_lazy("Website delivery"),
        reverse("website_deliveries:index"),
        icon_name="globe",
        order=850,
    )


@hooks.register("register_admin_urls")
def register_print_urls() -> list[URLResolver]:
    urls = [
        path("", print_views.print_overview_view, name="index"),
        path(
            "<str:locale>/download/", print_views.print_download_view, name="download"
        ),
        path("<str:locale>/rebuild/", print_views.print_rebuild_view, name="rebuild"),
    ]
    return [
        path("print/", include((urls, "print_artifacts"), namespace="print_artifacts"))
    ]


class PrintMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(print_views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_print_menu_item() -> MenuItem:
    return PrintMenuItem(
        gettext_lazy("Druckausgabe"),
        reverse("print_artifacts:index"),
        icon_name="doc-full",
        order=860,
    )


@hooks.register("register_admin_urls")
def register_simple_coverage_urls() -> list[URLResolver]:
    urls = [path("", simple_coverage_view, name="coverage")]
    return [path("leichte-sprache/", include((urls, "simple"), namespace="simple"))]


@hooks.register("register_admin_menu_item")
def register_simple_coverage_menu_item() -> MenuItem:
    return MenuItem(
        gettext_lazy("Leichte Sprache"),
        reverse("simple:coverage"),
        icon_name="doc-full",
        order=870,
    )


@hooks.register("insert_global_admin_js")
def mediopunkt_shortcut_js() -> SafeString:
    """Strg+. types the Mediopunkt (·) in any admin text field."""
    return format_html('<script src="{}"></script>', static("exports/js/mediopunkt.js"))
