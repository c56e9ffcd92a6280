"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from cms.collector import collector_spares_start_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()
# The URL configuration is loaded now rather than by the first request, so that it
# is part of what the garbage collector leaves alone from here on.
url_patterns = get_resolver().url_patterns
collector_spares_start_up()
