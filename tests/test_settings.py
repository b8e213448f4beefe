"""Settings are checked before anything reaches the server: no injected startup parameters,
no deadline that silently means "no deadline", no pool size that is not a count; and the
password is split off the URL, however it is written, into a Secret nothing shows."""

from __future__ import annotations

import copy
import math
import pickle
from typing import Any

import attrs
import pytest

from boursa_db.context import create_persistence_context
from boursa_db.errors import ConfigurationError
from boursa_db.settings import PoolSettings
from boursa_db.urls import redact_url, split_password
from tests.conftest import LoginFactory

URL = "postgresql://app@db:5432/trading"
CONTROL_CHARACTERS = ["\0", "\n", "\r", "\t", "\x1b", "\x7f", "\x85"]
INJECTION = "x\0user\0postgres"


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=repr)
def test_an_application_name_with_a_control_character_is_refused(character: str) -> None:
    value = f"reporting{character}job"

    with pytest.raises(ConfigurationError, match="application_name") as refused:
        PoolSettings.resolve(URL, application_name=value, environment={})

    assert value not in str(refused.value)


def test_an_application_name_from_the_environment_is_checked_too() -> None:
    environment = {"DATABASE_URL": URL, "DB_APPLICATION_NAME": INJECTION}

    with pytest.raises(ConfigurationError, match="DB_APPLICATION_NAME") as refused:
        PoolSettings.resolve(environment=environment)

    assert "postgres" not in str(refused.value).replace("DB_", "")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app%00user%00postgres@db/trading",
        "postgresql://app@db/trading%00user%00postgres",
        "postgresql://app@db/trading?search_path=x%00user%00postgres",
        "postgresql://app@db/trading?x%00user%00postgres=on",
        "postgresql://app@db/trading?replication=database",
        "user=app host=db dbname='trading\0user\0postgres'",
    ],
    ids=["user", "database", "parameter-value", "parameter-name", "replication", "keywords"],
)
def test_a_url_that_would_inject_startup_parameters_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="database URL") as refused:
        PoolSettings.resolve(url, environment={})

    assert "postgres" not in str(refused.value).replace("postgresql", "")


async def test_an_injected_application_name_cannot_switch_the_session_user(
    login_as: LoginFactory,
) -> None:
    """On the landed code this connected as the superuser ``postgres``."""
    url = await login_as("boursa_readonly")

    with pytest.raises(ConfigurationError, match="application_name"):
        async with (
            create_persistence_context(
                url, min_size=1, max_size=1, check_schema=False, application_name=INJECTION
            ) as context,
            context.pool.acquire() as connection,
        ):
            pytest.fail(f"connected as {await connection.fetchval('SELECT session_user')}")


async def test_a_plain_application_name_still_names_the_session(login_as: LoginFactory) -> None:
    url = await login_as("boursa_readonly")

    async with (
        create_persistence_context(
            url, min_size=1, max_size=1, check_schema=False, application_name="reporting job"
        ) as context,
        context.pool.acquire() as connection,
    ):
        row = await connection.fetchrow("SELECT session_user, current_setting('application_name')")

    assert row is not None
    assert tuple(row) == (url.split("//")[1].split(":")[0], "reporting job")


@pytest.mark.parametrize(
    "server_settings",
    [
        {"search_path": INJECTION},
        {"search\0path": "public"},
        {"user": "postgres"},
        {"database": "postgres"},
        {"replication": "database"},
        {"application_name": "other"},
        {"statement_timeout": "0"},
        {"TimeZone": "America/New_York"},
        {"search_path": 5},
    ],
    ids=[
        "value",
        "name",
        "user",
        "database",
        "replication",
        "application_name",
        "statement_timeout",
        "timezone",
        "not-text",
    ],
)
async def test_server_settings_beyond_session_settings_are_refused(
    login_as: LoginFactory, server_settings: dict[str, Any]
) -> None:
    url = await login_as("boursa_readonly")

    with pytest.raises(ConfigurationError, match="server_settings") as refused:
        async with (
            create_persistence_context(
                url, min_size=1, max_size=1, check_schema=False, server_settings=server_settings
            ) as context,
            context.pool.acquire() as connection,
        ):
            pytest.fail(f"connected as {await connection.fetchval('SELECT session_user')}")

    assert "postgres" not in str(refused.value).replace("postgresql", "")


async def test_other_server_settings_still_reach_the_session(login_as: LoginFactory) -> None:
    url = await login_as("boursa_readonly")

    async with (
        create_persistence_context(
            url,
            min_size=1,
            max_size=1,
            check_schema=False,
            server_settings={"search_path": "pg_catalog, public"},
        ) as context,
        context.pool.acquire() as connection,
    ):
        assert await connection.fetchval("SHOW search_path") == "pg_catalog, public"


TIMEOUTS = {
    "statement_timeout": "DB_STATEMENT_TIMEOUT",
    "acquire_timeout": "DB_POOL_TIMEOUT",
    "connect_timeout": "DB_CONNECT_TIMEOUT",
    "command_timeout": "DB_COMMAND_TIMEOUT",
}
BAD_SECONDS = [math.inf, -math.inf, math.nan, -1.0, 0.0, 0]


@pytest.mark.parametrize("name", TIMEOUTS)
@pytest.mark.parametrize("value", BAD_SECONDS, ids=repr)
def test_a_timeout_argument_that_is_not_a_positive_finite_number_is_refused(
    name: str, value: float
) -> None:
    with pytest.raises(ConfigurationError, match=name):
        PoolSettings.resolve(URL, environment={}, **{name: value})


@pytest.mark.parametrize("name", TIMEOUTS)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "-1", "0", "0.0", "1e400"])
def test_a_timeout_variable_that_is_not_a_positive_finite_number_is_refused(
    name: str, value: str
) -> None:
    with pytest.raises(ConfigurationError, match=TIMEOUTS[name]):
        PoolSettings.resolve(URL, environment={TIMEOUTS[name]: value})


@pytest.mark.parametrize("name", TIMEOUTS)
@pytest.mark.parametrize("value", [True, "5", b"5"], ids=repr)
def test_a_timeout_that_is_not_a_number_is_refused(name: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=name):
        PoolSettings.resolve(URL, environment={}, **{name: value})


@pytest.mark.parametrize("seconds", [0.0009, 0.0001, 1e-9])
def test_a_statement_timeout_below_one_millisecond_is_refused_not_turned_off(
    seconds: float,
) -> None:
    with pytest.raises(ConfigurationError, match=r"statement_timeout.*1 ms"):
        PoolSettings.resolve(URL, statement_timeout=seconds, environment={})
    with pytest.raises(ConfigurationError, match="DB_STATEMENT_TIMEOUT"):
        PoolSettings.resolve(URL, environment={"DB_STATEMENT_TIMEOUT": str(seconds)})


def test_a_statement_timeout_beyond_what_postgresql_accepts_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="statement_timeout"):
        PoolSettings.resolve(URL, statement_timeout=2**31 / 1000, environment={})


@pytest.mark.parametrize(
    ("seconds", "milliseconds"), [(0.001, "1"), (0.0016, "2"), (0.25, "250"), (30, "30000")]
)
def test_the_statement_timeout_reaches_the_server_in_whole_milliseconds(
    seconds: float, milliseconds: str
) -> None:
    settings = PoolSettings.resolve(URL, statement_timeout=seconds, environment={})

    assert settings.server_settings()["statement_timeout"] == milliseconds


@pytest.mark.parametrize(
    "sizes",
    [
        {"min_size": True, "max_size": 2},
        {"min_size": 1, "max_size": True},
        {"min_size": -1, "max_size": 2},
        {"min_size": 1, "max_size": -2},
        {"min_size": 1.5, "max_size": 2},
        {"min_size": 1, "max_size": 2.0},
        {"min_size": 3, "max_size": 2},
        {"min_size": 0, "max_size": 0},
    ],
    ids=repr,
)
def test_a_pool_size_that_is_not_a_count_is_refused(sizes: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match="size"):
        PoolSettings.resolve(URL, environment={}, **sizes)


@pytest.mark.parametrize(
    "environment",
    [{"DB_POOL_SIZE": "-1"}, {"DB_POOL_SIZE": "true"}, {"DB_MAX_OVERFLOW": "-1"}],
    ids=repr,
)
def test_a_pool_size_variable_that_is_not_a_count_is_refused(environment: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="DB_"):
        PoolSettings.resolve(URL, environment=environment)


@pytest.mark.parametrize(
    ("url", "redacted", "stripped", "password"),
    [
        (
            "postgresql://app:p@ss/w?rd#x@db:5432/trading",
            "postgresql://app:***@db:5432/trading",
            "postgresql://app@db:5432/trading",
            "p@ss/w?rd#x",
        ),
        (
            "postgresql://app:p%40ss%2Fw%3Frd%23x@db/trading",
            "postgresql://app:***@db/trading",
            "postgresql://app@db/trading",
            "p@ss/w?rd#x",
        ),
        (
            "postgresql://app@db/trading?sslmode=require&password=s3cret",
            "postgresql://app@db/trading?sslmode=require&password=***",
            "postgresql://app@db/trading?sslmode=require",
            "s3cret",
        ),
        (
            "postgresql://app@db/trading?sslcert=/home/me@corp/client.crt",
            "postgresql://app@db/trading?sslcert=/home/me%40corp/client.crt",
            "postgresql://app@db/trading?sslcert=/home/me@corp/client.crt",
            None,
        ),
        (
            "postgresql://app@db/trading?sslpassword=k3y",
            "postgresql://app@db/trading?sslpassword=***",
            "postgresql://app@db/trading?sslpassword=k3y",
            None,
        ),
        (
            "host=db user=app password=s3cret dbname=trading",
            "host=db user=app password=*** dbname=trading",
            "postgresql://?host=db&user=app&dbname=trading",
            "s3cret",
        ),
        (
            r"host=db password='a b\'c' user=app",
            "host=db password=*** user=app",
            "postgresql://?host=db&user=app",
            "a b'c",
        ),
        (
            "dbname = trading password = s3cret",
            "dbname = trading password = ***",
            "postgresql://?dbname=trading",
            "s3cret",
        ),
    ],
    ids=[
        "unencoded",
        "encoded",
        "in-the-query",
        "at-sign-in-a-query-value",
        "key-passphrase",
        "keywords",
        "keywords-quoted",
        "keywords-spaced",
    ],
)
def test_a_password_is_masked_and_split_off_however_it_is_written(
    url: str, redacted: str, stripped: str, password: str | None
) -> None:
    assert redact_url(url) == redacted
    assert split_password(url) == (stripped, password)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app:p%40ss%2Fw%3Frd%23x@db/trading",
        "postgresql://app:p@ss/w?rd#x@db/trading",
        "postgresql://app@db/trading?password=p%40ss%2Fw%3Frd%23x",
        r"host=db user=app password='p@ss/w?rd#x' dbname=trading",
    ],
    ids=["encoded", "unencoded", "in-the-query", "keywords"],
)
def test_resolved_settings_hold_the_password_only_in_a_secret(url: str) -> None:
    settings = PoolSettings.resolve(url, environment={})

    shown = [
        repr(settings),
        str(settings),
        repr(attrs.asdict(settings)),
        settings.database_url,
        pickle.dumps(settings).decode("latin-1"),
        repr(copy.deepcopy(settings)),
    ]

    assert settings.password is not None
    assert settings.password.reveal() == "p@ss/w?rd#x"
    for text in shown:
        assert "p@ss/w?rd#x" not in text
        assert "w?rd" not in text
        assert "p%40ss" not in text


def test_pickled_settings_arrive_without_the_password() -> None:
    settings = PoolSettings.resolve("postgresql://app:s3cret@db/trading", environment={})

    arrived = pickle.loads(pickle.dumps(settings))

    assert arrived.database_url == settings.database_url == "postgresql://app@db/trading"
    assert arrived.password is not None
    with pytest.raises(ConfigurationError, match="pickled"):
        arrived.password.reveal()


def test_settings_cannot_be_built_around_a_url_that_holds_a_password() -> None:
    with pytest.raises(ConfigurationError, match="without its password") as refused:
        PoolSettings(database_url="postgresql://app:s3cret@db/trading")

    assert "s3cret" not in f"{refused.value} {refused.value!r}"
