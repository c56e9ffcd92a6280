"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init

from cms.collector import collector_spares_start_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("wegweiser")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def worker_start_up_spared(**kwargs: Any) -> None:
    """Django is set up and the tasks are imported (Celery's Django fixup runs
    first); the pool's processes are forked after this and inherit the freeze."""
    collector_spares_start_up()
