"""The channel registry: every output of the pipeline is a backend named in settings.

``EXPORT_CHANNELS`` maps an alias to ``{"BACKEND": "dotted.path.Class", "OPTIONS":
{...}}``, the shape of Wagtail's frontend-cache backends. Channels are loaded once at
start-up; a wrong path, a class that is not a channel or bad options raise
``ImproperlyConfigured`` with what to fix, before the first request is served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from exports.models import ContentEvent

# Called with (done, total) while a channel exports by hand.
Progress = Callable[[int, int], None]


class ExportRefused(ValueError):
    """A hand-run export cannot run as asked; the message says why and what to do."""


@dataclass
class ExportSummary:
    """What a hand-run export did, for the command's last line."""

    channel: str
    done: int = 0
    failed: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.channel}: {self.done} done, {self.failed} failed, "
            f"{self.skipped} skipped"
        )


class ExportChannel:
    """One output of the pipeline (website, print, simple …).

    Subclasses set ``name`` and implement what they need: ``events_recorded`` runs
    inside the publishing transaction and writes the channel's own outbox rows;
    ``export`` runs the channel by hand (``manage.py export <alias>``).
    """

    # Stable machine name of the channel type, used in logs and the admin.
    name: ClassVar[str] = ""

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        self.alias = alias
        self.options = dict(options)

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        """Content changed (inside the writing transaction); record what to do."""

    def shared_content_changed(self) -> None:
        """Shared content (snippets, images, alt texts) changed, in a transaction.

        Page events are not written for it (the API's ETags move with the content
        stamp); a channel that bakes shared content into its output, like print,
        records its work here.
        """

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        """Run the channel by hand for ``locales`` (all when None)."""
        raise NotImplementedError(f"the {self.alias!r} channel cannot be run by hand")


@cache
def channels() -> dict[str, ExportChannel]:
    """The configured channels by alias, loaded and validated once per process."""
    return channels_load(getattr(settings, "EXPORT_CHANNELS", {}))


def channels_load(config: Mapping[str, Mapping[str, Any]]) -> dict[str, ExportChannel]:
    """Instantiate the channels in ``config``; raise ImproperlyConfigured on errors."""
    loaded: dict[str, ExportChannel] = {}
    for alias, entry in config.items():
        if not isinstance(entry, Mapping) or "BACKEND" not in entry:
            raise ImproperlyConfigured(
                f"EXPORT_CHANNELS[{alias!r}] needs a 'BACKEND' (a dotted path to an "
                "ExportChannel class) and optional 'OPTIONS'."
            )
        path = entry["BACKEND"]
        try:
            backend = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"EXPORT_CHANNELS[{alias!r}]: cannot import {path!r} ({exc})."
            ) from exc
        if not (isinstance(backend, type) and issubclass(backend, ExportChannel)):
            raise ImproperlyConfigured(
                f"EXPORT_CHANNELS[{alias!r}]: {path!r} is not an ExportChannel class."
            )
        options = entry.get("OPTIONS", {})
        if not isinstance(options, Mapping):
            raise ImproperlyConfigured(
                f"EXPORT_CHANNELS[{alias!r}]['OPTIONS'] must be a dict."
            )
        try:
            loaded[alias] = backend(alias=alias, options=options)
        except ImproperlyConfigured as exc:
            raise ImproperlyConfigured(f"EXPORT_CHANNELS[{alias!r}]: {exc}") from exc
    return loaded


def channel_get(alias: str) -> ExportChannel:
    """The channel called ``alias``; a clear error naming the known ones."""
    configured = channels()
    if alias not in configured:
        known = ", ".join(sorted(configured)) or "none"
        raise KeyError(f"no export channel {alias!r}; configured: {known}")
    return configured[alias]


def channels_notify(events: Iterable[ContentEvent]) -> None:
    """Hand recorded content events to every channel (inside the transaction)."""
    events = list(events)
    for channel in channels().values():
        channel.events_recorded(events)


def channels_shared_content_changed() -> None:
    """Tell every channel that shared content changed (inside the transaction)."""
    for channel in channels().values():
        channel.shared_content_changed()


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "EXPORT_CHANNELS":
        channels.cache_clear()


setting_changed.connect(_reset, dispatch_uid="exports-channels-reset")
