"""Compiled, prepared SQL for the hot read paths (every API request makes one).

``query_compile`` compiles a ``values()`` queryset to SQL once, with a sentinel in
place of its one lookup value; ``CompiledQuery.rows(value)`` runs it again with the
real value swapped in, through a cursor that prepares the statement on PostgreSQL.
``model_query_compile`` does the same for a queryset of model instances (with its
``select_related`` joins: ``CompiledModelQuery.objects(value)``), and
``related_query_compile`` for what ``prefetch_related`` fetches for one instance
(``CompiledRelatedQuery.prefetch(instance)``).

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
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


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
    # Where the lookup value goes among the parameters; None: the query has none.
    slot: int | None
    field: Any
    names: tuple[str, ...]
    # The compiler's converters, found once (results_iter looks them up per call:
    # a sixth of a 304's time in the view).
    converters: dict[int, Any]
    # The lookup value is a list (``cms.lookups.AnyOf``: one array parameter).
    many: bool = False

    def tuples(self, value: Any = None) -> list[tuple[Any, ...]]:
        """The rows for ``value``, as the compiler's select lists its columns."""
        connection = connections[DEFAULT_DB_ALIAS]
        params = list(self.params)
        if self.slot is not None:
            params[self.slot] = (
                [self.field.get_db_prep_value(v, connection) for v in value]
                if self.many
                else self.field.get_db_prep_value(value, connection)
            )
        with statement_cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if not self.converters:
            return fetched
        return [
            tuple(row)
            for row in self.compiler.apply_converters(fetched, self.converters)
        ]

    def rows(self, value: Any) -> list[dict[str, Any]]:
        return [dict(zip(self.names, row, strict=True)) for row in self.tuples(value)]


@dataclass(frozen=True)
class CompiledModelQuery:
    """A queryset of model instances compiled once, run again with one value
    swapped in: its rows become instances as ``QuerySet`` iteration makes them
    (``ModelIterable``: ``from_db``, ``select_related`` objects, extra columns).

    Compiling a page type's query with its ``select_related`` joins cost about
    as much as the rest of a built API detail together.
    """

    query: CompiledQuery
    model: type[Model]
    init_list: tuple[str, ...]
    start: int
    end: int
    related_populators: tuple[Any, ...]
    extra_columns: tuple[tuple[str, int], ...]

    def objects(self, value: Any = None) -> list[Any]:
        instances = []
        for row in self.query.tuples(value):
            instance = self.model.from_db(
                DEFAULT_DB_ALIAS, list(self.init_list), row[self.start : self.end]
            )
            for populator in self.related_populators:
                populator.populate(row, instance)
            for name, position in self.extra_columns:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


@dataclass(frozen=True)
class CompiledRelatedQuery:
    """What ``prefetch_related(name)`` fetches for one instance, compiled once.

    ``prefetch(instance)`` stores the related objects where a prefetch leaves
    them, so ``instance.<name>.all()`` reads them without a query.
    """

    objects: CompiledModelQuery
    name: str
    cache_name: str

    def prefetch(self, instance: Model) -> None:
        related = self.objects.objects(instance.pk)
        # What django.db.models.query.prefetch_one_level does for a many-valued
        # relation.
        queryset = getattr(instance, self.name).get_queryset()
        queryset._result_cache = related
        queryset._prefetch_done = True
        cache: Any = instance
        if not hasattr(cache, "_prefetched_objects_cache"):
            cache._prefetched_objects_cache = {}
        cache._prefetched_objects_cache[self.cache_name] = queryset


# Any: django-stubs describe a newer Django, whose version takes a fetch mode too.
_related_populators: Any = get_related_populators

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
    queryset: QuerySet, field: Any = None, sentinel: Any = None, *, many: bool = False
) -> CompiledQuery | None:
    """``queryset``, built with ``sentinel`` as its one lookup value for ``field``
    (or with no lookup value to swap: ``field`` None), compiled; None if the
    sentinel cannot be told apart among the parameters. ``many``: the sentinel is
    a list of values of ``field``, passed as one parameter (``cms.lookups.AnyOf``)."""
    connection = connections[DEFAULT_DB_ALIAS]
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    slot = None
    if field is not None:
        prepared = (
            [field.get_db_prep_value(v, connection) for v in sentinel]
            if many
            else field.get_db_prep_value(sentinel, connection)
        )
        slots = [i for i, p in enumerate(params) if p == prepared]
        if len(slots) != 1:
            return None
        slot = slots[0]
    if compiler.has_extra_select:
        return None  # columns only for ORDER BY, which values() would drop
    selected = [column[0] for column in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(selected):
        return None  # results_iter would fold their columns into tuples
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
        slot=slot,
        field=field,
        names=names,
        converters=compiler.get_converters(selected),
        many=many,
    )


def model_query_compile(
    queryset: QuerySet, field: Any = None, sentinel: Any = None, *, many: bool = False
) -> CompiledModelQuery | None:
    """A queryset of model instances (``select_related`` allowed, but no
    ``prefetch_related``), built with ``sentinel`` as its one lookup value for
    ``field``, compiled; None where it cannot be (see ``query_compile``)."""
    state: Any = queryset  # django-stubs leave these attributes out
    if (
        state._iterable_class is not ModelIterable
        or state._prefetch_related_lookups
        or state._known_related_objects
    ):
        return None
    compiled = query_compile(queryset, field, sentinel, many=many)
    if compiled is None:
        return None
    compiler = compiled.compiler
    # What ModelIterable reads from the compiler once as_sql() has run.
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return CompiledModelQuery(
        query=compiled,
        model=klass_info["model"],
        init_list=tuple(column[0].target.attname for column in select[start:end]),
        start=start,
        end=end,
        related_populators=tuple(
            _related_populators(klass_info, select, DEFAULT_DB_ALIAS)
        ),
        extra_columns=tuple(compiler.annotation_col_map.items()),
    )


def related_query_compile(
    model: type[Model], name: str, sentinel: Any
) -> CompiledRelatedQuery | None:
    """The query ``prefetch_related(name)`` makes for one ``model`` instance
    (a many-to-many or reverse foreign key, one level), compiled with ``sentinel``
    as the instance's primary key; None where it cannot be."""
    instance = model(pk=sentinel)
    manager = getattr(instance, name, None)
    if manager is None or not hasattr(manager, "get_prefetch_querysets"):
        return None
    cache_name = manager.get_prefetch_querysets([instance])[4]
    objects = model_query_compile(manager.get_queryset(), model._meta.pk, sentinel)
    if objects is None:
        return None
    return CompiledRelatedQuery(objects=objects, name=name, cache_name=cache_name)
