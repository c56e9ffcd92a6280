"""Extra preview modes of the handbook pages, filled in by other layers at start-up.

The page editor offers Wagtail's own preview and, for example, the print channel's
"Druckansicht". The pages cannot import the pipeline (it reads them), so a channel
registers its mode here from its ``ready`` and ``HeadlessPage`` reads the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

# Renders the page being previewed (the unsaved draft) in this mode.
PreviewRender = Callable[[Any], HttpResponse]


@dataclass(frozen=True)
class PreviewMode:
    """One extra preview mode: its name in URLs, its label, how it renders."""

    name: str
    label: str | Promise
    render: PreviewRender


_modes: dict[str, PreviewMode] = {}


def preview_mode_register(
    name: str, label: str | Promise, render: PreviewRender
) -> None:
    """Offer preview mode ``name`` on every handbook page; registering again replaces
    it (the app's ``ready`` may run more than once in tests)."""
    _modes[name] = PreviewMode(name=name, label=label, render=render)


def preview_modes_extra() -> list[PreviewMode]:
    """The registered extra modes, in registration order."""
    return list(_modes.values())


def preview_mode_get(name: str) -> PreviewMode | None:
    """The extra mode called ``name``, or None (a Wagtail default mode)."""
    return _modes.get(name)
