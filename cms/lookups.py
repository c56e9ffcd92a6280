"""``AnyOf``: a column equal to any value of a list, passed as one parameter.

``Page.objects.filter(pk__in=ids)`` writes one placeholder per id, so its SQL
changes with the length of the list and cannot be compiled and prepared once.
``filter(AnyOf(F("pk"), ids))`` writes ``"id" = ANY(%s)`` with the list as one
array parameter (PostgreSQL only; other databases use ``__in``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    # The list stays a list: one array parameter, not a value of the column's type.
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if connection.vendor != "postgresql":
            raise NotImplementedError("AnyOf needs PostgreSQL; use __in elsewhere")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
