"""Benchmark settings: production-like, plus stock Wagtail API v2 for comparison.

Only `make bench` uses these; Wagtail's API v2 is mounted at /api/v2/ so both APIs
are measured on the same data, in the same gunicorn, in the same run.
"""

from .base import *  # noqa: F403
from .base import CACHES, INSTALLED_APPS, REST_FRAMEWORK, env

SECRET_KEY = env.str("SECRET_KEY", default="bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
# The load generator is one client: no throttling.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon_read": None}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Without Redis, bodies are cached in each worker's memory: Django's default of 300
# entries would drop most of the 2,000 pages' bodies, and the "cached" detail would
# be built on every request.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES = {"default": {**CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 100_000}}}
# BENCH_API_BODY_CACHE=off: every detail body is built, for the "built" scenario.
if env.str("BENCH_API_BODY_CACHE", default="on") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
