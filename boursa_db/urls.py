"""Database URLs: the library logs and shows them only with the password masked."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["redact_url"]

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
