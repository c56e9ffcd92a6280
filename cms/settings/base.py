"""Settings shared by every environment.

Everything a deployment changes comes from the environment (see ``.env.example``).
https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from cms.locales import DEFAULT_CONTENT_LOCALES, build_content_locales
from cms.translators.machine import machine_translator_setting
from cms.website_urls import website_page_url_template_check

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Everything `make run` writes: SQLite database, media, broker queue, dev password.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core ----------------------------------------------------------------------------

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "cms.images",
    "cms.snippets",
    "cms.pages",
    "cms.translators",
    "cms.plain_language",
    "exports",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales with translation-aware views
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc/Swagger assets served locally, no CDN
    "corsheaders",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.security.PolicyOnceCSPMiddleware",
    "cms.security.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Translators stay in their locales in wagtail-localize's views too.
    "cms.translators.middleware.TranslatorLocaleScopeMiddleware",
    "cms.translators.middleware.LocalizePoUploadGuardMiddleware",
    # Consent records: no chooser or snippet API for those without the permission.
    "cms.pages.consent_access.ConsentRecordsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------
# DATABASE_URL picks PostgreSQL in production and CI; without it, an embedded SQLite
# file under var/ so that `make run` needs nothing but Python.

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'wegweiser.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server and the worker write at once: WAL lets readers go on, and
    # IMMEDIATE transactions wait for the lock instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Languages -----------------------------------------------------------------------
# `de` is the source language of the handbook and the admin's default UI language.
# Content locales come from CONTENT_LOCALES (comma separated); fallbacks from
# LOCALE_FALLBACKS ("fa:en>de;uk:de"). Leichte Sprache never falls back silently.

LANGUAGE_CODE = "de"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locales"]

WEGWEISER_LOCALES = build_content_locales(
    env.list("CONTENT_LOCALES", default=DEFAULT_CONTENT_LOCALES),
    env.str("LOCALE_FALLBACKS", default=""),
)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [(loc.code, loc.name) for loc in WEGWEISER_LOCALES]
# Wagtail requires content languages to be a subset of LANGUAGES.
LANGUAGES = [*WAGTAIL_CONTENT_LANGUAGES]
if "en" not in dict(LANGUAGES):
    LANGUAGES.append(("en", "English"))
LANGUAGES_BIDI = ["ar", "fa", "ps", "ur", "he", "ckb", "ug"]
# Languages of the admin interface itself (Wagtail ships both catalogues).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

# --- Static and media ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media files are served only by cms.media_files.media_file_view, which checks
# visibility; with nginx in front, set this to an `internal` location aliased to
# MEDIA_ROOT (e.g. /protected-media/) and nginx sends the bytes (X-Accel-Redirect).
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
# Channels' built files (PDFs, EPUBs …), outside MEDIA_ROOT: the API serves each
# channel's current file, and old or withdrawn ones are reachable by no URL.
ARTIFACTS_ROOT = Path(env.str("ARTIFACTS_ROOT", default=str(VAR_DIR / "artifacts")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads above this size are refused with a form error instead of filling the disk.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("MAX_IMAGE_UPLOAD_BYTES", default=20 * 2**20)
# An image's width × height: decoding is what costs memory (an 11000 × 11000 PNG
# took 18 s and 1.2 GB), not the file size. 40 Mpx is a 7700 × 5200 photo, more than
# any print in the handbook needs. Wagtail's own default is 128 Mpx.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
# Every request body, file uploads included (Django's own limit leaves out files):
# larger ones are refused with 413 before they are read (cms.security). Keep it at
# or above the image limit; set the proxy's limit (nginx client_max_body_size) too.
MAX_REQUEST_BODY_BYTES = env.int(
    "MAX_REQUEST_BODY_BYTES", default=WAGTAILIMAGES_MAX_UPLOAD_SIZE + 2**20
)
# PO files translators upload in wagtail-localize's editor.
MAX_PO_UPLOAD_BYTES = env.int("MAX_PO_UPLOAD_BYTES", default=5 * 2**20)

# --- Wagtail -------------------------------------------------------------------------

# The admin dashboard's heading and the name of a Site left without one.
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Wegweiser")
# Nothing leaves the server unless configured: no avatars from an external avatar
# service (editors get Wagtail's built-in default) and no update check against
# wagtail.org from editors' browsers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://localhost:8000"
)
WAGTAILIMAGES_IMAGE_MODEL = "images.HandbookImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.forms.HandbookImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Mail: Wagtail's workflow notifications (a page submitted to the Prüfgruppe,
# approved, changes requested). Production talks SMTP to the district's mail
# relay; `make run` writes every message to a file under var/mail/ (dev.py).
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="wegweiser@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"}
}
# PostgreSQL gets German stemming and stop words; SQLite a plain fallback.
# https://docs.wagtail.org/en/stable/topics/search/backends.html
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "german"} if USING_POSTGRES else {}),
    }
}
WEGWEISER_DEFAULT_IMAGE_CREDIT = env.str(
    "DEFAULT_IMAGE_CREDIT", default="Foto: LRA ADK"
)

# wagtail-localize runs its background jobs (subtree translation, locale sync) on
# Celery through our own backend; it ships only an immediate and an RQ one.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "cms.localize_jobs.CeleryJobBackend"}

# --- Machine translation (translators' workflow, issue 7) ---------------------------
# MACHINE_TRANSLATOR=deepl|libretranslate (empty: off) with DEEPL_AUTH_KEY, or
# LIBRETRANSLATE_URL and LIBRETRANSLATE_API_KEY. Translators then get "Translate
# with …" in wagtail-localize's editor; its segments are stored as machine
# translations and reported as such.
# https://wagtail-localize.readthedocs.io/en/latest/how-to/integrations/machine-translation/

WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
    name=env.str("MACHINE_TRANSLATOR", default=""),
    deepl_auth_key=env.str("DEEPL_AUTH_KEY", default=""),
    libretranslate_url=env.str("LIBRETRANSLATE_URL", default=""),
    libretranslate_api_key=env.str("LIBRETRANSLATE_API_KEY", default=""),
    timeout=env.int("MACHINE_TRANSLATION_TIMEOUT", default=10),
)

# --- Celery --------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# With REDIS_URL set, Redis is the broker. Without it, an embedded broker keeps the
# queue in files under var/ (kombu's filesystem transport): good for one machine and
# `make run`, not for production.

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(
        env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # The worker looks for a new message this often (kombu's default is 1 s,
        # which makes every queued task wait up to a second after the one before).
        "polling_interval": 0.1,
    }
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    # The filesystem transport has no broadcast, which remote control needs.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Tasks not acknowledged within this window are redelivered; every time limit
    # below stays under it so a slow task is never run twice concurrently.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Export channels (exports/) ------------------------------------------------------
# Every output of the pipeline is a backend: {"BACKEND": dotted path, "OPTIONS": {...}}
# (the shape of Wagtail's frontend-cache backends). A wrong entry stops start-up with
# an ImproperlyConfigured error that says what to fix.


def export_channels_setting(
    *,
    webhook_url: str,
    secrets: list[str],
    allowed_urls: list[str],
    allow_private_targets: bool,
    print_locales: list[str],
    print_build_delay: float,
    epub_locales: list[str] | None = None,
    audio_locales: list[str] | None = None,
) -> dict:
    """EXPORT_CHANNELS for these website-webhook and print values (dev.py and
    test.py reuse it). Each channel reads its own OPTIONS; their beat entries,
    tasks and admin screens come from the channel packages."""
    return {
        "website": {
            "BACKEND": "exports.website.channel.WebsiteChannel",
            "OPTIONS": {
                "ENDPOINTS": (
                    [{"NAME": "website", "URL": webhook_url, "SECRETS": secrets}]
                    if webhook_url
                    else []
                ),
                # The SSRF guard: a target must lie under one of these (scheme,
                # host, port and leading path segments), and loopback, private and
                # link-local addresses are refused unless ALLOW_PRIVATE_TARGETS.
                "ALLOWED_URLS": allowed_urls or ([webhook_url] if webhook_url else []),
                "ALLOW_PRIVATE_TARGETS": allow_private_targets,
                "TIMEOUT": env.float("WEBSITE_WEBHOOK_TIMEOUT", default=10.0),
                "RETRY_HOURS": env.float("WEBSITE_WEBHOOK_RETRY_HOURS", default=72.0),
                "SWEEP_SECONDS": env.float("DELIVERY_SWEEP_SECONDS", default=30.0),
            },
        },
        # The handbook as a PDF per locale (Typst). A publish rebuilds the affected
        # locales after BUILD_DELAY seconds, so many publishes in a row fold into
        # one build. PDFs are stored content-addressed under ROOT (default
        # ARTIFACTS_ROOT/print); the newest KEEP files per locale are kept. LAYOUTS
        # picks a locale's layout (exports/print/layouts/; default "handbook").
        "print": {
            "BACKEND": "exports.print.channel.PrintChannel",
            "OPTIONS": {
                "LOCALES": print_locales,
                "BUILD_DELAY": print_build_delay,
                **(
                    {"ROOT": env.path("PRINT_ROOT")}
                    if env("PRINT_ROOT", default="")
                    else {}
                ),
                "KEEP": env.int("PRINT_KEEP", default=3),
                # Share of parts a PDF should have translated; below it the admin
                # warns and asks before an editor builds it.
                "MIN_TRANSLATED": env.float("PRINT_MIN_TRANSLATED", default=0.5),
                "LAYOUTS": {"de-x-ls": "simple"},
                "SWEEP_SECONDS": env.float("PRINT_SWEEP_SECONDS", default=30.0),
            },
        },
        # Leichte Sprache: coverage report (`manage.py export simple`, the admin,
        # /api/v1/locales/); its PDF is print's "simple" layout.
        "simple": {"BACKEND": "exports.simple.channel.SimpleChannel", "OPTIONS": {}},
        # The handbook as an accessible EPUB 3 per locale, built like the PDFs
        # (exports/file_channel.py: LOCALES, BUILD_DELAY, KEEP, ROOT).
        "epub": {
            "BACKEND": "exports.epub.channel.EpubChannel",
            "OPTIONS": {
                "LOCALES": (
                    env.list("EPUB_LOCALES", default=print_locales)
                    if epub_locales is None
                    else epub_locales
                ),
                "BUILD_DELAY": env.float("EPUB_BUILD_DELAY", default=print_build_delay),
                **(
                    {"ROOT": env.path("EPUB_ROOT")}
                    if env("EPUB_ROOT", default="")
                    else {}
                ),
                "KEEP": env.int("EPUB_KEEP", default=3),
            },
        },
        # Every page read aloud (Opus per page, per-sentence timings) in LOCALES,
        # rebuilt on publish where the spoken text changed, on the same build queue
        # as the PDFs (BUILD_DELAY, KEEP, ROOT; a build may run TIME_LIMIT seconds,
        # default 1600). SPEECH is the speech backend ({"BACKEND", "OPTIONS"};
        # default espeak-ng, offline). README: "Audio channel".
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {
                "LOCALES": audio_locales or [],
                "BUILD_DELAY": env.float(
                    "AUDIO_BUILD_DELAY", default=print_build_delay
                ),
            },
        },
    }


# The district website's webhook receiver (empty: the website only pulls the API).
# WEBSITE_WEBHOOK_SECRET_PREVIOUS keeps signing during a secret rotation.
EXPORT_CHANNELS = export_channels_setting(
    webhook_url=env.str("WEBSITE_WEBHOOK_URL", default=""),
    secrets=[
        env.str("WEBSITE_WEBHOOK_SECRET", default=""),
        env.str("WEBSITE_WEBHOOK_SECRET_PREVIOUS", default=""),
    ],
    allowed_urls=env.list("WEBSITE_WEBHOOK_ALLOWED_URLS", default=[]),
    allow_private_targets=env.bool(
        "WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False
    ),
    # Locales that get a PDF (default: every content locale).
    print_locales=env.list(
        "PRINT_LOCALES", default=[loc.code for loc in WEGWEISER_LOCALES]
    ),
    print_build_delay=env.float("PRINT_BUILD_DELAY", default=30.0),
    # Locales read aloud on publish (default: every content locale; espeak-ng
    # has a voice for each of them).
    audio_locales=env.list(
        "AUDIO_LOCALES", default=[loc.code for loc in WEGWEISER_LOCALES]
    ),
)
# Celery beat: the channels add their own entries (their sweeps) at start-up
# (ExportChannel.beat_schedule); an entry here of the same name wins.
CELERY_BEAT_SCHEDULE: dict = {
    # A consent withdrawal dated in the future takes effect at the start of its
    # date; this announces it to every channel within minutes of midnight.
    "consent-withdrawals-due": {
        "task": "exports.consent_withdrawals_due",
        "schedule": env.float("CONSENT_DUE_CHECK_SECONDS", default=300.0),
    },
}

# --- Delivery API (cms/api) ----------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "cms.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Anonymous reads per client IP; the website's server-side fetches should come
    # from a few addresses, so the limit is generous. "None" switches it off.
    "DEFAULT_THROTTLE_RATES": {
        "anon_read": env.str("API_THROTTLE_RATE", default="1200/min")
    },
    # Behind the production proxy, REMOTE_ADDR is the proxy: count X-Forwarded-For.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
if REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon_read"].lower() == "none":
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon_read"] = None
API_DEFAULT_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# Sent with every API read; shared caches revalidate with If-None-Match.
API_CACHE_CONTROL = env.str(
    "API_CACHE_CONTROL", default="public, max-age=60, stale-while-revalidate=300"
)
API_BODY_CACHE_SECONDS = env.int("API_BODY_CACHE_SECONDS", default=24 * 3600)
# On PostgreSQL the page resolution query (every API read, every channel build) is
# a prepared statement. Behind a connection pooler in transaction mode (PgBouncer
# before 1.21, which Django's own default of no prepared statements protects), set
# this to false. https://www.psycopg.org/psycopg3/docs/advanced/prepare.html
CONTENT_PREPARED_STATEMENTS = env.bool("CONTENT_PREPARED_STATEMENTS", default=True)
API_PREVIEW_TOKEN_SECONDS = env.int("API_PREVIEW_TOKEN_SECONDS", default=15 * 60)
# Where "Preview on the website" sends editors; {token} is replaced. Unset, the
# button opens the built-in preview instead.
WEBSITE_PREVIEW_URL = env.str("WEBSITE_PREVIEW_URL", default="")
# Where a published page lives on the district website: {locale}, {path} (the page's
# path, "/handbuch-integration/bildung/") and {id} are replaced, e.g.
# https://www.example.org/handbuch/{locale}{path}. The admin's "View live" links, the
# API's meta.website_url and the print channel's QR codes all use it
# (cms.website_urls); unset, none of them is offered.
WEBSITE_PAGE_URL = website_page_url_template_check(
    env.str("WEBSITE_PAGE_URL", default="")
)

SPECTACULAR_SETTINGS = {
    "TITLE": "Wegweiser delivery API",
    "DESCRIPTION": (
        "The integration handbook for the district website: pages in every content "
        "locale with fallback, lists, search, delta sync and previews. Every read "
        "has a strong ETag; errors are JSON with a code and a message.\n\n"
        'Errors: `{"error": {"status", "code", "message"}}`. `code` is '
        "stable English; `message` is in the language `Accept-Language` prefers "
        f"among the content locales ({', '.join(c for c, _ in LANGUAGES)}; "
        "`de-AT` counts as `de`), English when it names none, and "
        "`Content-Language` says which. Documents do not depend on "
        "`Accept-Language`: `locale` picks the content."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["cms.api.schema.delivery_api_only"],
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The docs page uses the system's fonts: no web fonts from a font CDN
    # (cms/templates/drf_spectacular/redoc.html drops drf-spectacular's links).
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
                "code": {"fontFamily": "ui-monospace, monospace"},
            }
        }
    },
}

# CORS: only the district website's origins may read the API from a browser.
# https://github.com/adamchainz/django-cors-headers#configuration
CORS_ALLOWED_ORIGINS = env.list("WEBSITE_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

# Response bodies are cached under their ETag: in Redis when there is one (shared by
# all web processes), else in process memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "wegweiser",
        }
        if REDIS_URL or env.str("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# A CDN or proxy in front of the API is purged on publish (Wagtail's frontend-cache
# backends). FRONTEND_CACHE_PURGE_URL names an HTTP purger (Varnish, nginx).
# https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
WAGTAILFRONTENDCACHE = {}
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["website"] = {
        # Wagtail's HTTPBackend with a timeout (seconds) on each purge request.
        "BACKEND": "cms.api.purge.TimedHTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
        "TIMEOUT": env.float("FRONTEND_CACHE_PURGE_TIMEOUT", default=10.0),
    }
# Absolute URLs (renditions, purges) are built on this base.
API_PUBLIC_BASE_URL = env.str("API_PUBLIC_BASE_URL", default=WAGTAILADMIN_BASE_URL)

# --- Logins, passwords, Content-Security-Policy -------------------------------------
# django-axes locks a user name from one address out after LOGIN_FAILURE_LIMIT wrong
# passwords for LOGIN_LOCKOUT_MINUTES (the admin and /django-admin/ logins). A right
# password resets the count. https://django-axes.readthedocs.io/en/latest/4_configuration.html

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.security.login_locked_response"
# The client's address behind the proxy, counted like the API's throttle.
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
# Its start-up banner would open every command's output.
AXES_VERBOSE = False

# One policy for the admin, the API and its docs (django-csp). Wagtail's admin and
# Redoc still need inline scripts and styles; everything else comes from this host.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Passwords and logging -----------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's search/reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
