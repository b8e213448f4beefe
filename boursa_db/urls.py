"""Database URLs: the library logs and shows them only with the password masked.

Two spellings are understood, as in libpq: a URL (``postgresql://app:s3cret@db:5432/trading``)
and keywords (``host=db user=app password=s3cret dbname=trading``, values optionally in single
quotes with ``\\'`` and ``\\\\`` escapes). A keyword DSN is turned into the equivalent URL,
because asyncpg reads only URLs.

A password should be percent-encoded in a URL, but often is not. Here the credentials run to the
last ``@`` whose left side starts with a user name (no ``/``, ``?``, ``#``, ``@`` or ``:``
before the first ``:``), so ``postgresql://app:p@ss/w?rd#x@db:5432/trading`` is the user ``app``
with the password ``p@ss/w?rd#x`` on ``db``. The rule never shows part of a password as a host
or a path; its price is that, in a URL with a password, an ``@`` after the host (in a query
value) must be percent-encoded (``%40``).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urlsplit

__all__ = ["redact_url", "split_password", "startup_parameters"]

_MASK = "***"
_SECRET_KEYS = {"password", "sslpassword"}
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_CREDENTIALS = re.compile(r"[^/?#@:]*(?::.*)?", re.DOTALL)
_KEYWORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
# A value in single quotes, or one without quotes that ends at a space; a backslash escapes.
_VALUE = re.compile(r"'((?:\\.|[^'\\])*)'|(?!')((?:\\.|[^\s\\])*)", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def redact_url(url: str) -> str:
    """The URL (or keyword DSN) with its passwords replaced by ``***``.

    >>> redact_url("postgresql://app:s3cret@db:5432/trading")
    'postgresql://app:***@db:5432/trading'
    >>> redact_url("host=db user=app password='s3 cret' dbname=trading")
    'host=db user=app password=*** dbname=trading'
    """
    try:
        if not _URL_START.match(url):
            return _redact_keywords(url)
        prefix, user, password, rest = _credentials(url)
        parts = urlsplit(prefix + rest)
    except ValueError:
        return "<unparsable database URL>"
    netloc = parts.netloc
    if password is not None:
        netloc = f"{user}:{_MASK}@{netloc}"
    elif user is not None:
        netloc = f"{user}@{netloc}"
    query = urlencode(
        [
            (key, _MASK if key.lower() in _SECRET_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="/*",
    )
    return _join(SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment))


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (percent-decoded), or None if it has none.

    The password in the user part wins over a ``password`` query parameter, as in asyncpg. A
    keyword DSN comes back as the equivalent URL. Raises ValueError for a URL that cannot be
    parsed (its message does not quote the URL).

    >>> split_password("postgresql://app:s%40cret@db/trading?sslmode=require")
    ('postgresql://app@db/trading?sslmode=require', 's@cret')
    >>> split_password("host=db user=app password=s3cret dbname=trading")
    ('postgresql://?host=db&user=app&dbname=trading', 's3cret')
    """
    if not _URL_START.match(url):
        return _keywords_as_url(url)
    prefix, user, secret, rest = _credentials(url)
    parts = urlsplit(prefix + rest)
    password = None if secret is None else unquote(secret)
    query: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "password":
            password = value if password is None else password
        else:
            query.append((key, value))
    if password is None:
        return url, None
    netloc = f"{user}@{parts.netloc}" if user else parts.netloc
    stripped = SplitResult(parts.scheme, netloc, parts.path, urlencode(query, safe="/"), "")
    return _join(stripped), password


def startup_parameters(url: str) -> list[tuple[str, str]]:
    """What a URL without password puts into the connection's startup message, decoded.

    The user, the database and every query parameter (asyncpg sends the ones it does not know
    as session settings).

    >>> startup_parameters("postgresql://app@db/trading?search_path=market")
    [('user', 'app'), ('database', 'trading'), ('search_path', 'market')]
    """
    parts = urlsplit(url)
    found: list[tuple[str, str]] = []
    if "@" in parts.netloc:
        found.append(("user", unquote(parts.netloc.rsplit("@", 1)[0])))
    if parts.path.strip("/"):
        found.append(("database", unquote(parts.path.lstrip("/"))))
    return found + parse_qsl(parts.query, keep_blank_values=True)


def _credentials(url: str) -> tuple[str, str | None, str | None, str]:
    """Scheme prefix, user and password as written (None when absent), and the rest."""
    start = _URL_START.match(url)
    if start is None:
        raise ValueError("not a URL")
    prefix, after = url[: start.end()], url[start.end() :]
    separator = after.rfind("@")
    while separator >= 0:
        credentials = after[:separator]
        if _CREDENTIALS.fullmatch(credentials):
            user, colon, password = credentials.partition(":")
            return prefix, user, password if colon else None, after[separator + 1 :]
        separator = after.rfind("@", 0, separator)
    return prefix, None, None, after


def _join(parts: SplitResult) -> str:
    """``urlunsplit`` that keeps the ``//`` of a URL without a host (``postgresql:///trading``)."""
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}{query}{fragment}"


def _keyword_pairs(dsn: str) -> list[tuple[str, str, tuple[int, int]]]:
    """The ``key=value`` pairs of a keyword DSN, each with the span of its value as written."""
    pairs: list[tuple[str, str, tuple[int, int]]] = []
    position = 0
    while dsn[position:].strip():
        keyword = _KEYWORD.match(dsn, position)
        value = None if keyword is None else _VALUE.match(dsn, keyword.end())
        if keyword is None or value is None:
            raise ValueError("a keyword DSN is a list of key=value pairs")
        position = value.end()
        if dsn[position : position + 1].strip():
            raise ValueError("the pairs of a keyword DSN are separated by spaces")
        raw = value.group(1) if value.group(1) is not None else value.group(2)
        pairs.append((keyword.group(1), _ESCAPE.sub(r"\1", raw), value.span()))
    return pairs


def _redact_keywords(dsn: str) -> str:
    masked, done = [], 0
    for key, _, (start, end) in _keyword_pairs(dsn):
        if key.lower() in _SECRET_KEYS:
            masked += [dsn[done:start], _MASK]
            done = end
    return "".join([*masked, dsn[done:]])


def _keywords_as_url(dsn: str) -> tuple[str, str | None]:
    parameters = {key: value for key, value, _ in _keyword_pairs(dsn)}
    password = parameters.pop("password", None)
    return "postgresql://?" + urlencode(parameters, quote_via=quote, safe="/"), password
