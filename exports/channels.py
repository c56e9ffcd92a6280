"""The channel registry: every output of the pipeline is a backend named in settings.

``EXPORT_CHANNELS`` maps an alias to ``{"BACKEND": "dotted.path.Class", "OPTIONS":
{...}}``, the shape of Wagtail's frontend-cache backends. Channels are loaded once at
start-up; a wrong path, a class that is not a channel or bad options raise
``ImproperlyConfigured`` with what to fix, before the first request is served.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from exports.content import Audience, HandbookTree, PageNode
from exports.content.documents import page_document_extension_register
from exports.models import Artifact, ContentEvent

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver
    from wagtail.admin.menu import MenuItem

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


@dataclass(frozen=True)
class ArtifactFile:
    """What a channel's ``build`` makes of one locale's content tree."""

    content: bytes
    # Decides the file's extension in the API (``media_type_extension``).
    media_type: str
    # Channel-specific facts the API lists with the file (a PDF's page count …).
    details: Mapping[str, Any] = field(default_factory=dict)
    # What making it did, kept on the build row rather than with the file (audio:
    # pages spoken anew and reused). Equal bytes keep the first build's details,
    # so a build's own doings cannot live there.
    build_details: Mapping[str, Any] = field(default_factory=dict)


class ExportChannel:
    """One output of the pipeline (website, print, simple …).

    A channel is one package plus one ``EXPORT_CHANNELS`` entry; the core knows it
    only through this interface, so adding a channel touches nothing outside its
    package. Subclasses set ``name`` and implement what they need:

    - content events, inside the publishing transaction: ``events_recorded``,
      ``shared_content_changed``; another channel's new file: ``artifact_published``;
    - running by hand: ``export`` (``manage.py export <alias>``);
    - what the core wires up at start-up: ``ready`` (register hooks of other
      layers, e.g. a preview mode), ``beat_schedule`` (periodic tasks),
      ``on_worker_ready`` (catch up when a worker starts), ``admin_urls`` and
      ``admin_menu_items`` (the channel's admin screens), ``locale_facts`` (what
      ``/api/v1/locales/`` adds per locale);
    - where its files live: ``artifact_root``;
    - making a file: ``build(tree)`` renders one locale's content tree (built
      for ``tree_audience(locale)``, by default the channel's ``audience``) as
      bytes; ``exports.artifacts.channel_artifacts_build`` builds the trees,
      calls it and publishes the file.

    The package's ``models`` and ``tasks`` modules, when present, are imported by
    the core (``channel_modules_import``), found through the BACKEND path.
    """

    # Stable machine name of the channel type, used in logs and the admin.
    name: ClassVar[str] = ""
    # Whose consent the channel's trees follow (a portrait may allow print only).
    audience: ClassVar[Audience] = "web"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        self.alias = alias
        self.options = dict(options)

    def tree_audience(self, locale_code: str) -> Audience:
        """Whose consent ``locale_code``'s tree follows (default ``audience``).

        A channel whose Leichte Sprache edition follows the Leichte Sprache consent
        (as print's does) says so here.
        """
        return self.audience

    def build(self, tree: HandbookTree) -> ArtifactFile | None:
        """This channel's file for one locale's content tree; None if it makes none.

        Reads the tree and nothing else (no queries of pages): everything a file
        shows is resolved in it.
        """
        return None

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        """Content changed (inside the writing transaction); record what to do."""

    def shared_content_changed(self) -> None:
        """Shared content (snippets, images, alt texts) changed, in a transaction.

        Page events are not written for it (the API's ETags move with the content
        stamp); a channel that bakes shared content into its output, like print,
        records its work here.
        """

    def artifact_published(self, artifact: Artifact) -> None:
        """A channel made ``artifact`` current (inside that transaction).

        Every channel hears of every new file, its own included; one that
        announces files (the website) records its work here.
        """

    def artifact_removed(self, removal: Artifact) -> None:
        """A channel's file was taken down with no new one in its place (inside that
        transaction): a consent withdrawn, a page made private.

        ``removal`` is the marker row (``Artifact.is_removal``): its id is newer
        than the file it replaces and older than the next build's, so announcing
        it in order works like a new file's.
        """

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        """Run the channel by hand for ``locales`` (all when None)."""
        raise NotImplementedError(f"the {self.alias!r} channel cannot be run by hand")

    def ready(self) -> None:
        """Start-up (the exports app's ``ready``): register what other layers read."""

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        """Celery beat entries of this channel (``CELERY_BEAT_SCHEDULE`` shape)."""
        return {}

    def on_worker_ready(self) -> None:
        """A Celery worker started: enqueue what was missed while none ran."""

    def admin_urls(self) -> list[URLPattern | URLResolver]:
        """URL patterns of the channel's admin screens, mounted under ``/admin/``."""
        return []

    def admin_menu_items(self) -> list[MenuItem]:
        """Admin menu items of the channel (each checks its own permission)."""
        return []

    def locale_facts(self, locale_code: str) -> dict[str, Any]:
        """Fields this channel adds to a locale's item in ``/api/v1/locales/``.

        Return the same keys for every locale (None where there is nothing), so the
        listing's items all have one shape.
        """
        return {}

    def page_document_fields(self, node: PageNode) -> Mapping[str, Any]:
        """Fields this channel adds to ``node``'s API and webhook document.

        They appear under ``channels.<alias>`` (e.g. a page's audio file), read
        from the channel's current artifact; empty adds nothing. Called for every
        document built, so keep it to a lookup. Document ETags follow the content
        stamp: a channel whose new file changes these fields bumps it
        (``exports.services.content_stamp_bump``) when it hears of the file.
        """
        return {}

    def page_documents_fields(
        self, nodes: Sequence[PageNode]
    ) -> Sequence[Mapping[str, Any]]:
        """``page_document_fields`` for a batch of nodes (a resync, a list), one
        mapping each, in order. A channel that reads its data from a cache or the
        database overrides this to read it once per batch."""
        return [self.page_document_fields(node) for node in nodes]

    def artifact_root(self) -> Path:
        """Where the channel's files are stored (``OPTIONS["ROOT"]``).

        Default ``ARTIFACTS_ROOT/<alias>``, read when asked, so a test's setting
        applies. Never inside ``MEDIA_ROOT``: whatever is there may be reachable
        by URL, and a superseded or withdrawn file must not be
        (``channels_check_roots``).
        """
        root = self.options.get("ROOT")
        return Path(root) if root else Path(settings.ARTIFACTS_ROOT) / self.alias


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


def channels_check_roots() -> None:
    """Refuse to start with a channel storing its files inside ``MEDIA_ROOT``."""
    media = Path(settings.MEDIA_ROOT).resolve()
    for alias, channel in channels().items():
        root = channel.artifact_root().resolve()
        if root == media or media in root.parents:
            raise ImproperlyConfigured(
                f"EXPORT_CHANNELS[{alias!r}]: its files ({root}) would be inside "
                f"MEDIA_ROOT ({media}), where old and withdrawn files could be "
                "downloaded by URL; set its ROOT (e.g. PRINT_ROOT) or ARTIFACTS_ROOT "
                "to a folder outside MEDIA_ROOT."
            )


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


def channels_artifact_published(artifact: Artifact) -> None:
    """Tell every channel that ``artifact`` became current (inside the transaction).

    This is how a channel announces a file: never by calling another channel.
    """
    for channel in channels().values():
        channel.artifact_published(artifact)


def channels_artifact_removed(removal: Artifact) -> None:
    """Tell every channel that a file was taken down (``artifact_removed``)."""
    for channel in channels().values():
        channel.artifact_removed(removal)


def channels_beat_schedule() -> dict[str, dict[str, Any]]:
    """Every channel's beat entries, merged.

    Two channels of one type may return the same entry (a sweep that serves every
    channel of the type): it runs once. Two different entries under one name are
    a configuration error.
    """
    schedule: dict[str, dict[str, Any]] = {}
    for alias, channel in channels().items():
        for name, entry in channel.beat_schedule().items():
            if name in schedule and schedule[name] != entry:
                raise ImproperlyConfigured(
                    f"EXPORT_CHANNELS[{alias!r}]: beat entry {name!r} is already "
                    "used by another channel with other settings (e.g. a different "
                    "SWEEP_SECONDS); give both the same, or the entry a name of its "
                    "own."
                )
            schedule[name] = entry
    return schedule


def channels_admin_urls() -> list[URLPattern | URLResolver]:
    """Every channel's admin screens, each URL namespace mounted once.

    Channels of one type may share screens that cover all of them (the website
    deliveries list every website channel's endpoints); a second channel of that
    type returns the same namespace, and Django needs namespaces to be unique.
    """
    mounted: set[str] = set()
    urls: list[URLPattern | URLResolver] = []
    for channel in channels().values():
        for url in channel.admin_urls():
            key = _admin_url_key(url)
            if key not in mounted:
                mounted.add(key)
                urls.append(url)
    return urls


def _admin_url_key(url: URLPattern | URLResolver) -> str:
    namespace = getattr(url, "namespace", None) or getattr(url, "name", None)
    return namespace or str(url.pattern)


def channels_admin_menu_items() -> list[MenuItem]:
    """Every channel's admin menu items, one per screen (``channels_admin_urls``)."""
    seen: set[str] = set()
    items: list[MenuItem] = []
    for channel in channels().values():
        for item in channel.admin_menu_items():
            if item.url not in seen:
                seen.add(item.url)
                items.append(item)
    return items


def channels_worker_ready() -> None:
    """A worker started: every channel catches up."""
    for channel in channels().values():
        channel.on_worker_ready()


def channel_package(backend: str) -> str:
    """The package of a channel from its BACKEND path.

    ``exports.print.channel.PrintChannel`` → ``exports.print``.
    """
    module = backend.rpartition(".")[0]
    return module.rpartition(".")[0] or module


def channel_modules_import(
    name: str, config: Mapping[str, Mapping[str, Any]] | None = None
) -> list[ModuleType]:
    """Import module ``name`` (``models``, ``tasks``) of every configured channel.

    Found through the BACKEND paths, so the core names no channel; a package
    without such a module is skipped. Reads the setting without loading the
    channels, so it works while models are still being imported.
    """
    if config is None:
        config = getattr(settings, "EXPORT_CHANNELS", {})
    modules = []
    for entry in config.values():
        backend = entry.get("BACKEND", "") if isinstance(entry, Mapping) else ""
        package = channel_package(backend) if backend else ""
        if not package:
            continue
        dotted = f"{package}.{name}"
        try:
            found = importlib.util.find_spec(dotted)
        except ModuleNotFoundError:
            found = None  # the package itself is missing: channels_load says so
        if found is not None:
            modules.append(importlib.import_module(dotted))
    return modules


def channels_fingerprint() -> str:
    """Names the configured channels: part of a page document's ETag, since a
    channel added or removed may add or remove fields (``channels.<alias>``)."""
    return ",".join(sorted(channels()))


def channels_page_document_fields(nodes: Sequence[PageNode]) -> list[dict[str, Any]]:
    """What every channel adds to each of ``nodes``' documents, by alias (none:
    empty), one dict per node."""
    added: list[dict[str, Any]] = [{} for _node in nodes]
    for alias, channel in channels().items():
        for fields_of_node, fields in zip(
            added, channel.page_documents_fields(nodes), strict=True
        ):
            if fields:
                fields_of_node[alias] = dict(fields)
    return added


page_document_extension_register(channels_page_document_fields)


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "EXPORT_CHANNELS":
        channels.cache_clear()


setting_changed.connect(_reset, dispatch_uid="exports-channels-reset")
