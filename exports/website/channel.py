"""The website channel backend: configuration, validated once at start-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from exports.channels import ExportChannel, ExportSummary, Progress
from exports.models import ContentEvent
from exports.website.signing import webhook_secret_key


@dataclass(frozen=True)
class EndpointConfig:
    """One receiver from settings: where to send and which secrets sign."""

    name: str
    url: str
    # The first secret is the current one; a second one signs too while the
    # receiver rotates (Standard Webhooks sends one signature per secret).
    secrets: tuple[str, ...]


def url_allowed(url: str, allowed: Sequence[str]) -> bool:
    """Whether ``url`` starts with one of the allowed prefixes (scheme, host, port).

    Comparing parsed parts, not strings, so ``https://site.example.org.evil.test``
    does not pass for ``https://site.example.org``.
    """
    target = urlsplit(url)
    for prefix in allowed:
        allowed_url = urlsplit(prefix)
        if (
            target.scheme == allowed_url.scheme
            and target.hostname == allowed_url.hostname
            and target.port == allowed_url.port
            and target.path.startswith(allowed_url.path or "/")
        ):
            return True
    return False


class WebsiteChannel(ExportChannel):
    """Push every published document to the district website as a signed webhook.

    OPTIONS:
      ``ENDPOINTS``: ``[{"NAME": "website", "URL": "https://…",
      "SECRETS": ["whsec_…"]}]``;
      ``ALLOWED_URLS``: URL prefixes a target must match (the SSRF guard);
      ``TIMEOUT``: seconds to wait for an answer (default 10);
      ``RETRY_HOURS``: how long failed deliveries are retried before they are
      given up (default 72, at least 72).
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "website"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        self.allowed_urls: tuple[str, ...] = tuple(options.get("ALLOWED_URLS", ()))
        self.timeout = float(options.get("TIMEOUT", 10))
        self.retry_window = timedelta(hours=float(options.get("RETRY_HOURS", 72)))
        if self.retry_window < timedelta(hours=72):
            raise ImproperlyConfigured(
                "RETRY_HOURS must be at least 72 so a website that is down over a "
                "weekend misses nothing."
            )
        self.endpoints: dict[str, EndpointConfig] = {}
        for raw in options.get("ENDPOINTS", ()):
            endpoint = self._endpoint_config(raw)
            if endpoint.name in self.endpoints:
                raise ImproperlyConfigured(f"two endpoints are named {endpoint.name!r}")
            self.endpoints[endpoint.name] = endpoint

    def _endpoint_config(self, raw: Mapping[str, Any]) -> EndpointConfig:
        name, url = raw.get("NAME", "website"), raw.get("URL", "")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ImproperlyConfigured(
                f"endpoint {name!r}: {url!r} is not an http(s) URL "
                "(set WEBSITE_WEBHOOK_URL)."
            )
        if not url_allowed(url, self.allowed_urls):
            raise ImproperlyConfigured(
                f"endpoint {name!r}: {url} is not in the allow-list "
                f"({', '.join(self.allowed_urls) or 'empty'}); add its origin to "
                "WEBSITE_WEBHOOK_ALLOWED_URLS."
            )
        secrets = tuple(s for s in raw.get("SECRETS", ()) if s)
        if not secrets:
            raise ImproperlyConfigured(
                f"endpoint {name!r} has no signing secret; set WEBSITE_WEBHOOK_SECRET "
                "(a 'whsec_…' value, e.g. from `manage.py website_endpoint "
                "--new-secret`)."
            )
        for secret in secrets:
            try:
                webhook_secret_key(secret)
            except ValueError as exc:
                raise ImproperlyConfigured(f"endpoint {name!r}: {exc}") from exc
        return EndpointConfig(name=name, url=url, secrets=secrets)

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        from exports.website.services import website_deliveries_record

        if self.endpoints:
            website_deliveries_record(channel=self, events=events)

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        from exports.website.services import website_resync

        return website_resync(channel=self, locales=locales, progress=progress)
