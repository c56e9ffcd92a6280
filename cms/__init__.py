"""Wegweiser: the Django project and its site-wide pieces."""

from .celery import app as celery_app

__all__ = ("celery_app",)
