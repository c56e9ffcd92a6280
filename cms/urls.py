"""URL map: the Wagtail admin, a health check, and media through a checking view.

Wegweiser is headless: there is no public HTML site. Pages are read through the
delivery API; Wagtail's page serving stays mounted for previews only.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.errors import api_not_found_view
from cms.media_files import media_file_view
from cms.views import (
    health_view,
    landing_view,
    page_not_found_view,
    server_error_view,
)

# A failure outside a view's own handling (middleware, URL resolution) under /api/
# still answers in the API's JSON error shape.
handler500 = server_error_view

urlpatterns = [
    path("", landing_view, name="landing"),
    path("healthz", health_view, name="health"),
    path("api/v1/", include("cms.api.urls")),
    re_path(r"^api/", api_not_found_view),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Wagtail's password form for private pages: no page is served as HTML, so there is
# nothing to unlock, and a form to guess passwords at would only be a weakness.
urlpatterns += [re_path(r"^_util/authenticate_with_password/", page_not_found_view)]

# Media only through the view that checks visibility, in every environment.
urlpatterns += [
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$",
        media_file_view,
        name="media_file",
    ),
    path("", include(wagtail_urls)),
]
