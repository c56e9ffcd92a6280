"""How a wagtail-localize background job travels through the broker.

A job is a function path plus arguments. Arguments are model instances and plain
values; they travel as JSON (model instances as references re-read by the worker),
so the worker never unpickles anything from the broker. Both ends use this module:
the job backend (``cms.localize_jobs``) encodes, the task (``cms.tasks``) checks the
function path and decodes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string
from wagtail_localize.components import BaseComponentManager

# Only wagtail-localize's own functions may be named in a job: the task refuses
# anything else, so a forged broker message can't call arbitrary code.
ALLOWED_JOB_PREFIX = "wagtail_localize."


class JobArgumentNotSerializable(TypeError):
    """A job argument has no JSON form (for example, a form with unsaved data)."""


def encode_job_value(value: Any) -> Any:
    """Turn a job argument into JSON data the worker can turn back."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label, "pk": value.pk}
    if isinstance(value, list | tuple | models.QuerySet):
        # Querysets (e.g. the locales chosen in a form) travel as their rows.
        return [encode_job_value(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode_job_value(v) for k, v in value.items()}}
    if isinstance(value, BaseComponentManager) and not value.components:
        # No translation components are registered: nothing to carry.
        return {"__components__": type(value).__module__ + "." + type(value).__name__}
    raise JobArgumentNotSerializable(f"cannot send {type(value).__name__} to a worker")


def decode_job_value(value: Any) -> Any:
    """Inverse of :func:`encode_job_value`, run in the worker."""
    if isinstance(value, list):
        return [decode_job_value(v) for v in value]
    if isinstance(value, dict):
        if "__model__" in value:
            model = apps.get_model(value["__model__"])
            return model._default_manager.get(pk=value["pk"])
        if "__dict__" in value:
            return {k: decode_job_value(v) for k, v in value["__dict__"].items()}
        if "__components__" in value:
            manager_class = import_string(value["__components__"])
            if not issubclass(manager_class, BaseComponentManager):
                raise TypeError(f"{value['__components__']} is not a component manager")
            return manager_class([])
    return value


def job_function_path(func: Callable[..., Any]) -> str:
    """The dotted path the worker imports the job's function by."""
    return f"{func.__module__}.{func.__qualname__}"
