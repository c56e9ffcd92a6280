"""The website channel backend: configuration, validated once at start-up, and what
it wires up (tasks, beat entry, admin screens, announcements of new files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from exports.channels import ExportChannel, ExportSummary, Progress, channels
from exports.models import Artifact, ContentEvent
from exports.website import views
from exports.website.deliveries import (
    website_artifact_deliveries_record,
    website_deliveries_record,
)
from exports.website.endpoints import EndpointConfig, WebsiteConfig
from exports.website.resync import website_resync
from exports.website.tasks import SWEEP_DELIVERIES_TASK, sweep_deliveries_task


class WebsiteDeliveriesMenuItem(MenuItem):
    """*Website delivery*, shown to those who may see the deliveries."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


class WebsiteChannel(ExportChannel):
    """Push every published document to the district website as a signed webhook.

    OPTIONS:
      ``ENDPOINTS``: ``[{"NAME": "website", "URL": "https://…",
      "SECRETS": ["whsec_…"]}]``;
      ``ALLOWED_URLS``: URL prefixes a target must match (the SSRF guard);
      ``TIMEOUT``: seconds to wait for an answer (default 10);
      ``RETRY_HOURS``: how long failed deliveries are retried before they are
      given up (default 72, at least 72);
      ``SWEEP_SECONDS``: how often beat sweeps due deliveries (default 30).
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "website"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        self.website_config = WebsiteConfig.parse(alias=alias, options=options)

    @property
    def endpoints(self) -> Mapping[str, EndpointConfig]:
        """The configured receivers by name."""
        return self.website_config.endpoints

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        if self.endpoints:
            website_deliveries_record(channel=self.website_config, events=events)

    def artifact_published(self, artifact: Artifact) -> None:
        # Any channel's new file reaches the website as ``artifact.updated``.
        if self.endpoints:
            website_artifact_deliveries_record(
                channel=self.website_config, artifact=artifact
            )

    def artifact_removed(self, removal: Artifact) -> None:
        # A file taken down (a consent withdrawn) reaches it as ``artifact.removed``.
        if self.endpoints:
            website_artifact_deliveries_record(
                channel=self.website_config, artifact=removal
            )

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        return website_resync(
            channel=self.website_config, locales=locales, progress=progress
        )

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        # Deliveries whose broker message never arrived (broker down at publish)
        # or whose retry is due are enqueued by this sweep.
        return {
            "sweep-website-deliveries": {
                "task": SWEEP_DELIVERIES_TASK,
                "schedule": float(self.options.get("SWEEP_SECONDS", 30.0)),
            }
        }

    def on_worker_ready(self) -> None:
        sweep_deliveries_task.delay()

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        urls = [
            path("", views.deliveries_view, name="index"),
            path("<int:delivery_id>/", views.delivery_view, name="detail"),
            path("<int:delivery_id>/replay/", views.replay_view, name="replay"),
            path("replay-failed/", views.replay_view, name="replay_failed"),
            path(
                "endpoints/<int:endpoint_id>/enable/",
                views.endpoint_enable_view,
                name="endpoint_enable",
            ),
        ]
        return [
            path(
                "website-deliveries/",
                include((urls, "website_deliveries"), namespace="website_deliveries"),
            )
        ]

    def admin_menu_items(self) -> list[MenuItem]:
        return [
            WebsiteDeliveriesMenuItem(
                gettext_lazy("Website delivery"),
                reverse("website_deliveries:index"),
                icon_name="globe",
                order=850,
            )
        ]


def website_channels() -> list[WebsiteChannel]:
    """The configured website channels (for commands and the admin)."""
    return [c for c in channels().values() if isinstance(c, WebsiteChannel)]
