"""``FileChannel``: the base of a channel that makes one file per locale.

A subclass sets ``name``, ``audience`` and its admin menu label and implements
``build(tree)``; everything else is the generic lifecycle (``exports.builds``):
publishes owe the affected locales a build, coalesced over ``BUILD_DELAY``; a
worker builds and publishes the file (content-addressed, atomic, announced, listed
by the API); a beat sweep retries failures with backoff; the admin gets an overview
with state, last error, download and rebuild; ``manage.py export <alias>`` builds
by hand with progress. No table, task or view of its own.

OPTIONS: ``LOCALES`` (default every content locale), ``BUILD_DELAY`` (seconds,
default 30), ``KEEP`` (files per locale, default 3), ``ROOT`` (default
``ARTIFACTS_ROOT/<alias>``), ``SWEEP_SECONDS`` (default 30), ``SOFT_TIME_LIMIT``
and ``TIME_LIMIT`` (seconds one build may run before it is interrupted, then
killed; defaults ``soft_time_limit``/``time_limit`` of the class: 300/360, audio
1500/1600).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from wagtail.admin.menu import MenuItem

from exports import build_views
from exports.builds import (
    ARTIFACT_SWEEP_TASK,
    BUILD_HARD_LIMIT,
    BUILD_SOFT_LIMIT,
    BuildTimeLimits,
    FileBuilding,
    artifact_builds_export,
    artifact_builds_request,
)
from exports.channels import ExportSummary, Progress
from exports.content import UnknownLocale, content_locale_get
from exports.models import ContentEvent

# Importing the core's tasks registers the build and sweep tasks wherever a file
# channel is configured (the web process enqueues them by name).
from exports.tasks import artifact_builds_sweep_task


class FileChannelMenuItem(MenuItem):
    """A file channel's admin page, shown to those who may see the builds."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(build_views.VIEW_PERMISSION)


class FileChannel(FileBuilding):
    """A channel that renders each locale's content tree as one file."""

    menu_order: ClassVar[int] = 870
    # The admin page's path under /admin/ (default the alias).
    admin_path: ClassVar[str] = ""
    # Seconds a build may run by default (OPTIONS SOFT_TIME_LIMIT, TIME_LIMIT).
    soft_time_limit: ClassVar[int] = BUILD_SOFT_LIMIT
    time_limit: ClassVar[int] = BUILD_HARD_LIMIT

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        locales = options.get("LOCALES")
        if locales is None:
            locales = [loc.code for loc in settings.WEGWEISER_LOCALES]
        for code in locales:
            try:
                content_locale_get(code)
            except UnknownLocale as exc:
                raise ImproperlyConfigured(f"LOCALES: {exc}") from exc
        self.locales: tuple[str, ...] = tuple(locales)
        self.delay = timedelta(seconds=float(options.get("BUILD_DELAY", 30.0)))
        self.keep = int(options.get("KEEP", 3))
        if self.keep < 1:
            raise ImproperlyConfigured("KEEP must be at least 1 (the current file).")
        self.sweep_seconds = float(options.get("SWEEP_SECONDS", 30.0))
        self.time_limits = _time_limits(
            soft=options.get("SOFT_TIME_LIMIT", self.soft_time_limit),
            hard=options.get("TIME_LIMIT", self.time_limit),
        )

    # -- what the lifecycle reads ----------------------------------------------------

    def build_locales(self) -> tuple[str, ...]:
        return self.locales

    def build_delay(self) -> timedelta:
        return self.delay

    def build_keep(self) -> int:
        return self.keep

    def build_time_limits(self) -> BuildTimeLimits:
        return self.time_limits

    # -- content events ----------------------------------------------------------------

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        # Events name every locale that reads a changed page (a German publish
        # names every locale falling back to German).
        affected = sorted({event.locale for event in events} & set(self.locales))
        if affected:
            artifact_builds_request(channel=self.alias, locales=affected)

    def shared_content_changed(self) -> None:
        # A glossary term, contact or image may be in every file; equal bytes are
        # not published again, so only the locales that really changed announce.
        if self.locales:
            artifact_builds_request(channel=self.alias, locales=list(self.locales))

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        return artifact_builds_export(
            channel=self.alias, locales=locales, progress=progress
        )

    # -- start-up ----------------------------------------------------------------------

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            f"sweep-{self.alias}-builds": {
                "task": ARTIFACT_SWEEP_TASK,
                "schedule": self.sweep_seconds,
                "kwargs": {"channel": self.alias},
            }
        }

    def on_worker_ready(self) -> None:
        # Locales without a file yet (a fresh install, the demo) get one.
        artifact_builds_sweep_task.delay(channel=self.alias, ensure_missing=True)

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        alias = {"alias": self.alias}
        urls = [
            path("", build_views.artifact_overview_view, alias, name="index"),
            path(
                "<str:locale>/download/",
                build_views.artifact_download_view,
                alias,
                name="download",
            ),
            path(
                "<str:locale>/rebuild/",
                build_views.artifact_rebuild_view,
                alias,
                name="rebuild",
            ),
        ]
        namespace = f"{self.alias}_artifacts"
        prefix = f"{self.admin_path or self.alias}/"
        return [path(prefix, include((urls, namespace), namespace=namespace))]

    def admin_menu_items(self) -> list[MenuItem]:
        return [
            FileChannelMenuItem(
                self.menu_label or self.alias,
                reverse(f"{self.alias}_artifacts:index"),
                icon_name=self.menu_icon,
                order=self.menu_order,
            )
        ]


def _time_limits(*, soft: Any, hard: Any) -> BuildTimeLimits:
    """SOFT_TIME_LIMIT and TIME_LIMIT, checked against each other and the broker."""
    try:
        limits = BuildTimeLimits(soft=int(soft), hard=int(hard))
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            "SOFT_TIME_LIMIT and TIME_LIMIT must be whole seconds."
        ) from exc
    if not 0 < limits.soft < limits.hard:
        raise ImproperlyConfigured(
            f"SOFT_TIME_LIMIT ({limits.soft}) must be above 0 and below TIME_LIMIT "
            f"({limits.hard}): the soft limit lets a build record its failure."
        )
    # Redis hands an unacknowledged message to another worker after this long: a
    # build still running then would run twice.
    transport = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    visibility = transport.get("visibility_timeout")
    lease_seconds = limits.lease.total_seconds()
    if visibility is not None and lease_seconds >= float(visibility):
        raise ImproperlyConfigured(
            f"TIME_LIMIT ({limits.hard} s) and its lease margin must stay below the "
            f"broker's visibility_timeout ({visibility} s); lower TIME_LIMIT or "
            "raise CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']."
        )
    return limits
