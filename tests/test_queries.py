"""SQL files become async query functions; malformed files fail when loaded, with file and line."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest

from boursa_db.errors import QueryArgumentError, QueryFileError
from boursa_db.queries import Cardinality, default_library, load_queries, parse_query_file


def test_named_parameters_become_positional_in_order_of_first_use() -> None:
    (query,) = parse_query_file(
        "-- name: find_bars :many\n"
        "-- params: symbol, start\n"
        "-- Bars of one symbol.\n"
        "SELECT * FROM market_data WHERE symbol = :symbol AND time >= :start "
        "AND time < :start + interval '1 day' AND close::text <> ':not_a_parameter'\n",
        "bars.sql",
    )

    assert query.name == "find_bars"
    assert query.cardinality is Cardinality.MANY
    assert query.parameters == ("symbol", "start")
    assert query.doc == "Bars of one symbol."
    assert query.sql == (
        "SELECT * FROM market_data WHERE symbol = $1 AND time >= $2 "
        "AND time < $2 + interval '1 day' AND close::text <> ':not_a_parameter'"
    )


def test_parameters_inside_comments_quotes_and_dollar_quotes_are_left_alone() -> None:
    (query,) = parse_query_file(
        "-- name: q :scalar\n"
        "-- params: a\n"
        "SELECT :a, \":b\", E'\\':c', $$ :d $$, $tag$ :e $tag$ -- :f\n"
        "/* :g */\n",
        "q.sql",
    )
    assert query.parameters == ("a",)
    assert query.sql.startswith("SELECT $1, \":b\", E'\\':c', $$ :d $$, $tag$ :e $tag$ -- :f")


def test_a_copy_target_names_its_table_and_columns() -> None:
    (query,) = parse_query_file(
        "-- name: copy_bars :copy\n"
        "COPY market_data (time, symbol, close) FROM STDIN (FORMAT binary);\n",
        "copy.sql",
    )
    assert (query.copy_table, query.copy_columns) == ("market_data", ("time", "symbol", "close"))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("SELECT 1;\n", 1, "before any '-- name:' header"),
        ("-- just a comment\n", 1, "no query"),
        ("-- name: q\nSELECT 1;\n", 1, "unknown or missing result marker"),
        ("-- name: q :maybe\nSELECT 1;\n", 1, "unknown or missing result marker"),
        ("-- name: Bad-Name :one\nSELECT 1;\n", 1, "not a lower-case Python identifier"),
        ("-- name: a :one\nSELECT 1;\n\n-- name: b :one\n", 4, "has no SQL"),
        ("-- name: q :one\nSELECT :x;\n", 1, "uses :x, missing from '-- params:'"),
        ("-- name: q :one\n-- params: x, y\nSELECT :x;\n", 1, "declares y but never uses it"),
        ("-- name: q :one\n-- params: x, x\nSELECT :x;\n", 2, "declared twice"),
        ("-- name: q :one\nSELECT 'open;\n", 1, "unterminated ' quote"),
        ("-- name: q :copy\nSELECT 1;\n", 1, "must read 'COPY table (columns) FROM STDIN'"),
    ],
)
def test_malformed_files_fail_at_load_time_with_file_and_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(QueryFileError, match=re.escape(message)) as raised:
        parse_query_file(text, "broken.sql")
    assert raised.value.source == f"broken.sql:{line}"


def test_a_name_used_twice_across_files_fails_at_load_time(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("-- name: same :one\nSELECT 1;\n")
    (tmp_path / "b.sql").write_text("\n-- name: same :one\nSELECT 2;\n")
    with pytest.raises(QueryFileError, match=r"duplicate query name 'same' \(first at a.sql:1\)"):
        load_queries(tmp_path)


def test_the_library_s_own_sql_files_load() -> None:
    library = default_library()
    assert "find_latest_prices" in library
    assert library.find_latest_prices is library["find_latest_prices"]


async def test_calls_bind_keyword_arguments_and_check_them(connection: asyncpg.Connection) -> None:
    (query,) = parse_query_file(
        "-- name: add :scalar\n-- params: a, b\nSELECT :a::int + :b::int;", "x.sql"
    )

    assert await query(connection, a=2, b=3) == 5
    with pytest.raises(QueryArgumentError, match="missing b"):
        await query(connection, a=2)
    with pytest.raises(QueryArgumentError, match="unexpected c"):
        await query(connection, a=2, b=3, c=4)


async def test_each_cardinality_returns_its_shape(connection: asyncpg.Connection) -> None:
    one, many, scalar, execute = parse_query_file(
        "-- name: one :one\nSELECT 1 AS x WHERE false;\n"
        "-- name: many :many\nSELECT generate_series(1, 3) AS x;\n"
        "-- name: scalar :scalar\nSELECT 42;\n"
        "-- name: execute :execute\n"
        "CREATE TEMPORARY TABLE t AS SELECT generate_series(1, 7) AS x;\n",
        "shapes.sql",
    )
    assert await one(connection) is None
    assert [row["x"] for row in await many(connection)] == [1, 2, 3]
    assert await scalar(connection) == 42
    assert await execute(connection) == 7


async def test_statements_are_prepared_once_per_connection(connection: asyncpg.Connection) -> None:
    (query,) = parse_query_file("-- name: q :scalar\n-- params: a\nSELECT :a::int;", "x.sql")
    for value in range(5):
        await query(connection, a=value)
    prepared = await connection.fetchval(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", query.sql
    )
    assert prepared == 1
