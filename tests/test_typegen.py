"""The query types are generated from the database, checked in, and type-check real code."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import asyncpg
import pytest

from boursa_db.__main__ import main
from boursa_db.errors import SchemaMismatch
from boursa_db.queries import Cardinality, QueryLibrary, default_library, load_queries
from boursa_db.query_types import typed_library
from boursa_db.typegen import (
    REGENERATE_COMMAND,
    Column,
    QueryTypes,
    TypegenError,
    describe_queries,
    generate,
    render_module,
    run_typegen,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]

SAMPLE_SCHEMA = """
CREATE DOMAIN sample_level AS integer CHECK (VALUE > 0);
CREATE TYPE sample_mood AS ENUM ('calm', 'busy');
CREATE TABLE sample (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label    text NOT NULL,
    code     varchar(10),
    flag     boolean NOT NULL DEFAULT false,
    small    smallint NOT NULL DEFAULT 0,
    medium   integer,
    large    bigint NOT NULL DEFAULT 0,
    ratio    real,
    price    double precision NOT NULL DEFAULT 1,
    amount   numeric(24, 4) NOT NULL DEFAULT 0,
    at       timestamptz NOT NULL DEFAULT now(),
    day      date,
    span     interval,
    document jsonb NOT NULL DEFAULT '{}',
    raw      json,
    address  inet,
    tags     text[] NOT NULL DEFAULT '{}',
    counts   integer[],
    level    sample_level,
    mood     sample_mood,
    shape    point
);
CREATE TABLE sample_note (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sample_id uuid NOT NULL REFERENCES sample (id),
    body      text NOT NULL
);
CREATE VIEW sample_labels AS SELECT id, label FROM sample;
"""

SAMPLE_SQL = """\
-- name: sample_find :one
-- params: id
-- One sample by "id", with a \\backslash and ''quotes'' in its documentation.
SELECT * FROM sample WHERE id = :id;

-- name: sample_list :many
-- params: tags, min_amount, since
SELECT id, label, amount, tags FROM sample
WHERE tags && :tags AND amount >= :min_amount AND at >= :since
ORDER BY label;

-- name: sample_count :scalar
SELECT count(*) FROM sample;

-- name: sample_count_vouched :scalar
-- not null: count
SELECT count(*) FROM sample;

-- name: sample_delete :execute
-- params: id
DELETE FROM sample WHERE id = :id;

-- name: sample_with_notes :many
SELECT s.id, s.label, n.body FROM sample AS s LEFT JOIN sample_note AS n ON n.sample_id = s.id;

-- name: sample_computed :one
-- not null: upper_label
SELECT label, upper(label) AS upper_label, length(label) AS size FROM sample LIMIT 1;

-- name: sample_union :many
SELECT label FROM sample UNION ALL SELECT body FROM sample_note;

-- name: sample_view :many
SELECT id, label FROM sample_labels;

-- name: sample_inserted :one
-- params: label
INSERT INTO sample (label) VALUES (:label) RETURNING id, label, code;

-- name: sample_renamed :one
-- params: id, label
UPDATE sample SET label = :label WHERE id = :id RETURNING id, label, code;

-- name: sample_buckets :many
-- TimescaleDB only: time_bucket exists nowhere else.
SELECT time_bucket('1 day', at) AS bucket FROM sample;

-- name: sample_copy_staging :copy
COPY sample_staging (label, code, amount, tags) FROM STDIN (FORMAT binary);

-- name: sample_move_staging :execute
INSERT INTO sample (label, code, amount, tags) SELECT label, code, amount, tags FROM sample_staging;

-- name: sample_create_staging :execute
CREATE TEMPORARY TABLE IF NOT EXISTS sample_staging (LIKE sample) ON COMMIT DROP;
"""


async def create_sample_schema(connection: asyncpg.Connection) -> None:
    await connection.execute(SAMPLE_SCHEMA)


def write_library(folder: Path, **files: str) -> QueryLibrary:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.sql").write_text(textwrap.dedent(text))
    return load_queries(folder)


def types_by_name(described: list[QueryTypes]) -> dict[str, QueryTypes]:
    return {item.query.name: item for item in described}


def annotations(columns: tuple[Column, ...]) -> dict[str, str]:
    return {column.name: column.annotation for column in columns}


@pytest.fixture
async def sample_types(
    connection: asyncpg.Connection, database_url: str, tmp_path: Path
) -> dict[str, QueryTypes]:
    await create_sample_schema(connection)
    library = write_library(tmp_path / "sql", sample=SAMPLE_SQL)
    return types_by_name(describe_queries(database_url, library))


# --- the checked-in file ---------------------------------------------------------------------


def test_the_checked_in_query_types_are_current(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["typegen", "--database-url", database_url, "--check"])

    output = capsys.readouterr()
    assert status == 0, (
        f"boursa_db/query_types.py is stale: run '{REGENERATE_COMMAND}' and commit the result\n"
        + output.out
    )


def test_the_command_without_a_url_types_the_queries_on_an_embedded_server() -> None:
    assert run_typegen(None, check=True) == 0


def test_the_typed_library_is_the_query_library_itself() -> None:
    assert typed_library() is default_library()


async def test_the_typed_library_runs_queries_like_the_plain_one(
    connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await create_sample_schema(connection)
    library = write_library(tmp_path, sample=SAMPLE_SQL)
    queries = typed_library(library)

    inserted = await queries.sample_inserted(connection, label="first")

    assert isinstance(inserted, asyncpg.Record)
    assert inserted["label"] == "first"


# --- the check and the files -----------------------------------------------------------------


def test_check_prints_the_diff_and_fails_when_the_file_is_stale(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "query_types.py"
    output.write_text("stale\n")

    status = run_typegen(database_url, check=True, output=output)

    printed = capsys.readouterr()
    assert status == 1
    assert "--- query_types.py (on disk)" in printed.out
    assert "-stale" in printed.out
    assert REGENERATE_COMMAND in printed.err
    assert output.read_text() == "stale\n"


def test_generating_writes_the_file_that_check_then_accepts(
    database_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "query_types.py"

    assert run_typegen(database_url, check=False, output=output) == 0

    assert output.read_text().startswith('"""Static types of the queries')
    assert run_typegen(database_url, check=True, output=output) == 0


def test_a_database_with_pending_migrations_is_refused(empty_database_url: str) -> None:
    with pytest.raises(SchemaMismatch, match="lacks the migrations 0001_extensions"):
        run_typegen(empty_database_url, check=True)


# --- types -----------------------------------------------------------------------------------


def test_column_types_follow_the_postgresql_types(sample_types: dict[str, QueryTypes]) -> None:
    find = sample_types["sample_find"]

    assert annotations(find.columns) == {
        "id": "UUID",
        "label": "str",
        "code": "str | None",
        "flag": "bool",
        "small": "int",
        "medium": "int | None",
        "large": "int",
        "ratio": "float | None",
        "price": "float",
        "amount": "Decimal",
        "at": "datetime",
        "day": "date | None",
        "span": "timedelta | None",
        "document": "Any",
        "raw": "Any",
        "address": "IPv4Address | IPv6Address | None",
        "tags": "list[str]",
        "counts": "list[int] | None",
        "level": "int | None",
        "mood": "str | None",
        "shape": "Any",
    }
    assert annotations(find.parameters) == {"id": "UUID | None"}


def test_parameters_accept_what_asyncpg_encodes(sample_types: dict[str, QueryTypes]) -> None:
    assert annotations(sample_types["sample_list"].parameters) == {
        "tags": "Sequence[str] | None",
        "min_amount": "Decimal | None",
        "since": "datetime | None",
    }


def test_not_null_table_columns_are_not_optional_even_when_returned_by_an_insert(
    sample_types: dict[str, QueryTypes],
) -> None:
    assert annotations(sample_types["sample_inserted"].columns) == {
        "id": "UUID",
        "label": "str",
        "code": "str | None",
    }


def test_outer_joins_computed_columns_unions_and_views_may_be_null(
    sample_types: dict[str, QueryTypes],
) -> None:
    assert annotations(sample_types["sample_with_notes"].columns) == {
        "id": "UUID | None",
        "label": "str | None",
        "body": "str | None",
    }
    assert annotations(sample_types["sample_union"].columns) == {"label": "str | None"}
    assert annotations(sample_types["sample_view"].columns) == {
        "id": "UUID | None",
        "label": "str | None",
    }
    assert annotations(sample_types["sample_computed"].columns)["size"] == "int | None"


def test_a_not_null_header_line_vouches_for_computed_columns(
    sample_types: dict[str, QueryTypes],
) -> None:
    assert annotations(sample_types["sample_computed"].columns) == {
        "label": "str",
        "upper_label": "str",
        "size": "int | None",
    }


def test_a_staging_table_made_by_another_query_types_the_copy_and_the_statements_using_it(
    sample_types: dict[str, QueryTypes],
) -> None:
    copy = sample_types["sample_copy_staging"]

    assert sample_types["sample_move_staging"].query.cardinality is Cardinality.EXECUTE
    assert copy.query.cardinality is Cardinality.COPY
    assert [column.annotation for column in copy.columns] == [
        "str",
        "str | None",
        "Decimal",
        "Sequence[str]",
    ]


def test_queries_that_need_timescaledb_are_typed_loosely_on_every_server(
    sample_types: dict[str, QueryTypes],
) -> None:
    buckets = sample_types["sample_buckets"]

    assert buckets.needs_timescaledb
    assert buckets.columns == ()


@pytest.mark.timescaledb
async def test_a_mistake_in_a_timescaledb_query_is_reported_where_timescaledb_runs(
    database_url: str, tmp_path: Path
) -> None:
    library = write_library(
        tmp_path, tsdb="-- name: chunks :many\nSELECT show_chunks('no_such_table');\n"
    )

    with pytest.raises(TypegenError, match=r"tsdb.sql:1: chunks: .*no_such_table"):
        describe_queries(database_url, library)


# --- failures --------------------------------------------------------------------------------


async def test_statements_that_do_not_prepare_are_all_reported_with_file_and_line(
    database_url: str, tmp_path: Path
) -> None:
    library = write_library(
        tmp_path,
        broken="""\
        -- name: fine :scalar
        SELECT 1;

        -- name: missing_table :many
        -- params: id
        SELECT *
        FROM no_such_table WHERE id = :id;

        -- name: bad_syntax :execute
        UPDATE SET;
        """,
    )

    with pytest.raises(TypegenError) as raised:
        describe_queries(database_url, library)

    message = str(raised.value)
    assert re.search(
        r"broken.sql:4: missing_table: relation \"no_such_table\" does not exist "
        r"\(SQLSTATE 42P01, line 2 of the statement\)",
        message,
    )
    assert "broken.sql:9: bad_syntax: syntax error" in message
    assert "broken.sql:1" not in message


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "-- name: copy_it :copy\nCOPY sample (label, nope) FROM STDIN (FORMAT binary);\n",
            "bad.sql:1: copy_it: sample has no column nope",
        ),
        (
            "-- name: copy_it :copy\nCOPY nowhere (label) FROM STDIN (FORMAT binary);\n",
            "bad.sql:1: copy_it: no table nowhere",
        ),
        (
            "-- name: nothing :one\n-- params: id\nDELETE FROM sample WHERE id = :id;\n",
            "bad.sql:1: nothing is :one but returns no column",
        ),
        (
            "-- name: vouch :one\n-- not null: nope\nSELECT label FROM sample;\n",
            "bad.sql:1: vouch has no column nope (not null:)",
        ),
    ],
)
async def test_queries_whose_types_make_no_sense_are_refused(
    connection: asyncpg.Connection, database_url: str, tmp_path: Path, sql: str, message: str
) -> None:
    await create_sample_schema(connection)
    library = write_library(tmp_path, bad=sql)

    with pytest.raises(TypegenError, match=re.escape(message)):
        describe_queries(database_url, library)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("-- name: q :scalar\n-- params: from\nSELECT :from::int;\n", "parameter :from of q"),
        ("-- name: q :scalar\n-- params: connection\nSELECT :connection::int;\n", ":connection"),
        ("-- name: datetime :scalar\nSELECT 1;\n", "the query name datetime is taken"),
        (
            "-- name: q_1 :scalar\nSELECT 1;\n-- name: q1 :scalar\nSELECT 1;\n",
            "names.sql:1: q_1 and q1 both make the classes Q1Query",
        ),
    ],
)
def test_names_that_do_not_fit_python_are_refused(tmp_path: Path, sql: str, message: str) -> None:
    library = write_library(tmp_path, names=sql)
    described = [
        QueryTypes(
            query,
            tuple(Column(name, "int", nullable=True) for name in query.parameters),
            (Column("result", "int", nullable=False),),
        )
        for query in library.values()
    ]

    with pytest.raises(TypegenError, match=re.escape(message)):
        render_module(described)


# --- the generated code ----------------------------------------------------------------------


def long_names_sql() -> str:
    """SQL that forces every layout: wrapped signatures and docstrings, a record alias first."""
    long_column = "a_column_name_long_enough_to_push_a_getitem_signature_past_the_line_limit_x"
    long_doc = "A long line of documentation, " * 6
    return f"""\
    -- name: sample_query_with_a_rather_long_name_to_exercise_the_layout_of_attributes :one
    -- params: label, code, amount, tags, since
    -- {long_doc}
    SELECT label AS {long_column}, label AS other FROM sample
    WHERE label = :label AND code = :code AND amount = :amount AND tags = :tags AND at > :since;

    -- name: sample_single :one
    SELECT label AS {long_column} FROM sample LIMIT 1;

    -- name: sample_aa_copy :copy
    COPY sample (label, code) FROM STDIN (FORMAT binary);
    """


@pytest.fixture
async def generated_sample(
    connection: asyncpg.Connection, database_url: str, tmp_path: Path
) -> Path:
    """A module generated from the sample SQL, written next to nothing else."""
    await create_sample_schema(connection)
    library = write_library(tmp_path / "sql", sample=SAMPLE_SQL, long=long_names_sql())
    module = tmp_path / "sample_types.py"
    module.write_text(generate(database_url, library))
    return module


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
    )


def test_the_generated_module_is_ruff_clean_as_written(generated_sample: Path) -> None:
    config = str(PROJECT_ROOT / "pyproject.toml")

    formatted = run_tool(
        "ruff", "format", "--check", "--diff", "--config", config, str(generated_sample)
    )
    linted = run_tool("ruff", "check", "--config", config, str(generated_sample))

    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    assert linted.returncode == 0, linted.stdout + linted.stderr


USAGE = """\
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import uuid4

from boursa_db.queries import Query, QueryLibrary
from sample_types import typed_library

if TYPE_CHECKING:
    from boursa_db.connection import Connection
    from sample_types import SampleFindRow


async def correct(connection: Connection, library: QueryLibrary) -> None:
    queries = typed_library(library)
    row = await queries.sample_find(connection, id=uuid4())
    if row is not None:
        label: str = row["label"]
        code: str | None = row["code"]
        amount: Decimal = row["amount"]
        tags: list[str] = row["tags"]
        found: SampleFindRow = row
    rows = await queries.sample_list(
        connection, tags=["a"], min_amount=Decimal("1.5"), since=datetime.now(UTC)
    )
    labels: list[str] = [item["label"] for item in rows]
    deleted: int = await queries.sample_delete(connection, id=None)
    counted: int | None = await queries.sample_count(connection)
    vouched: int = await queries.sample_count_vouched(connection)
    copied: int = await queries.sample_copy_staging.copy(
        connection, [("label", None, Decimal(1), ["tag"])]
    )
    query: Query = queries.sample_find
    stored = await queries.sample_inserted(connection, label="new")
    stored = await queries.sample_renamed(connection, id=uuid4(), label="renamed")
    loose = await queries.sample_buckets(connection)
    anything: object = loose[0]["whatever"]


async def wrong(connection: Connection, library: QueryLibrary) -> None:
    queries = typed_library(library)
    row = await queries.sample_find(connection, id=uuid4())
    row["label"]  # E: index
    if row is not None:
        row["no_such_column"]  # E: call-overload
        number: int = row["label"]  # E: assignment
        code: str = row["code"]  # E: assignment
    await queries.sample_find(connection, id="not-a-uuid")  # E: arg-type
    await queries.sample_find(connection)  # E: call-arg
    await queries.sample_find(connection, id=None, extra=1)  # E: call-arg
    await queries.sample_list(connection, tags=["a"], min_amount=1.5, since=None)  # E: arg-type
    await queries.sample_copy_staging.copy(connection, [("x", None, 1.5, [])])  # E: list-item
    await queries.no_such_query(connection)  # E: attr-defined
    counted: int = await queries.sample_count(connection)  # E: assignment
"""


def test_mypy_accepts_correct_calls_and_reports_each_mistake(
    generated_sample: Path, tmp_path: Path
) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)
    expected = {
        (number, line.rsplit("# E: ", 1)[1])
        for number, line in enumerate(USAGE.splitlines(), start=1)
        if "# E: " in line
    }

    checked = run_tool(
        "mypy",
        "--config-file",
        str(PROJECT_ROOT / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "mypy_cache"),
        str(generated_sample),
        str(usage),
    )

    reported = {
        (int(match["line"]), match["code"])
        for match in re.finditer(
            r"usage\.py:(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$",
            checked.stdout,
            re.MULTILINE,
        )
    }
    assert reported == expected, checked.stdout
    assert "sample_types.py" not in checked.stdout, checked.stdout
