"""A Celery backend for wagtail-localize's background jobs.

wagtail-localize enqueues a few heavy jobs (translating a page subtree, synchronising
a locale's tree) through ``WAGTAILLOCALIZE_JOBS``. It ships an immediate and an RQ
backend; this one sends them to our Celery worker (``cms.tasks``), encoded as
``cms.localize_job_payloads`` describes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from wagtail_localize.tasks import BaseJobBackend

from cms.localize_job_payloads import (
    JobArgumentNotSerializable,
    encode_job_value,
    job_function_path,
)
from cms.tasks import run_localize_job_task

logger = logging.getLogger(__name__)


class CeleryJobBackend(BaseJobBackend):
    """Run wagtail-localize jobs on the Celery worker, after the request commits."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.queue = options.get("QUEUE")

    def enqueue(
        self, func: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> None:
        path = job_function_path(func)
        try:
            payload_args = encode_job_value(list(args))
            payload_kwargs = encode_job_value(dict(kwargs))
        except JobArgumentNotSerializable as exc:
            # Better slow than lost: run it in this process, as the default backend.
            logger.warning("running %s in-process: %s", path, exc)
            func(*args, **kwargs)
            return

        options = {"queue": self.queue} if self.queue else {}
        # The job reads what the current transaction wrote (the translated root
        # page, the new LocaleSynchronization), so it must not start before commit.
        transaction.on_commit(
            lambda: run_localize_job_task.apply_async(
                args=[path, payload_args, payload_kwargs], **options
            )
        )
