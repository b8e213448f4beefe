"""Pool and connection settings: arguments first, then the environment, then the defaults.

===================== ========================== =========================================
argument              environment variable       default
===================== ========================== =========================================
``database_url``      ``DATABASE_URL``           required
``min_size``          ``DB_POOL_SIZE``           20
``max_size``          min + ``DB_MAX_OVERFLOW``  min + 10
``acquire_timeout``   ``DB_POOL_TIMEOUT``        30 s (then :class:`PoolExhausted`)
``statement_timeout`` ``DB_STATEMENT_TIMEOUT``   30 s (then :class:`QueryTimeout`)
``connect_timeout``   ``DB_CONNECT_TIMEOUT``     10 s (then :class:`DatabaseUnavailable`)
``command_timeout``   ``DB_COMMAND_TIMEOUT``     statement timeout + 5 s
``application_name``  ``DB_APPLICATION_NAME``    ``boursa_db``
===================== ========================== =========================================

The two deadlines differ in who enforces them. ``statement_timeout`` is the server's: PostgreSQL
cancels a statement that runs longer. ``command_timeout`` is the client's: a call whose answer
has not arrived by then gives up with :class:`DatabaseUnavailable`, whatever the server does,
so a server that went silent (a network black hole, a frozen host) cannot hang a caller. It is
a little longer than the statement timeout so that a slow statement is reported as the
server's :class:`QueryTimeout`, not as a lost connection.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from boursa_db.errors import ConfigurationError
from boursa_db.urls import redact_url

__all__ = ["PoolSettings"]

# How much longer the client waits than the server lets a statement run.
COMMAND_TIMEOUT_MARGIN = 5.0


@attrs.frozen
class PoolSettings:
    """Resolved pool and connection settings. The URL's password never appears in the repr."""

    database_url: str = attrs.field(repr=redact_url)
    min_size: int = attrs.field(default=20)
    max_size: int = 30
    acquire_timeout: float = 30.0
    statement_timeout: float = 30.0
    connect_timeout: float = 10.0
    command_timeout: float = 35.0
    application_name: str = "boursa_db"

    @min_size.validator
    def _check_sizes(self, _: object, value: int) -> None:
        if value < 0 or self.max_size < max(value, 1):
            raise ConfigurationError(
                f"pool sizes must satisfy 0 <= min_size <= max_size and max_size >= 1, "
                f"got min_size={value}, max_size={self.max_size}"
            )

    @classmethod
    def resolve(
        cls,
        database_url: str | None = None,
        *,
        min_size: int | None = None,
        max_size: int | None = None,
        acquire_timeout: float | None = None,
        statement_timeout: float | None = None,
        connect_timeout: float | None = None,
        command_timeout: float | None = None,
        application_name: str | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> PoolSettings:
        """Arguments first, then the environment, then the defaults."""
        env = os.environ if environment is None else environment
        url = database_url or env.get("DATABASE_URL")
        if not url:
            raise ConfigurationError("no database URL: pass database_url or set DATABASE_URL")
        minimum = min_size if min_size is not None else _int(env, "DB_POOL_SIZE", 20)
        if max_size is None:
            max_size = minimum + _int(env, "DB_MAX_OVERFLOW", 10)
        statement = _seconds(statement_timeout, env, "DB_STATEMENT_TIMEOUT", 30.0)
        return cls(
            database_url=url,
            min_size=minimum,
            max_size=max_size,
            acquire_timeout=_seconds(acquire_timeout, env, "DB_POOL_TIMEOUT", 30.0),
            statement_timeout=statement,
            connect_timeout=_seconds(connect_timeout, env, "DB_CONNECT_TIMEOUT", 10.0),
            command_timeout=_seconds(
                command_timeout, env, "DB_COMMAND_TIMEOUT", statement + COMMAND_TIMEOUT_MARGIN
            ),
            application_name=application_name or env.get("DB_APPLICATION_NAME", "boursa_db"),
        )

    def server_settings(self) -> dict[str, str]:
        """The session settings every pooled connection starts with."""
        return {
            "application_name": self.application_name,
            "timezone": "UTC",
            "jit": "off",
            "statement_timeout": str(int(self.statement_timeout * 1000)),
        }


def _seconds(
    argument: float | None, environment: Mapping[str, str], name: str, default: float
) -> float:
    if argument is not None:
        return argument
    return _float(environment, name, default)


def _int(environment: Mapping[str, str], name: str, default: int) -> int:
    raw = environment.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None


def _float(environment: Mapping[str, str], name: str, default: float) -> float:
    raw = environment.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds, got {raw!r}") from None
