"""The website channel's configuration and its endpoint rows.

``WebsiteConfig`` is the channel's OPTIONS, validated once at start-up; the modules
that record, send and sweep deliveries read it through ``website_configs()``, so
they need nothing of the channel class (which calls them).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

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


DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(url: SplitResult) -> int | None:
    try:
        return url.port or DEFAULT_PORTS.get(url.scheme)
    except ValueError:  # a port that is not a number
        return None


def _segments(path: str) -> list[str] | None:
    """The path's segments, decoded; None if one of them climbs (``..``) or
    hides a slash, which a server may resolve to another path."""
    segments = [unquote(part) for part in path.split("/") if part]
    if any(part in (".", "..") or "/" in part or "\\" in part for part in segments):
        return None
    return segments


def url_allowed(url: str, allowed: Sequence[str]) -> bool:
    """Whether ``url`` lies under one of the allowed URLs.

    Parsed parts are compared, not strings: the scheme, the host and the port
    exactly, and the allowed path's segments must begin the target's. So
    ``https://site.example.org.evil.test`` does not pass for
    ``https://site.example.org``, nor ``…/webhooks/wegweiser-evil`` or
    ``…/wegweiser/../../admin/`` for ``…/webhooks/wegweiser``.
    """
    target = urlsplit(url)
    target_segments = _segments(target.path)
    if target_segments is None or target.username or target.password:
        return False
    for prefix in allowed:
        allowed_url = urlsplit(prefix)
        allowed_segments = _segments(allowed_url.path) or []
        if (
            target.scheme == allowed_url.scheme
            and target.hostname == allowed_url.hostname
            and _port(target) is not None
            and _port(target) == _port(allowed_url)
            and target_segments[: len(allowed_segments)] == allowed_segments
        ):
            return True
    return False


def _address_is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    # Anything not reachable on the public internet: private, loopback,
    # link-local, reserved, unspecified and the carrier-grade NAT range
    # (100.64.0.0/10, which ``is_private`` leaves out), and multicast.
    return not ip.is_global or ip.is_multicast


# Turns a host name into its addresses. The system's resolver in production; a
# test passes its own, because no DNS server runs where the tests do.
HostResolver = Callable[[str], Sequence[str]]


def host_addresses(host: str) -> list[str]:
    """The addresses the system's resolver gives for ``host`` (TCP), in its order."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def internal_target(url: str, *, resolve: bool) -> str | None:
    """The internal address ``url`` points at (loopback, private, link-local such
    as a cloud metadata service), or None. With ``resolve``, a host name is looked
    up too; one that does not resolve is left to the request to fail."""
    host = urlsplit(url).hostname or ""
    try:
        candidates = [str(ipaddress.ip_address(host))]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            return host
        if not resolve:
            return None
        try:
            candidates = host_addresses(host)
        except (OSError, UnicodeError):
            return None
    for address in candidates:
        if _address_is_internal(address):
            return address
    return None


@dataclass(frozen=True)
class WebhookTarget:
    """Where one attempt may connect: the URL's host name, resolved and checked once.

    ``addresses`` are the addresses that were checked, and the only ones the
    attempt may connect to: resolving the name again to connect would let a name
    that answers a public address to the check and 127.0.0.1 to the connection
    (DNS rebinding) reach the internal network. ``internal`` names the internal
    address that refuses the URL; ``unresolved`` says why the name gave no address
    (worth a retry: DNS may answer later).
    """

    host: str
    addresses: tuple[str, ...] = ()
    internal: str = ""
    unresolved: str = ""


def webhook_target(
    url: str, *, resolver: HostResolver = host_addresses
) -> WebhookTarget:
    """Resolve ``url``'s host once and check every address it answers."""
    host = urlsplit(url).hostname or ""
    try:
        addresses: list[str] = [str(ipaddress.ip_address(host))]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            return WebhookTarget(host, internal=host)
        try:
            addresses = list(resolver(host))
        except (OSError, UnicodeError) as exc:
            return WebhookTarget(host, unresolved=f"{host} does not resolve: {exc}")
    if not addresses:
        return WebhookTarget(host, unresolved=f"{host} does not resolve")
    for address in addresses:
        if _address_is_internal(address):
            return WebhookTarget(host, internal=address)
    return WebhookTarget(host, tuple(addresses))


@dataclass(frozen=True)
class WebsiteConfig:
    """One website channel's OPTIONS, validated (see ``WebsiteChannel``)."""

    alias: str
    endpoints: Mapping[str, EndpointConfig]
    allowed_urls: tuple[str, ...]
    timeout: float
    retry_window: timedelta
    # Loopback, private and link-local targets are refused unless this is set
    # (a receiver on the same machine or in the district's own network).
    allow_private_targets: bool = False

    @classmethod
    def parse(cls, *, alias: str, options: Mapping[str, Any]) -> WebsiteConfig:
        """Validate ``options``; ImproperlyConfigured says what to set."""
        allowed_urls: tuple[str, ...] = tuple(options.get("ALLOWED_URLS", ()))
        allow_private = bool(options.get("ALLOW_PRIVATE_TARGETS", False))
        retry_window = timedelta(hours=float(options.get("RETRY_HOURS", 72)))
        if retry_window < timedelta(hours=72):
            raise ImproperlyConfigured(
                "RETRY_HOURS must be at least 72 so a website that is down over a "
                "weekend misses nothing."
            )
        endpoints: dict[str, EndpointConfig] = {}
        for raw in options.get("ENDPOINTS", ()):
            endpoint = _endpoint_config(raw, allowed_urls, allow_private)
            if endpoint.name in endpoints:
                raise ImproperlyConfigured(f"two endpoints are named {endpoint.name!r}")
            endpoints[endpoint.name] = endpoint
        return cls(
            alias=alias,
            endpoints=endpoints,
            allowed_urls=allowed_urls,
            timeout=float(options.get("TIMEOUT", 10)),
            retry_window=retry_window,
            allow_private_targets=allow_private,
        )


def _endpoint_config(
    raw: Mapping[str, Any], allowed_urls: Sequence[str], allow_private: bool
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
    internal = None if allow_private else internal_target(url, resolve=False)
    if internal:
        raise ImproperlyConfigured(
            f"endpoint {name!r}: {url} points at the internal address {internal}; "
            "set WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS=true if the receiver really "
            "is in your own network."
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
