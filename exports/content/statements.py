"""Compiled, prepared SQL for the hot read paths (every API request makes one).

``query_compile`` compiles a ``values()`` queryset to SQL once, with a sentinel in
place of its one lookup value; ``CompiledQuery.rows(value)`` runs it again with the
real value swapped in, through a cursor that prepares the statement on PostgreSQL.

This reaches into Django internals (the SQL compiler, the psycopg cursor class
Django uses, ``make_cursor``); ``tests/exports/content/test_statements.py`` fails
if a Django or psycopg upgrade changes what it relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet


@dataclass(frozen=True)
class CompiledQuery:
    """A values() query compiled to SQL once, run again with one value swapped in.

    Building and compiling the ORM query took about two thirds of a 304's time
    (the resolution query) and a third of a built detail's (the translation
    status); their SQL never changes except for one lookup value, so each is
    compiled once per process and shape and run with that value swapped in.
    Rows still pass through the compiler's converters (SQLite datetimes and
    UUIDs), as ``values()`` would.
    """

    compiler: Any
    sql: str
    params: tuple[Any, ...]
    slot: int
    field: Any
    names: tuple[str, ...]

    def rows(self, value: Any) -> list[dict[str, Any]]:
        connection = connections[DEFAULT_DB_ALIAS]
        params = list(self.params)
        params[self.slot] = self.field.get_db_prep_value(value, connection)
        with statement_cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        return [
            dict(zip(self.names, row, strict=True))
            for row in self.compiler.results_iter(results=[fetched])
        ]


# Any: django-stubs declare neither psycopg's cursor API on this class nor a raw
# cursor as what make_cursor() wraps.
_ServerBindingCursor: Any = ServerBindingCursor


class _PreparingCursor(_ServerBindingCursor):
    """psycopg's server-side binding cursor, preparing every statement it runs."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        # Django opens connections with prepare_threshold=None (never prepare),
        # under which psycopg ignores prepare=True as well. A threshold no query
        # reaches by count keeps every other statement unprepared.
        if self.connection.prepare_threshold is None:
            self.connection.prepare_threshold = 2**31 - 1
        return super().execute(query, params, prepare=True)


def statement_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for a compiled query: on PostgreSQL, one that prepares it.

    Parsing and planning the resolution query cost PostgreSQL more than running
    it: a call took about 0.7 ms unprepared and 0.2 ms prepared on the bench
    data, and every API read makes one. A prepared statement is parsed and
    planned once per database session.
    Django leaves prepared statements off by default for connection poolers in
    transaction mode (PgBouncer before 1.21): behind one, set
    CONTENT_PREPARED_STATEMENTS=false. Queries are logged and counted as usual.
    """
    if connection.vendor != "postgresql" or not settings.CONTENT_PREPARED_STATEMENTS:
        return connection.cursor()
    # What connection.cursor() does, with a cursor of our own underneath.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def query_compile(
    queryset: QuerySet, field: Any, sentinel: Any
) -> CompiledQuery | None:
    """``queryset``, built with ``sentinel`` as its one lookup value for ``field``,
    compiled; None if the sentinel cannot be told apart among the parameters."""
    connection = connections[DEFAULT_DB_ALIAS]
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    prepared = field.get_db_prep_value(sentinel, connection)
    slots = [i for i, p in enumerate(params) if p == prepared]
    if len(slots) != 1:
        return None
    query = queryset.query
    # Column names as QuerySet.values() reads them (ValuesIterable).
    names = (
        tuple(query.selected)
        if query.selected
        else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    return CompiledQuery(
        compiler=compiler,
        sql=sql,
        params=tuple(params),
        slot=slots[0],
        field=field,
        names=names,
    )
