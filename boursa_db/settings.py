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

Every setting is checked when it is resolved, whether it came from an argument or from the
environment, and a bad one is a :class:`ConfigurationError` naming the setting (never quoting a
URL). Timeouts are positive, finite numbers of seconds. The statement timeout reaches PostgreSQL
in whole milliseconds, so it is refused below 1 ms rather than rounded to 0, which PostgreSQL
reads as "no limit". Pool sizes are whole numbers, not booleans. Nothing that goes into the
connection's startup message (the user, the database, the application name, the URL's other
parameters, ``server_settings``) may hold a control character: a NUL there would end one
parameter and start another, such as a different ``user``.

The password is not kept in :attr:`PoolSettings.database_url`: :meth:`PoolSettings.resolve`
moves it into a :class:`Secret`, which no repr, ``str``, ``attrs.asdict`` or pickle shows.
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from boursa_db.errors import ConfigurationError
from boursa_db.urls import redact_url, split_password, startup_parameters

__all__ = ["PoolSettings", "Secret", "checked_server_settings"]

# How much longer the client waits than the server lets a statement run.
COMMAND_TIMEOUT_MARGIN = 5.0

# The largest statement_timeout PostgreSQL accepts, in milliseconds (an int4).
_MAX_MILLISECONDS = 2**31 - 1

_ENVIRONMENT = {
    "database_url": "DATABASE_URL",
    "min_size": "DB_POOL_SIZE",
    "max_size": "DB_POOL_SIZE + DB_MAX_OVERFLOW",
    "acquire_timeout": "DB_POOL_TIMEOUT",
    "statement_timeout": "DB_STATEMENT_TIMEOUT",
    "connect_timeout": "DB_CONNECT_TIMEOUT",
    "command_timeout": "DB_COMMAND_TIMEOUT",
    "application_name": "DB_APPLICATION_NAME",
}

# Startup parameters that are not session settings: they choose who logs in, and where, and how.
_IDENTITY_PARAMETERS = {"user", "database", "replication"}

# Session settings that have a setting of their own, checked here: one way to set each.
_OWN_SETTINGS = {"application_name", "statement_timeout"}
# Session settings the library's SQL relies on: day and hour buckets are cut in UTC.
_FIXED_SETTINGS = {"timezone"}


class Secret:
    """A password that no repr, ``str``, ``attrs.asdict`` or pickle shows.

    A pickled secret arrives empty: :meth:`reveal` on it raises :class:`ConfigurationError`.

    >>> Secret("s3cret")
    Secret('***')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value: str | None = value

    def reveal(self) -> str:
        """The password itself, for the driver (asyncpg accepts this method as ``password=``)."""
        if self._value is None:
            raise ConfigurationError(
                "the password does not travel with pickled settings: resolve them again"
            )
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and self._value == other._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Callable[[], Secret], tuple[()]]:
        return _withheld, ()

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self


def _withheld() -> Secret:
    secret = Secret("")
    secret._value = None
    return secret


def _named(name: str) -> str:
    return f"{name} ({_ENVIRONMENT[name]})"


def _has_control_character(text: str) -> bool:
    return any(unicodedata.category(character) == "Cc" for character in text)


def _check_url(_: object, attribute: attrs.Attribute[str], url: object) -> None:
    if not isinstance(url, str) or not url:
        raise ConfigurationError(f"{_named(attribute.name)} must be a non-empty URL")
    try:
        stripped = split_password(url)
        parameters = startup_parameters(url)
    except ValueError:
        raise ConfigurationError("the database URL cannot be parsed") from None
    if stripped != (url, None):
        raise ConfigurationError(
            "PoolSettings.database_url is a postgresql:// URL without its password: "
            "PoolSettings.resolve() moves the password into a Secret"
        )
    for name, value in parameters:
        if _has_control_character(name):
            raise ConfigurationError("a parameter name of the database URL has a control character")
        if _has_control_character(value):
            raise ConfigurationError(f"the database URL's {name!r} has a control character")
        if name == "replication":
            raise ConfigurationError("the database URL may not ask for a replication connection")


def _check_count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{_named(attribute.name)} must be a whole number, got {value!r}")


def _check_seconds(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    _require_seconds(attribute.name, value)


def _require_seconds(name: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ConfigurationError(
            f"{_named(name)} must be a positive, finite number of seconds, got {value!r}"
        )
    return value


def _check_milliseconds(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.001 <= value <= _MAX_MILLISECONDS / 1000:
        raise ConfigurationError(
            f"{_named(attribute.name)} must be at least 1 ms (PostgreSQL reads 0 as no limit) "
            f"and at most {_MAX_MILLISECONDS} ms, got {value!r} s"
        )


def _check_application_name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or _has_control_character(value):
        raise ConfigurationError(
            f"{_named(attribute.name)} must be text without control characters"
        )


@attrs.frozen
class PoolSettings:
    """Resolved pool and connection settings, checked. The password is only in ``password``."""

    database_url: str = attrs.field(repr=redact_url, validator=_check_url)
    """The URL without its password."""
    min_size: int = attrs.field(default=20, validator=_check_count)
    max_size: int = attrs.field(default=30, validator=_check_count)
    acquire_timeout: float = attrs.field(default=30.0, validator=_check_seconds)
    statement_timeout: float = attrs.field(
        default=30.0, validator=[_check_seconds, _check_milliseconds]
    )
    connect_timeout: float = attrs.field(default=10.0, validator=_check_seconds)
    command_timeout: float = attrs.field(default=35.0, validator=_check_seconds)
    application_name: str = attrs.field(default="boursa_db", validator=_check_application_name)
    password: Secret | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Secret))
    )
    """The URL's password, if it had one."""

    @max_size.validator
    def _check_sizes(self, _: object, value: int) -> None:
        if self.min_size < 0 or value < max(self.min_size, 1):
            raise ConfigurationError(
                f"pool sizes must satisfy 0 <= min_size <= max_size and max_size >= 1, "
                f"got min_size={self.min_size}, max_size={value} "
                f"(from arguments or {_ENVIRONMENT['max_size']})"
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
        try:
            url, password = split_password(url)
        except ValueError:
            raise ConfigurationError("the database URL cannot be parsed") from None
        minimum = min_size if min_size is not None else _int(env, "DB_POOL_SIZE", 20)
        if max_size is None:
            max_size = minimum + _int(env, "DB_MAX_OVERFLOW", 10)
        statement = _seconds(statement_timeout, env, "statement_timeout", 30.0)
        return cls(
            database_url=url,
            min_size=minimum,
            max_size=max_size,
            acquire_timeout=_seconds(acquire_timeout, env, "acquire_timeout", 30.0),
            statement_timeout=statement,
            connect_timeout=_seconds(connect_timeout, env, "connect_timeout", 10.0),
            command_timeout=_seconds(
                command_timeout, env, "command_timeout", statement + COMMAND_TIMEOUT_MARGIN
            ),
            application_name=application_name or env.get("DB_APPLICATION_NAME", "boursa_db"),
            password=None if password is None else Secret(password),
        )

    def server_settings(self) -> dict[str, str]:
        """The session settings every pooled connection starts with."""
        return {
            "application_name": self.application_name,
            "timezone": "UTC",
            "jit": "off",
            "statement_timeout": str(round(self.statement_timeout * 1000)),
        }


def checked_server_settings(extra: object) -> dict[str, str]:
    """A caller's ``server_settings``, refused if they would reach beyond session settings.

    Names and values are text without control characters; ``user``, ``database`` and
    ``replication`` are not session settings; ``application_name`` and ``statement_timeout``
    have settings of their own; ``TimeZone`` stays UTC.
    """
    if not isinstance(extra, Mapping):
        raise ConfigurationError("server_settings must map setting names to text")
    checked: dict[str, str] = {}
    for name, value in extra.items():
        if not isinstance(name, str) or not name or _has_control_character(name):
            raise ConfigurationError(
                "a server_settings name is not text without control characters"
            )
        if name.lower() in _IDENTITY_PARAMETERS:
            raise ConfigurationError(f"server_settings may not set {name!r}: put it in the URL")
        if name.lower() in _FIXED_SETTINGS:
            raise ConfigurationError(
                f"server_settings may not set {name!r}: every connection runs in UTC, which the "
                "library's SQL relies on"
            )
        if name.lower() in _OWN_SETTINGS:
            raise ConfigurationError(
                f"server_settings may not set {name!r}: use the {name.lower()} setting"
            )
        if not isinstance(value, str) or _has_control_character(value):
            raise ConfigurationError(
                f"server_settings[{name!r}] must be text without control characters"
            )
        checked[name] = value
    return checked


def _seconds(
    argument: float | None, environment: Mapping[str, str], name: str, default: float
) -> float:
    """A timeout from its argument, else its variable, else the default; a number of seconds."""
    if argument is None:
        argument = _float(environment, _ENVIRONMENT[name], default)
    return _require_seconds(name, argument)


def _int(environment: Mapping[str, str], name: str, default: int) -> int:
    raw = environment.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigurationError(f"{name} must not be negative, got {raw!r}")
    return value


def _float(environment: Mapping[str, str], name: str, default: float) -> float:
    raw = environment.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds, got {raw!r}") from None
