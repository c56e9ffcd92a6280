"""The print channel backend: which locales get a PDF, and from which source."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from exports.channels import ExportChannel, ExportSummary, Progress
from exports.content import UnknownLocale, content_locale_get
from exports.models import ContentEvent
from exports.print.data import PrintSource

DEFAULT_SOURCE = "exports.print.data.print_source"

PrintSourceBuilder = Callable[[str], PrintSource]


def print_locales() -> list[str]:
    """The locales that get a PDF (``PRINT_LOCALES``, default: every content one)."""
    configured = getattr(settings, "PRINT_LOCALES", None)
    if configured is None:
        return [loc.code for loc in settings.WEGWEISER_LOCALES]
    return list(configured)


def print_source_builder(locale_code: str) -> PrintSourceBuilder:
    """The function that builds ``locale_code``'s PrintSource (``PRINT_SOURCES``).

    Raises ImproperlyConfigured naming the setting when the path does not import.
    """
    path = getattr(settings, "PRINT_SOURCES", {}).get(locale_code, DEFAULT_SOURCE)
    try:
        builder = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"PRINT_SOURCES[{locale_code!r}]: cannot import {path!r} ({exc}); give "
            "the dotted path of a function (locale_code) -> PrintSource."
        ) from exc
    if not callable(builder):
        raise ImproperlyConfigured(
            f"PRINT_SOURCES[{locale_code!r}]: {path!r} is not a function."
        )
    return builder


class PrintChannel(ExportChannel):
    """The handbook as an accessible PDF per locale, rebuilt in the background.

    Settings (not OPTIONS, so the Leichte Sprache channel can extend them):
    ``PRINT_LOCALES``, ``PRINT_SOURCES``, ``PRINT_BUILD_DELAY``, ``PRINT_ROOT``,
    ``PRINT_KEEP``. A publish marks the affected locales' builds pending; the
    worker builds each locale once the coalescing window has passed.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "print"

    def __init__(self, *, alias: str, options: Mapping[str, Any]) -> None:
        super().__init__(alias=alias, options=options)
        # A misconfiguration stops start-up instead of failing the first build.
        for code in print_locales():
            try:
                content_locale_get(code)
            except UnknownLocale as exc:
                raise ImproperlyConfigured(f"PRINT_LOCALES: {exc}") from exc
        for code in getattr(settings, "PRINT_SOURCES", {}):
            print_source_builder(code)

    def events_recorded(self, events: Sequence[ContentEvent]) -> None:
        from exports.print.services import print_builds_request

        wanted = set(print_locales())
        # Events already name every locale that reads a changed page (a German
        # publish names every locale falling back to German).
        affected = sorted({event.locale for event in events} & wanted)
        if affected:
            print_builds_request(channel=self.alias, locales=affected)

    def shared_content_changed(self) -> None:
        from exports.print.services import print_builds_request

        # A glossary term, contact or image may be in every PDF; the source hash
        # tells afterwards which locales really changed, so only those re-render.
        locales = print_locales()
        if locales:
            print_builds_request(channel=self.alias, locales=locales)

    def export(
        self, *, locales: Sequence[str] | None = None, progress: Progress | None = None
    ) -> ExportSummary:
        from exports.print.services import print_export

        return print_export(channel=self.alias, locales=locales, progress=progress)
