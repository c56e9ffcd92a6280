"""Synchronised many-to-many fields stay synchronised when the source empties them.

wagtail-localize 1.14 (``wagtail_localize.fields.copy_synchronised_fields``) copies
a ``ParentalManyToManyField`` into a translation only when the source has values:
an editor who removed the last municipality from a recommendation (making it one
for the whole district) left every translation naming the old towns, and the
delivery API's ``?municipality=`` filter kept listing it under them in each
translated locale. Wrapping the copy keeps wagtail-localize's own behaviour and adds
the missing case; once upstream copies empty values too, the wrapper does nothing.
"""

from __future__ import annotations

from typing import Any

from modelcluster.fields import ParentalManyToManyField
from wagtail_localize import models as localize_models
from wagtail_localize.fields import copy_synchronised_fields, get_translatable_fields


def copy_synchronised_fields_including_empty(source: Any, target: Any) -> None:
    """wagtail-localize's copy, then empty what the source has emptied."""
    copy_synchronised_fields(source, target)
    for translatable_field in get_translatable_fields(type(source)):
        if not translatable_field.is_synchronized(source):
            continue
        field = translatable_field.get_field(type(target))
        if isinstance(field, ParentalManyToManyField) and not list(
            getattr(source, field.name).all()
        ):
            getattr(target, field.name).set([])


def synchronisation_install() -> None:
    """Make wagtail-localize's translation sync use the complete copy."""
    # models.py imported the function by name; that is the reference it calls.
    localize_models.copy_synchronised_fields = copy_synchronised_fields_including_empty
