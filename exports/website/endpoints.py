"""The website channel's configuration and its endpoint rows.

``WebsiteConfig`` is the channel's OPTIONS, validated once at start-up; the modules
that record, send and sweep deliveries read it through ``website_configs()``, so
they need nothing of the channel class (which calls them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from exports.channels import channels
from exports.website.models import WebhookEndpoint
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


@dataclass(frozen=True)
class WebsiteConfig:
    """One website channel's OPTIONS, validated (see ``WebsiteChannel``)."""

    alias: str
    endpoints: Mapping[str, EndpointConfig]
    allowed_urls: tuple[str, ...]
    timeout: float
    retry_window: timedelta

    @classmethod
    def parse(cls, *, alias: str, options: Mapping[str, Any]) -> WebsiteConfig:
        """Validate ``options``; ImproperlyConfigured says what to set."""
        allowed_urls: tuple[str, ...] = tuple(options.get("ALLOWED_URLS", ()))
        retry_window = timedelta(hours=float(options.get("RETRY_HOURS", 72)))
        if retry_window < timedelta(hours=72):
            raise ImproperlyConfigured(
                "RETRY_HOURS must be at least 72 so a website that is down over a "
                "weekend misses nothing."
            )
        endpoints: dict[str, EndpointConfig] = {}
        for raw in options.get("ENDPOINTS", ()):
            endpoint = _endpoint_config(raw, allowed_urls)
            if endpoint.name in endpoints:
                raise ImproperlyConfigured(f"two endpoints are named {endpoint.name!r}")
            endpoints[endpoint.name] = endpoint
        return cls(
            alias=alias,
            endpoints=endpoints,
            allowed_urls=allowed_urls,
            timeout=float(options.get("TIMEOUT", 10)),
            retry_window=retry_window,
        )


def _endpoint_config(
    raw: Mapping[str, Any], allowed_urls: Sequence[str]
) -> EndpointConfig:
    name, url = raw.get("NAME", "website"), raw.get("URL", "")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ImproperlyConfigured(
            f"endpoint {name!r}: {url!r} is not an http(s) URL "
            "(set WEBSITE_WEBHOOK_URL)."
        )
    if not url_allowed(url, allowed_urls):
        raise ImproperlyConfigured(
            f"endpoint {name!r}: {url} is not in the allow-list "
            f"({', '.join(allowed_urls) or 'empty'}); add its origin to "
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


def website_configs() -> list[WebsiteConfig]:
    """The configuration of every configured website channel."""
    return [
        config
        for channel in channels().values()
        if isinstance(config := getattr(channel, "website_config", None), WebsiteConfig)
    ]


def website_config_for_endpoint(
    name: str,
) -> tuple[WebsiteConfig, EndpointConfig] | tuple[None, None]:
    """The channel configuration that names endpoint ``name``, and the endpoint's."""
    for config in website_configs():
        if name in config.endpoints:
            return config, config.endpoints[name]
    return None, None


def endpoints_for(channel: WebsiteConfig) -> list[WebhookEndpoint]:
    """The rows for the channel's configured endpoints, created or updated as needed."""
    rows = []
    for config in channel.endpoints.values():
        endpoint, created = WebhookEndpoint.objects.get_or_create(
            name=config.name, defaults={"url": config.url}
        )
        if not created and endpoint.url != config.url:
            endpoint.url = config.url
            endpoint.save(update_fields=["url"])
        rows.append(endpoint)
    return rows
