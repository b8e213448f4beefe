"""Generate ``boursa_db/query_types.py``: the static types of every query, read from the database.

sqlc's lesson: the database knows the types, so ask it, generate the code, check it in and fail
CI when it drifts. ``python -m boursa_db typegen`` prepares every statement of ``sql/`` against a
migrated database (a throwaway embedded one by default) and writes the module;
``python -m boursa_db typegen --check`` prints the diff and exits 1 when the file is stale.

What the module holds
    For each query a subclass of :class:`~boursa_db.queries.Query` whose ``__call__`` (or
    ``copy`` for a ``:copy`` target) has the typed signature, a row protocol for ``:one`` and
    ``:many`` queries (``row["column"]`` has the column's type; a wrong key is an error), a tuple
    alias for the records of a ``:copy`` target, and the ``Queries`` protocol naming them all.
    ``typed_library()`` is the query library cast to ``Queries``. Everything but that function
    exists only for type checkers: rows stay plain asyncpg Records, nothing costs anything per row.

How a statement is described
    Everything happens in one transaction that is never committed. The ``:execute`` queries whose
    SQL starts with ``CREATE TEMPORARY TABLE`` run first, so that statements using a staging
    table can be prepared; then every statement is prepared behind a savepoint (all failures are
    reported at once, each with its ``file:line``) and described. A COPY target is described by
    the catalog columns of its table. The descriptions come from libpq's ``PQdescribePrepared``
    through ctypes rather than from asyncpg: only the protocol's row description tells which table
    column a result column comes from, and asyncpg keeps it in a Cython attribute Python cannot
    read.

Types
    bool ``bool``; int2/int4/int8/oid ``int``; float4/float8 ``float``; numeric ``Decimal``;
    text/varchar/char/name and enums ``str``; uuid ``UUID``; timestamptz/timestamp ``datetime``;
    date ``date``; time ``time``; interval ``timedelta``; bytea ``bytes``; inet ``IPv4Address |
    IPv6Address`` (the schema stores host addresses); cidr ``IPv4Network | IPv6Network``;
    json/jsonb ``Any`` (the codecs decode them to Python objects); arrays ``list[element]`` in
    rows and ``Sequence[element]`` in parameters and COPY records (array elements are taken as
    not NULL); a domain has the type of its base type; anything else is ``Any``.

Nullability
    * Parameters are always ``T | None``: PostgreSQL does not say whether a parameter may be NULL,
      inserts and updates pass None for nullable columns, and the schema enforces NOT NULL.
    * A result column is ``T`` when the server reports it as a plain reference to a table column
      declared NOT NULL and the statement has no outer join (LEFT/RIGHT/FULL JOIN) and no
      ROLLUP/CUBE/GROUPING SETS, which bring NULLs into such columns. Computed columns, columns of
      views and the results of UNION/INTERSECT/EXCEPT are ``T | None``, unless the query vouches
      for them with a header line ``-- not null: column, other_column``.
    * ``:one`` returns ``Row | None``. ``:scalar`` returns ``T | None`` (no row gives None too)
      unless a ``-- not null:`` line names its column (``SELECT count(*) ...`` always has a row).
    * A COPY record is a tuple of the target's columns in order, ``T`` for NOT NULL columns.

TimescaleDB
    Queries that use TimescaleDB (its schemas or its API functions, recognised by name) cannot be
    prepared where the extension is absent, yet the generated file must be the same on every
    server. They are typed loosely everywhere (parameters ``Any``, rows plain ``asyncpg.Record``)
    and, where TimescaleDB is installed, still prepared so that a mistake in them is reported.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import difflib
import importlib.util
import io
import json
import keyword
import re
import sys
import textwrap
import tokenize
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from boursa_db.embedded import start_embedded_postgres
from boursa_db.errors import BoursaDbError, SchemaMismatch
from boursa_db.migrations import applied_migration_ids, apply_migrations, migration_ids
from boursa_db.queries import Cardinality, Query, QueryLibrary, load_queries
from boursa_db.resources import sql_dir

__all__ = [
    "OUTPUT_PATH",
    "REGENERATE_COMMAND",
    "Column",
    "QueryTypes",
    "TypegenError",
    "describe_queries",
    "generate",
    "render_module",
    "run_typegen",
]

OUTPUT_PATH = Path(__file__).resolve().parent / "query_types.py"
"""Where the generated module lives."""

REGENERATE_COMMAND = "python -m boursa_db typegen"

T = TypeVar("T")

_LINE_LENGTH = 100
_SCALAR_TYPES = {
    "bool": "bool",
    "int2": "int",
    "int4": "int",
    "int8": "int",
    "oid": "int",
    "float4": "float",
    "float8": "float",
    "numeric": "Decimal",
    "text": "str",
    "varchar": "str",
    "bpchar": "str",
    "char": "str",
    "name": "str",
    "uuid": "UUID",
    "timestamptz": "datetime",
    "timestamp": "datetime",
    "date": "date",
    "time": "time",
    "interval": "timedelta",
    "bytea": "bytes",
    "json": "Any",
    "jsonb": "Any",
    "inet": "IPv4Address | IPv6Address",
    "cidr": "IPv4Network | IPv6Network",
    "void": "None",
}
_IMPORTS = {
    "Any": "typing",
    "Literal": "typing",
    "Protocol": "typing",
    "TypeAlias": "typing",
    "overload": "typing",
    "Iterable": "collections.abc",
    "Sequence": "collections.abc",
    "date": "datetime",
    "datetime": "datetime",
    "time": "datetime",
    "timedelta": "datetime",
    "Decimal": "decimal",
    "IPv4Address": "ipaddress",
    "IPv6Address": "ipaddress",
    "IPv4Network": "ipaddress",
    "IPv6Network": "ipaddress",
    "UUID": "uuid",
}
_CREATES_TEMPORARY_TABLE = re.compile(
    r"^\s*CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?TEMP(?:ORARY)?\s+TABLE\b", re.IGNORECASE
)
_ADDS_NULLS = re.compile(
    r"\b(?:(?:LEFT|RIGHT|FULL)(?:\s+OUTER)?\s+JOIN|ROLLUP|CUBE|GROUPING\s+SETS)\b", re.IGNORECASE
)
_NOT_NULL = re.compile(r"^not null:(?P<columns>.*)$", re.IGNORECASE)
_COMMENTS_AND_STRINGS = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.DOTALL)
_TIMESCALEDB_SCHEMA = re.compile(r"\b_?timescaledb_[a-z]+\s*\.", re.IGNORECASE)
_FUNCTION_CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\s*\(", re.IGNORECASE)
# TimescaleDB 2.x API functions, procedures and aggregates (its @extschema@ objects).
_TIMESCALEDB_API = """
    add_columnstore_policy add_compression_policy add_continuous_aggregate_policy add_dimension
    add_job add_process_hypertable_invalidations_policy add_reorder_policy add_retention_policy
    alter_job approximate_row_count attach_chunk attach_tablespace by_hash by_range
    chunk_columnstore_stats chunk_compression_stats chunks_detailed_size compress_chunk
    convert_to_columnstore convert_to_rowstore create_hypertable decompress_chunk delete_job
    detach_chunk detach_tablespace detach_tablespaces disable_chunk_skipping drop_chunks
    enable_chunk_skipping first generate_uuidv7 histogram hypertable_approximate_detailed_size
    hypertable_approximate_size hypertable_columnstore_stats hypertable_compression_stats
    hypertable_detailed_size hypertable_index_size hypertable_size interpolate last locf
    merge_chunks merge_chunks_concurrently move_chunk recompress_chunk
    refresh_continuous_aggregate remove_columnstore_policy remove_compression_policy
    remove_continuous_aggregate_policy remove_process_hypertable_invalidations_policy
    remove_reorder_policy remove_retention_policy reorder_chunk run_job set_chunk_time_interval
    set_integer_now_func set_number_partitions set_partitioning_interval show_chunks
    show_tablespaces split_chunk time_bucket time_bucket_gapfill timescaledb_post_restore
    timescaledb_pre_restore to_uuidv7 uuid_timestamp uuid_timestamp_micros uuid_version
"""
_TIMESCALEDB_FUNCTIONS = frozenset(_TIMESCALEDB_API.split())


class TypegenError(BoursaDbError):
    """The types cannot be generated: a statement does not prepare, a name does not fit Python."""


@attrs.frozen
class Column:
    """A parameter, result column or COPY column, with its Python type (without ``None``)."""

    name: str
    python_type: str
    nullable: bool

    @property
    def annotation(self) -> str:
        """The annotation: ``T | None`` when the value may be NULL."""
        if not self.nullable or self.python_type in ("Any", "None"):
            return self.python_type
        return f"{self.python_type} | None"


@attrs.frozen
class QueryTypes:
    """What the database says about one query: its parameters and result (or COPY) columns."""

    query: Query
    parameters: tuple[Column, ...]
    columns: tuple[Column, ...]
    needs_timescaledb: bool = False
    """Typed loosely: parameters ``Any``, rows plain Records (see the module docstring)."""


def run_typegen(database_url: str | None, *, check: bool, output: Path = OUTPUT_PATH) -> int:
    """The ``typegen`` command: write the module, or with ``check`` diff it; returns the exit code.

    ``database_url`` names a migrated database; None starts an embedded server for the run.
    """
    with _migrated_database(database_url) as url:
        text = generate(url)
    current = output.read_text(encoding="utf-8") if output.exists() else ""
    if current == text:
        print(f"{output.name} is up to date")
        return 0
    if not check:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}")
        return 0
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        text.splitlines(keepends=True),
        f"{output.name} (on disk)",
        f"{output.name} (generated)",
    )
    sys.stdout.writelines(diff)
    print(f"{output.name} is stale: run '{REGENERATE_COMMAND}'", file=sys.stderr)
    return 1


def generate(database_url: str, library: QueryLibrary | None = None) -> str:
    """The text of the module for a library (``sql/`` by default), typed by that database."""
    queries = library if library is not None else load_queries(sql_dir())
    return render_module(describe_queries(database_url, queries))


def describe_queries(database_url: str, library: QueryLibrary) -> list[QueryTypes]:
    """Prepare every query of the library against a migrated database and read its types."""
    with _Session.connect(database_url) as session:
        session.execute("SET client_min_messages TO warning")
        session.execute("BEGIN")  # never committed: closing the connection discards it
        return _Describer(session, library).run()


def render_module(described: Sequence[QueryTypes]) -> str:
    """The generated module, ``ruff format`` and ``ruff check`` clean as written."""
    ordered = sorted(described, key=lambda item: item.query.name)
    _check_python_names(ordered)
    blocks: list[list[str]] = []
    exported = ["Queries", "typed_library"]
    for item in ordered:
        item_blocks, names = _render_query_types(item)
        blocks.extend(item_blocks)
        exported.extend(names)
    blocks.append(_render_protocol(ordered))
    # ruff format puts one blank line between blocks, and one before a class opening the block.
    body = [line for block in blocks for line in ["", *block]]
    body = body if body[1].startswith("    class ") else body[1:]
    return _MODULE_TEMPLATE.format(
        imports="\n".join(_render_imports(_referenced_names("\n".join(body)))),
        all="\n".join(f'    "{name}",' for name in sorted(exported, key=_isort_key)),
        body="\n".join(body),
    )


_MODULE_TEMPLATE = '''\
"""Static types of the queries in ``sql/``, generated from the database: do not edit.

After changing ``sql/`` or ``migrations/``, run ``python -m boursa_db typegen``; the test suite
fails while this file is stale. The rules (types, nullability) are in :mod:`boursa_db.typegen`.
Rows are plain asyncpg Records at run time: the classes below exist only for type checkers, so
import them under ``TYPE_CHECKING``. Example::

    queries = typed_library()
    row = await queries.<query>(connection, <parameter>=...)  # Row | None for a :one query
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from boursa_db.queries import QueryLibrary, default_library

if TYPE_CHECKING:
{imports}

__all__ = [
{all}
]

if TYPE_CHECKING:
{body}


def typed_library(library: QueryLibrary | None = None) -> Queries:
    """The query library (the library's own by default) seen through its static types."""
    return cast("Queries", default_library() if library is None else library)
'''


# --- describing ------------------------------------------------------------------------------


class _StatementError(Exception):
    """PostgreSQL refused a statement."""

    def __init__(self, message: str, sqlstate: str, position: int | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.position = position

    def explain(self, sql: str) -> str:
        where = ""
        if self.position is not None:
            line = sql[: self.position - 1].count("\n") + 1
            where = f", line {line} of the statement"
        return f"{self} (SQLSTATE {self.sqlstate}{where})"


@attrs.frozen
class _Field:
    name: str
    type_oid: int
    table_oid: int
    column: int


@attrs.frozen
class _Description:
    parameter_oids: tuple[int, ...]
    fields: tuple[_Field, ...]


@attrs.frozen
class _PgType:
    name: str
    schema: str
    kind: str
    category: str
    element: int
    base: int


class _Describer:
    """Describes the queries of a library on one session, inside its transaction."""

    def __init__(self, session: _Session, library: QueryLibrary) -> None:
        self._session = session
        self._library = library
        self._problems: list[str] = []

    def run(self) -> list[QueryTypes]:
        for query in self._library.values():
            creates_staging = _CREATES_TEMPORARY_TABLE.match(query.sql)
            if query.cardinality is Cardinality.EXECUTE and creates_staging:
                self._attempt(query, self._session.execute)
        extension = "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'timescaledb'"
        has_timescaledb = bool(self._session.rows(extension))
        statements: dict[str, _Description] = {}
        copies: dict[str, list[tuple[str, int, bool]]] = {}
        for query in self._library.values():
            if query.cardinality is Cardinality.COPY:
                copies[query.name] = self._copy_columns(query)
            elif has_timescaledb or not _needs_timescaledb(query.sql):
                description = self._attempt(query, self._session.describe)
                if description is not None:
                    statements[query.name] = description
        if self._problems:
            raise TypegenError("\n".join(["statements that do not prepare:", *self._problems]))
        oids = {oid for d in statements.values() for oid in d.parameter_oids}
        oids |= {field.type_oid for d in statements.values() for field in d.fields}
        oids |= {oid for columns in copies.values() for _, oid, _ in columns}
        types = self._types(oids)
        not_null = self._not_null({f.table_oid for d in statements.values() for f in d.fields})
        described = []
        for query in self._library.values():
            if query.cardinality is Cardinality.COPY:
                columns = tuple(
                    Column(name, _python_type(oid, types, parameter=True), not attnotnull)
                    for name, oid, attnotnull in copies[query.name]
                )
                described.append(QueryTypes(query, (), columns))
            elif _needs_timescaledb(query.sql):
                loose = tuple(Column(name, "Any", nullable=True) for name in query.parameters)
                described.append(QueryTypes(query, loose, (), needs_timescaledb=True))
            else:
                described.append(_query_types(query, statements[query.name], types, not_null))
        return described

    def _attempt(self, query: Query, action: Callable[[str], T]) -> T | None:
        """``action(query.sql)`` behind a savepoint; a refusal becomes a reported problem."""
        self._session.execute("SAVEPOINT typegen")
        try:
            result = action(query.sql)
        except _StatementError as error:
            self._session.execute("ROLLBACK TO SAVEPOINT typegen")
            self._problems.append(f"  {query.source}: {query.name}: {error.explain(query.sql)}")
            return None
        self._session.execute("RELEASE SAVEPOINT typegen")
        return result

    def _copy_columns(self, query: Query) -> list[tuple[str, int, bool]]:
        rows = self._session.rows(
            "SELECT a.attname, a.atttypid::int8, a.attnotnull FROM pg_catalog.pg_attribute AS a"
            " WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
            str(query.copy_table),
        )
        found = {name: (int(oid), flag == "t") for name, oid, flag in rows}
        missing = ", ".join(column for column in query.copy_columns if column not in found)
        if not rows:
            self._problems.append(f"  {query.source}: {query.name}: no table {query.copy_table}")
        elif missing:
            message = f"{query.copy_table} has no column {missing}"
            self._problems.append(f"  {query.source}: {query.name}: {message}")
        return [(column, *found[column]) for column in query.copy_columns if column in found]

    def _types(self, oids: set[int]) -> dict[int, _PgType]:
        """The catalog entries of the types, and of their array elements and domain bases."""
        types: dict[int, _PgType] = {}
        wanted = oids
        while wanted:
            rows = self._session.rows(
                "SELECT t.oid::int8, t.typname, n.nspname, t.typtype, t.typcategory,"
                " t.typelem::int8, t.typbasetype::int8 FROM pg_catalog.pg_type AS t"
                " JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace"
                " WHERE t.oid = ANY ($1::oid[])",
                _oid_array(wanted),
            )
            for oid, name, schema, kind, category, element, base in rows:
                types[int(oid)] = _PgType(name, schema, kind, category, int(element), int(base))
            referenced = {t.element for t in types.values()} | {t.base for t in types.values()}
            wanted = referenced - set(types) - {0}
        return types

    def _not_null(self, tables: set[int]) -> set[tuple[int, int]]:
        """The (table, column number) pairs declared NOT NULL."""
        rows = self._session.rows(
            "SELECT a.attrelid::int8, a.attnum FROM pg_catalog.pg_attribute AS a"
            " WHERE a.attrelid = ANY ($1::oid[]) AND a.attnotnull",
            _oid_array(tables - {0}),
        )
        return {(int(table), int(column)) for table, column in rows}


def _query_types(
    query: Query,
    description: _Description,
    types: Mapping[int, _PgType],
    not_null: set[tuple[int, int]],
) -> QueryTypes:
    names = [field.name for field in description.fields]
    if query.cardinality in (Cardinality.ONE, Cardinality.MANY, Cardinality.SCALAR) and not names:
        marker = query.cardinality.value
        raise TypegenError(f"{query.source}: {query.name} is {marker} but returns no column")
    vouched = _declared_not_null(query)
    if unknown := ", ".join(sorted(vouched - set(names))):
        raise TypegenError(f"{query.source}: {query.name} has no column {unknown} (not null:)")
    parameters = tuple(
        Column(name, _python_type(oid, types, parameter=True), nullable=True)
        for name, oid in zip(query.parameters, description.parameter_oids, strict=True)
    )
    adds_nulls = bool(_ADDS_NULLS.search(query.sql))
    columns = tuple(
        Column(
            field.name,
            _python_type(field.type_oid, types, parameter=False),
            nullable=field.name not in vouched
            and (adds_nulls or (field.table_oid, field.column) not in not_null),
        )
        for field in description.fields
    )
    return QueryTypes(query, parameters, columns)


def _declared_not_null(query: Query) -> set[str]:
    """The columns a ``-- not null: a, b`` header line of the query vouches for."""
    return {
        name.strip()
        for line in query.doc.splitlines()
        if (match := _NOT_NULL.match(line))
        for name in match["columns"].split(",")
        if name.strip()
    }


def _python_type(oid: int, types: Mapping[int, _PgType], *, parameter: bool) -> str:
    pg_type = types[oid]
    if pg_type.kind == "d":
        return _python_type(pg_type.base, types, parameter=parameter)
    if pg_type.category == "A" and pg_type.element:
        element = _python_type(pg_type.element, types, parameter=parameter)
        return f"Sequence[{element}]" if parameter else f"list[{element}]"
    if pg_type.kind == "e":
        return "str"
    if pg_type.schema == "pg_catalog":
        return _SCALAR_TYPES.get(pg_type.name, "Any")
    return "Any"


def _needs_timescaledb(sql: str) -> bool:
    code = _COMMENTS_AND_STRINGS.sub(" ", sql)
    if _TIMESCALEDB_SCHEMA.search(code):
        return True
    return any(name.lower() in _TIMESCALEDB_FUNCTIONS for name in _FUNCTION_CALL.findall(code))


def _oid_array(oids: set[int]) -> str:
    return "{" + ",".join(str(oid) for oid in sorted(oids)) + "}"


@contextlib.contextmanager
def _migrated_database(database_url: str | None) -> Iterator[str]:
    if database_url is not None:
        applied = set(applied_migration_ids(database_url))
        if pending := [migration for migration in migration_ids() if migration not in applied]:
            message = f"the database lacks the migrations {', '.join(pending)}: migrate it first"
            raise SchemaMismatch(message)
        yield database_url
        return
    with start_embedded_postgres() as server:
        with _Session.connect(server.url) as admin:
            admin.execute("CREATE DATABASE boursa_typegen")
        url = server.url_for("boursa_typegen")
        apply_migrations(url)
        yield url


# --- rendering -------------------------------------------------------------------------------


def _class_name(query_name: str, suffix: str) -> str:
    return "".join(part.capitalize() for part in query_name.split("_")) + suffix


def _check_python_names(ordered: Sequence[QueryTypes]) -> None:
    reserved = {*_IMPORTS, "Connection", "Query", "Queries", "asyncpg", "typed_library"}
    problems: list[str] = []
    owners: dict[str, str] = {}
    for item in ordered:
        query = item.query
        if keyword.iskeyword(query.name) or query.name in reserved:
            problems.append(f"  {query.source}: the query name {query.name} is taken in Python")
        for parameter in query.parameters:
            if keyword.iskeyword(parameter) or parameter == "connection":
                message = f"the parameter :{parameter} of {query.name} cannot be a Python argument"
                problems.append(f"  {query.source}: {message}")
        name = _class_name(query.name, "")
        if owners.setdefault(name, query.name) != query.name:
            message = f"{query.name} and {owners[name]} both make the classes {name}Query, ..."
            problems.append(f"  {query.source}: {message}")
    if problems:
        raise TypegenError("\n".join(["names that do not fit Python:", *problems]))


def _render_query_types(item: QueryTypes) -> tuple[list[list[str]], list[str]]:
    """The blocks of lines of one query's types, and the names they define.

    A row protocol (``:one``, ``:many``) or a record alias (``:copy``), then the query's class.
    """
    query = item.query
    blocks: list[list[str]] = []
    names: list[str] = []
    record = _class_name(query.name, "Record")
    if query.cardinality is Cardinality.COPY:
        items = [column.annotation for column in item.columns]
        blocks.append(_bracketed(f"{record}: TypeAlias = tuple[", items, "]", 4))
        names.append(record)
    elif query.cardinality in (Cardinality.ONE, Cardinality.MANY) and not item.needs_timescaledb:
        blocks.append(_render_row(item))
        names.append(_class_name(query.name, "Row"))
    query_class = _class_name(query.name, "Query")
    notes = f"Defined in {query.source.rsplit(':', 1)[0]}."
    if item.needs_timescaledb:
        notes += " It needs TimescaleDB, so its parameters and rows are typed loosely."
    doc = "\n".join(line for line in query.doc.splitlines() if not _NOT_NULL.match(line))
    lines = [f"    class {query_class}(Query):"]
    lines += _docstring(f"{doc.strip()}\n\n{notes}" if doc.strip() else notes, 8)
    lines += [""]
    if query.cardinality is Cardinality.COPY:
        items = ["self", "connection: Connection", f"records: Iterable[{record}]"]
        method = _bracketed("async def copy(", items, ") -> int: ...", 8)
    else:
        items = ["self", "connection: Connection", "/"]
        if item.parameters:
            items += ["*", *(f"{p.name}: {p.annotation}" for p in item.parameters)]
        method = _bracketed("async def __call__(", items, f") -> {_result(item)}: ...", 8)
    # The signature narrows Query's generic one on purpose: that is the point of the class.
    method[0] += "  # type: ignore[override]"
    blocks.append(lines + method)
    names.append(query_class)
    return blocks, names


def _render_row(item: QueryTypes) -> list[str]:
    lines = [f"    class {_class_name(item.query.name, 'Row')}(Protocol):"]
    lines += _docstring(f"A row of ``{item.query.name}``: an asyncpg Record.", 8)
    lines += [""]
    by_name = {column.name: column for column in item.columns}  # asyncpg: the last one wins
    for column in by_name.values():
        if len(by_name) > 1:
            lines += ["        @overload"]
        items = ["self", f"key: Literal[{json.dumps(column.name, ensure_ascii=False)}]"]
        lines += _bracketed("def __getitem__(", items, f") -> {column.annotation}: ...", 8)
    return lines


def _render_protocol(ordered: Sequence[QueryTypes]) -> list[str]:
    lines = ["    class Queries(Protocol):"]
    lines += _docstring("Every query of ``sql/``, typed: get it from :func:`typed_library`.", 8)
    lines += [""]
    for item in ordered:
        name, annotation = item.query.name, _class_name(item.query.name, "Query")
        if len(f"        {name}: {annotation}") <= _LINE_LENGTH:
            lines.append(f"        {name}: {annotation}")
        else:  # ruff's layout of an annotation that does not fit
            lines += [f"        {name}: (", f"            {annotation}", "        )"]
    return lines


def _result(item: QueryTypes) -> str:
    cardinality = item.query.cardinality
    if cardinality is Cardinality.EXECUTE:
        return "int"
    if cardinality is Cardinality.SCALAR:
        if item.needs_timescaledb:
            return "Any"
        first = item.columns[0]
        vouched = first.name in _declared_not_null(item.query)
        return attrs.evolve(first, nullable=not vouched).annotation
    row = "asyncpg.Record" if item.needs_timescaledb else _class_name(item.query.name, "Row")
    return f"{row} | None" if cardinality is Cardinality.ONE else f"list[{row}]"


def _bracketed(head: str, items: Sequence[str], tail: str, indent: int) -> list[str]:
    """``head items tail`` laid out as ``ruff format`` lays it out.

    On one line when it fits; else the items on one indented line of their own; else one item a
    line with a trailing comma (ruff's "magic trailing comma" keeps that layout).
    """
    pad = " " * indent
    joined = ", ".join(items)
    if len(f"{pad}{head}{joined}{tail}") <= _LINE_LENGTH:
        return [f"{pad}{head}{joined}{tail}"]
    if len(f"{pad}    {joined}") <= _LINE_LENGTH:
        return [f"{pad}{head}", f"{pad}    {joined}", f"{pad}{tail}"]
    return [f"{pad}{head}", *(f"{pad}    {item}," for item in items), f"{pad}{tail}"]


def _docstring(text: str, indent: int) -> list[str]:
    pad = " " * indent
    width = _LINE_LENGTH - indent - 3  # the opening quotes
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines: list[str] = []
    for paragraph in escaped.split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) == 1 and len(lines[0]) + 3 <= width and not lines[0].endswith('"'):
        return [f'{pad}"""{lines[0]}"""']
    first, *rest = lines
    return [f'{pad}"""{first}', *(f"{pad}{line}" if line else "" for line in rest), f'{pad}"""']


def _referenced_names(code: str) -> set[str]:
    """The names the code refers to, leaving out those it defines (parameters, attributes)."""
    tokens = tokenize.generate_tokens(io.StringIO(textwrap.dedent(code)).readline)
    significant = [token for token in tokens if token.type not in (tokenize.NL, tokenize.COMMENT)]
    names = set()
    neighbours = zip([None, *significant[:-1]], significant, [*significant[1:], None], strict=True)
    for before, token, after in neighbours:
        if token.type != tokenize.NAME:
            continue
        starts_a_definition = before is None or before.string.strip() in ("(", ",", "*", "")
        if not (after is not None and after.string == ":" and starts_a_definition):
            names.add(token.string)
    return names


def _render_imports(names: set[str]) -> list[str]:
    modules: dict[str, list[str]] = {}
    for name in sorted(names & set(_IMPORTS), key=_isort_key):
        modules.setdefault(_IMPORTS[name], []).append(name)
    lines = [f"    from {module} import {', '.join(modules[module])}" for module in sorted(modules)]
    if "asyncpg" in names:
        lines += ["", "    import asyncpg"]
    lines += ["", "    from boursa_db.connection import Connection"]
    return [*lines, "    from boursa_db.queries import Query"]


def _isort_key(name: str) -> tuple[int, str]:
    """isort's order, as ruff applies it: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


# --- libpq, through ctypes -------------------------------------------------------------------

_CONNECTION_OK = 0
_COMMAND_OK = 1
_TUPLES_OK = 2
_SQLSTATE = ord("C")
_MESSAGE = ord("M")
_POSITION = ord("P")
_POINTER = ctypes.c_void_p
_TEXT = ctypes.c_char_p
_INT = ctypes.c_int
_OID = ctypes.c_uint
_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "PQconnectdb": (_POINTER, [_TEXT]),
    "PQstatus": (_INT, [_POINTER]),
    "PQerrorMessage": (_TEXT, [_POINTER]),
    "PQfinish": (None, [_POINTER]),
    "PQexecParams": (
        _POINTER,
        [_POINTER, _TEXT, _INT, _POINTER, ctypes.POINTER(_TEXT), _POINTER, _POINTER, _INT],
    ),
    "PQprepare": (_POINTER, [_POINTER, _TEXT, _TEXT, _INT, _POINTER]),
    "PQdescribePrepared": (_POINTER, [_POINTER, _TEXT]),
    "PQresultStatus": (_INT, [_POINTER]),
    "PQresultErrorField": (_TEXT, [_POINTER, _INT]),
    "PQclear": (None, [_POINTER]),
    "PQntuples": (_INT, [_POINTER]),
    "PQnfields": (_INT, [_POINTER]),
    "PQnparams": (_INT, [_POINTER]),
    "PQparamtype": (_OID, [_POINTER, _INT]),
    "PQfname": (_TEXT, [_POINTER, _INT]),
    "PQftype": (_OID, [_POINTER, _INT]),
    "PQftable": (_OID, [_POINTER, _INT]),
    "PQftablecol": (_INT, [_POINTER, _INT]),
    "PQgetvalue": (_TEXT, [_POINTER, _INT, _INT]),
}


def _libpq() -> Any:
    """libpq: the system's, else the copy psycopg2 (a dependency of boursa_db) is linked with."""
    candidates = [ctypes.util.find_library("pq")]
    with contextlib.suppress(ImportError):
        spec = importlib.util.find_spec("psycopg2._psycopg")
        candidates.append(spec.origin if spec is not None else None)
    for candidate in filter(None, candidates):
        try:
            library = ctypes.CDLL(candidate)
        except OSError:
            continue
        if hasattr(library, "PQdescribePrepared"):
            for function, (restype, argtypes) in _SIGNATURES.items():
                getattr(library, function).restype = restype
                getattr(library, function).argtypes = argtypes
            return library
    raise TypegenError("libpq is missing: install libpq5 or psycopg2-binary")


class _Session:
    """One libpq connection: statements, text rows and prepared-statement descriptions."""

    def __init__(self, library: Any, connection: int) -> None:
        self._pq = library
        self._connection = connection

    @classmethod
    @contextlib.contextmanager
    def connect(cls, database_url: str) -> Iterator[_Session]:
        library = _libpq()
        connection = library.PQconnectdb(database_url.encode())
        try:
            if library.PQstatus(connection) != _CONNECTION_OK:
                reason = (library.PQerrorMessage(connection) or b"").decode(errors="replace")
                raise TypegenError(f"cannot connect to the database: {reason.strip()}")
            session = cls(library, connection)
            session.execute("SET client_encoding TO 'UTF8'")
            yield session
        finally:
            library.PQfinish(connection)

    def execute(self, sql: str) -> None:
        self._pq.PQclear(self._checked(self._exec(sql, ())))

    def rows(self, sql: str, *parameters: str) -> list[tuple[str, ...]]:
        """The rows of a query, as text (the catalog queries here select no NULL)."""
        result = self._checked(self._exec(sql, parameters))
        try:
            pq = self._pq
            return [
                tuple(pq.PQgetvalue(result, row, i).decode() for i in range(pq.PQnfields(result)))
                for row in range(pq.PQntuples(result))
            ]
        finally:
            self._pq.PQclear(result)

    def describe(self, sql: str) -> _Description:
        """Prepare ``sql`` as the unnamed statement and describe its parameters and columns."""
        pq = self._pq
        pq.PQclear(self._checked(pq.PQprepare(self._connection, b"", sql.encode(), 0, None)))
        result = self._checked(pq.PQdescribePrepared(self._connection, b""))
        try:
            parameters = tuple(pq.PQparamtype(result, i) for i in range(pq.PQnparams(result)))
            fields = tuple(
                _Field(
                    pq.PQfname(result, i).decode(),
                    pq.PQftype(result, i),
                    pq.PQftable(result, i),
                    pq.PQftablecol(result, i),
                )
                for i in range(pq.PQnfields(result))
            )
        finally:
            pq.PQclear(result)
        return _Description(parameters, fields)

    def _exec(self, sql: str, parameters: Sequence[str]) -> int | None:
        values = (_TEXT * len(parameters))(*(p.encode() for p in parameters))
        result: int | None = self._pq.PQexecParams(
            self._connection, sql.encode(), len(parameters), None, values, None, None, 0
        )
        return result

    def _checked(self, result: int | None) -> int:
        """The result of a successful command; a failed one raises :class:`_StatementError`."""
        if not result:
            reason = (self._pq.PQerrorMessage(self._connection) or b"").decode(errors="replace")
            raise TypegenError(f"lost the database connection: {reason.strip()}")
        if self._pq.PQresultStatus(result) in (_COMMAND_OK, _TUPLES_OK):
            return result
        try:
            position = self._error_field(result, _POSITION)
            raise _StatementError(
                self._error_field(result, _MESSAGE) or "statement failed",
                self._error_field(result, _SQLSTATE) or "?????",
                int(position) if position else None,
            )
        finally:
            self._pq.PQclear(result)

    def _error_field(self, result: int, code: int) -> str | None:
        value = self._pq.PQresultErrorField(result, code)
        return value.decode(errors="replace") if value else None
