"""Passwords in database URLs never show: not in errors (nor their causes), reprs or logs.

Password checks need a server that asks for passwords: this module starts its own, with
scram-sha-256 for every role but the administrator.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import asyncpg
import attrs
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.users import RefreshToken, User
from boursa_db.embedded import EmbeddedPostgres, start_embedded_postgres
from boursa_db.errors import (
    BoursaDbError,
    ConfigurationError,
    DatabaseError,
    DatabaseUnavailable,
    Duplicate,
    PermissionDenied,
    ValidationError,
)
from boursa_db.urls import redact_url, split_password
from tests.conftest import url_for_user

PASSWORD = "Sup3r-S3cret/p@ss:w0rd"
WRONG_PASSWORD = "Wr0ng-Gu3ss-0f-The-Pa55"
SECRET_ROLE = "secret_app"
# Every delimiter of a URL and of a keyword DSN, unencoded, between pieces that are easy to spot.
TRICKY_PASSWORD = "Xq7v@Kp2w/Zr9m?Lt4n#Hb6c:Jd3f 'Wy8g' \\Ns5k"


def _forms(secret: str) -> list[str]:
    """The secret as written and as percent-encoded in a URL."""
    return [secret, quote(secret, safe="")]


def _everything_said(error: BaseException) -> str:
    """The text of an error and of every error chained to it, as str and as repr."""
    said = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        said += [str(current), repr(current), repr(getattr(current, "args", ()))]
        current = current.__cause__ or current.__context__
    return "\n".join(said)


def _assert_secret_absent(secret: str, *texts: str) -> None:
    """Neither the secret nor a piece of it between URL delimiters (a misparsed URL shows one)."""
    pieces = [piece for piece in re.split(r"[/?#@: ]", secret) if len(piece) >= 4]
    for text in texts:
        for form in [*_forms(secret), *pieces]:
            assert form not in text


@pytest.fixture(scope="module")
def password_server() -> Iterator[EmbeddedPostgres]:
    hba = ["local all postgres trust", "local all all scram-sha-256"]
    with start_embedded_postgres(hba=hba) as server:
        yield server


@contextlib.asynccontextmanager
async def _login_role(server: EmbeddedPostgres, role: str, password: str) -> AsyncIterator[None]:
    """A login role with that password on the password server, dropped afterwards."""
    admin = await asyncpg.connect(server.url)
    try:
        literal = password.replace("'", "''")
        await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{literal}'")
        yield
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role
        )
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.close()


@pytest.fixture
async def secret_url(password_server: EmbeddedPostgres) -> AsyncIterator[str]:
    """The URL of a role whose password is PASSWORD, on the password server."""
    async with _login_role(password_server, SECRET_ROLE, PASSWORD):
        yield url_for_user(password_server.url, SECRET_ROLE, PASSWORD)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


async def _failure(url: str, **options: object) -> BoursaDbError:
    with pytest.raises(BoursaDbError) as raised:
        async with create_persistence_context(
            url, min_size=1, max_size=1, check_schema=False, **options
        ):
            pass
    return raised.value


async def test_a_wrong_password_is_permission_denied_and_named_nowhere(
    secret_url: str, logs: pytest.LogCaptureFixture
) -> None:
    wrong = secret_url.replace(quote(PASSWORD, safe=""), quote(WRONG_PASSWORD, safe=""))

    error = await _failure(wrong)

    assert isinstance(error, PermissionDenied)
    assert isinstance(error.__cause__, asyncpg.InvalidPasswordError)
    _assert_secret_absent(WRONG_PASSWORD, _everything_said(error), logs.text)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"postgresql://app:{quote(PASSWORD, safe='')}@127.0.0.1:1/trading", DatabaseUnavailable),
        (f"postgresql://app:{quote(PASSWORD, safe='')}@db:not-a-port/x", ConfigurationError),
        (f"postgresql://app@127.0.0.1:1/trading?password={quote(PASSWORD)}", DatabaseUnavailable),
        (f"postgres://app:{quote(PASSWORD, safe='')}@[::1/broken", ConfigurationError),
        (f"postgresql://app:{PASSWORD}@127.0.0.1:1/trading", DatabaseUnavailable),
        # Messages of asyncpg that quote the host part of the URL they were given:
        (f"postgresql://app:{PASSWORD}@db:not-a-port/trading", ConfigurationError),
        (f"postgresql://app:{PASSWORD}@[]:5432/trading", ConfigurationError),
        (f"mysql://app:{PASSWORD}@db/trading", ConfigurationError),
        (f"host=db password='{PASSWORD}' port=not-a-port", ConfigurationError),
        (f"host=db password='{PASSWORD}", ConfigurationError),
    ],
    ids=[
        "unreachable-host",
        "malformed-port",
        "password-in-query",
        "unparsable",
        "unencoded",
        "unencoded-malformed-port",
        "unencoded-bad-ipv6",
        "unencoded-other-scheme",
        "keywords-malformed-port",
        "keywords-unclosed-quote",
    ],
)
async def test_a_url_that_cannot_connect_keeps_its_password_out_of_the_error(
    url: str, expected: type[BoursaDbError], logs: pytest.LogCaptureFixture
) -> None:
    error = await _failure(url, connect_timeout=5)

    assert isinstance(error, expected)
    _assert_secret_absent(PASSWORD, _everything_said(error), logs.text)


async def test_an_unknown_database_is_named_without_the_password(
    secret_url: str, logs: pytest.LogCaptureFixture
) -> None:
    error = await _failure(secret_url.replace("/postgres?", "/no_such_database?"))

    assert isinstance(error, DatabaseError)
    assert "no_such_database" in str(error)
    _assert_secret_absent(PASSWORD, _everything_said(error), logs.text)


async def test_an_open_context_shows_its_password_nowhere(
    secret_url: str, logs: pytest.LogCaptureFixture
) -> None:
    logged: list[str] = []
    async with create_persistence_context(
        secret_url, min_size=2, max_size=2, check_schema=False
    ) as context:
        async with context.pool.acquire() as connection:
            connection.add_query_logger(lambda query: logged.append(repr(query)))
            assert await connection.fetchval("SELECT current_user") == SECRET_ROLE
        with pytest.raises(DatabaseError) as raised:
            async with context.uow() as uow:
                await uow.connection.execute("SELECT * FROM no_such_table")
        shown = [
            repr(context),
            repr(context.settings),
            str(context.settings),
            repr(context.pool),
            redact_url(context.settings.database_url),
            _everything_said(raised.value),
            *logged,
        ]

    assert logged
    assert "***" in repr(context.settings)
    _assert_secret_absent(PASSWORD, *shown, logs.text)


async def test_a_refused_row_does_not_echo_its_secret_values(
    context: PersistenceContext,
) -> None:
    """PostgreSQL's detail of a violated constraint repeats the row or the key."""
    token_hash = "sha256:" + "5ec7e7" * 10
    password_hash = "argon2id$" + "0123456789abcdef" * 4
    async with context.uow() as uow:
        user = await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash=password_hash)
        )
        assert user.id is not None
        token = RefreshToken(
            user_id=user.id,
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
        await uow.refresh_tokens.save(token)

    with pytest.raises(Duplicate) as duplicate:
        async with context.uow() as uow:
            token.id = None
            await uow.refresh_tokens.save(token)
    with pytest.raises(ValidationError) as refused:
        async with context.uow() as uow:
            await uow.connection.execute(
                "UPDATE users SET phone = 'not a phone number' WHERE id = $1", user.id
            )

    assert duplicate.value.constraint == "refresh_tokens_token_hash_key"
    for error in (duplicate.value, refused.value):
        said = _everything_said(error)
        assert token_hash not in said
        assert password_hash not in said
        assert "withheld" in said


@pytest.mark.parametrize("spelling", ["unencoded-url", "keywords"])
async def test_a_password_full_of_delimiters_logs_in_and_shows_nowhere(
    password_server: EmbeddedPostgres, spelling: str, logs: pytest.LogCaptureFixture
) -> None:
    role = "tricky_app"
    if spelling == "unencoded-url":
        url = password_server.url.replace("//postgres@", f"//{role}:{TRICKY_PASSWORD}@", 1)
    else:
        quoted = TRICKY_PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
        url = f"host={password_server.socket_dir} user={role} password='{quoted}' dbname=postgres"
    logged: list[str] = []

    async with (
        _login_role(password_server, role, TRICKY_PASSWORD),
        create_persistence_context(url, min_size=1, max_size=1, check_schema=False) as context,
    ):
        async with context.pool.acquire() as connection:
            connection.add_query_logger(lambda query: logged.append(repr(query)))
            assert await connection.fetchval("SELECT current_user") == role
        shown = [
            repr(context),
            repr(context.settings),
            repr(attrs.asdict(context.settings)),
            pickle.dumps(context.settings).decode("latin-1"),
            *logged,
        ]

    assert logged
    _assert_secret_absent(TRICKY_PASSWORD, *shown, logs.text)


async def test_a_password_given_as_an_argument_reaches_asyncpg_only_as_a_function(
    secret_url: str,
) -> None:
    url_without_password, _ = split_password(secret_url)
    logged: list[str] = []

    async with (
        create_persistence_context(
            url_without_password, min_size=1, max_size=1, check_schema=False, password=PASSWORD
        ) as context,
        context.pool.acquire() as connection,
    ):
        connection.add_query_logger(lambda query: logged.append(repr(query)))
        assert await connection.fetchval("SELECT current_user") == SECRET_ROLE

    assert logged
    _assert_secret_absent(PASSWORD, *logged)
