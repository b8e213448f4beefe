"""The persistence context: settings, connection settings, startup checks, default context."""

from __future__ import annotations

import asyncio

import pytest

from boursa_db import context as context_module
from boursa_db.context import (
    PersistenceContext,
    create_persistence_context,
    get_market_data_repository,
    get_portfolio_repository,
    get_uow,
    get_user_repository,
)
from boursa_db.errors import ConfigurationError, PoolExhausted, QueryTimeout, SchemaMismatch
from boursa_db.migrations import migration_ids
from boursa_db.settings import PoolSettings, Secret


def test_the_seed_s_pool_defaults_are_twenty_plus_ten_overflow() -> None:
    settings = PoolSettings.resolve(environment={"DATABASE_URL": "postgresql://u@h/d"})
    assert (settings.min_size, settings.max_size) == (20, 30)


def test_pool_settings_come_from_the_environment() -> None:
    settings = PoolSettings.resolve(
        environment={
            "DATABASE_URL": "postgresql://u@h/d",
            "DB_POOL_SIZE": "5",
            "DB_MAX_OVERFLOW": "3",
            "DB_POOL_TIMEOUT": "2.5",
            "DB_STATEMENT_TIMEOUT": "7",
        }
    )
    assert (settings.min_size, settings.max_size) == (5, 8)
    assert (settings.acquire_timeout, settings.statement_timeout) == (2.5, 7.0)


def test_arguments_win_over_the_environment() -> None:
    settings = PoolSettings.resolve(
        "postgresql://a@h/d", min_size=2, max_size=3, environment={"DB_POOL_SIZE": "9"}
    )
    assert (settings.database_url, settings.min_size, settings.max_size) == (
        "postgresql://a@h/d",
        2,
        3,
    )


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"DATABASE_URL": "postgresql://u@h/d", "DB_POOL_SIZE": "many"},
        {"DATABASE_URL": "postgresql://u@h/d", "DB_POOL_SIZE": "5", "DB_MAX_OVERFLOW": "-10"},
    ],
)
def test_bad_settings_are_configuration_errors(environment: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError):
        PoolSettings.resolve(environment=environment)


def test_the_password_is_kept_apart_from_the_url_and_out_of_the_repr() -> None:
    settings = PoolSettings.resolve("postgresql://app:s3cret@db:5432/trading", environment={})
    assert settings.database_url == "postgresql://app@db:5432/trading"
    assert settings.password == Secret("s3cret")
    assert "s3cret" not in repr(settings)
    assert "password=Secret('***')" in repr(settings)


async def test_every_connection_runs_in_utc_without_jit_and_with_a_name(
    context: PersistenceContext,
) -> None:
    async with context.pool.acquire() as connection:
        assert await connection.fetchval("SHOW TimeZone") == "UTC"
        assert await connection.fetchval("SHOW jit") == "off"
        assert await connection.fetchval("SHOW application_name") == "boursa_db"
        assert await connection.fetchval("SHOW statement_timeout") == "30s"
        assert await connection.fetchval("SELECT '{\"a\": 1}'::jsonb") == {"a": 1}


async def test_the_context_reports_schema_version_and_timescaledb(
    context: PersistenceContext,
) -> None:
    assert context.schema_version == migration_ids()[-1]
    async with context.pool.acquire() as connection:
        installed = await connection.fetchval(
            "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"
        )
    assert context.timescaledb_version == installed
    assert context.has_timescaledb is (installed is not None)
    assert "PersistenceContext(" in repr(context)


async def test_a_database_without_the_schema_is_refused(empty_database_url: str) -> None:
    with pytest.raises(SchemaMismatch, match="0001_extensions"):
        async with create_persistence_context(empty_database_url, min_size=1, max_size=1):
            pass


async def test_an_unreachable_server_is_database_unavailable() -> None:
    from boursa_db.errors import DatabaseUnavailable

    with pytest.raises(DatabaseUnavailable):
        async with create_persistence_context(
            "postgresql://nobody@127.0.0.1:1/none", min_size=1, max_size=1
        ):
            pass


async def test_the_newest_open_context_is_the_default(database_url: str) -> None:
    with pytest.raises(ConfigurationError):
        get_uow()
    async with create_persistence_context(database_url, min_size=1, max_size=2) as outer:
        assert context_module.current_context() is outer
        async with create_persistence_context(database_url, min_size=1, max_size=2) as inner:
            assert context_module.current_context() is inner
            async with get_uow() as uow:
                assert await uow.connection.fetchval("SELECT 1") == 1
            assert await get_user_repository().find_by_email("nobody@example.com") is None
            assert get_portfolio_repository() is not None
            assert await get_market_data_repository().find_latest_prices(["AAPL"]) == {}
        assert context_module.current_context() is outer
    with pytest.raises(ConfigurationError):
        context_module.current_context()


async def test_an_exhausted_pool_times_out_with_a_clear_error(database_url: str) -> None:
    async with (
        create_persistence_context(
            database_url, min_size=1, max_size=1, acquire_timeout=0.2
        ) as context,
        context.uow(),
    ):
        with pytest.raises(PoolExhausted, match=r"within 0\.2 s"):
            async with context.uow():
                pass


async def test_a_statement_timeout_is_a_typed_error_and_the_connection_stays_usable(
    database_url: str,
) -> None:
    async with create_persistence_context(
        database_url, min_size=1, max_size=1, statement_timeout=0.1
    ) as context:
        with pytest.raises(QueryTimeout):
            async with context.uow() as uow:
                await uow.connection.execute("SELECT pg_sleep(5)")
        async with context.uow() as uow:
            assert await uow.connection.fetchval("SELECT 1") == 1


async def test_contexts_can_run_concurrently(database_url: str) -> None:
    async def work() -> int:
        async with (
            create_persistence_context(database_url, min_size=1, max_size=2) as context,
            context.uow() as uow,
        ):
            return int(await uow.connection.fetchval("SELECT 41 + 1"))

    assert await asyncio.gather(work(), work()) == [42, 42]
