"""Table columns the project's admin listings share.

Office staff read these screens: a yes/no value is written out ("Ja"/"Nein" in the
German admin) instead of Python's True/False or an icon whose meaning is only in a
tooltip.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A boolean as the words "Yes"/"No" in the admin's language; empty for None."""

    def get_value(self, instance: Any) -> Any:
        value = super().get_value(instance)
        if value is None:
            return None
        return _("Yes") if value else _("No")
