"""``AnyOf``: a column equal to any value of a list, passed as one parameter.

``Page.objects.filter(pk__in=ids)`` writes one placeholder per id, so its SQL
changes with the length of the list and cannot be compiled and prepared once.
``filter(AnyOf(F("pk"), ids))`` writes ``"id" = ANY(%s)`` with the list as one
array parameter (PostgreSQL only; other databases use ``__in``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Lookup, Q


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


def any_of(field_name: str, values: Sequence[Any]) -> AnyOf | Q:
    """Rows whose ``field_name`` is one of ``values``: ``AnyOf`` on PostgreSQL
    (the statement stays the same whatever the list, so it is parsed and
    prepared once), ``__in`` on other databases."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return AnyOf(F(field_name), list(values))
    return Q(**{f"{field_name}__in": values})
