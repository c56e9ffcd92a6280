"""Print layouts: which function turns a locale into a ``PrintSource``.

The print channel's ``LAYOUTS`` option maps a locale to a layout, by short name
(``handbook``, ``simple``) or by the dotted path of a function
``(tree) -> PrintSource`` that lays out the locale's content tree (the generic
build makes it, ``exports.builds``); a locale not named gets ``handbook``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from exports.content import HandbookTree
from exports.print.data import PrintSource

PrintSourceBuilder = Callable[[HandbookTree], PrintSource]

DEFAULT_LAYOUT = "handbook"
# The layouts this package ships, by the names LAYOUTS may use.
LAYOUTS_BUILTIN = {
    "handbook": "exports.print.data.print_tree_source",
    # Leichte Sprache: big type, one sentence per line, glossary boxes.
    "simple": "exports.print.layouts.simple.simple_tree_source",
}


def print_layout_builder(layout: str, *, locale: str = "") -> PrintSourceBuilder:
    """The function of ``layout`` (a short name or a dotted path).

    Raises ImproperlyConfigured naming the layouts there are when it does not import.
    """
    path = LAYOUTS_BUILTIN.get(layout, layout)
    where = f"LAYOUTS[{locale!r}]" if locale else "LAYOUTS"
    try:
        builder = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"{where}: cannot import layout {layout!r} ({exc}); use one of "
            f"{', '.join(sorted(LAYOUTS_BUILTIN))} or the dotted path of a function "
            "(tree) -> PrintSource."
        ) from exc
    if not callable(builder):
        raise ImproperlyConfigured(f"{where}: {layout!r} is not a function.")
    return builder
