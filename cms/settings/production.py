"""Production: PostgreSQL, Redis, HTTPS behind a proxy; refuses a missing secret.

https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, SECRET_KEY, env

DEBUG = False
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value")

# TLS ends at the reverse proxy in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Opt-in: on a district's shared domain, includeSubDomains forces HTTPS on every
# other service under it, and a preload listing is hard to undo. Set both only
# when every subdomain serves HTTPS (README, "Production").
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# One reverse proxy (the TLS end) in front of gunicorn: the throttle and the login
# lockout count the address it saw, not the proxy's own.
# The deploy checklist's W005 (no includeSubDomains) and W021 (no preload) are
# this choice, not an oversight.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
REST_FRAMEWORK["NUM_PROXIES"] = env.int("API_NUM_PROXIES", default=1)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail overrides this for its own preview frames
