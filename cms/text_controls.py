"""Invisible controls in text an editor or translator saves: removed, one rule.

Bidi overrides, embeddings, isolates, directional marks and zero-width characters
change how text reads without being seen (an override shows "exe.jpg" as
"gpj.exe"). The direction of mixed text is the pipeline's job
(``exports.content.bidi`` isolates left-to-right runs when it builds the tree), so
typed controls are never content. ``text_controls_clean`` runs before every save of
a page, snippet, image text and wagtail-localize translation (connected in
``cms.apps``), whichever way the text came in: the editor, the translation editor,
an offline file, a machine translator or the demo loader.

ZWNJ (U+200C) and ZWJ (U+200D) stay: Persian spelling needs the non-joiner.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import models
from wagtail.fields import RichTextField, StreamField

INVISIBLE_CONTROLS = re.compile(
    "[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# The content apps whose models editors and translators write.
CONTENT_APPS = frozenset({"pages", "snippets", "images"})
_TEXT_FIELDS = (models.CharField, models.TextField, RichTextField)


def invisible_controls_remove(text: str) -> str:
    """``text`` without bidi controls and invisible formatting characters."""
    return INVISIBLE_CONTROLS.sub("", text)


def invisible_controls_find(text: str) -> list[str]:
    """The Unicode names of the invisible controls in ``text`` (for messages)."""
    found = INVISIBLE_CONTROLS.findall(text or "")
    return sorted({unicodedata.name(c, f"U+{ord(c):04X}") for c in found})


def _cleaned(value: Any) -> Any:
    """Strings anywhere inside stream data (dicts and lists), cleaned."""
    if isinstance(value, str):
        return invisible_controls_remove(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


def text_controls_clean(instance: models.Model) -> None:
    """Remove invisible controls from every text field of ``instance``, in place."""
    for model_field in instance._meta.concrete_fields:
        name = model_field.attname
        value = getattr(instance, name, None)
        if isinstance(model_field, StreamField):
            if value is None:
                continue
            raw = model_field.stream_block.get_prep_value(value)
            if raw and INVISIBLE_CONTROLS.search(str(raw)):
                setattr(instance, name, _cleaned(list(raw)))
        elif (
            isinstance(model_field, _TEXT_FIELDS)
            and isinstance(value, str)
            and INVISIBLE_CONTROLS.search(value)
        ):
            setattr(instance, name, invisible_controls_remove(value))


def text_controls_clean_on_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver: content models and wagtail-localize translations."""
    if raw:
        return
    label = sender._meta.app_label
    if label in CONTENT_APPS:
        text_controls_clean(instance)
    elif label == "wagtail_localize" and sender.__name__ == "StringTranslation":
        instance.data = invisible_controls_remove(instance.data or "")
