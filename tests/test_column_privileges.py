"""Least privilege down to columns: who may read each column, from the catalog and in practice.

``SECRET_COLUMNS`` is the one list of columns that hold credentials. The tests enumerate every
column of every table and view of the schema, so a later migration that adds a secret column,
grants a table with secrets as a whole, forgets to grant a new column, or passes a secret on
through a view or an audit trigger fails here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.system_config import ConfigEntry
from boursa_db.domain.users import RefreshToken, User
from boursa_db.errors import PermissionDenied
from boursa_db.unit_of_work import UnitOfWork
from tests.conftest import LoginFactory

GROUP_ROLES = ("boursa_owner", "boursa_app", "boursa_readonly")

SECRET_COLUMNS = frozenset(
    {
        ("users", "password_hash"),
        ("refresh_tokens", "token_hash"),
        # A setting marked is_secret keeps its secret here; privileges cannot tell rows apart.
        ("system_config", "value"),
    }
)
# Names that look like credentials but hold none.
LOOK_ALIKES = frozenset(
    {
        ("system_config", "is_secret"),
        ("audit_log", "row_key"),
        ("_yoyo_log", "migration_hash"),
        ("_yoyo_migration", "migration_hash"),
    }
)
CREDENTIAL_NAME = re.compile(
    r"pass|hash|token|secret|_key|apikey|salt|otp|mfa|credential|crypt|cipher|signature|nonce"
)
# yoyo's own bookkeeping: 0010_roles grants it to nobody.
BOOKKEEPING = frozenset({"_yoyo_log", "_yoyo_version", "yoyo_lock"})

TOKEN_HASH = "0123456789abcdef" * 4
SECRET_VALUE = "broker-api-key-s3cr3t"


async def _columns(connection: asyncpg.Connection) -> list[tuple[str, str]]:
    """Every (relation, column) of the tables and views of the schema."""
    rows = await connection.fetch(
        """
        SELECT c.relname, a.attname
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ORDER BY c.relname, a.attnum
        """
    )
    return [(row["relname"], row["attname"]) for row in rows]


def _may_select(role: str, table: str, column: str) -> bool:
    """The rule: the owner reads everything; the application everything but yoyo's
    bookkeeping; the read-only role that, less the secrets."""
    if role == "boursa_owner":
        return True
    if table in BOOKKEEPING:
        return False
    return role == "boursa_app" or (table, column) not in SECRET_COLUMNS


@pytest.fixture
async def secrets_stored(connection: asyncpg.Connection, user_id: uuid.UUID) -> None:
    """One row in each table with a secret column: Ada, her refresh token, a secret setting."""
    await connection.execute(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, $3)",
        user_id,
        TOKEN_HASH,
        datetime.now(UTC) + timedelta(days=30),
    )
    await connection.execute(
        "INSERT INTO system_config (key, value, is_secret) VALUES ('broker.api_key', $1, true)",
        SECRET_VALUE,
    )


@asynccontextmanager
async def _acting_as(connection: asyncpg.Connection, role: str) -> AsyncIterator[None]:
    await connection.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        await connection.execute("RESET ROLE")


# --- the list of secrets ----------------------------------------------------------------------


async def test_every_column_named_like_a_credential_is_listed_as_secret_or_as_a_look_alike(
    connection: asyncpg.Connection,
) -> None:
    columns = set(await _columns(connection))
    named_like_a_credential = {
        (table, column) for table, column in columns if CREDENTIAL_NAME.search(column)
    }

    assert named_like_a_credential - SECRET_COLUMNS - LOOK_ALIKES == set()
    assert columns >= SECRET_COLUMNS | LOOK_ALIKES


# --- privileges, from the catalog -------------------------------------------------------------


@pytest.mark.parametrize("role", GROUP_ROLES)
async def test_each_role_may_select_exactly_the_columns_the_rule_gives_it(
    connection: asyncpg.Connection, role: str
) -> None:
    rows = await connection.fetch(
        """
        SELECT c.relname, a.attname, has_column_privilege($1, c.oid, a.attnum, 'SELECT') AS may
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        """,
        role,
    )

    wrong = [
        f"{row['relname']}.{row['attname']}: {'may' if row['may'] else 'may not'} SELECT"
        for row in rows
        if row["may"] != _may_select(role, row["relname"], row["attname"])
    ]
    assert len(rows) > 100
    assert wrong == []


async def test_no_view_passes_a_secret_column_on_to_the_read_only_role(
    connection: asyncpg.Connection,
) -> None:
    """A view runs with its owner's privileges: one over a secret column would bypass them."""
    rows = await connection.fetch(
        """
        SELECT DISTINCT view.relname AS view, source.relname AS source_table,
               a.attname AS source_column
        FROM pg_rewrite AS rule
        JOIN pg_class AS view ON view.oid = rule.ev_class
        JOIN pg_depend AS d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rule.oid
                           AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
        JOIN pg_class AS source ON source.oid = d.refobjid AND source.oid <> view.oid
        JOIN pg_attribute AS a ON a.attrelid = source.oid AND a.attnum = d.refobjsubid
        WHERE has_table_privilege('boursa_readonly', view.oid, 'SELECT')
        """
    )

    assert [
        (row["view"], row["source_table"], row["source_column"])
        for row in rows
        if (row["source_table"], row["source_column"]) in SECRET_COLUMNS
    ] == []


async def test_every_audit_trigger_leaves_the_secret_columns_of_its_table_out(
    connection: asyncpg.Connection,
) -> None:
    """audit_log is readable by the read-only role; audit_row_change copies a row into it
    except the columns named after the key column in the trigger's arguments."""
    rows = await connection.fetch(
        """
        SELECT t.tgrelid::regclass::text AS table_name, t.tgname, t.tgnargs, t.tgargs
        FROM pg_trigger AS t
        WHERE t.tgfoid = 'audit_row_change'::regproc AND NOT t.tgisinternal
        """
    )

    leaks = []
    for row in rows:
        arguments = [argument.decode() for argument in row["tgargs"].split(b"\0")]
        hidden = set(arguments[1 : row["tgnargs"]])
        secrets = {column for table, column in SECRET_COLUMNS if table == row["table_name"]}
        leaks += [f"{row['tgname']} copies {column}" for column in secrets - hidden]
    assert {row["table_name"] for row in rows} >= {"users", "portfolios"}
    assert leaks == []


# --- privileges, in practice ------------------------------------------------------------------


EVERY_ROLE_AND_SECRET = [
    pytest.param(role, table, column, id=f"{role}-{table}.{column}")
    for role in GROUP_ROLES
    for table, column in sorted(SECRET_COLUMNS)
]


@pytest.mark.usefixtures("secrets_stored")
@pytest.mark.parametrize(("role", "table", "column"), EVERY_ROLE_AND_SECRET)
async def test_a_secret_column_is_read_by_the_owner_and_the_application_only(
    connection: asyncpg.Connection, role: str, table: str, column: str
) -> None:
    statement = f"SELECT {column}::text FROM {table}"

    async with _acting_as(connection, role):
        if role == "boursa_readonly":
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.fetch(statement)
        else:
            values = [row[0] for row in await connection.fetch(statement)]
            assert len(values) == 1
            assert values[0] in ("argon2id$x", TOKEN_HASH, f'"{SECRET_VALUE}"')


@pytest.mark.usefixtures("secrets_stored")
@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM users",
        "SELECT u FROM users AS u",
        "SELECT to_jsonb(u) FROM users AS u",
        "SELECT count(*) FROM users WHERE password_hash LIKE 'argon2id$%'",
        "SELECT email FROM users ORDER BY password_hash",
        "SELECT id FROM refresh_tokens WHERE token_hash = '0123456789abcdef0123456789abcdef'",
        "SELECT json_agg(t) FROM refresh_tokens AS t",
        "SELECT key FROM system_config WHERE value::text LIKE '%s3cr3t%'",
        "SELECT * FROM system_config",
    ],
    ids=[
        "star",
        "whole-row",
        "to-jsonb",
        "where-clause",
        "order-by",
        "token-probe",
        "json-agg",
        "setting-probe",
        "settings-star",
    ],
)
async def test_the_read_only_role_cannot_reach_a_secret_by_another_statement(
    connection: asyncpg.Connection, statement: str
) -> None:
    async with _acting_as(connection, "boursa_readonly"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.fetch(statement)


@pytest.mark.usefixtures("secrets_stored")
async def test_the_read_only_role_reads_every_column_but_the_secrets(
    connection: asyncpg.Connection,
) -> None:
    columns = await _columns(connection)
    readable: dict[str, list[str]] = {}
    for table, column in columns:
        if table not in BOOKKEEPING and (table, column) not in SECRET_COLUMNS:
            readable.setdefault(table, []).append(f'"{column}"')
    tables_with_secrets = sorted({table for table, _ in SECRET_COLUMNS})

    async with _acting_as(connection, "boursa_readonly"):
        for table, names in readable.items():
            await connection.fetch(f'SELECT {", ".join(names)} FROM "{table}" LIMIT 1')
        ada = await connection.fetchrow("SELECT email, username, role FROM users")
        setting = await connection.fetchrow("SELECT key, is_secret FROM system_config")
        tokens = await connection.fetchval("SELECT count(*) FROM refresh_tokens")
        for table in tables_with_secrets:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.fetch(f"SELECT * FROM {table}")

    assert len(readable) > 15
    assert tuple(ada) == ("ada@example.com", "ada", "viewer")
    assert tuple(setting) == ("broker.api_key", True)
    assert tokens == 1


async def test_the_statistics_of_a_secret_column_stay_hidden_from_the_read_only_role(
    connection: asyncpg.Connection,
) -> None:
    """pg_stats shows sampled values (histogram bounds) of the columns a role may read."""
    for number in range(20):
        await connection.execute(
            "INSERT INTO users (email, username, password_hash) VALUES ($1, $2, $3)",
            f"user{number}@example.com",
            f"user{number}",
            f"argon2id$hash-of-user-{number}",
        )
    await connection.execute("ANALYZE users")

    async with _acting_as(connection, "boursa_readonly"):
        visible = {
            row["attname"]
            for row in await connection.fetch(
                "SELECT attname FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'users'"
            )
        }

    assert "email" in visible
    assert "password_hash" not in visible


# --- through the library ----------------------------------------------------------------------


@asynccontextmanager
async def _context_of(login_as: LoginFactory, role: str) -> AsyncIterator[PersistenceContext]:
    async with create_persistence_context(await login_as(role), min_size=1, max_size=1) as context:
        yield context


async def test_only_the_application_role_loads_the_secrets_it_authenticates_with(
    login_as: LoginFactory,
) -> None:
    """The repositories load whole rows, secrets included: the application checks passwords,
    tokens and secret settings with them; the read-only role is refused the same calls."""
    now = datetime.now(UTC)
    async with _context_of(login_as, "boursa_app") as app, app.uow() as uow:
        user = await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash="argon2id$h")
        )
        await uow.refresh_tokens.save(
            RefreshToken(user_id=user.id, token_hash=TOKEN_HASH, expires_at=now + timedelta(1))
        )
        await uow.system_config.set(
            ConfigEntry(key="broker.api_key", value=SECRET_VALUE, is_secret=True)
        )
    loads: list[Callable[[UnitOfWork], Awaitable[object]]] = [
        lambda uow: uow.users.find_by_email("ada@example.com"),
        lambda uow: uow.users.list(),
        lambda uow: uow.refresh_tokens.find_by_token_hash(TOKEN_HASH),
        lambda uow: uow.refresh_tokens.find_active_for_user(user.id, now),
        lambda uow: uow.system_config.get("broker.api_key"),
        lambda uow: uow.system_config.list_all(),
    ]

    async with _context_of(login_as, "boursa_app") as app, app.uow() as uow:
        found = await uow.users.find_by_email("ada@example.com")
        token = await uow.refresh_tokens.find_by_token_hash(TOKEN_HASH)
        setting = await uow.system_config.get("broker.api_key")
    async with _context_of(login_as, "boursa_readonly") as readonly:
        for load in loads:
            with pytest.raises(PermissionDenied):
                async with readonly.uow() as uow:
                    await load(uow)
        async with readonly.uow() as uow:
            users = await uow.users.count()
            tokens = await uow.refresh_tokens.count_active_for_user(user.id, now)

    assert found == user
    assert token is not None
    assert token.user_id == user.id
    assert setting is not None
    assert setting.value == SECRET_VALUE
    assert (users, tokens) == (1, 1)
