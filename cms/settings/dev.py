"""Local development (`make run`): SQLite, embedded broker, debug on."""

import base64
import secrets

from .base import *  # noqa: F403
from .base import (
    STATIC_ROOT,
    VAR_DIR,
    WEGWEISER_LOCALES,
    env,
    export_channels_setting,
)

DEBUG = env.bool("DEBUG", default=True)
# Only for a developer's own machine; production refuses to start without SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver serves static files from the apps; WhiteNoise only needs the folder.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

# Notification e-mails (e.g. to the Prüfgruppe) land as files in var/mail/, one
# per message, readable with any text viewer; no mail server needed.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# `make run` starts the reference webhook receiver (manage.py webhook_receiver) on
# RECEIVER_PORT, and the website channel pushes to it with a secret kept in var/.
RECEIVER_PORT = env.int("RECEIVER_PORT", default=8010)
_secret_file = VAR_DIR / "dev-webhook-secret"
if not _secret_file.exists():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _secret = base64.b64encode(secrets.token_bytes(32)).decode()
    _secret_file.write_text(f"whsec_{_secret}\n")
_dev_webhook_url = env.str(
    "WEBSITE_WEBHOOK_URL",
    default=f"http://127.0.0.1:{RECEIVER_PORT}/webhooks/wegweiser",
)
# An example, so the demo's PDFs show their chapters' QR codes.
WEBSITE_PAGE_URL = env.str(
    "WEBSITE_PAGE_URL", default="https://www.example.org/integration/{locale}/{path}"
)
EXPORT_CHANNELS = export_channels_setting(
    webhook_url=_dev_webhook_url,
    secrets=[
        env.str("WEBSITE_WEBHOOK_SECRET", default=_secret_file.read_text().strip()),
        env.str("WEBSITE_WEBHOOK_SECRET_PREVIOUS", default=""),
    ],
    allowed_urls=env.list("WEBSITE_WEBHOOK_ALLOWED_URLS", default=[]),
    # The reference receiver runs on this machine (127.0.0.1): allowed explicitly.
    allow_private_targets=env.bool(
        "WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS", default=True
    ),
    print_locales=env.list(
        "PRINT_LOCALES", default=[loc.code for loc in WEGWEISER_LOCALES]
    ),
    # A developer wants to see a publish in the PDF soon; production waits 30 s.
    print_build_delay=env.float("PRINT_BUILD_DELAY", default=5.0),
)
