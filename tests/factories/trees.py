"""Small content trees cut from real ones, for tests that read text aloud."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace

from exports.content import PageNode
from exports.content.inline import RichText
from exports.content.nodes import Block, Step


def trimmed_node(node: PageNode, children: Sequence[PageNode] = ()) -> PageNode:
    """``node`` with only the first block of each text field and ``children``:
    a few sentences of real page text."""
    changes: dict[str, object] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, RichText):
            changes[f.name] = RichText(value.nodes[:1])
        elif isinstance(value, tuple) and value and isinstance(value[0], Block | Step):
            changes[f.name] = value[:1]
    return replace(node, **{**changes, "children": list(children)})
