"""ORM queries compiled to SQL once per thread, then run with new parameter values.

On this machine Django spends about 1 ms turning a queryset into SQL, and the database answers a small
indexed query in under 0.1 ms. The queries that every page view runs (the session, the user, the trainee's
enrolments...) are therefore written with the ORM as usual, wrapped in a `Prepared`, and compiled on first
use. Each later call only swaps the parameter values, runs the SQL and builds the results with Django's own
converters and model loading (select_related included), so the answer is the one the ORM would give.

Parameters are equality values only (`field=value`, ints or strings): a sample value is put in their place
when the query is compiled and must come out unchanged among the SQL parameters, else the query is refused
at compile time (a lookup that transforms its value, such as `icontains`, cannot be prepared).
"""
import itertools
import threading
import uuid

from django.conf import settings
from django.db import connections, router
from django.db.models.sql.query import RawQuery
from django.db.models.query import (FlatValuesListIterable, ModelIterable, ValuesListIterable,
                                     get_related_populators)

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None

_SAMPLE_INT = itertools.count(1_987_654_301)  # within a 32-bit integer column's range, never a real id here


def _sample(kind):
    return next(_SAMPLE_INT) if kind is int else f"prepared-sample-{uuid.uuid4().hex}"


if psycopg is not None:
    class _PreparingCursor(psycopg.Cursor):
        """A cursor whose statements PostgreSQL plans once per connection (server-side prepared statements)."""

        log_queries = False  # set when Django logs queries (DEBUG, tests counting them)

        def execute(self, query, params=None, **kwargs):
            kwargs.setdefault("prepare", True)
            result = super().execute(query, params, **kwargs)
            if self.log_queries and self._query is None:  # a prepared statement's run keeps no query text
                self._query = self._convert_query(query, params)
            return result


PREPARE_THRESHOLD = 2 ** 31  # Django's own (client-side binding) cursors never prepare, whatever this value


def statement_cursor(using="default"):
    """A cursor for the statements a page view runs every time.

    On PostgreSQL, planning a small query costs more than running it: this cursor has them prepared on the
    server on first use and only executed afterwards. It is Django's cursor wrapper around it, so queries are
    logged and counted as usual, and database errors are Django's. Elsewhere, or when the setting
    LMS_PG_PREPARED_STATEMENTS is off (behind PgBouncer in transaction mode), it is the usual cursor.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or psycopg is None or not settings.LMS_PG_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django turns preparing off; only this cursor asks for it (prepare=True)
        raw.prepare_threshold = PREPARE_THRESHOLD
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(raw)
        cursor.log_queries = connection.queries_logged
        return connection._prepare_cursor(cursor)


class _StatementRawQuery(RawQuery):
    """A raw query run on statement_cursor()."""

    def clone(self, using):
        return _StatementRawQuery(self.sql, using, params=self.params)

    def _execute_query(self):
        adapt = connections[self.using].ops.adapt_unknown_value  # as Django's RawQuery does
        params = None if self.params is None else tuple(adapt(value) for value in self.params)
        self.cursor = statement_cursor(self.using)
        self.cursor.execute(self.sql, params)


def raw_statement(model, sql, params):
    """`model.objects.raw(sql, params)` run on statement_cursor(), for a hand-written query of every page view."""
    from django.db.models.query import RawQuerySet

    using = router.db_for_read(model)
    return RawQuerySet(sql, model=model, query=_StatementRawQuery(sql, using, params=tuple(params)), params=params,
                       using=using)


class _Compiled:
    """The SQL of one query on this thread's connection, and how to read its rows."""

    def __init__(self, queryset, samples):
        kind = queryset._iterable_class
        if kind not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise NotImplementedError("a prepared query returns model instances or values_list() rows")
        query = queryset.query
        if query.extra_select or (kind is not ModelIterable and query.annotation_select):
            raise NotImplementedError("a prepared query has no extra() columns nor annotated values_list()")
        self.using = queryset.db
        self.kind = kind
        self.compiler = compiler = query.get_compiler(using=self.using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = {}
        for name, value in samples.items():
            positions = [i for i, param in enumerate(self.params) if type(param) is type(value) and param == value]
            if not positions:
                raise ValueError(f"parameter {name!r} does not reach the SQL unchanged: it cannot be prepared")
            self.slots[name] = positions
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        if kind is ModelIterable:
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            self.model_span = (select_fields[0], select_fields[-1] + 1)
            self.init_list = [f[0].target.attname for f in compiler.select[self.model_span[0]:self.model_span[1]]]
            self.annotation_col_map = compiler.annotation_col_map
            self.populators = get_related_populators(klass_info, compiler.select, self.using)

    def run(self, values):
        params = list(self.params)
        for name, positions in self.slots.items():
            for position in positions:
                params[position] = values[name]
        with statement_cursor(self.using) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.kind is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.kind is ValuesListIterable:
            return [tuple(row) for row in rows]
        start, end = self.model_span
        objects = []
        for row in rows:
            obj = self.model.from_db(self.using, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class Prepared:
    """A query built by `build(**params)`, compiled once per thread, then run as `prepared(**values)`.

    `params` maps each parameter's name to its type (int or str). A call returns a list: model instances, or
    the rows of a `values_list()` query (values for a flat one). The query runs on the database the router
    gives for the built queryset (this project has one).
    """

    def __init__(self, build, **params):
        for name, kind in params.items():
            if kind not in (int, str):
                raise TypeError(f"parameter {name!r}: a prepared query's parameter is an int or a str, not {kind!r}")
        self.build = build
        self.params = params
        self._local = threading.local()

    def _compiled(self):
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            samples = {name: _sample(kind) for name, kind in self.params.items()}
            compiled = self._local.compiled = _Compiled(self.build(**samples), samples)
        return compiled

    def __call__(self, **values):
        if values.keys() != self.params.keys():
            raise TypeError(f"expected the parameters {sorted(self.params)}, got {sorted(values)}")
        for name, kind in self.params.items():
            if type(values[name]) is not kind:
                raise TypeError(f"parameter {name!r} must be {kind.__name__}, not {type(values[name]).__name__}")
        return self._compiled().run(values)
