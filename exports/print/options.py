"""The print channel's options (``EXPORT_CHANNELS[alias]["OPTIONS"]``), parsed once.

``LOCALES``: locales that get a PDF (default: every content locale);
``BUILD_DELAY``: seconds publishes are gathered before a build (default 30);
``ROOT``: where the PDFs are stored (default ``ARTIFACTS_ROOT/<alias>``);
``KEEP``: PDFs kept per locale (default 3);
``LAYOUTS``: locale → layout (default ``{"de-x-ls": "simple"}``; see ``layouts``);
``MIN_TRANSLATED``: share of parts (0–1) a PDF should have in its own language;
below it the admin warns and asks before building it now (default 0.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cms.locales import SIMPLE_LOCALE
from exports.channels import channels
from exports.content import UnknownLocale, content_locale_get
from exports.print.layouts import (
    DEFAULT_LAYOUT,
    PrintSourceBuilder,
    print_layout_builder,
)

DEFAULT_LAYOUTS = {SIMPLE_LOCALE: "simple"}


@dataclass(frozen=True)
class PrintOptions:
    """One print channel's configuration; ``parse`` says what is wrong."""

    locales: tuple[str, ...]
    build_delay: timedelta
    keep: int
    layouts: Mapping[str, str] = field(default_factory=dict)
    min_translated: float = 0.5

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> PrintOptions:
        locales = options.get("LOCALES")
        if locales is None:
            locales = [loc.code for loc in settings.WEGWEISER_LOCALES]
        for code in locales:
            try:
                content_locale_get(code)
            except UnknownLocale as exc:
                raise ImproperlyConfigured(f"LOCALES: {exc}") from exc
        layouts = dict(options.get("LAYOUTS", DEFAULT_LAYOUTS))
        for code, layout in layouts.items():
            print_layout_builder(layout, locale=code)
        keep = int(options.get("KEEP", 3))
        if keep < 1:
            raise ImproperlyConfigured("KEEP must be at least 1 (the current PDF).")
        min_translated = float(options.get("MIN_TRANSLATED", 0.5))
        if not 0 <= min_translated <= 1:
            raise ImproperlyConfigured(
                f"MIN_TRANSLATED must be a share between 0 and 1, not {min_translated}"
            )
        return cls(
            min_translated=min_translated,
            locales=tuple(locales),
            build_delay=timedelta(seconds=float(options.get("BUILD_DELAY", 30.0))),
            keep=keep,
            layouts=layouts,
        )

    def builder(self, locale_code: str) -> PrintSourceBuilder:
        """The function that builds ``locale_code``'s PrintSource."""
        layout = self.layouts.get(locale_code, DEFAULT_LAYOUT)
        return print_layout_builder(layout, locale=locale_code)


def print_options_all() -> dict[str, PrintOptions]:
    """The options of every configured print channel, by alias."""
    return {
        alias: options
        for alias, channel in channels().items()
        if isinstance(options := getattr(channel, "print_options", None), PrintOptions)
    }


def print_options(alias: str) -> PrintOptions:
    """The options of print channel ``alias``; a clear error if it is none."""
    configured = print_options_all()
    if alias not in configured:
        known = ", ".join(sorted(configured)) or "none"
        raise KeyError(f"no print channel {alias!r}; configured: {known}")
    return configured[alias]
