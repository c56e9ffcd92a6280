"""Test settings: the same as dev, with whatever DATABASE_URL / REDIS_URL CI sets."""

import os
from pathlib import Path

from .dev import *  # noqa: F403
from .dev import BASE_DIR, env

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
LOGGING = {"version": 1, "disable_existing_loggers": False}
