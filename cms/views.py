"""Site-wide views that belong to no content area."""

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error

from cms.api.errors import server_error_response


def health_view(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for the load balancer and compose healthchecks.

    Answers 503 when the database does not, so a broken instance leaves rotation.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


def landing_view(request: HttpRequest) -> HttpResponse:
    """The bare host name: Wegweiser has no public site, so point to what it has."""
    return HttpResponse(
        "<!doctype html><html lang='de'><meta charset='utf-8'>"
        "<title>Wegweiser</title>"
        "<h1>Wegweiser</h1>"
        "<p>Headless-Redaktionssystem für das Integrationshandbuch.</p>"
        "<ul><li><a href='/admin/'>Redaktion (Wagtail-Admin)</a></li>"
        "<li><a href='/healthz'>Status</a></li></ul></html>"
    )


def server_error_view(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except under /api/: there the API's JSON error."""
    if request.path.startswith("/api/"):
        return server_error_response(request)
    return server_error(request)


def page_not_found_view(request: HttpRequest, *args: object, **kwargs: object) -> None:
    """A URL Wegweiser deliberately does not serve."""
    raise Http404
