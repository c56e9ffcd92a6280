"""The print channel's own options (``EXPORT_CHANNELS[alias]["OPTIONS"]``), parsed once.

``LOCALES``, ``BUILD_DELAY``, ``ROOT``, ``KEEP`` and ``SWEEP_SECONDS`` are every file
channel's (``exports.file_channel.FileChannel``). Print adds:

``LAYOUTS``: locale → layout (default ``{"de-x-ls": "simple"}``; see ``layouts``);
``MIN_TRANSLATED``: share of parts (0–1) a PDF should have in its own language;
below it the admin warns and asks before building it now (default 0.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from cms.locales import SIMPLE_LOCALE
from exports.print.layouts import (
    DEFAULT_LAYOUT,
    PrintSourceBuilder,
    print_layout_builder,
)

DEFAULT_LAYOUTS = {SIMPLE_LOCALE: "simple"}


@dataclass(frozen=True)
class PrintOptions:
    """What one print channel adds to a file channel's options; ``parse`` says
    what is wrong."""

    layouts: Mapping[str, str] = field(default_factory=dict)
    min_translated: float = 0.5

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> PrintOptions:
        layouts = dict(options.get("LAYOUTS", DEFAULT_LAYOUTS))
        for code, layout in layouts.items():
            print_layout_builder(layout, locale=code)
        min_translated = float(options.get("MIN_TRANSLATED", 0.5))
        if not 0 <= min_translated <= 1:
            raise ImproperlyConfigured(
                f"MIN_TRANSLATED must be a share between 0 and 1, not {min_translated}"
            )
        return cls(layouts=layouts, min_translated=min_translated)

    def builder(self, locale_code: str) -> PrintSourceBuilder:
        """The function that lays out ``locale_code``'s tree as a PrintSource."""
        layout = self.layouts.get(locale_code, DEFAULT_LAYOUT)
        return print_layout_builder(layout, locale=locale_code)
