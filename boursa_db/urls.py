"""Database URLs: the library logs and shows them only with the password masked."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["redact_url", "split_password"]

_MASK = "***"
_SECRET_QUERY_KEYS = {"password", "sslpassword"}


def redact_url(url: str) -> str:
    """The URL with its password (in the user part or the query) replaced by ``***``.

    >>> redact_url("postgresql://app:s3cret@db:5432/trading")
    'postgresql://app:***@db:5432/trading'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable database URL>"
    if "@" in parts.path:  # a password with an unencoded "/" spills into the path
        return "<unparsable database URL>"
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        if ":" in credentials:
            user = credentials.split(":", 1)[0]
            netloc = f"{user}:{_MASK}@{host}"
    query = urlencode(
        [
            (key, _MASK if key.lower() in _SECRET_QUERY_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="/*",
    )
    return urlunsplit(SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment))


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (percent-decoded), or None if it has none.

    The password in the user part wins over a ``password`` query parameter, as in asyncpg.
    Raises ValueError for a URL that cannot be parsed (its message does not quote the URL).

    >>> split_password("postgresql://app:s%40cret@db/trading?sslmode=require")
    ('postgresql://app@db/trading?sslmode=require', 's@cret')
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    password: str | None = None
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        if ":" in credentials:
            user, secret = credentials.split(":", 1)
            netloc = f"{user}@{host}"
            password = unquote(secret)
    query: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "password":
            password = value if password is None else password
        else:
            query.append((key, value))
    if password is None:
        return url, None
    stripped = SplitResult(
        parts.scheme, netloc, parts.path, urlencode(query, safe="/"), parts.fragment
    )
    return urlunsplit(stripped), password
