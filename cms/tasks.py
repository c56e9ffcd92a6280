"""Celery tasks that belong to the project as a whole."""

from celery import shared_task
from django.utils.module_loading import import_string

from cms.localize_job_payloads import ALLOWED_JOB_PREFIX, decode_job_value


@shared_task(name="cms.run_localize_job", acks_late=True, max_retries=0)
def run_localize_job_task(function_path: str, args: list, kwargs: dict) -> None:
    """Run one wagtail-localize background job sent by ``cms.localize_jobs``."""
    if not function_path.startswith(ALLOWED_JOB_PREFIX):
        raise ValueError(
            f"refusing to run {function_path!r}: not a wagtail-localize job"
        )
    func = import_string(function_path)
    func(*decode_job_value(args), **decode_job_value(kwargs))
