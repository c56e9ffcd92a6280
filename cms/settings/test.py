"""Test settings: the same as dev, with whatever DATABASE_URL / REDIS_URL CI sets."""

import os
from pathlib import Path

from .dev import *  # noqa: F403
from .dev import BASE_DIR, env, export_channels_setting

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Without a real broker (REDIS_URL unset) tasks run in-process; with it, the suite
# starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not os.environ.get("REDIS_URL")
)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = Path(
    env.str("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
)
ARTIFACTS_ROOT = Path(
    env.str("TEST_ARTIFACTS_ROOT", default=str(BASE_DIR / "var" / "test-artifacts"))
)
LOGGING = {"version": 1, "disable_existing_loggers": False}

# No webhook endpoint unless a test (or the environment) sets one: a developer's
# `make run` receiver must not get the suite's pushes.
EXPORT_CHANNELS = export_channels_setting(
    webhook_url=env.str("WEBSITE_WEBHOOK_URL", default=""),
    secrets=[env.str("WEBSITE_WEBHOOK_SECRET", default="")],
    allowed_urls=env.list("WEBSITE_WEBHOOK_ALLOWED_URLS", default=[]),
    # The suite's receiver listens on 127.0.0.1; the worker process gets this
    # from its environment (tests/conftest.py).
    allow_private_targets=env.bool(
        "WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False
    ),
    # Print builds are opt-in per test (the print channel's LOCALES): a PDF per
    # publish in every test would slow the suite down and add announcements the
    # website tests don't expect.
    print_locales=env.list("PRINT_LOCALES", default=[]),
    print_build_delay=env.float("PRINT_BUILD_DELAY", default=0.0),
    # EPUB builds likewise (the epub channel's LOCALES).
    epub_locales=env.list("EPUB_LOCALES", default=[]),
    # Reading aloud is opt-in per test, like print.
    audio_locales=env.list("AUDIO_LOCALES", default=[]),
)
