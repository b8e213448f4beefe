"""Load the hand-written ``.sql`` files into async query functions.

A query file holds one or more named queries. Each starts with a header of ``--`` lines::

    -- name: find_latest_prices :many
    -- params: symbols, interval_type
    -- The latest bar of each symbol, one index probe per symbol.
    SELECT ... WHERE m.symbol = s.symbol AND m.interval_type = :interval_type ...

* ``name`` is the Python name of the query, unique across all files;
* the marker says what a call returns: ``:one`` (a record or None), ``:many`` (a list of
  records), ``:scalar`` (the first column of the first row, or None), ``:execute`` (the number
  of rows the statement touched) or ``:copy`` (the body is ``COPY table (columns) FROM STDIN``
  and a call writes records with binary COPY);
* ``params`` lists the named parameters; each ``:name`` in the body becomes asyncpg's ``$n``.
  A parameter used but not declared, or declared but not used, is an error when loading;
* further comment lines are the query's documentation.

Mistakes in a file (missing name, duplicate name, unknown marker, undeclared parameter) raise
:class:`~boursa_db.errors.QueryFileError` naming the file and line, when the files are loaded,
not when the query first runs. Calls go through asyncpg's per-connection statement cache, so a
statement is parsed and planned once per connection and then reused.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
from asyncpg.protocol import NO_TIMEOUT

from boursa_db.errors import QueryArgumentError, QueryFileError
from boursa_db.resources import sql_dir

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = [
    "Cardinality",
    "Query",
    "QueryLibrary",
    "default_library",
    "load_queries",
    "parse_query_file",
]

_HEADER = re.compile(r"^--\s*name:\s*(?P<name>\S+)(?:\s+(?P<marker>\S+))?\s*$")
_PARAMS = re.compile(r"^--\s*params:\s*(?P<params>.*)$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_COPY = re.compile(
    r"^\s*COPY\s+(?P<table>[a-z_][a-z0-9_]*)\s*\((?P<columns>[^)]*)\)\s+FROM\s+STDIN\b[^;]*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


class Cardinality(enum.Enum):
    """What a query returns: the marker after its name."""

    ONE = ":one"
    MANY = ":many"
    SCALAR = ":scalar"
    EXECUTE = ":execute"
    COPY = ":copy"


@attrs.frozen
class Query:
    """One named statement, ready to run on a connection with keyword arguments."""

    name: str
    cardinality: Cardinality
    sql: str
    """The statement with asyncpg's positional ``$n`` placeholders."""
    parameters: tuple[str, ...]
    """Parameter names in ``$n`` order."""
    doc: str
    source: str
    """``file:line`` of the header, for error messages."""
    copy_table: str | None = None
    copy_columns: tuple[str, ...] = ()

    async def __call__(self, connection: Connection, /, **arguments: Any) -> Any:
        values = self.bind(arguments)
        match self.cardinality:
            case Cardinality.ONE:
                return await connection.fetchrow(self.sql, *values)
            case Cardinality.MANY:
                return await connection.fetch(self.sql, *values)
            case Cardinality.SCALAR:
                return await connection.fetchval(self.sql, *values)
            case Cardinality.EXECUTE:
                return _row_count(await connection.execute(self.sql, *values))
            case Cardinality.COPY:
                raise QueryArgumentError(f"{self.name} is a COPY target: call copy() instead")

    async def copy(
        self,
        connection: Connection,
        records: Iterable[Sequence[Any]],
        *,
        driver_timeout: float | None = None,
    ) -> int:
        """Write records (tuples in ``copy_columns`` order) with binary COPY; returns the count.

        ``driver_timeout`` is asyncpg's bound on the whole COPY, from its start to the server's
        answer: None means the connection's ``command_timeout``, ``math.inf`` none at all, for
        a caller that watches the COPY itself (as
        :func:`boursa_db.repositories.copying.copy_items` does).
        """
        if self.cardinality is not Cardinality.COPY or self.copy_table is None:
            raise QueryArgumentError(f"{self.name} is not a COPY target")
        status = await connection.copy_records_to_table(
            self.copy_table,
            records=records,
            columns=list(self.copy_columns),
            # asyncpg's annotations leave out its own "no timeout" value.
            timeout=cast("float", NO_TIMEOUT) if driver_timeout == math.inf else driver_timeout,
        )
        return _row_count(status)

    def bind(self, arguments: Mapping[str, Any]) -> list[Any]:
        """The positional values for the statement, from keyword arguments."""
        if len(arguments) == len(self.parameters):
            # As many arguments as parameters, all found: none is missing or unexpected.
            with contextlib.suppress(KeyError):
                return [arguments[name] for name in self.parameters]
        missing = [name for name in self.parameters if name not in arguments]
        unexpected = sorted(set(arguments) - set(self.parameters))
        if missing or unexpected:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unexpected:
                problems.append(f"unexpected {', '.join(unexpected)}")
            raise QueryArgumentError(f"{self.name}() arguments: {'; '.join(problems)}")
        return [arguments[name] for name in self.parameters]


class QueryLibrary(Mapping[str, Query]):
    """All queries of the ``sql/`` folder, by name (also as attributes: ``library.find_user``)."""

    def __init__(self, queries: Iterable[Query]) -> None:
        self._queries: dict[str, Query] = {}
        for query in queries:
            if query.name in self._queries:
                first = self._queries[query.name].source
                message = f"duplicate query name {query.name!r} (first at {first})"
                raise QueryFileError(query.source, message)
            self._queries[query.name] = query

    def __getitem__(self, name: str) -> Query:
        return self._queries[name]

    def __getattr__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)


@functools.cache
def default_library() -> QueryLibrary:
    """The library's own queries, read once per process from its ``sql/`` folder."""
    return load_queries(sql_dir())


def load_queries(folder: Path) -> QueryLibrary:
    """Read every ``*.sql`` file of a folder (sorted by name) into one library."""
    queries: list[Query] = []
    for path in sorted(folder.glob("*.sql")):
        queries.extend(parse_query_file(path.read_text(encoding="utf-8"), path.name))
    return QueryLibrary(queries)


def parse_query_file(text: str, filename: str) -> list[Query]:
    """Split one file into its queries; raise :class:`QueryFileError` on the first mistake."""
    lines = text.splitlines()
    starts = [index for index, line in enumerate(lines) if line.lstrip().startswith("-- name:")]
    first_code = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("--")),
        None,
    )
    if first_code is not None and (not starts or first_code < starts[0]):
        raise QueryFileError(f"{filename}:{first_code + 1}", "SQL before any '-- name:' header")
    if not starts:
        raise QueryFileError(f"{filename}:1", "no query: a file needs a '-- name:' header")
    queries = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        queries.append(_parse_query(lines[start:end], filename, start + 1))
    return queries


def _parse_query(lines: list[str], filename: str, first_line: int) -> Query:
    source = f"{filename}:{first_line}"
    header = _HEADER.match(lines[0].strip())
    if header is None:
        raise QueryFileError(source, "malformed header: expected '-- name: <name> <marker>'")
    name, marker = header["name"], header["marker"]
    if not _IDENTIFIER.match(name):
        raise QueryFileError(source, f"query name {name!r} is not a lower-case Python identifier")
    markers = {item.value: item for item in Cardinality}
    if marker is None or marker not in markers:
        known = ", ".join(markers)
        message = f"unknown or missing result marker {marker!r} (use one of {known})"
        raise QueryFileError(source, message)
    declared: list[str] = []
    doc_lines: list[str] = []
    body_start = len(lines)
    for offset, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        if not stripped.startswith("--"):
            body_start = offset
            break
        params = _PARAMS.match(stripped)
        if params:
            location = f"{filename}:{first_line + offset}"
            declared.extend(_declared_parameters(params["params"], location))
        else:
            doc_lines.append(stripped[2:].strip())
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        raise QueryFileError(source, f"query {name!r} has no SQL")
    cardinality = markers[marker]
    if cardinality is Cardinality.COPY:
        return _copy_query(name, body, declared, "\n".join(doc_lines).strip(), source)
    sql, used = _positional(body, source)
    _check_parameters(name, declared, used, source)
    return Query(
        name=name,
        cardinality=cardinality,
        sql=sql,
        parameters=tuple(used),
        doc="\n".join(doc_lines).strip(),
        source=source,
    )


def _declared_parameters(text: str, source: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    for name in names:
        if not _IDENTIFIER.match(name):
            raise QueryFileError(source, f"parameter name {name!r} is not a lower-case identifier")
    if len(set(names)) != len(names):
        raise QueryFileError(source, "a parameter is declared twice")
    return names


def _check_parameters(name: str, declared: list[str], used: list[str], source: str) -> None:
    undeclared = [parameter for parameter in used if parameter not in declared]
    unused = [parameter for parameter in declared if parameter not in used]
    if undeclared:
        names = ", ".join(f":{parameter}" for parameter in undeclared)
        raise QueryFileError(source, f"query {name!r} uses {names}, missing from '-- params:'")
    if unused:
        names = ", ".join(unused)
        raise QueryFileError(source, f"query {name!r} declares {names} but never uses it")


def _copy_query(name: str, body: str, declared: list[str], doc: str, source: str) -> Query:
    match = _COPY.match(body)
    if match is None:
        message = f"COPY target {name!r} must read 'COPY table (columns) FROM STDIN'"
        raise QueryFileError(source, message)
    if declared:
        raise QueryFileError(source, f"COPY target {name!r} takes records, not parameters")
    columns = tuple(column.strip() for column in match["columns"].split(","))
    if not all(_IDENTIFIER.match(column) for column in columns):
        raise QueryFileError(source, f"COPY target {name!r} has a malformed column list")
    return Query(
        name=name,
        cardinality=Cardinality.COPY,
        sql=body,
        parameters=(),
        doc=doc,
        source=source,
        copy_table=match["table"],
        copy_columns=columns,
    )


def _positional(body: str, source: str) -> tuple[str, list[str]]:
    """Replace ``:name`` with ``$n`` outside strings, quoted identifiers and comments."""
    output: list[str] = []
    used: list[str] = []
    index = 0
    length = len(body)
    while index < length:
        char = body[index]
        if char == "'" or char == '"':
            end = _closing_quote(body, index, char, escapes=_is_escape_string(body, index))
            if end < 0:
                raise QueryFileError(source, f"unterminated {char} quote")
            output.append(body[index:end])
            index = end
        elif body.startswith("--", index):
            end = body.find("\n", index)
            end = length if end == -1 else end
            output.append(body[index:end])
            index = end
        elif body.startswith("/*", index):
            end = body.find("*/", index + 2)
            if end == -1:
                raise QueryFileError(source, "unterminated /* comment")
            output.append(body[index : end + 2])
            index = end + 2
        elif char == "$" and (tag := re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", body[index:])):
            closing = body.find(tag.group(0), index + len(tag.group(0)))
            if closing == -1:
                raise QueryFileError(source, f"unterminated dollar quote {tag.group(0)}")
            end = closing + len(tag.group(0))
            output.append(body[index:end])
            index = end
        elif body.startswith("::", index):
            output.append("::")
            index += 2
        elif char == ":" and (parameter := re.match(r":([a-z_][a-z0-9_]*)", body[index:])):
            name = parameter.group(1)
            if name not in used:
                used.append(name)
            output.append(f"${used.index(name) + 1}")
            index += len(parameter.group(0))
        else:
            output.append(char)
            index += 1
    return "".join(output), used


def _is_escape_string(body: str, index: int) -> bool:
    return index > 0 and body[index - 1] in "eE" and (index < 2 or not body[index - 2].isalnum())


def _closing_quote(body: str, start: int, quote: str, *, escapes: bool) -> int:
    index = start + 1
    while index < len(body):
        char = body[index]
        if escapes and char == "\\":
            index += 2
            continue
        if char == quote:
            if body.startswith(quote * 2, index):
                index += 2
                continue
            return index + 1
        index += 1
    return -1


def _row_count(status: str) -> int:
    """The row count at the end of a command status such as 'UPDATE 3' or 'INSERT 0 1'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
